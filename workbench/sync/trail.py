"""After the data push: send the audit events central does not hold yet, oldest first, in batches (append-only).

The store keeps central's last answer (how far it holds this device's chain); the device sends the events
after that without asking first, and central checks each batch extends what it holds (central.audit_trail).
Nothing to send is no request. The run is resumable and idempotent: a cut connection loses at most one
batch's answer, and the next run sends again from the older answer (events central already took are compared
with what it holds and taken again without change; an edited one is refused). When central holds less than
the device remembers (central put back from a backup), it refuses the batch as starting after a gap; only then
the device asks where central stands and sends from there. The kept answer also lets the device say offline
how much of its trail has not reached central yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.audit import chain
from workbench.audit.models import AuditEvent
from workbench.errors import UserError
from workbench.store.hooks import Origin
from workbench.sync import state
from workbench.sync.protocol import TRAIL_GAP
from workbench.sync.trail_protocol import MAX_TRAIL_BATCH, TrailBatch, TrailEvent
from workbench.sync.transport import CentralRefused

if TYPE_CHECKING:
    from workbench.sync.engine import SyncEngine

UNSENDABLE = ("Gebeurtenis {seq} van het auditlogboek kan niet naar de centrale: het veld {field} past niet in "
              "het berichtformaat. Uw wijzigingen gaan wel mee. Meld dit bij functioneel beheer.")
SENT = "audit_sent"  # the last sequence central said it holds
# Events sent in one sync at most (20 full batches): a long trail (an old profile's first sync) goes over
# several syncs, so a sync stays quick; the device report says how much is still waiting.
MAX_PER_RUN = 20 * MAX_TRAIL_BATCH


def sent(session: Session) -> int:
    """The last event central acknowledged (0 before the first upload)."""
    return int(state.get(session, SENT) or 0)


def pending(session: Session) -> int:
    """How many audit events on this device central does not hold yet (as far as the device knows)."""
    tip, _ = chain.tip(session)
    return max(0, tip - sent(session))


class TrailUnsendable(UserError):
    """An event of this device's chain does not fit the wire format; the trail cannot go past it."""


def wire_event(ev: AuditEvent) -> TrailEvent:
    f = chain.event_fields(ev)
    try:
        return TrailEvent(seq=f.seq, id=f.id, at=f.at, user_id=f.user_id, device_id=f.device_id, verb=f.verb,
                          entity=f.entity, entity_id=f.entity_id, case_id=f.case_id, result=f.result,
                          detail=f.detail, prev_hash=ev.prev_hash, hash=ev.hash)
    except ValidationError as exc:
        where = ".".join(str(part) for part in exc.errors()[0]["loc"]) if exc.errors() else "?"
        raise TrailUnsendable(UNSENDABLE.format(seq=ev.seq, field=where), field="auditlogboek") from None


def events_after(session: Session, held: int, limit: int) -> tuple[list[TrailEvent], TrailUnsendable | None]:
    """The events after ``held`` as they travel, oldest first, at most ``limit``; they stop before the first one
    that does not fit the wire format, returned as the problem (None when there is none)."""
    events: list[TrailEvent] = []
    for ev in session.scalars(select(AuditEvent).where(AuditEvent.seq > held).order_by(AuditEvent.seq).limit(limit)):
        try:
            events.append(wire_event(ev))
        except TrailUnsendable as exc:
            return events, exc
    return events, None


def upload(engine: SyncEngine, *, kept: str | None, limit: int = MAX_PER_RUN) -> tuple[int, int]:
    """Send the events after the one central holds, as it last answered (`kept`: the stored SENT value, read by
    the caller in its own transaction; None when central never answered: then it is asked), at most `limit`.

    Returns (central's last held sequence, events sent). Raises CentralRefused with central's Dutch reason
    when the chain does not extend what central holds (it flags the device), CentralUnreachable when cut.
    """
    known = int(kept) if kept is not None else None
    held = known if known is not None else engine.transport.trail_held().seq
    count = 0
    asked = False
    while True:
        size = min(engine.trail_batch, limit - count)
        events: list[TrailEvent] = []
        stuck: TrailUnsendable | None = None
        if size > 0:
            with engine.store.unit_of_work(engine.actor) as uow:
                events, stuck = events_after(uow.session, held, size)  # the events before a stuck one still go
        moved = False
        if events:
            try:
                answer = engine.transport.send_trail(TrailBatch(device_id=engine.actor.device_id, events=events))
            except CentralRefused as exc:
                if asked or not _gap(exc):
                    raise
                asked, held = True, engine.transport.trail_held().seq  # central holds less than it said
                continue
            engine.on_batch("trail")
            moved, held = answer.seq > held, answer.seq
            count += len(events) if moved else 0
        if held != known:
            remember(engine, held)
            known = held
        if stuck is not None:
            raise stuck
        if not moved or len(events) < size:
            return held, count


def _gap(exc: CentralRefused) -> bool:
    """Central holds less of the chain than the batch assumed (a central of an earlier version says it in words)."""
    return exc.status == 409 and (exc.code == TRAIL_GAP or "Synchroniseer opnieuw" in exc.message)


def remember(engine: SyncEngine, held: int) -> None:
    """Keep central's answer: the last event it holds of this device's chain."""
    with engine.store.unit_of_work(engine.actor, Origin.SYNC) as uow:
        state.put(uow.session, SENT, str(held))
