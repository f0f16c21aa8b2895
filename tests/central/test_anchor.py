"""Central holds each device's audit-chain tip: a claim that does not extend it is refused and flags the device."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from tests.central.wire import new_parent
from tests.helpers.central import Crew, DeviceSession

GENESIS = "0" * 64


def h(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def claim(device: DeviceSession, seq: int, digest: str, counter: int, base_seq: int, base_hash: str,
          **extra: Any) -> Any:
    body = {"device_id": device.device_id, "seq": seq, "hash": digest, "counter": counter,
            "base_seq": base_seq, "base_hash": base_hash, **extra}
    return device.http.post("/v1/sync/anchor", json=body)


def held(device: DeviceSession) -> dict[str, Any]:
    answer = device.http.get("/v1/sync/anchor")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


@pytest.fixture
def anchored(crew: Crew) -> DeviceSession:
    """A device whose tip central holds at event 10 (hash h('10')), counter 4."""
    device = crew.device()
    assert held(device) == {"seq": 0, "counter": 0}
    first = claim(device, 10, h("10"), 4, 0, GENESIS)
    assert first.status_code == 200, first.text
    assert held(device) == {"seq": 10, "counter": 4}
    return device


def _assert_flagged(device: DeviceSession, answer: Any, needle: str) -> None:
    assert answer.status_code == 409, answer.text
    assert needle in answer.json()["detail"]
    assert "gemarkeerd" in answer.json()["detail"]
    # Flagged: the device's pushes and anchor questions are refused from now on, with the same reason.
    push = device.push(new_parent())
    assert push.status_code == 409 and needle in push.json()["detail"]
    assert device.http.get("/v1/sync/anchor").status_code == 409


def test_a_chain_that_extends_the_held_tip_is_taken(anchored: DeviceSession) -> None:
    answer = claim(anchored, 25, h("25"), 9, 10, h("10"))
    assert answer.status_code == 200, answer.text
    assert held(anchored) == {"seq": 25, "counter": 9}
    # Nothing new since: the same tip again is fine.
    assert claim(anchored, 25, h("25"), 9, 25, h("25")).status_code == 200
    assert anchored.push(new_parent()).status_code == 200


def test_a_rolled_back_chain_is_refused_and_the_device_flagged(anchored: DeviceSession) -> None:
    answer = claim(anchored, 6, h("6"), 5, 10, GENESIS)
    _assert_flagged(anchored, answer, "teruggezet")


def test_a_lower_counter_is_refused(anchored: DeviceSession) -> None:
    answer = claim(anchored, 12, h("12"), 3, 10, h("10"))
    _assert_flagged(anchored, answer, "teller")


def test_a_rewritten_chain_is_refused_even_with_a_higher_counter(anchored: DeviceSession) -> None:
    answer = claim(anchored, 30, h("30"), 50, 10, h("10-rewritten"))
    _assert_flagged(anchored, answer, "herschreven")
    # A later, correct-looking claim does not clear the flag.
    assert claim(anchored, 31, h("31"), 51, 10, h("10")).status_code == 409


def test_a_proof_at_another_sequence_is_asked_again_without_a_flag(anchored: DeviceSession) -> None:
    answer = claim(anchored, 20, h("20"), 6, 7, h("7"))
    assert answer.status_code == 409 and "Synchroniseer opnieuw" in answer.json()["detail"]
    assert answer.json()["code"] == "anchor_moved"  # the device asks (GET) and claims again on this code
    assert claim(anchored, 20, h("20"), 6, 10, h("10")).status_code == 200


def test_a_claim_for_another_device_is_refused(crew: Crew, anchored: DeviceSession) -> None:
    other = crew.device()
    answer = other.http.post("/v1/sync/anchor", json={
        "device_id": anchored.device_id, "seq": 1, "hash": h("1"), "counter": 1, "base_seq": 0,
        "base_hash": GENESIS})
    assert answer.status_code == 403
    assert held(anchored) == {"seq": 10, "counter": 4}


@pytest.mark.parametrize("bad", [{"hash": "XYZ"}, {"seq": -1}, {"seq": 2**70}, {"counter": "veel"},
                                 {"base_hash": h("x").upper()}, {"extra": 1}])
def test_bad_claims_get_a_dutch_422(anchored: DeviceSession, bad: dict[str, Any]) -> None:
    body = {"device_id": anchored.device_id, "seq": 11, "hash": h("11"), "counter": 5, "base_seq": 10,
            "base_hash": h("10"), **bad}
    answer = anchored.http.post("/v1/sync/anchor", json=body)
    assert answer.status_code == 422, answer.text
    assert "Ongeldig verzoek" in answer.json()["detail"]
    assert held(anchored) == {"seq": 10, "counter": 4}


def test_an_administrator_clears_the_flag_after_investigation(server: Any, anchored: DeviceSession) -> None:
    _assert_flagged(anchored, claim(anchored, 3, h("3"), 5, 10, GENESIS), "teruggezet")
    done = server.cli("clear-anchor", anchored.device_id)
    assert "gewist" in done.stdout
    assert held(anchored) == {"seq": 0, "counter": 0}
    assert claim(anchored, 3, h("3"), 5, 0, GENESIS).status_code == 200
    assert anchored.push(new_parent()).status_code == 200
    unknown = server.cli("clear-anchor", "00000000-0000-4000-8000-00000000dead", check=False)
    assert unknown.returncode == 1 and "geen controlepunt" in unknown.stderr
