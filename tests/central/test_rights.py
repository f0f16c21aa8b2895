"""Rights that end: a former handler's late edits and a reviewer's access after the letter is issued."""

from __future__ import annotations

import datetime as dt

from tests.central.test_letters import _letter_change, _submitted
from tests.central.wire import change, insert, issue_change, new_case, new_id, new_story, open_case
from tests.helpers.central import CentralServer, Crew, DeviceSession
from tests.helpers.reassignment import backdate_reassignment

GRACE = dt.timedelta(days=7)  # central.access.REASSIGN_GRACE, stated here so a change to it is a decision


def _assign(lead: DeviceSession, case_id: str, handler_id: str) -> None:
    answer = lead.http.post(f"/v1/cases/{case_id}/assign", json={"handler_id": handler_id, "reason": "Verlof"})
    assert answer.status_code == 200, answer.text


def test_the_grace_is_the_one_central_states() -> None:
    from central.access import REASSIGN_GRACE

    assert REASSIGN_GRACE == GRACE


def test_offline_edits_made_before_the_reassignment_are_accepted_within_the_grace(server: CentralServer,
                                                                                  crew: Crew) -> None:
    anna, bram, lead = crew.device(), crew.device(), crew.device("team_lead")
    case_id, parent_id = open_case(anna)
    _assign(lead, case_id, bram.user_id)
    backdate_reassignment(server.db_url, case_id, GRACE - dt.timedelta(hours=1))
    story = new_story(case_id, "Aan de keukentafel opgeschreven.", anna.user_id)
    edit = change("case", case_id, {"urgent_eviction": (False, True)}, base_rev=1, case_id=case_id)
    surname = change("parent", parent_id, {"achternaam": ("Testouder", "Testouder-Jansen")}, base_rev=1,
                     parent_id=parent_id)
    results = anna.push_ok(story, edit, surname)
    assert [r["status"] for r in results] == ["applied", "merged", "applied"], results


def test_after_the_grace_a_former_handler_is_refused_with_a_reason(server: CentralServer, crew: Crew) -> None:
    anna, bram, lead = crew.device(), crew.device(), crew.device("team_lead")
    case_id, _ = open_case(anna)
    _assign(lead, case_id, bram.user_id)
    backdate_reassignment(server.db_url, case_id, GRACE + dt.timedelta(hours=1))
    story = new_story(case_id, "Te laat.", anna.user_id)
    edit = change("case", case_id, {"urgent_eviction": (False, True)}, base_rev=1, case_id=case_id)
    results = anna.push_ok(story, edit)
    assert [r["status"] for r in results] == ["refused", "refused"]
    for r in results:
        assert "aan een andere behandelaar toegewezen" in r["reason"] and "7 dagen" in r["reason"]
    # Nothing of it reached the new handler.
    changes, _, _ = bram.pull_all()
    assert story["row_id"] not in {c["row_id"] for c in changes}
    [case] = [c for c in changes if c["row_id"] == case_id]
    assert case["fields"]["urgent_eviction"] is False


def test_an_edit_built_on_the_case_after_its_reassignment_is_refused(server: CentralServer, crew: Crew) -> None:
    anna, bram, lead = crew.device(), crew.device(), crew.device("team_lead")
    case_id, _ = open_case(anna)
    _assign(lead, case_id, bram.user_id)  # the case is now at rev 2
    late = change("case", case_id, {"phase": ("aangemeld", "intake")}, base_rev=2, case_id=case_id)
    [r] = anna.push_ok(late)
    assert r["status"] == "refused" and "na de toewijzing" in r["reason"]
    # A row the new handler made after the reassignment was never the former handler's to build on.
    story = new_story(case_id, "Van de nieuwe behandelaar.", bram.user_id)
    bram.push_ok(story)
    [r] = anna.push_ok(change("story_entry", story["row_id"], {"text": ("Van de nieuwe behandelaar.", "Anders.")},
                              base_rev=1, case_id=case_id))
    assert r["status"] == "refused" and "na de toewijzing" in r["reason"]


def test_the_parents_data_closes_to_a_former_handler_unless_another_case_of_the_parent_is_theirs(
        server: CentralServer, crew: Crew) -> None:
    anna, bram, lead = crew.device(), crew.device(), crew.device("team_lead")
    case_id, parent_id = open_case(anna)
    _assign(lead, case_id, bram.user_id)
    backdate_reassignment(server.db_url, case_id, GRACE + dt.timedelta(hours=1))
    surname = change("parent", parent_id, {"achternaam": ("Testouder", "Testouder-Jansen")}, base_rev=1,
                     parent_id=parent_id)
    child = insert("child", new_id(), {"parent_id": parent_id, "achternaam": "Kind"}, parent_id=parent_id)
    results = anna.push_ok(surname, child)
    assert [r["status"] for r in results] == ["refused", "refused"]
    assert all("aan een andere behandelaar toegewezen" in r["reason"] for r in results)
    # A second case of the same parent that is still anna's keeps the parent's data writable for her.
    other = new_id()
    [r] = anna.push_ok(new_case(other, parent_id, anna.user_id))
    assert r["status"] == "refused"  # not even a new case for a parent she lost
    carol, dirk = crew.device(), crew.device()
    first, shared = open_case(carol)
    [r] = carol.push_ok(new_case(other, shared, carol.user_id))
    assert r["status"] in ("applied", "merged"), r
    _assign(lead, first, dirk.user_id)
    backdate_reassignment(server.db_url, first, GRACE + dt.timedelta(hours=1))
    [r] = carol.push_ok(change("parent", shared, {"city": ("Teststad", "Nieuwstad")}, base_rev=1,
                               parent_id=shared))
    assert r["status"] == "applied", r


def test_a_reviewer_gets_nothing_of_the_case_after_the_letter_is_issued(server: CentralServer, crew: Crew) -> None:
    anna, rita = crew.device(), crew.device("reviewer")
    case_id, parent_id = open_case(anna)
    letter = _submitted(anna, case_id)
    changes, revoked, _ = rita.pull_all()
    assert {case_id, parent_id, letter["row_id"]} <= {c["row_id"] for c in changes} and revoked == []
    [r] = rita.push_ok(_letter_change(letter, 2, status=("in_review", "approved"),
                                      reviewer_id=(None, rita.user_id)))
    assert r["status"] == "applied"
    _, _, cursor = rita.pull_all()
    [r] = anna.push_ok(issue_change(letter))
    assert r["status"] == "applied"
    # After the issue: the case, the parent and a new letter change, none of which the reviewer may see.
    anna.push_ok(change("case", case_id, {"urgent_eviction": (False, True)}, base_rev=1, case_id=case_id),
                 change("parent", parent_id, {"city": ("Teststad", "Nieuwstad")}, base_rev=1, parent_id=parent_id))
    second = _submitted(anna, case_id)  # a new letter of the case in review: that opens the case again
    changes, revoked, _ = rita.pull_all(cursor)
    assert revoked == [case_id]
    mine = [c for c in changes if c["entity"] not in ("user", "team")]
    assert {c["row_id"] for c in mine} == {second["row_id"], case_id, parent_id}
    assert all(c["snapshot"] for c in mine)  # only the new grant's snapshots, no event of the old review
    assert letter["row_id"] not in {c["row_id"] for c in mine}


def test_after_the_issue_the_reviewer_is_revoked_and_cannot_write(server: CentralServer, crew: Crew) -> None:
    anna, rita = crew.device(), crew.device("reviewer")
    case_id, parent_id = open_case(anna)
    letter = _submitted(anna, case_id)
    rita.push_ok(_letter_change(letter, 2, status=("in_review", "approved"), reviewer_id=(None, rita.user_id)))
    _, _, cursor = rita.pull_all()
    anna.push_ok(issue_change(letter))
    anna.push_ok(change("case", case_id, {"urgent_eviction": (False, True)}, base_rev=1, case_id=case_id))
    changes, revoked, _ = rita.pull_all(cursor)
    assert revoked == [case_id]
    assert not {case_id, parent_id, letter["row_id"]} & {c["row_id"] for c in changes}
    [r] = rita.push_ok(_letter_change(letter, 4, review_comment=("", "Toch nog een opmerking.")))
    assert r["status"] == "refused" and "verzonden" in r["reason"]
    # A reviewer enrolling now gets nothing of the case as it is now, and its row lists hold none of it.
    fresh = DeviceSession(server, rita.enrollment["username"])
    try:
        changes, revoked, _ = fresh.pull_all()
        assert case_id in revoked  # the review's history arrives and is purged with the case
        ours = [c for c in changes if c["row_id"] in (case_id, parent_id, letter["row_id"])]
        assert not [c for c in ours if c["snapshot"] or c["fields"].get("status") == "issued"]
        assert not [c for c in ours if c["fields"].get("urgent_eviction")]
        for entity, row_id in (("letter", letter["row_id"]), ("case", case_id), ("parent", parent_id)):
            revs = fresh.http.get(f"/v1/sync/rows/{entity}").json()["revs"]
            assert row_id not in revs
    finally:
        fresh.close()
