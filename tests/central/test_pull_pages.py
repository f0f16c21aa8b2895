"""Pull pages are pinned byte for byte: a fixed scenario's pages, as the endpoint sends them, hash as stored.

The scenario runs in process with deterministic ids (uuid4 counts up), on SQLite and, when WORKBENCH_TEST_PG_URL
is set, on PostgreSQL: handlers with new cases, an edit, a letter in review, a team lead, a reviewer, a
reassignment (a revocation, a grant and a handover), every user pulled from every cursor, whole and in small pages.
And the statements a pull runs: the head, the epoch and the first entries come in one select.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from central import assignment, pull, push
from central.accounts import Principal, create_user
from central.database import Database
from central.ledger import head_seq
from tests.central.wire import change, insert, new_letter
from tests.helpers.central import fresh_database
from workbench.sync.protocol import PushRequest, SummaryWanted

PINNED = Path(__file__).with_name("pull_pages.json")  # sha256 of each page, by user, cursor and page size
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 2)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A fresh central database whose every new id (the epoch's too) comes from `Ids`."""
    with fresh_database(request.param, tmp_path,
                        before_schema=lambda: monkeypatch.setattr(uuid, "uuid4", Ids())) as database:
        yield database


class Ids:
    """uuid4 counting up from a fixed base, so every id of the scenario is the same on every run."""

    def __init__(self) -> None:
        self._next = itertools.count(1)

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=(0x5EED << 96) + next(self._next))


def _principal(db: Database, name: str, role: str, team: str) -> Principal:
    with db.write() as session:
        user = create_user(session, username=name, password="Welkom-bij-de-test-1", role=role, team_name=team,
                           display_name=name.capitalize(), now=NOW)
        return Principal(user.id, user.username, user.role, user.team_id, str(uuid.uuid4()))


def _push(db: Database, user: Principal, *changes: dict[str, object]) -> None:
    request = PushRequest.model_validate({"device_id": user.device_id, "changes": list(changes)})
    results = push.push(db, user, request, NOW).results
    assert {r.status for r in results} == {"applied"}, results


def _new_case(user: Principal, number: int) -> tuple[str, list[dict[str, object]]]:
    """A parent, a case and a story entry: the rows a handler's new case brings."""
    case_id, parent_id = str(uuid.uuid4()), str(uuid.uuid4())
    rows = [
        insert("parent", parent_id, {"bsn": "999990019", "voorletters": "T.", "achternaam": f"Testouder {number}",
                                     "city": "Teststad", "deleted_at": None}, parent_id=parent_id),
        insert("case", case_id, {"reference": f"UHT-2026-{number:06d}", "parent_id": parent_id,
                                 "handler_id": user.user_id, "team_id": user.team_id, "phase": "aangemeld",
                                 "urgent_eviction": False, "deleted_at": None}, case_id=case_id, parent_id=parent_id),
        insert("story_entry", str(uuid.uuid4()), {"case_id": case_id, "kind": "huisbezoek", "text": "Huisbezoek.",
                                                  "author_id": user.user_id, "confirmed_by_parent": False,
                                                  "deleted_at": None}, case_id=case_id),
    ]
    return case_id, rows


def _scenario(db: Database) -> list[Principal]:
    anna = _principal(db, "anna", "handler", "Team Noord")
    bert = _principal(db, "bert", "handler", "Team Noord")
    lead = _principal(db, "lotte", "team_lead", "Team Noord")
    rita = _principal(db, "rita", "reviewer", "Team Noord")
    zoe = _principal(db, "zoe", "handler", "Team Zuid")
    first, rows_1 = _new_case(anna, 1)
    second, rows_2 = _new_case(anna, 2)
    _push(db, anna, *rows_1, *rows_2)
    _, rows_3 = _new_case(bert, 3)
    _push(db, bert, *rows_3)
    _, rows_4 = _new_case(zoe, 4)
    _push(db, zoe, *rows_4)
    letter = new_letter(first, anna.user_id, letter_id=str(uuid.uuid4()), day=DAY)
    letter["change_id"] = str(uuid.uuid4())
    _push(db, anna, change("case", first, {"phase": ("aangemeld", "eerste_toets")}, base_rev=1, case_id=first,
                           change_id=str(uuid.uuid4())), letter)
    _push(db, anna, change("letter", letter["row_id"], {"status": ("draft", "in_review")}, base_rev=1,
                           case_id=first, change_id=str(uuid.uuid4())))
    assignment.assign(db, case_id=second, handler=bert.user_id, reason="herverdeling", by=None, now=NOW)
    _push(db, bert, change("case", second, {"phase": ("aangemeld", "eerste_toets")}, base_rev=2, case_id=second,
                           change_id=str(uuid.uuid4())))
    return [anna, bert, lead, rita, zoe]


def _page(db: Database, user: Principal, cursor: int, limit: int, summary: SummaryWanted | None) -> str:
    """A page as ``GET /v1/sync/pull`` sends it (central.app leaves out an absent summary)."""
    page = pull.pull(db, user, cursor, limit, now=NOW, summary=summary)
    return page.model_dump_json(exclude={"summary"} if page.summary is None else None)


def pages(db: Database) -> dict[str, str]:
    """Every user's pages: whole from every cursor, and walked in pages of 1, 2 and 3 changes."""
    users = _scenario(db)
    with db.read() as session:
        head = head_seq(session)
    out: dict[str, str] = {}
    for user in users:
        for cursor in range(head + 1):
            out[f"{user.username} from {cursor}"] = _page(db, user, cursor, 1000, "always")
        for limit in (1, 2, 3):
            cursor, more, n = 0, True, 0
            while more:
                wanted: SummaryWanted = "moved" if n % 2 else "always"
                text = _page(db, user, cursor, limit, wanted)
                out[f"{user.username} by {limit} from {cursor}"] = text
                answer = json.loads(text)
                cursor, more, n = answer["next_cursor"], answer["more"], n + 1
    return out


def test_pull_pages_of_a_fixed_scenario_are_as_pinned(db: Database) -> None:
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    got = {key: hashlib.sha256(text.encode("utf-8")).hexdigest() for key, text in pages(db).items()}
    assert list(got) == list(pinned)
    for key, digest in got.items():
        assert digest == pinned[key], key


def _statements(db: Database, user: Principal, cursor: int) -> list[str]:
    seen: list[str] = []

    def _seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement)

    engine = db._read.engine
    event.listen(engine, "before_cursor_execute", _seen)
    try:
        page = pull.pull(db, user, cursor, 1000, now=NOW, summary="always")
    finally:
        event.remove(engine, "before_cursor_execute", _seen)
    assert page.summary is not None and page.changes
    return seen


def test_a_pull_that_grants_cases_runs_four_statements(db: Database) -> None:
    anna, _, lead, rita, _ = _scenario(db)
    # the head, the epoch and the entries; the assignment periods; the granted rows; the summary
    assert len(_statements(db, anna, 0)) == 4
    assert len(_statements(db, lead, 0)) == 4
    # the head, the epoch and the entries; the reviews; the letter with its case and parent; the summary
    assert len(_statements(db, rita, 0)) == 4
