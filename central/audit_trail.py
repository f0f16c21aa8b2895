"""Each device's audit trail on central: taken append-only, checked link by link on arrival.

A device sends the events after the last one central holds (workbench.sync.trail). Central takes a batch
only when it extends what it holds: the first new event links to central's last hash, every event's hash
is the device's own over its fields, and the event at the device's anchored tip (central.anchors) has the
anchored hash. Events central already holds may come again (a replay after a cut answer) and change
nothing, as long as they are the same. Anything else is a break or a rewrite: refused (409) with a Dutch
reason, and the device is flagged as for an anchor that does not extend (its pushes are refused too).
A batch that starts after a gap is refused without a flag: the device sends again from what central holds.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from central.accounts import Principal
from central.anchors import FLAGGED, OTHER_DEVICE, refuse_flagged
from central.database import Database
from central.errors import ApiError
from central.models import DeviceAnchor, TrailEvent
from workbench.audit.digest import GENESIS, fields_hash
from workbench.sync.protocol import TRAIL_GAP
from workbench.sync.trail_protocol import TrailBatch, TrailHeld

log = logging.getLogger(__name__)

OUT_OF_ORDER = ("De gebeurtenissen van het auditlogboek staan niet op volgorde: na gebeurtenis {seq} komt "
                "gebeurtenis {next} (events).")
GAP = ("De centrale heeft van dit apparaat gebeurtenis {held} als laatste; gebeurtenis {first} sluit daar niet op "
       "aan. Synchroniseer opnieuw.")
REWRITTEN = "gebeurtenis {seq} van het auditlogboek is niet meer dezelfde als die de centrale al heeft"
UNLINKED = "gebeurtenis {seq} van het auditlogboek sluit niet aan op de gebeurtenis ervoor"
ALTERED = "gebeurtenis {seq} van het auditlogboek is gewijzigd (de controlewaarde klopt niet)"
NOT_ANCHORED = "gebeurtenis {seq} van het auditlogboek is niet die van het controlepunt dat de centrale kent"


def tip(session: Session, device_id: str) -> tuple[int, str]:
    """The last event central holds of the device's chain: (seq, hash), (0, GENESIS) before any."""
    row = session.execute(select(TrailEvent.seq, TrailEvent.hash).where(TrailEvent.device_id == device_id)
                          .order_by(TrailEvent.seq.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row is not None else (0, GENESIS)


def held(db: Database, user: Principal) -> TrailHeld:
    """How far central holds the asking device's chain; a flagged device is refused with its reason."""
    with db.read() as session:
        refuse_flagged(session, user.device_id)
        return TrailHeld(seq=tip(session, user.device_id)[0])


def _in_order(batch: TrailBatch) -> None:
    for before, after in zip(batch.events, batch.events[1:], strict=False):
        if after.seq != before.seq + 1:
            raise ApiError(422, OUT_OF_ORDER.format(seq=before.seq, next=after.seq))


def _break(session: Session, device_id: str, batch: TrailBatch, held_seq: int, held_hash: str) -> str | None:
    """Why the batch does not extend the chain central holds (Dutch), or None."""
    old = [ev for ev in batch.events if ev.seq <= held_seq]
    if old:
        stored = dict(session.execute(select(TrailEvent.seq, TrailEvent.hash).where(
            TrailEvent.device_id == device_id, TrailEvent.seq >= old[0].seq, TrailEvent.seq <= old[-1].seq)).all())
        for ev in old:  # a replay: the same events, their fields included (not only the hash they claim)
            if stored.get(ev.seq) != ev.hash or fields_hash(ev.prev_hash, ev.fields()) != ev.hash:
                return REWRITTEN.format(seq=ev.seq)
    prev = held_hash
    for ev in batch.events:
        if ev.seq <= held_seq:
            continue
        if ev.prev_hash != prev:
            rewritten = ev.seq == held_seq + 1 and held_seq > 0
            return REWRITTEN.format(seq=held_seq) if rewritten else UNLINKED.format(seq=ev.seq)
        if fields_hash(prev, ev.fields()) != ev.hash:
            return ALTERED.format(seq=ev.seq)
        prev = ev.hash
    anchor = session.get(DeviceAnchor, device_id)
    in_batch = anchor is not None and held_seq < anchor.seq <= batch.events[-1].seq
    if anchor is not None and in_batch and batch.events[anchor.seq - batch.events[0].seq].hash != anchor.hash:
        return NOT_ANCHORED.format(seq=anchor.seq)
    return None


def _flag(session: Session, device_id: str, reason: str, held_seq: int, held_hash: str, now: dt.datetime) -> None:
    """Flag the device as central.anchors does (its pushes, claims and uploads are refused from now on)."""
    row = session.get(DeviceAnchor, device_id)
    if row is None:
        row = DeviceAnchor(device_id=device_id, seq=held_seq, hash=held_hash, counter=0, anchored_at=now)
        session.add(row)
    row.flagged_at, row.flag_reason = now, reason[:500]


def receive(db: Database, user: Principal, batch: TrailBatch, now: dt.datetime) -> TrailHeld:
    """Take the batch if it extends the device's chain on central; answers how far central holds it now."""
    if batch.device_id != user.device_id:
        raise ApiError(403, OTHER_DEVICE)
    _in_order(batch)
    device_id = batch.device_id
    with db.write(device_only=device_id) as session:
        refuse_flagged(session, device_id)
        held_seq, held_hash = tip(session, device_id)
        first, last = batch.events[0].seq, batch.events[-1].seq
        if first > held_seq + 1:
            raise ApiError(409, GAP.format(held=held_seq, first=first), code=TRAIL_GAP)
        refusal = _break(session, device_id, batch, held_seq, held_hash)
        if refusal is None:
            fresh = [ev for ev in batch.events if ev.seq > held_seq]
            if fresh:
                session.execute(insert(TrailEvent), [{
                    "device_id": device_id, "seq": ev.seq, "event_id": ev.id, "at": dt.datetime.fromisoformat(ev.at),
                    "user_id": ev.user_id, "event_device_id": ev.device_id, "verb": ev.verb, "entity": ev.entity,
                    "entity_id": ev.entity_id, "case_id": ev.case_id, "result": ev.result, "detail": ev.detail,
                    "prev_hash": ev.prev_hash, "hash": ev.hash, "received_at": now} for ev in fresh])
            return TrailHeld(seq=max(held_seq, last))
        # The flag is committed with this transaction; the refusal is raised after it.
        _flag(session, device_id, refusal, held_seq, held_hash, now)
    log.warning("audit trail refused device=%s user=%s held_seq=%d batch=%d..%d", device_id, user.user_id,
                held_seq, first, last)
    raise ApiError(409, FLAGGED.format(reason=refusal))
