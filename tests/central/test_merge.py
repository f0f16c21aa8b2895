"""The per-field merge rules of the protocol, as central applies them."""

from __future__ import annotations

from tests.central.wire import change, insert, new_id, new_story, open_case
from tests.helpers.central import CentralServer, Crew, DeviceSession
from workbench.cases.phases import PHASES


def _edit(case_id: str, base_rev: int, **fields: tuple[object, object]) -> dict:
    return change("case", case_id, dict(fields), base_rev=base_rev, case_id=case_id)


def _events(device: DeviceSession, cursor: int, row_id: str) -> list[dict]:
    changes, _, _ = device.pull_all(cursor)
    return [c for c in changes if c["row_id"] == row_id]


def test_base_rev_equal_applies_every_field(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    [r] = laptop.push_ok(_edit(case_id, 1, phase=("aangemeld", "eerste_toets"), urgent_eviction=(False, True)))
    assert (r["status"], r["rev"], r["row"], r["conflicts"]) == ("applied", 2, None, None)


def test_different_fields_changed_on_both_sides_merge_silently(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    laptop.push_ok(_edit(case_id, 1, phase=("aangemeld", "eerste_toets")))  # the other side, first
    [r] = laptop.push_ok(_edit(case_id, 1, urgent_eviction=(False, True)))
    assert (r["status"], r["rev"], r["conflicts"]) == ("merged", 3, None)
    assert r["row"]["phase"] == "eerste_toets" and r["row"]["urgent_eviction"] is True


def test_the_same_field_clashes_and_the_rest_is_still_applied(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    _, _, cursor = laptop.pull_all()
    laptop.push_ok(_edit(case_id, 1, phase=("aangemeld", "eerste_toets")))
    late = _edit(case_id, 1, phase=("aangemeld", "integrale_beoordeling"), urgent_eviction=(False, True))
    [r] = laptop.push_ok(late)
    assert r["status"] == "conflict"
    assert r["conflicts"] == {"phase": "eerste_toets"}
    assert r["row"]["phase"] == "eerste_toets" and r["row"]["urgent_eviction"] is True
    assert r["rev"] == 3
    events = _events(laptop, cursor, case_id)
    assert [(e["rev"], e["fields"]) for e in events] == [(2, {"phase": "eerste_toets"}), (3, {"urgent_eviction": True})]
    assert events[1]["origin_change_id"] == late["change_id"]


def test_a_field_already_at_the_new_value_does_not_clash(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    laptop.push_ok(_edit(case_id, 1, phase=("aangemeld", "eerste_toets")))
    [r] = laptop.push_ok(_edit(case_id, 1, phase=("aangemeld", "eerste_toets")))
    assert (r["status"], r["conflicts"], r["rev"]) == ("merged", None, 3)


def test_a_clash_with_nothing_else_still_answers_the_server_values(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    laptop.push_ok(_edit(case_id, 1, phase=("aangemeld", "eerste_toets")))
    [r] = laptop.push_ok(_edit(case_id, 1, phase=("aangemeld", "integrale_beoordeling")))
    assert r["status"] == "conflict" and r["conflicts"] == {"phase": "eerste_toets"}
    # The resolution is an ordinary change on top of the server's revision.
    [resolved] = laptop.push_ok(_edit(case_id, r["rev"], phase=("eerste_toets", "integrale_beoordeling")))
    assert (resolved["status"], resolved["rev"]) == ("applied", r["rev"] + 1)


def test_append_only_rows_never_conflict(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    story = new_story(case_id, "Gesprek met mevrouw.", laptop.user_id)
    laptop.push_ok(story)
    sid = story["row_id"]
    laptop.push_ok(change("story_entry", sid, {"confirmed_by_parent": (False, True)}, base_rev=1, case_id=case_id))
    [r] = laptop.push_ok(change("story_entry", sid, {"confirmed_by_parent": (False, False)}, base_rev=1,
                                case_id=case_id))
    assert (r["status"], r["conflicts"], r["rev"]) == ("merged", None, 3)
    assert r["row"]["confirmed_by_parent"] is False  # the newer change in server order wins


def test_an_insert_of_an_existing_row_merges_against_base_zero(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    need_id = new_id()
    laptop.push_ok(insert("need", need_id, {"case_id": case_id, "life_domain": "wonen",
                                            "description": "Huur achter"}, case_id=case_id))
    same = insert("need", need_id, {"case_id": case_id, "life_domain": "wonen", "status": "open"}, case_id=case_id)
    [r] = laptop.push_ok(same)
    assert (r["status"], r["conflicts"], r["rev"]) == ("merged", None, 2)
    assert r["row"] == {"case_id": case_id, "life_domain": "wonen", "description": "Huur achter", "status": "open"}
    other = insert("need", need_id, {"case_id": case_id, "life_domain": "financien",
                                     "description": "Huur achter"}, case_id=case_id)
    [r] = laptop.push_ok(other)
    assert (r["status"], r["conflicts"]) == ("conflict", {"life_domain": "wonen"})


def test_a_tombstone_is_a_deleted_row_on_pull(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    story = new_story(case_id, "Dubbel ingevoerd.", laptop.user_id)
    laptop.push_ok(story)
    _, _, cursor = laptop.pull_all()
    laptop.push_ok(change("story_entry", story["row_id"], {"deleted_at": (None, "2026-11-29T09:30:00+00:00")},
                          base_rev=1, case_id=case_id))
    [event] = _events(laptop, cursor, story["row_id"])
    assert event["deleted"] is True and event["rev"] == 2
    versions = laptop.http.get("/v1/sync/rows/story_entry").json()["revs"]
    assert versions[story["row_id"]] == 2  # tombstones stay visible, so every device learns of the delete


def test_every_applied_change_adds_one_revision_and_one_log_entry(server: CentralServer, crew: Crew) -> None:
    laptop = crew.device()
    case_id, _ = open_case(laptop)
    before = server.stats()["change_log"]
    phases = list(PHASES)
    edits = [_edit(case_id, 1 + i, phase=(phases[i], phases[i + 1])) for i in range(5)]
    results = laptop.push_ok(*edits)
    assert [r["rev"] for r in results] == [2, 3, 4, 5, 6]
    assert server.stats()["change_log"] == before + 5
