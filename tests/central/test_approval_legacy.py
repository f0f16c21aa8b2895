"""A letter approved before central kept approval digests (migration 0003) is issued only with the content central
holds; in process, on the migrated schema."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from central import push
from central.accounts import Principal
from central.approval import NOT_APPROVED_CONTENT
from central.database import Database, upgrade_to_head
from central.ledger import load_rows, write_row
from central.models import LetterApproval
from tests.central.wire import change, new_case, new_id, new_letter, new_parent, today
from workbench.sync.protocol import PushRequest

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'central.db'}")
    upgrade_to_head(database)
    yield database
    database.dispose()


def _push(db: Database, user: Principal, *changes: dict[str, Any]) -> list[dict[str, Any]]:
    request = PushRequest.model_validate({"device_id": user.device_id, "changes": list(changes)})
    return [r.model_dump() for r in push.push(db, user, request, NOW).results]


def test_a_letter_approved_before_digests_issues_only_as_central_holds_it(db: Database) -> None:
    anna = Principal(new_id(), "anna", "handler", None, new_id())
    case_id, parent_id = new_id(), new_id()
    _push(db, anna, new_parent(parent_id), new_case(case_id, parent_id, anna.user_id))
    letter = new_letter(case_id, anna.user_id)
    assert _push(db, anna, letter)[0]["status"] == "applied"
    with db.write() as session:  # approved the old way: straight into the row, no digest kept
        [state] = load_rows(session, [("letter", letter["row_id"])]).values()
        write_row(session, state=state, fields={"status": "approved", "reviewer_id": new_id()}, origin_change_id=None,
                  now=NOW)
        assert session.get(LetterApproval, letter["row_id"]) is None
    values = dict(letter["fields"]["field_values"][1])
    pdf = b"%PDF-1.4 synthetisch"
    issue = {"status": ("approved", "issued"), "dated_on": (None, today().isoformat()),
             "pdf_sha256": (None, hashlib.sha256(pdf).hexdigest())}
    forged = change("letter", letter["row_id"], {**issue, "field_values": (values, {**values, "amount": 1})},
                    base_rev=2, case_id=case_id)
    [r] = _push(db, anna, forged)
    assert (r["status"], r["reason"]) == ("refused", NOT_APPROVED_CONTENT)
    [r] = _push(db, anna, change("letter", letter["row_id"], issue, base_rev=2, case_id=case_id))
    assert r["status"] == "applied", r
