"""Poison values: central refuses each wrong value per change, with a Dutch reason naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.central.wire import change, insert, new_id, new_parent, new_story, open_case
from tests.helpers.central import CentralServer, Crew, DeviceSession

POISON: list[tuple[str, str, Any, str]] = [
    # (entity, field, value, words the reason must hold)
    ("parent", "achternaam", {"x": 1}, "Verwacht tekst, gevonden: een object"),
    ("parent", "birth_date", 20260101, "Verwacht een datum als tekst"),
    ("parent", "birth_date", "2026-02-30", "Geen geldige datum"),
    ("case", "urgent_eviction", "ja", "Verwacht true of false"),
    ("parent", "bsn", "999990018", "11-proef"),
    ("case", "phase", "gesloten", "Fase is onbekend"),
    ("parent", "achternaam", "A" * 1_000_000, "Te lang (1.000.000 tekens; maximaal 200)"),
    ("parent", "preferred_channel", "duif", "Voorkeurskanaal is onbekend"),
    ("parent", "geheim", "x", "Onbekend veld"),
    ("story_entry", "author_id", "NIET-EEN-ID", "Geen geldig id"),
    ("case", "opened_on", None, "mag niet leeg"),
    ("story_entry", "kind", "roddel", "Soort contact is onbekend"),
    ("story_entry", "occurred_at", "2026-11-29T09:30:00", "Tijdstip mist een tijdzone"),
]


@pytest.mark.parametrize(("entity", "field", "value", "words"), POISON,
                         ids=[f"{e}.{f}:{str(v)[:20]}" for e, f, v, _ in POISON])
def test_each_poison_value_is_refused_with_its_reason_and_the_rest_applies(
        crew: Crew, entity: str, field: str, value: Any, words: str) -> None:
    device = crew.device()
    case_id, parent_id = open_case(device)
    story = new_story(case_id, author_id=device.user_id)
    device.push_ok(story)
    row_id, scope = {"parent": (parent_id, {"parent_id": parent_id}), "case": (case_id, {"case_id": case_id}),
                     "story_entry": (story["row_id"], {"case_id": case_id})}[entity]
    poison = change(entity, row_id, {field: (None, value)}, base_rev=1, **scope)
    before = _fields(device, entity, row_id)
    good = new_story(case_id, "Na de weigering.", author_id=device.user_id)
    bad, fine = device.push_ok(poison, good)
    assert bad["status"] == "refused", bad
    assert f"{entity}.{field}" in bad["reason"] and words in bad["reason"], bad["reason"]
    assert fine["status"] == "applied"
    assert _fields(device, entity, row_id) == before  # nothing of the refused change was stored
    assert _fields(device, "story_entry", good["row_id"])["text"] == "Na de weigering."


def _fields(device: DeviceSession, entity: str, row_id: str) -> dict[str, Any]:
    answer = device.http.post("/v1/sync/fetch", json={"entity": entity, "row_ids": [row_id]})
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["changes"][0]["fields"])


def test_a_pulling_device_never_receives_a_refused_value(crew: Crew) -> None:
    writer = crew.device()
    _, parent_id = open_case(writer)
    writer.push_ok(change("parent", parent_id, {"achternaam": (None, {"x": 1})}, base_rev=1, parent_id=parent_id))
    changes, _, _ = writer.pull_all()
    names = [c["fields"].get("achternaam") for c in changes if c["row_id"] == parent_id]
    assert names and all(isinstance(name, str) for name in names)


def test_a_case_or_child_for_a_parent_central_never_saw_is_refused(crew: Crew) -> None:
    device = crew.device()
    unknown = new_id()
    case_id = new_id()
    [r] = device.push_ok(insert("case", case_id, {"reference": "UHT-2026-999001", "parent_id": unknown,
                                                  "handler_id": device.user_id, "phase": "aangemeld"},
                                case_id=case_id, parent_id=unknown))
    assert r["status"] == "refused"
    assert "case.parent_id verwijst naar een ouder die de centrale niet kent" in r["reason"]
    [r] = device.push_ok(insert("child", new_id(), {"achternaam": "Testkind"}, parent_id=unknown))
    assert r["status"] == "refused" and "een ouder die de centrale niet kent" in r["reason"]
    # A parent pushed earlier in the same batch is known.
    parent = new_parent()
    child = insert("child", new_id(), {"parent_id": parent["row_id"], "achternaam": "Testkind"},
                   parent_id=parent["row_id"])
    assert [r["status"] for r in device.push_ok(parent, child)] == ["applied", "applied"]


def test_a_reference_to_an_unknown_row_is_refused(crew: Crew) -> None:
    device = crew.device()
    case_id, _ = open_case(device)
    [r] = device.push_ok(insert("action", new_id(), {"case_id": case_id, "need_id": new_id(), "owner": "pzb",
                                                     "status": "open", "description": "Bellen."}, case_id=case_id))
    assert r["status"] == "refused" and "action.need_id verwijst naar een behoefte" in r["reason"]


def test_an_upper_case_change_id_is_the_same_change(crew: Crew) -> None:
    device = crew.device()
    case_id, _ = open_case(device)
    edit = change("case", case_id, {"phase": ("aangemeld", "eerste_toets")}, base_rev=1, case_id=case_id)
    [first] = device.push_ok(edit)
    shouting = {**edit, "change_id": edit["change_id"].upper(), "row_id": case_id.upper(),
                "scope": {"case_id": case_id.upper(), "parent_id": None}}
    [again] = device.push_ok(shouting)
    assert again == first and first["change_id"] == edit["change_id"]
    assert _fields(device, "case", case_id)["phase"] == "eerste_toets"
    revs = device.http.get("/v1/sync/rows/case").json()["revs"]
    assert revs[case_id] == 2  # the replay changed nothing


@pytest.mark.parametrize("raw", ["1e999", "-1e999"])
def test_a_number_too_large_to_be_finite_is_refused(device_for_module: DeviceSession, raw: str) -> None:
    body = json.dumps({"protocol": 1, "device_id": device_for_module.device_id, "changes": [
        change("case", new_id(), {"phase": (None, "HUGE")}, case_id=new_id())]}).replace('"HUGE"', raw)
    answer = device_for_module.http.post("/v1/sync/push", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and "eindig" in answer.json()["detail"]


def test_deeply_nested_json_is_refused_not_a_500(device_for_module: DeviceSession) -> None:
    deep: Any = "x"
    for _ in range(255):
        deep = [deep]
    case_id = new_id()
    answer = device_for_module.push(change("case", case_id, {"phase": (None, deep)}, case_id=case_id))
    assert answer.status_code == 422 and "genest" in answer.json()["detail"]
    case_id, _ = open_case(device_for_module)
    middling: Any = 1
    for _ in range(30):
        middling = {"a": middling}
    letter_edit = change("case", case_id, {"urgent_energy": (None, middling)}, base_rev=1, case_id=case_id)
    [r] = device_for_module.push_ok(letter_edit)
    assert r["status"] == "refused" and "case.urgent_energy" in r["reason"]


@pytest.mark.parametrize("report", [
    {"pending_changes": 10**30}, {"open_conflicts": 2**31}, {"pending_changes": -1},
    {"last_sync_at": "2026-11-29T09:30:00"}, {"last_sync_at": "0001-01-01T00:00:00+23:59"},
    {"last_sync_at": "9999-12-31T23:59:59-23:59"}, {"last_sync_at": "2026-11-29T09:30:00+99:00"},
    {"last_sync_at": 1e308}, {"device_id": "NIET-EEN-ID"},
])
def test_a_device_report_out_of_range_gets_422(device_for_module: DeviceSession, report: dict[str, Any]) -> None:
    body = {"device_id": device_for_module.device_id, "last_sync_at": "2026-11-29T09:30:00+00:00",
            "pending_changes": 0, "open_conflicts": 0, **report}
    answer = device_for_module.http.post("/v1/sync/device-report", json=body)
    assert answer.status_code == 422, (report, answer.text)
    ok = {**body, **{"pending_changes": 3, "open_conflicts": 1, "last_sync_at": "2026-11-29T10:30:00+01:00",
                     "device_id": device_for_module.device_id.upper()}}
    assert device_for_module.http.post("/v1/sync/device-report", json=ok).status_code == 204


@pytest.fixture(scope="module")
def device_for_module(server: CentralServer) -> Any:
    crew = Crew(server)
    yield crew.device()
    crew.close()
