"""Builders for protocol changes as JSON (synthetic data only; BSNs from the 999 test range)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import uuid
from typing import Any

from tests.helpers.central import CentralServer, DeviceSession
from workbench.letters.dating import derive
from workbench.letters.templates import load_template, to_json

_refs = itertools.count(1)


def new_id() -> str:
    return str(uuid.uuid4())


def change(entity: str, row_id: str, fields: dict[str, tuple[Any, Any]], *, op: str = "update", base_rev: int = 0,
           case_id: str | None = None, parent_id: str | None = None, change_id: str | None = None) -> dict[str, Any]:
    return {"change_id": change_id or new_id(), "entity": entity, "row_id": row_id, "op": op, "base_rev": base_rev,
            "fields": {k: list(v) for k, v in fields.items()}, "scope": {"case_id": case_id, "parent_id": parent_id}}


def insert(entity: str, row_id: str, values: dict[str, Any], **scope: Any) -> dict[str, Any]:
    return change(entity, row_id, {k: (None, v) for k, v in values.items()}, op="insert", **scope)


def new_parent(parent_id: str | None = None, achternaam: str = "Testouder") -> dict[str, Any]:
    pid = parent_id or new_id()
    return insert("parent", pid, {"bsn": "999990019", "voorletters": "T.", "achternaam": achternaam,
                                  "city": "Teststad", "deleted_at": None}, parent_id=pid)


def new_case(case_id: str, parent_id: str, handler_id: str, team_id: str | None = None) -> dict[str, Any]:
    return insert("case", case_id, {"reference": f"UHT-2026-{next(_refs):06d}", "parent_id": parent_id,
                                    "handler_id": handler_id, "team_id": team_id, "phase": "aangemeld",
                                    "urgent_eviction": False, "deleted_at": None},
                  case_id=case_id, parent_id=parent_id)


def new_story(case_id: str, text: str = "Huisbezoek afgelegd.", author_id: str = "") -> dict[str, Any]:
    return insert("story_entry", new_id(), {"case_id": case_id, "kind": "huisbezoek", "text": text,
                                            "author_id": author_id, "confirmed_by_parent": False,
                                            "deleted_at": None}, case_id=case_id)


LETTER_TEMPLATE = "uitslag_eerste_toets_vooralsnog_niet"


def letter_values(day: dt.date) -> tuple[dict[str, Any], list[str]]:
    """A real besluit's values (typed and derived for letter date `day`) and the policy versions they rest on."""
    template = load_template(LETTER_TEMPLATE)
    dated = derive(template, {}, letter_date=day, facts=None)
    typed = {"aanhef": "Geachte mevrouw Testouder,", "motivation": "U komt nu niet in aanmerking.",
             "objection_address": "Postbus 1, 1000 AA Teststad", "contact_phone": "0800-0000",
             "signatory_name": "T. Tester", "signatory_function": "Teamleider"}
    return {**typed, **to_json(dated.values)}, list(dated.policy_versions)


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def new_letter(case_id: str, author_id: str, status: str = "draft", letter_id: str | None = None,
               day: dt.date | None = None) -> dict[str, Any]:
    values, versions = letter_values(day or today())
    template = load_template(LETTER_TEMPLATE)
    return insert("letter", letter_id or new_id(), {
        "case_id": case_id, "template_id": template.id, "template_version": template.version,
        "kind": template.kind, "field_values": values, "policy_versions": versions, "status": status,
        "author_id": author_id, "reviewer_id": None, "review_comment": "", "deleted_at": None}, case_id=case_id)


def open_case(device: DeviceSession, *, team_id: str | None = None) -> tuple[str, str]:
    """Push a new parent and a case for the device's user; returns (case_id, parent_id)."""
    case_id, parent_id = new_id(), new_id()
    results = device.push_ok(new_parent(parent_id), new_case(case_id, parent_id, device.user_id, team_id))
    assert [r["status"] for r in results] in (["applied", "applied"], ["applied", "merged"]), results
    return case_id, parent_id


def case_rev(device: DeviceSession, case_id: str) -> int:
    answer = device.http.get("/v1/sync/rows/case")
    assert answer.status_code == 200, answer.text
    return int(answer.json()["revs"][case_id])


def users(server: CentralServer, team: str, **roles: str) -> dict[str, dict[str, Any]]:
    """Add users ``name=role`` in ``team``; returns their add-user answers by name."""
    return {name: server.add_user(name, role=role, team=team) for name, role in roles.items()}


ISSUED_PDF = b"%PDF-1.4 synthetische brief"


def issue_change(letter: dict[str, Any], *, base_rev: int = 3, values: dict[str, Any] | None = None,
                 day: dt.date | None = None, pdf: bytes = ISSUED_PDF, sha: str | None = None,
                 **extra: tuple[object, object]) -> dict[str, Any]:
    """The move of an approved `letter` (made by `new_letter`) to issued, with the issue fields central checks."""
    fields: dict[str, tuple[object, object]] = {
        "status": ("approved", "issued"), "dated_on": (None, (day or today()).isoformat()),
        "pdf": (None, {"$b64": base64.b64encode(pdf).decode("ascii")}),
        "pdf_sha256": (None, sha or hashlib.sha256(pdf).hexdigest()), "issued_at": (None, "2026-01-01T09:00:00+00:00"),
        **extra}
    if values is not None:
        fields["field_values"] = (dict(letter["fields"]["field_values"][1]), values)
    return change("letter", letter["row_id"], fields, base_rev=base_rev, case_id=letter["scope"]["case_id"])
