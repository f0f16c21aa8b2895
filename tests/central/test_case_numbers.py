"""Final case numbers on central: blocks per device, kept on a retry, topped up once, and one case per number."""

from __future__ import annotations

from typing import Any

from tests.central.wire import change, insert, new_id, new_parent
from tests.helpers.central import CentralServer, Crew, DeviceSession
from workbench.sync.protocol import MAX_CASE_NUMBER


def _case(device: DeviceSession, reference: str) -> tuple[str, dict[str, Any]]:
    """Push a new case with this number; returns its id and central's answer (the number central kept)."""
    case_id, parent_id = new_id(), new_id()
    results = device.push_ok(new_parent(parent_id), insert("case", case_id, {
        "reference": reference, "parent_id": parent_id, "handler_id": device.user_id,
        "team_id": device.enrollment["team_id"], "phase": "aangemeld", "opened_on": "2026-11-30",
        "deleted_at": None}, case_id=case_id, parent_id=parent_id))
    assert results[0]["status"] == "applied", results
    return case_id, results[1]


def _blocks(device: DeviceSession) -> list[tuple[int, int]]:
    return [(b["first"], b["last"]) for b in device.enrollment["number_blocks"]]


def _top_up(device: DeviceSession, known: list[int], left: int) -> list[tuple[int, int]]:
    answer = device.http.post("/v1/sync/numbers", json={"device_id": device.device_id, "known": known,
                                                        "left": left})
    assert answer.status_code == 200, answer.text
    return [(b["first"], b["last"]) for b in answer.json()["blocks"]]


def test_each_device_gets_its_own_block_and_a_retried_enroll_gets_the_same(server: CentralServer,
                                                                            crew: Crew) -> None:
    one, two = crew.device(), crew.device()
    [(first, last)] = _blocks(one)
    [(other_first, other_last)] = _blocks(two)
    assert last - first + 1 == 100 and (last < other_first or other_last < first)
    again = DeviceSession(server, one.enrollment["username"], device_id=one.device_id)
    try:
        assert _blocks(again) == [(first, last)]
    finally:
        again.close()


def test_a_lost_top_up_answer_is_given_again_and_no_device_drains_the_numbers(crew: Crew) -> None:
    device = crew.device()
    [(first, last)] = _blocks(device)
    assert _top_up(device, [first], left=0) == []  # central has seen no case from this block: nothing new
    _case(device, f"UHT-2026-{first:06d}")
    assert _top_up(device, [first], left=60) == []  # more than half a block left: nothing new
    [fresh] = _top_up(device, [first], left=10)
    assert fresh[0] > last
    assert _top_up(device, [first], left=10) == [fresh]  # the answer was lost: the same block, not another
    # The device now holds a block central has seen no case from: claiming to be out gets it nothing more.
    assert _top_up(device, [first, fresh[0]], left=0) == []


def test_a_number_from_the_own_block_is_kept_exactly(crew: Crew) -> None:
    device = crew.device()
    [(first, _last)] = _blocks(device)
    reference = f"UHT-2026-{first:06d}"
    _case_id, answer = _case(device, reference)
    assert answer["status"] == "applied", answer


def test_a_taken_or_foreign_or_malformed_number_is_replaced_and_kept_as_former(crew: Crew) -> None:
    one, two = crew.device(), crew.device()
    [(first, _)] = _blocks(one)
    [(theirs, _)] = _blocks(two)
    taken = f"UHT-2026-{first:06d}"
    _case(one, taken)
    fresh: set[str] = set()
    for sent in (taken, f"UHT-2026-{theirs:06d}", "UHT-2026-000002/3F2A", "zaak 7"):
        _case_id, answer = _case(one if sent != taken else two, sent)
        assert answer["status"] == "merged", answer
        number = answer["row"]["reference"]
        assert number != sent and number.startswith("UHT-2026-") and len(number) == 15
        assert answer["row"]["former_references"] == sent
        fresh.add(number)
    assert len(fresh) == 4
    # Another device cannot take a number reserved for this one: it is still free for its owner.
    _case_id, answer = _case(two, f"UHT-2026-{theirs:06d}")
    assert answer["status"] == "applied", answer


def test_a_case_number_cannot_be_changed_afterwards(crew: Crew) -> None:
    device = crew.device()
    [(first, _)] = _blocks(device)
    case_id, answer = _case(device, f"UHT-2026-{first + 1:06d}")
    for field, value in (("reference", f"UHT-2026-{first + 2:06d}"), ("former_references", "UHT-2020-000001")):
        [result] = device.push_ok(change("case", case_id, {field: (None, value)}, base_rev=answer["rev"],
                                         case_id=case_id))
        assert result["status"] == "refused"
        assert "zaaknummer ligt vast" in result["reason"]


def test_a_top_up_for_another_device_or_out_of_range_is_refused(crew: Crew) -> None:
    device = crew.device()
    answer = device.http.post("/v1/sync/numbers", json={"device_id": new_id(), "known": [], "left": 0})
    assert answer.status_code == 403 and "ander apparaat" in answer.json()["detail"]
    answer = device.http.post("/v1/sync/numbers", json={"device_id": device.device_id,
                                                        "known": [MAX_CASE_NUMBER + 1], "left": -1})
    assert answer.status_code == 422
