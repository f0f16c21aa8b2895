"""Unit of work: one session per user action; every write gets its outbox row and audit event."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from workbench.audit import chain
from workbench.audit.anchor import AnchorKeeper
from workbench.changes import Changes
from workbench.clock import Clock
from workbench.errors import BugError, NotAllowed, StoreUnavailable, UserError
from workbench.store import case_guard, integrity
from workbench.store.schema import AppendOnly, Syncable
from workbench.sync import outbox


@dataclass(frozen=True)
class Actor:
    """Who acts: the user and the device they work on."""

    user_id: str
    device_id: str


@dataclass
class UnitOfWork:
    """One user action's session, actor and clock; services receive it and never commit.

    Attributes:
        changes: what this unit of work touched so far (grows as it flushes).
    """

    session: Session
    actor: Actor
    clock: Clock
    changes: Changes = field(default_factory=Changes)

    def audit(self, entry: chain.AuditEntry) -> None:
        chain.append(self.session, clock=self.clock, user_id=self.actor.user_id,
                     device_id=self.actor.device_id, entry=entry)

    def touched(self, entity: str, case_id: str | None = None) -> None:
        cases = frozenset({case_id}) if case_id else frozenset()
        self.changes = self.changes | Changes(frozenset({entity}), cases)


def _apply_defaults(obj: Syncable) -> None:
    """Fill Python-side column defaults now, so the outbox sees the values the row will hold."""
    for col in inspect(type(obj)).columns:
        key = col.key
        if getattr(obj, key, None) is not None or col.default is None:
            continue
        default: Any = col.default
        if default.is_scalar:
            setattr(obj, key, default.arg)
        elif default.is_callable:
            setattr(obj, key, default.arg({}))


def _case_of(obj: Syncable) -> str | None:
    if obj.__entity__ == "case":
        return obj.id
    return getattr(obj, "case_id", None)


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    uow: UnitOfWork | None = session.info.get("uow")
    if uow is None:
        return
    now = uow.clock.now()
    if session.info.get("remote"):
        _remote_flush(session, uow, now)
        return
    # An import keeps the bookkeeping its rows had on the device they came from (dossier.importer).
    preserve = bool(session.info.get("preserve_bookkeeping"))
    for obj in list(session.deleted):
        if isinstance(obj, Syncable):
            raise BugError(f"hard delete of a {obj.__entity__} row; use a tombstone (deleted_at)")
    if not preserve:
        case_guard.check(session, uow.actor.user_id,
                         [o for o in list(session.new) + list(session.dirty) if isinstance(o, Syncable)])
    for obj in list(session.new):
        if not isinstance(obj, Syncable):
            continue
        _apply_defaults(obj)
        if not preserve or obj.updated_at is None:
            obj.updated_at = now
        if not preserve or not obj.updated_by:
            obj.updated_by = uow.actor.user_id
        fields = outbox.changed_fields(obj, is_new=True)
        outbox.record(session, obj, op="insert", fields=fields, now=now)
        uow.audit(chain.AuditEntry("create", obj.__entity__, obj.id, _case_of(obj)))
        uow.touched(obj.__entity__, _case_of(obj))
    for obj in list(session.dirty):
        if not isinstance(obj, Syncable) or not session.is_modified(obj, include_collections=False):
            continue
        fields = outbox.changed_fields(obj, is_new=False)
        if not fields:
            continue
        if isinstance(obj, AppendOnly) and not set(fields) <= obj.MUTABLE_FIELDS:
            raise NotAllowed("Dit gegeven kan na vastleggen niet meer worden gewijzigd.")
        obj.updated_at, obj.updated_by = now, uow.actor.user_id
        verb = "delete" if "deleted_at" in fields and fields["deleted_at"][1] is not None else "update"
        outbox.record(session, obj, op="update", fields=fields, now=now)
        uow.audit(chain.AuditEntry(verb, obj.__entity__, obj.id, _case_of(obj), detail=",".join(sorted(fields))))
        uow.touched(obj.__entity__, _case_of(obj))


def _remote_flush(session: Session, uow: UnitOfWork, now: Any) -> None:
    """Rows written by sync came from central: no outbox row (they are not our changes), no per-row audit.

    Hard deletes are allowed only while purging a case that was reassigned away (``session.info["purge"]``).
    """
    if not session.info.get("purge"):
        for obj in list(session.deleted):
            if isinstance(obj, Syncable):
                raise BugError(f"hard delete of a {obj.__entity__} row outside a purge")
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Syncable):
            _apply_defaults(obj)
            obj.updated_at = now if obj in session.dirty else (obj.updated_at or now)
            obj.updated_by = obj.updated_by or uow.actor.user_id
            uow.touched(obj.__entity__, _case_of(obj))


def translate_db_error(exc: DBAPIError, *, damaged: Callable[[], bool] | None = None) -> Exception:
    """Damage, a full disk or a locked file are the user's environment, not our bug: say so in Dutch.

    ``damaged`` checks the store's pages; it decides for errors that may be damage or the disk (SQLCipher
    reports a page that fails its HMAC as a disk I/O error and then refuses writes as read-only, and a
    garbled page can run SQLite out of memory).
    """
    text = str(exc.orig).lower()
    if "full" in text:
        return UserError("De schijf is vol: maak ruimte vrij. Er is niets half opgeslagen.")
    if any(word in text for word in integrity.DAMAGE_WORDS):
        return integrity.damaged()
    if "locked" in text or "busy" in text:
        return UserError("De gegevensopslag is in gebruik door een ander programma. Probeer het zo opnieuw.")
    # After a page failed its HMAC, SQLCipher also refuses writes as "readonly": check the pages first.
    if any(word in text for word in ("readonly", "i/o", "out of memory")) and damaged is not None and damaged():
        return integrity.damaged()
    if "readonly" in text:
        return StoreUnavailable("De gegevensopslag kan niet worden beschreven (alleen-lezen).")
    if "i/o" in text or "out of memory" in text:
        return StoreUnavailable("De gegevensopslag kan niet worden gelezen of beschreven: de schijf geeft een fout.")
    return exc


def damage_error(exc: DBAPIError | MemoryError, engine: Engine) -> BaseException:
    """What to raise for a driver error (or the driver's MemoryError) on this store: damage is named as such."""
    if isinstance(exc, MemoryError):
        return integrity.damaged() if integrity.is_damaged(engine) else exc
    return translate_db_error(exc, damaged=lambda: integrity.is_damaged(engine))


def _rollback(session: Session) -> None:
    """Roll back; on a damaged store the rollback itself may fail, and must not hide the first error."""
    try:
        session.rollback()
    except Exception:  # the error being handled is the one to report
        with contextlib.suppress(Exception):
            session.close()


class Store:
    """The open store: engine plus the session factory whose sessions record outbox and audit.

    Attributes:
        anchor: keeps the chain tip outside the store (workbench.audit.anchor); None for bare test stores.
    """

    def __init__(self, engine: Engine, clock: Clock, anchor: AnchorKeeper | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self.anchor = anchor
        self._factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
        event.listen(self._factory, "before_flush", _before_flush)
        event.listen(self._factory, "after_soft_rollback", lambda s, _t: chain.forget_tip(s))
        event.listen(self._factory, "after_commit", chain.note_commit)

    @contextmanager
    def unit_of_work(self, actor: Actor) -> Iterator[UnitOfWork]:
        """Run one user action; commits on success, rolls back everything on any error."""
        with self._factory() as session:
            uow = UnitOfWork(session=session, actor=actor, clock=self.clock)
            session.info["uow"] = uow
            try:
                yield uow
                session.commit()
            except (DBAPIError, MemoryError) as exc:
                # The driver answers some garbled pages with SQLITE_NOMEM; only damage found on disk says so.
                _rollback(session)
                raise damage_error(exc, self.engine) from None
            except BaseException:
                _rollback(session)
                raise
            tip = chain.committed_tip(session)
        if tip is not None and self.anchor is not None:
            # Anchored outside the store after the commit, in the background (see AnchorKeeper).
            self.anchor.note(*tip)

    def close(self) -> None:
        if self.anchor is not None:
            self.anchor.close()
        self.engine.dispose()
