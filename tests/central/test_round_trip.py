"""``POST /v1/sync/round``: an anchor claim, a push batch and the first pull page in one request, each step as
its own endpoint does it; a refused claim refuses the whole request, and a re-claim of the held tip is taken."""

from __future__ import annotations

from typing import Any

import pytest

from tests.central.test_anchor import GENESIS, claim, h, held
from tests.central.wire import new_case, new_id, new_parent
from tests.helpers.central import Crew, DeviceSession

ROUND = "/v1/sync/round"


def round_trip(device: DeviceSession, *changes: dict[str, Any], anchor: dict[str, Any] | None = None,
               pull: dict[str, Any] | None = None) -> Any:
    body: dict[str, Any] = {"protocol": 1, "device_id": device.device_id, "changes": list(changes)}
    if anchor is not None:
        body["anchor"] = {"device_id": device.device_id, **anchor}
    if pull is not None:
        body["pull"] = pull
    return device.http.post(ROUND, json=body)


def tip(seq: int, counter: int, base_seq: int, base_hash: str) -> dict[str, Any]:
    return {"seq": seq, "hash": h(str(seq)), "counter": counter, "base_seq": base_seq, "base_hash": base_hash}


@pytest.fixture
def anchored(crew: Crew) -> DeviceSession:
    device = crew.device()
    assert claim(device, 10, h("10"), 4, 0, GENESIS).status_code == 200
    return device


def test_a_claim_of_the_held_tip_again_is_taken_as_after_a_lost_answer(anchored: DeviceSession) -> None:
    assert claim(anchored, 25, h("25"), 9, 10, h("10")).status_code == 200
    again = claim(anchored, 25, h("25"), 9, 10, h("10"))  # the first answer never reached the device
    assert again.status_code == 200, again.text
    assert again.json() == {"seq": 25, "counter": 9} == held(anchored)
    # Only the very same tip: another hash at the held sequence is not taken (asked again, then rewritten).
    other = claim(anchored, 25, h("25-other"), 9, 10, h("10"))
    assert other.status_code == 409 and other.json()["code"] == "anchor_moved"
    rewritten = claim(anchored, 25, h("25-other"), 9, 25, h("25-other"))
    assert rewritten.status_code == 409 and "gemarkeerd" in rewritten.json()["detail"]


def test_one_request_claims_pushes_and_brings_the_page_after_the_push(anchored: DeviceSession) -> None:
    cursor = anchored.pull()["next_cursor"]
    parent = new_parent()
    case = new_case(new_id(), parent["row_id"], anchored.user_id)
    answer = round_trip(anchored, parent, case, anchor=tip(12, 5, 10, h("10")),
                        pull={"cursor": cursor, "limit": 1000, "summary": "always"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["anchor"] == {"seq": 12, "counter": 5} == held(anchored)
    assert [r["status"] for r in body["results"]] == ["applied", "merged"]  # central numbers the case
    page = body["page"]
    assert {c["entity"] for c in page["changes"]} == {"parent", "case"}
    assert case["change_id"] in {c["origin_change_id"] for c in page["changes"]}
    assert page["more"] is False and (page["summary"]["counts"]["case"], page["summary"]["counts"]["parent"]) == (1, 1)
    assert page == anchored.pull(cursor) | {"summary": page["summary"]}


def test_a_round_without_changes_and_without_a_page_is_only_the_claim(anchored: DeviceSession) -> None:
    answer = round_trip(anchored, anchor=tip(11, 4, 10, h("10")))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"protocol": 1, "anchor": {"seq": 11, "counter": 4}, "results": [], "page": None}


def test_a_refused_claim_refuses_the_whole_round_and_applies_nothing(anchored: DeviceSession) -> None:
    before = anchored.pull()["next_cursor"]
    alone = anchored.http.post("/v1/sync/anchor", json={"device_id": anchored.device_id, **tip(6, 5, 10, GENESIS)})
    refused = round_trip(anchored, new_parent(), anchor=tip(6, 5, 10, GENESIS), pull={"cursor": 0, "limit": 10})
    assert (refused.status_code, refused.json()) == (alone.status_code, alone.json())
    assert "gemarkeerd" in refused.json()["detail"]
    assert anchored.pull()["next_cursor"] == before


def test_a_flagged_devices_round_without_a_claim_is_refused_by_its_push(anchored: DeviceSession) -> None:
    """The push leaves the flag check to the claim only when the round carries one (central.push ``unflagged``)."""
    assert "gemarkeerd" in round_trip(anchored, anchor=tip(6, 5, 10, GENESIS)).json()["detail"]  # flags it
    before = anchored.pull()["next_cursor"]
    refused = round_trip(anchored, new_parent())
    assert refused.status_code == 409 and "gemarkeerd" in refused.json()["detail"], refused.text
    assert anchored.pull()["next_cursor"] == before


def test_a_moved_anchor_says_so_with_its_code_and_applies_nothing(anchored: DeviceSession) -> None:
    before = anchored.pull()["next_cursor"]
    moved = round_trip(anchored, new_parent(), anchor=tip(12, 5, 3, h("3")))
    assert moved.status_code == 409 and moved.json()["code"] == "anchor_moved"
    assert anchored.pull()["next_cursor"] == before
    assert held(anchored) == {"seq": 10, "counter": 4}


def test_a_replayed_round_answers_the_first_results_and_changes_nothing(anchored: DeviceSession) -> None:
    parent = new_parent()
    first = round_trip(anchored, parent, anchor=tip(12, 5, 10, h("10")))
    cursor = anchored.pull()["next_cursor"]
    again = round_trip(anchored, parent, anchor=tip(12, 5, 10, h("10")), pull={"cursor": 0, "limit": 1000})
    assert again.status_code == 200, again.text
    assert again.json()["results"] == first.json()["results"]
    assert again.json()["page"]["next_cursor"] == cursor == anchored.pull()["next_cursor"]


def test_another_devices_round_is_refused(crew: Crew, anchored: DeviceSession) -> None:
    other = crew.device()
    answer = other.http.post(ROUND, json={"protocol": 1, "device_id": anchored.device_id, "changes": []})
    assert answer.status_code == 403 and "ander apparaat" in answer.json()["detail"]


@pytest.mark.parametrize("pull", [{"cursor": -1, "limit": 10}, {"cursor": 0, "limit": 0},
                                  {"cursor": 0, "limit": 10, "summary": "soms"}])
def test_a_bad_page_question_is_refused_in_dutch(anchored: DeviceSession, pull: dict[str, Any]) -> None:
    answer = round_trip(anchored, new_parent(), pull=pull)
    assert answer.status_code == 422 and answer.json()["detail"].startswith("Ongeldig verzoek bij body.pull")
