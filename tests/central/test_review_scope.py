"""The reviewer's scope: letters of their own team, or of a team in their review pool, and nothing else."""

from __future__ import annotations

import json

from tests.central.wire import change, new_letter, open_case
from tests.helpers.central import CentralServer, Crew, DeviceSession


def _submitted(author: DeviceSession, case_id: str) -> dict:
    letter = new_letter(case_id, author.user_id)
    author.push_ok(letter)
    [r] = author.push_ok(change("letter", letter["row_id"], {"status": ("draft", "in_review")}, base_rev=1,
                                case_id=case_id))
    assert r["status"] == "applied"
    return letter


def _seen(reviewer: DeviceSession) -> set[str]:
    changes, _, _ = reviewer.pull_all()
    return {c["row_id"] for c in changes if c["entity"] not in ("user", "team")}


def _approve(reviewer: DeviceSession, letter: dict) -> dict:
    [r] = reviewer.push_ok(change("letter", letter["row_id"], {"status": ("in_review", "approved"),
                                                               "reviewer_id": (None, reviewer.user_id)},
                                  base_rev=2, case_id=letter["scope"]["case_id"]))
    return r


def test_a_reviewer_sees_and_approves_only_letters_of_their_own_team(server: CentralServer, crew: Crew) -> None:
    north, south = crew.device(team="noord"), crew.device(team="zuid")
    rita = crew.device("reviewer", team="noord")
    north_case, north_parent = open_case(north)
    south_case, south_parent = open_case(south)
    ours, theirs = _submitted(north, north_case), _submitted(south, south_case)

    seen = _seen(rita)
    assert {ours["row_id"], north_case, north_parent} <= seen
    assert not {theirs["row_id"], south_case, south_parent} & seen
    counts = rita.http.get("/v1/sync/summary").json()["counts"]
    assert (counts.get("letter"), counts.get("case"), counts.get("parent")) == (1, 1, 1)
    assert rita.http.get("/v1/sync/rows/letter").json()["revs"] == {ours["row_id"]: 2}
    fetched = rita.http.post("/v1/sync/fetch", json={"entity": "letter", "row_ids": [theirs["row_id"]]}).json()
    assert fetched["changes"] == []

    refused = _approve(rita, theirs)
    assert refused["status"] == "refused" and "beoordelingspool" in refused["reason"]
    assert _approve(rita, ours)["status"] == "applied"


def test_a_review_pool_adds_another_teams_letters(server: CentralServer, crew: Crew) -> None:
    south = crew.device(team="zuid")
    rita = crew.device("reviewer", team="noord")
    reviewer_name = rita.enrollment["username"]
    south_case, _ = open_case(south)
    before = _submitted(south, south_case)
    assert before["row_id"] not in _seen(rita)

    done = server.cli("review-pool", "add", reviewer_name, crew.team("zuid"))
    assert "nu ook" in done.stdout
    listed = json.loads(server.cli("review-pool", "list", reviewer_name).stdout)
    assert listed == [{"reviewer": reviewer_name, "team": crew.team("zuid")}]
    # A letter of the pooled team that goes into review now arrives with the pull ...
    second_case, _ = open_case(south)
    after = _submitted(south, second_case)
    assert after["row_id"] in _seen(rita)
    # ... and one already in review is in the reviewer's view (the after-sync check fetches it).
    assert set(rita.http.get("/v1/sync/rows/letter").json()["revs"]) == {before["row_id"], after["row_id"]}
    assert _approve(rita, before)["status"] == "applied"

    server.cli("review-pool", "remove", reviewer_name, crew.team("zuid"))
    assert json.loads(server.cli("review-pool", "list", reviewer_name).stdout) == []
    third_case, _ = open_case(south)
    later = _submitted(south, third_case)
    assert later["row_id"] not in _seen(rita)
    assert "beoordelingspool" in _approve(rita, later)["reason"]


def test_review_pool_commands_refuse_unknown_names_and_non_reviewers(server: CentralServer, crew: Crew) -> None:
    anna = crew.device(team="noord")
    done = server.cli("review-pool", "add", anna.enrollment["username"], crew.team("noord"), check=False)
    assert done.returncode == 1 and "geen controleur" in done.stderr and "Traceback" not in done.stderr
    rita = crew.device("reviewer", team="noord")
    done = server.cli("review-pool", "add", rita.enrollment["username"], "Team Bestaat Niet", check=False)
    assert done.returncode == 1 and "bestaat niet" in done.stderr
    done = server.cli("review-pool", "add", rita.enrollment["username"], check=False)
    assert done.returncode == 1 and "TEAM" in done.stderr
