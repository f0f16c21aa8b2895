"""Reassigning cases: the new handler gets a snapshot, the old one a revocation, offline edits survive."""

from __future__ import annotations

from tests.central.wire import change, insert, new_id, new_story, open_case
from tests.helpers.central import CentralServer, Crew, DeviceSession


def _assign(lead: DeviceSession, case_id: str, handler_id: str, reason: str = "Verlof") -> tuple[int, dict]:
    answer = lead.http.post(f"/v1/cases/{case_id}/assign", json={"handler_id": handler_id, "reason": reason})
    return answer.status_code, answer.json()


def test_the_new_handler_gets_the_whole_case_and_the_old_one_a_revocation(server: CentralServer,
                                                                         crew: Crew) -> None:
    anna, bram, lead = crew.device(), crew.device(), crew.device("team_lead")
    case_id, parent_id = open_case(anna)
    story = new_story(case_id, "Eerste gesprek.", anna.user_id)
    child = insert("child", new_id(), {"parent_id": parent_id, "achternaam": "Kind"}, parent_id=parent_id)
    anna.push_ok(story, child)
    _, _, anna_cursor = anna.pull_all()
    _, _, bram_cursor = bram.pull_all()
    _, _, lead_cursor = lead.pull_all()
    status, body = _assign(lead, case_id, bram.user_id)
    assert status == 200
    assert body == {"case_id": case_id, "handler_id": bram.user_id, "team_id": lead.enrollment["team_id"],
                    "rev": 2, "changed": True}
    changes, revoked, _ = bram.pull_all(bram_cursor)
    assert revoked == []
    got = {c["row_id"]: c for c in changes}
    assert set(got) == {case_id, parent_id, story["row_id"], child["row_id"]}
    assert all(c["snapshot"] for c in changes)
    assert got[case_id]["fields"]["handler_id"] == bram.user_id and got[case_id]["rev"] == 2
    changes, revoked, _ = anna.pull_all(anna_cursor)
    assert revoked == [case_id]
    assert [c for c in changes if c["row_id"] == case_id] == []
    # Within the team the lead keeps the case: one ordinary event, no snapshot, no revocation.
    changes, revoked, _ = lead.pull_all(lead_cursor)
    assert revoked == []
    assert [(c["row_id"], c["snapshot"], c["fields"]) for c in changes] == [
        (case_id, False, {"handler_id": bram.user_id, "team_id": lead.enrollment["team_id"]})]


def test_offline_edits_of_the_old_handler_are_accepted_and_reach_the_new_one(server: CentralServer,
                                                                            crew: Crew) -> None:
    anna, bram, lead = crew.device(), crew.device(), crew.device("team_lead")
    case_id, _ = open_case(anna)
    _assign(lead, case_id, bram.user_id)
    _, _, bram_cursor = bram.pull_all()
    late_story = new_story(case_id, "Aan de keukentafel opgeschreven, zonder netwerk.", anna.user_id)
    late_edit = change("case", case_id, {"urgent_eviction": (False, True)}, base_rev=1, case_id=case_id)
    results = anna.push_ok(late_story, late_edit)
    assert [r["status"] for r in results] == ["applied", "merged"]
    changes, _, _ = bram.pull_all(bram_cursor)
    assert {c["origin_change_id"] for c in changes} == {late_story["change_id"], late_edit["change_id"]}
    # A fresh device of the old handler gets no snapshot of the case as it is now, nor the later rows.
    changes, revoked, _ = anna.pull_all()
    assert revoked == [case_id]
    assert not [c for c in changes if c["snapshot"] and c["scope"]["case_id"] == case_id]
    assert late_story["row_id"] not in {c["row_id"] for c in changes}


def test_assignment_is_for_the_team_lead_of_the_cases_team(server: CentralServer, crew: Crew) -> None:
    anna, bram = crew.device(), crew.device()
    lead, other_lead = crew.device("team_lead"), crew.device("team_lead", team="zuid")
    stranger = crew.device(team="zuid")
    reviewer = crew.device("reviewer")
    case_id, _ = open_case(anna)
    assert _assign(bram, case_id, bram.user_id)[0] == 403
    assert _assign(other_lead, case_id, stranger.user_id)[0] == 403
    status, body = _assign(lead, case_id, stranger.user_id)
    assert status == 422 and "team" in body["detail"]
    assert _assign(lead, case_id, reviewer.user_id)[0] == 422
    assert _assign(lead, new_id(), bram.user_id)[0] == 404
    assert _assign(lead, case_id, bram.user_id, reason="")[0] == 422
    status, body = _assign(lead, case_id, anna.user_id)
    assert (status, body["changed"], body["rev"]) == (200, False, 1)


def test_the_cli_moves_a_case_to_another_team(server: CentralServer, crew: Crew) -> None:
    anna = crew.device(team="noord")
    lead_noord = crew.device("team_lead", team="noord")
    zoe = crew.device(team="zuid")
    lead_zuid = crew.device("team_lead", team="zuid")
    case_id, parent_id = open_case(anna)
    cursors = {d.user_id: d.pull_all()[2] for d in (lead_noord, lead_zuid, zoe)}
    answer = server.assign(case_id, zoe.enrollment["username"], reason="Verhuisd naar het zuiden")
    assert answer["team_id"] == zoe.enrollment["team_id"] and answer["changed"] is True
    _, revoked, _ = lead_noord.pull_all(cursors[lead_noord.user_id])
    assert revoked == [case_id]
    for device in (lead_zuid, zoe):
        changes, revoked, _ = device.pull_all(cursors[device.user_id])
        assert revoked == []
        assert {case_id, parent_id} <= {c["row_id"] for c in changes if c["snapshot"]}
    assert server.stats()["cases"] >= 1


def test_the_cli_refuses_unknown_cases_and_users_in_dutch(server: CentralServer, crew: Crew) -> None:
    anna = crew.device()
    case_id, _ = open_case(anna)
    done = server.cli("assign", new_id(), anna.enrollment["username"], "--reason", "x", check=False)
    assert done.returncode == 1 and "geen zaak" in done.stderr and "Traceback" not in done.stderr
    done = server.cli("assign", case_id, f"niemand_{crew.tag}", "--reason", "x", check=False)
    assert done.returncode == 1 and "Onbekende behandelaar" in done.stderr


def test_revoke_then_regrant_arrive_in_that_order(server: CentralServer, crew: Crew) -> None:
    anna, bram, lead = crew.device(), crew.device(), crew.device("team_lead")
    case_id, _ = open_case(anna)
    _, _, cursor = anna.pull_all()
    _assign(lead, case_id, bram.user_id)
    _assign(lead, case_id, anna.user_id, reason="Terug van verlof")
    first = anna.pull(cursor)
    assert first["revoked"] == [case_id]
    assert [c for c in first["changes"] if c["row_id"] == case_id] == []
    assert first["more"] is True
    changes, revoked, _ = anna.pull_all(first["next_cursor"])
    assert revoked == []
    [case] = [c for c in changes if c["row_id"] == case_id]
    assert case["snapshot"] is True and case["fields"]["handler_id"] == anna.user_id and case["rev"] == 3
