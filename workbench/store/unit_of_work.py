"""Unit of work: one session per user action; every write gets its outbox row and audit event."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from workbench.audit import chain
from workbench.changes import Changes
from workbench.clock import Clock
from workbench.errors import BugError, NotAllowed
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
            setattr(obj, key, default.arg({}))  # type: ignore[operator]


def _case_of(obj: Syncable) -> str | None:
    if obj.__entity__ == "case":
        return obj.id
    return getattr(obj, "case_id", None)


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    uow: UnitOfWork | None = session.info.get("uow")
    if uow is None:
        return
    now = uow.clock.now()
    for obj in list(session.deleted):
        if isinstance(obj, Syncable):
            raise BugError(f"hard delete of a {obj.__entity__} row; use a tombstone (deleted_at)")
    for obj in list(session.new):
        if not isinstance(obj, Syncable):
            continue
        _apply_defaults(obj)
        obj.updated_at, obj.updated_by = now, uow.actor.user_id
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
        if isinstance(obj, AppendOnly):
            if not set(fields) <= obj.MUTABLE_FIELDS:
                raise NotAllowed("Dit gegeven kan na vastleggen niet meer worden gewijzigd.")
        obj.updated_at, obj.updated_by = now, uow.actor.user_id
        verb = "delete" if "deleted_at" in fields and fields["deleted_at"][1] is not None else "update"
        outbox.record(session, obj, op="update", fields=fields, now=now)
        uow.audit(chain.AuditEntry(verb, obj.__entity__, obj.id, _case_of(obj), detail=",".join(sorted(fields))))
        uow.touched(obj.__entity__, _case_of(obj))


class Store:
    """The open store: engine plus the session factory whose sessions record outbox and audit."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self._factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
        event.listen(self._factory, "before_flush", _before_flush)
        event.listen(self._factory, "after_soft_rollback", lambda s, _t: chain.forget_tip(s))
        event.listen(self._factory, "after_commit", lambda s: chain.forget_tip(s))

    @contextmanager
    def unit_of_work(self, actor: Actor) -> Iterator[UnitOfWork]:
        """Run one user action; commits on success, rolls back everything on any error."""
        with self._factory() as session:
            uow = UnitOfWork(session=session, actor=actor, clock=self.clock)
            session.info["uow"] = uow
            try:
                yield uow
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()
