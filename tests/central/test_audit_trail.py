"""Central takes a device's audit trail only when it extends the chain it holds; a break or a rewrite is refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import update

from central.database import Database
from central.models import TrailEvent
from tests.central.wire import new_parent
from tests.helpers.central import CentralServer, Crew, DeviceSession
from workbench.audit.digest import GENESIS, EventFields, fields_hash

START = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)


def chain(device: DeviceSession, n: int, *, case_id: str | None = None, start: int = 1,
          prev: str = GENESIS) -> list[dict[str, Any]]:
    """`n` events of the device's chain from sequence `start`, hashed as a device hashes them."""
    out = []
    for seq in range(start, start + n):
        fields = EventFields(seq, str(uuid.uuid4()), (START + dt.timedelta(minutes=seq)).isoformat(
            timespec="microseconds"), device.user_id, device.device_id, "view" if seq % 2 else "update", "case",
            case_id or "", case_id, "ok", "")
        digest = fields_hash(prev, fields)
        out.append({**dataclasses.asdict(fields), "prev_hash": prev, "hash": digest})
        prev = digest
    return out


def rehash(events: list[dict[str, Any]], prev: str) -> list[dict[str, Any]]:
    out = []
    for ev in events:
        fields = EventFields(**{k: v for k, v in ev.items() if k not in ("prev_hash", "hash")})
        digest = fields_hash(prev, fields)
        out.append({**ev, "prev_hash": prev, "hash": digest})
        prev = digest
    return out


def send(device: DeviceSession, events: list[dict[str, Any]], device_id: str | None = None) -> Any:
    return device.http.post("/v1/sync/audit", json={"device_id": device_id or device.device_id, "events": events})


def held(device: DeviceSession) -> int:
    answer = device.http.get("/v1/sync/audit")
    assert answer.status_code == 200, answer.text
    return int(answer.json()["seq"])


def test_a_chain_is_taken_in_batches_and_a_replay_changes_nothing(crew: Crew) -> None:
    device = crew.device()
    events = chain(device, 30)
    assert held(device) == 0
    assert send(device, events[:10]).json() == {"seq": 10}
    assert send(device, events[:10]).json() == {"seq": 10}  # the answer was cut: sent again, taken once
    assert send(device, events[5:20]).json() == {"seq": 20}  # overlapping: the new part is taken
    assert send(device, events[20:]).json() == {"seq": 30}
    assert held(device) == 30


def test_a_batch_after_a_gap_is_refused_without_flagging(crew: Crew) -> None:
    device = crew.device()
    events = chain(device, 10)
    send(device, events[:3])
    answer = send(device, events[5:])
    assert answer.status_code == 409
    assert "gebeurtenis 3 als laatste" in answer.json()["detail"] and answer.json()["code"] == "trail_gap"
    assert send(device, events[3:]).json() == {"seq": 10}


@pytest.mark.parametrize("tamper", ["edit_new", "rewrite_held", "replay_differs", "unlinked"])
def test_a_break_or_a_rewrite_is_refused_in_dutch_and_the_device_is_flagged(crew: Crew, tamper: str) -> None:
    device = crew.device()
    events = chain(device, 12)
    assert send(device, events[:6]).status_code == 200
    rest = events[6:]
    if tamper == "edit_new":  # an event changed after it was hashed
        rest[2] = {**rest[2], "detail": "weggepoetst"}
        expected = "gebeurtenis 9 van het auditlogboek is gewijzigd"
    elif tamper == "rewrite_held":  # event 4 (central holds it) rewritten and everything after rehashed
        rewritten = rehash([{**events[3], "detail": "anders"}, *events[4:]], events[2]["hash"])
        rest = rewritten[3:]
        expected = "gebeurtenis 6 van het auditlogboek is niet meer dezelfde"
    elif tamper == "replay_differs":  # a held event sent again with another hash
        rest = rehash([{**events[4], "verb": "delete"}, *events[5:]], events[3]["hash"])
        expected = "gebeurtenis 5 van het auditlogboek is niet meer dezelfde"
    else:  # event 8 hashed onto another predecessor than event 7
        rest = [events[6], *rehash(events[7:], "1" * 64)]
        expected = "gebeurtenis 8 van het auditlogboek sluit niet aan"
    answer = send(device, rest)
    assert answer.status_code == 409, answer.text
    detail = answer.json()["detail"]
    assert expected in detail and "gemarkeerd" in detail
    assert device.http.get("/v1/sync/audit").status_code == 409  # flagged: nothing more is taken
    assert send(device, events[6:]).status_code == 409
    pushed = device.push(new_parent())
    assert pushed.status_code == 409 and "gemarkeerd" in pushed.json()["detail"]


def test_events_disagreeing_with_the_anchored_tip_are_refused(crew: Crew) -> None:
    device = crew.device()
    events = chain(device, 8)
    claim = {"device_id": device.device_id, "seq": 8, "hash": events[7]["hash"], "counter": 1, "base_seq": 0,
             "base_hash": GENESIS}
    assert device.http.post("/v1/sync/anchor", json=claim).status_code == 200
    other = chain(device, 8)  # a different chain with the same length: every link holds, but not the anchor
    answer = send(device, other)
    assert answer.status_code == 409
    assert "gebeurtenis 8 van het auditlogboek is niet die van het controlepunt" in answer.json()["detail"]


def test_malformed_or_foreign_batches_get_a_dutch_4xx(crew: Crew) -> None:
    device, other = crew.device(), crew.device()
    events = chain(device, 3)
    assert send(device, events, device_id=other.device_id).status_code == 403
    assert send(device, [events[0], events[2]]).status_code == 422
    bad_moments = [{**events[0], "at": "2026-11-29T10:00:00+01:00"}, {**events[0], "at": "gisteren"},
                   {**events[0], "detail": "a\x00b"}, {**events[0], "hash": "x" * 64}, {**events[0], "seq": 0},
                   {**events[0], "entity_id": "e" * 201}]
    for bad in bad_moments:
        answer = send(device, [bad])
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"].startswith("Ongeldig verzoek")
    assert device.http.post("/v1/sync/audit", json={"device_id": device.device_id, "events": []}).status_code == 422
    assert held(device) == 0


def test_central_audit_verify_finds_a_row_tampered_in_its_database(server: CentralServer, crew: Crew) -> None:
    device = crew.device()
    case_id = str(uuid.uuid4())
    assert send(device, chain(device, 5, case_id=case_id)).status_code == 200
    done = server.cli("audit", "verify")
    assert "in orde" in done.stdout and device.device_id in done.stdout
    db = Database(server.db_url)
    try:
        with db.write() as session:
            session.execute(update(TrailEvent).where(TrailEvent.device_id == device.device_id,
                                                     TrailEvent.seq == 3).values(verb="create"))
    finally:
        db.dispose()
    broken = server.cli("audit", "verify", check=False)
    assert broken.returncode == 1
    assert f"GEBROKEN: apparaat {device.device_id}" in broken.stdout and "gebeurtenis 3 is gewijzigd" in broken.stdout
    assert "Traceback" not in broken.stderr
