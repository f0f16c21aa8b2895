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
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import BindParameter, Select, Table, bindparam, insert, select
from sqlalchemy.orm import Session

from central.accounts import Principal
from central.anchors import FLAGGED
from central.database import Database
from central.errors import OTHER_DEVICE, ApiError
from central.models import DeviceAnchor, TrailEvent
from workbench.audit.digest import GENESIS, fields_hash
from workbench.sync.protocol import TRAIL_GAP
from workbench.sync.trail_protocol import TrailBatch, TrailHeld

log = logging.getLogger(__name__)

# A Core insert on the table: the ORM's bulk insert leaves out None values and so splits a batch into runs.
_INSERT_EVENT = insert(cast(Table, TrailEvent.__table__))

OUT_OF_ORDER = ("De gebeurtenissen van het auditlogboek staan niet op volgorde: na gebeurtenis {seq} komt "
                "gebeurtenis {next} (events).")
GAP = ("De centrale heeft van dit apparaat gebeurtenis {held} als laatste; gebeurtenis {first} sluit daar niet op "
       "aan. Synchroniseer opnieuw.")
REWRITTEN = "gebeurtenis {seq} van het auditlogboek is niet meer dezelfde als die de centrale al heeft"
UNLINKED = "gebeurtenis {seq} van het auditlogboek sluit niet aan op de gebeurtenis ervoor"
ALTERED = "gebeurtenis {seq} van het auditlogboek is gewijzigd (de controlewaarde klopt niet)"
NOT_ANCHORED = "gebeurtenis {seq} van het auditlogboek is niet die van het controlepunt dat de centrale kent"


@dataclass(frozen=True)
class _Held:
    """What central holds of a device's chain, read in one select.

    Attributes:
        seq, hash: the last event central holds: (0, GENESIS) before any.
        anchor: the anchored tip (seq, hash) of central.anchors, None before the device's first claim.
        flag_reason: why the device is flagged, None when it is not.
    """

    seq: int
    hash: str
    anchor: tuple[int, str] | None
    flag_reason: str | None


def _held_statement() -> Select[Any]:
    device: BindParameter[str] = bindparam("device_id")
    last = select(TrailEvent.seq).where(TrailEvent.device_id == device).order_by(TrailEvent.seq.desc()).limit(1)
    mine = DeviceAnchor.device_id == device
    return select(
        last.scalar_subquery(),
        last.with_only_columns(TrailEvent.hash).scalar_subquery(),
        select(DeviceAnchor.seq).where(mine).scalar_subquery(),
        select(DeviceAnchor.hash).where(mine).scalar_subquery(),
        select(DeviceAnchor.flag_reason).where(mine, DeviceAnchor.flagged_at.is_not(None)).scalar_subquery(),
    )


# Built once: every upload asks it, and building this select cost more than running it.
_HELD = _held_statement()


def _held(session: Session, device_id: str) -> _Held:
    seq, hash_, anchor_seq, anchor_hash, flag_reason = session.connection().execute(
        _HELD, {"device_id": device_id}).one()
    return _Held(seq=int(seq) if seq is not None else 0, hash=str(hash_) if seq is not None else GENESIS,
                 anchor=(int(anchor_seq), str(anchor_hash)) if anchor_seq is not None else None,
                 flag_reason=flag_reason)


def _refuse_flagged(held: _Held) -> None:
    """As central.anchors.refuse_flagged, from what `_held` read."""
    if held.flag_reason is not None:
        raise ApiError(409, FLAGGED.format(reason=held.flag_reason))


def held(db: Database, user: Principal) -> TrailHeld:
    """How far central holds the asking device's chain; a flagged device is refused with its reason."""
    with db.read() as session:
        now_held = _held(session, user.device_id)
    _refuse_flagged(now_held)
    return TrailHeld(seq=now_held.seq)


def _in_order(batch: TrailBatch) -> None:
    for before, after in zip(batch.events, batch.events[1:], strict=False):
        if after.seq != before.seq + 1:
            raise ApiError(422, OUT_OF_ORDER.format(seq=before.seq, next=after.seq))


def _break(session: Session, device_id: str, batch: TrailBatch, held: _Held) -> str | None:
    """Why the batch does not extend the chain central holds (Dutch), or None."""
    held_seq, held_hash = held.seq, held.hash
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
    if held.anchor is not None:
        anchor_seq, anchor_hash = held.anchor
        in_batch = held_seq < anchor_seq <= batch.events[-1].seq
        if in_batch and batch.events[anchor_seq - batch.events[0].seq].hash != anchor_hash:
            return NOT_ANCHORED.format(seq=anchor_seq)
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
        now_held = _held(session, device_id)
        _refuse_flagged(now_held)
        held_seq, held_hash = now_held.seq, now_held.hash
        first, last = batch.events[0].seq, batch.events[-1].seq
        if first > held_seq + 1:
            raise ApiError(409, GAP.format(held=held_seq, first=first), code=TRAIL_GAP)
        refusal = _break(session, device_id, batch, now_held)
        if refusal is None:
            fresh = [ev for ev in batch.events if ev.seq > held_seq]
            if fresh:  # one executemany: the table's insert keeps every column, None too, so the rows batch
                session.execute(_INSERT_EVENT, [{
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
