"""Appending to and verifying the SHA-256 hash chain of audit events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.audit.digest import GENESIS, EventFields, fields_hash
from workbench.audit.models import AuditEvent
from workbench.clock import Clock

VERBS = frozenset(
    {"view", "create", "update", "delete", "export", "import", "print", "share", "reveal_bsn",
     "unlock", "lock", "sync", "passwd", "rekey", "search", "purge", "enroll", "resolve", "reassign", "anchor"}
)
_TIP_KEY = "audit_tip"
_COMMITTED_KEY = "audit_tip_committed"


def event_fields(ev: AuditEvent) -> EventFields:
    """The fields an event's hash covers, as they travel to central."""
    return EventFields(ev.seq, ev.id, ev.at.isoformat(timespec="microseconds"), ev.user_id, ev.device_id, ev.verb,
                       ev.entity, ev.entity_id, ev.case_id, ev.result, ev.detail)


def event_hash(prev_hash: str, ev: AuditEvent) -> str:
    """The hash of one event: SHA-256 over the previous hash and the canonical JSON of its fields."""
    return fields_hash(prev_hash, event_fields(ev))


def _tip(session: Session) -> tuple[int, str]:
    tip = session.info.get(_TIP_KEY)
    if tip is None:
        row = session.execute(
            select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        ).first()
        tip = (row[0], row[1]) if row else (0, GENESIS)
    return tip


def forget_tip(session: Session) -> None:
    """Drop the cached chain tip (after a commit or rollback another writer may have moved it)."""
    session.info.pop(_TIP_KEY, None)


def note_commit(session: Session) -> None:
    """After a commit: keep the tip this session appended (for the anchor) and drop the cache."""
    tip = session.info.pop(_TIP_KEY, None)
    if tip is not None:
        session.info[_COMMITTED_KEY] = tip


def committed_tip(session: Session) -> tuple[int, str] | None:
    """The tip this session committed since the last call, or None when it appended nothing."""
    tip: tuple[int, str] | None = session.info.pop(_COMMITTED_KEY, None)
    return tip


def tip(session: Session) -> tuple[int, str]:
    """The chain's last sequence number and hash as the store holds them ((0, GENESIS) when empty)."""
    return _tip(session)


def hash_at(session: Session, seq: int) -> str | None:
    """The stored hash of event `seq` (GENESIS for 0), or None when the store has no such event."""
    if seq == 0:
        return GENESIS
    value: str | None = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))
    return value


@dataclass(frozen=True)
class AuditEntry:
    """What an event says, before it is chained."""

    verb: str
    entity: str
    entity_id: str = ""
    case_id: str | None = None
    result: str = "ok"
    detail: str = ""


def append(session: Session, *, clock: Clock, user_id: str, device_id: str, entry: AuditEntry) -> AuditEvent:
    """Chain one event onto the log inside the caller's transaction."""
    if entry.verb not in VERBS:
        raise ValueError(f"unknown audit verb {entry.verb!r}")
    seq, prev = _tip(session)
    ev = AuditEvent(
        seq=seq + 1, id=str(uuid.uuid4()), at=clock.now(), user_id=user_id, device_id=device_id,
        verb=entry.verb, entity=entry.entity, entity_id=entry.entity_id, case_id=entry.case_id,
        result=entry.result, detail=entry.detail[:1000], prev_hash=prev, hash="",
    )
    ev.hash = event_hash(prev, ev)
    session.add(ev)
    session.info[_TIP_KEY] = (ev.seq, ev.hash)
    return ev


@dataclass(frozen=True)
class ChainReport:
    """Result of `verify`: `ok`, how many events were checked and where the first break is."""

    ok: bool
    checked: int
    broken_at: int | None = None
    problem: str = ""


def verify(session: Session, *, batch: int = 5000) -> ChainReport:
    """Walk the whole chain; an edited, deleted, inserted or reordered event breaks it."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    stmt = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    for ev in session.scalars(stmt):
        if ev.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, f"gebeurtenis {expected_seq} ontbreekt")
        if ev.prev_hash != prev:
            return ChainReport(False, checked, ev.seq, f"gebeurtenis {ev.seq} sluit niet aan op de vorige")
        if event_hash(prev, ev) != ev.hash:
            return ChainReport(False, checked, ev.seq, f"gebeurtenis {ev.seq} is gewijzigd")
        prev = ev.hash
        expected_seq += 1
        checked += 1
    return ChainReport(True, checked)
