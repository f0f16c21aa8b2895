"""Who may write and see what: tokens, handlers, parents, central-owned rows and team leads."""

from __future__ import annotations

from tests.central.wire import change, insert, new_case, new_id, new_parent, new_story, open_case
from tests.helpers.central import CentralServer, Crew, DeviceSession


def _visible_ids(device: DeviceSession) -> set[str]:
    changes, _, _ = device.pull_all()
    return {c["row_id"] for c in changes}


def test_a_token_acts_only_for_its_own_device(server: CentralServer, crew: Crew) -> None:
    anna, bram = crew.device(), crew.device()
    case_id, _ = open_case(anna)
    edit = change("case", case_id, {"phase": ("aangemeld", "eerste_toets")}, base_rev=1, case_id=case_id)
    answer = bram.push(edit, device_id=anna.device_id)
    assert answer.status_code == 403
    assert "ander apparaat" in answer.json()["detail"]
    answer = anna.push(edit, device_id=new_id())
    assert answer.status_code == 403


def test_a_handler_cannot_write_a_case_that_was_never_theirs(server: CentralServer, crew: Crew) -> None:
    anna, bram = crew.device(), crew.device()
    case_id, _ = open_case(anna)
    for attempt in (change("case", case_id, {"phase": ("aangemeld", "gesloten")}, base_rev=1, case_id=case_id),
                    new_story(case_id, "Niet mijn zaak.", bram.user_id)):
        [r] = bram.push_ok(attempt)
        assert r["status"] == "refused" and r["rev"] == 0
        assert "niet aan u toegewezen" in r["reason"]


def test_a_handler_never_receives_another_teams_case(server: CentralServer, crew: Crew) -> None:
    anna = crew.device(team="noord")
    other = crew.device(team="zuid")
    other_lead = crew.device("team_lead", team="zuid")
    case_id, parent_id = open_case(anna)
    anna.push_ok(new_story(case_id, "Vertrouwelijk.", anna.user_id))
    for device in (other, other_lead):
        seen = _visible_ids(device)
        assert case_id not in seen and parent_id not in seen
        summary = device.http.get("/v1/sync/summary").json()
        assert "case" not in summary["counts"] and "parent" not in summary["counts"]
        fetched = device.http.post("/v1/sync/fetch", json={"entity": "case", "row_ids": [case_id]}).json()
        assert fetched["changes"] == []
        assert device.http.get("/v1/sync/rows/parent").json()["revs"] == {}


def test_a_new_case_must_name_its_creator_as_handler(server: CentralServer, crew: Crew) -> None:
    anna, bram = crew.device(), crew.device()
    case_id, parent_id = new_id(), new_id()
    r = anna.push_ok(new_parent(parent_id), new_case(case_id, parent_id, bram.user_id))
    assert r[0]["status"] == "applied"
    assert r[1]["status"] == "refused" and "aan uzelf" in r[1]["reason"]
    r = anna.push_ok(new_case(case_id, parent_id, anna.user_id, team_id=new_id()))
    assert r[0]["status"] == "refused" and "eigen team" in r[0]["reason"]


def test_a_new_case_is_assigned_to_its_creator_and_their_team(server: CentralServer, crew: Crew) -> None:
    anna = crew.device()
    lead = crew.device("team_lead")
    case_id, parent_id = new_id(), new_id()
    results = anna.push_ok(new_parent(parent_id), new_case(case_id, parent_id, anna.user_id))
    assert results[1]["status"] == "merged"
    assert results[1]["row"]["team_id"] == anna.enrollment["team_id"]
    assert {case_id, parent_id} <= _visible_ids(lead)


def test_parent_rows_follow_the_parents_cases(server: CentralServer, crew: Crew) -> None:
    anna, bram = crew.device(), crew.device()
    _, parent_id = open_case(anna)
    child = insert("child", new_id(), {"parent_id": parent_id, "achternaam": "Testkind"}, parent_id=parent_id)
    assert anna.push_ok(child)[0]["status"] == "applied"
    edit = change("parent", parent_id, {"city": ("Teststad", "Elders")}, base_rev=1, parent_id=parent_id)
    [r] = bram.push_ok(edit)
    assert r["status"] == "refused" and "ouder" in r["reason"]
    [r] = bram.push_ok(insert("ex_partner", new_id(), {"parent_id": parent_id, "achternaam": "X"},
                              parent_id=parent_id))
    assert r["status"] == "refused"
    # Nor can bram open a case for anna's parent to read the parent's data.
    [r] = bram.push_ok(new_case(new_id(), parent_id, bram.user_id))
    assert r["status"] == "refused"
    assert parent_id not in _visible_ids(bram)


def test_a_new_parent_is_writable_by_its_creator_only_until_it_has_a_case(server: CentralServer,
                                                                          crew: Crew) -> None:
    anna, bram = crew.device(), crew.device()
    parent_id = new_id()
    assert anna.push_ok(new_parent(parent_id))[0]["status"] == "applied"
    child = insert("child", new_id(), {"parent_id": parent_id, "achternaam": "Testkind"}, parent_id=parent_id)
    assert anna.push_ok(child)[0]["status"] == "applied"
    edit = change("parent", parent_id, {"city": ("Teststad", "Elders")}, base_rev=1, parent_id=parent_id)
    assert bram.push_ok(edit)[0]["status"] == "refused"
    orphan_child = insert("child", new_id(), {"parent_id": new_id(), "achternaam": "Nieuw"}, parent_id=None)
    [r] = bram.push_ok(orphan_child)
    assert r["status"] == "refused" and "die de centrale niet kent" in r["reason"]  # its parent was never pushed


def test_rows_cannot_be_moved_to_another_case(server: CentralServer, crew: Crew) -> None:
    anna = crew.device()
    case_a, _ = open_case(anna)
    case_b, _ = open_case(anna)
    story = new_story(case_a, "Notitie.", anna.user_id)
    anna.push_ok(story)
    [r] = anna.push_ok(change("story_entry", story["row_id"], {"case_id": (case_a, case_b)}, base_rev=1,
                              case_id=case_b))
    assert r["status"] == "refused" and "verplaatst" in r["reason"]
    [r] = anna.push_ok(insert("need", new_id(), {"case_id": case_a}, case_id=case_b))
    assert r["status"] == "refused"


def test_users_and_teams_pushed_by_a_device_are_ignored(server: CentralServer, crew: Crew) -> None:
    anna = crew.device()
    before = server.stats()
    results = anna.push_ok(
        change("user", anna.user_id, {"role": ("handler", "reviewer")}, base_rev=1),
        insert("team", new_id(), {"name": "Eigen team"}),
    )
    assert [r["status"] for r in results] == ["ignored", "ignored"]
    assert server.stats()["change_log"] == before["change_log"]
    users = [c for c in anna.pull_all()[0] if c["row_id"] == anna.user_id]
    assert users[-1]["fields"]["role"] == "handler"


def test_every_user_sees_all_users_and_teams_without_secrets(server: CentralServer, crew: Crew) -> None:
    noord, zuid = crew.device(team="noord"), crew.device(team="zuid")
    rows = [c for c in noord.pull_all()[0] if c["entity"] in ("user", "team")]
    ids = {c["row_id"] for c in rows}
    assert {noord.user_id, zuid.user_id, zuid.enrollment["team_id"]} <= ids
    for row in rows:
        assert not {"password_hash", "password", "token_sha256"} & set(row["fields"])


def test_a_team_lead_sees_the_team_but_writes_only_own_cases(server: CentralServer, crew: Crew) -> None:
    anna = crew.device()
    lead = crew.device("team_lead")
    case_id, parent_id = open_case(anna)
    story = new_story(case_id, "Gesprek.", anna.user_id)
    anna.push_ok(story)
    assert {case_id, parent_id, story["row_id"]} <= _visible_ids(lead)
    [r] = lead.push_ok(change("case", case_id, {"phase": ("aangemeld", "eerste_toets")}, base_rev=1,
                              case_id=case_id))
    assert r["status"] == "refused" and "niet aan u toegewezen" in r["reason"]
    own_case, _ = open_case(lead)
    [r] = lead.push_ok(new_story(own_case, "Eigen zaak van de teamleider.", lead.user_id))
    assert r["status"] == "applied"


def test_only_the_team_lead_changes_a_cases_handler(server: CentralServer, crew: Crew) -> None:
    anna, bram = crew.device(), crew.device()
    case_id, _ = open_case(anna)
    [r] = anna.push_ok(change("case", case_id, {"handler_id": (anna.user_id, bram.user_id)}, base_rev=1,
                              case_id=case_id))
    assert r["status"] == "refused" and "teamleider" in r["reason"]
