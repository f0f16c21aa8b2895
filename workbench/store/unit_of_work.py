"""Unit of work: one session per user action, opened for an explicit origin; hooks record what it writes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from sqlalchemy import Engine, event, inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from workbench.changes import Changes
from workbench.clock import Clock
from workbench.errors import BugError, NotAllowed, StoreUnavailable, UserError
from workbench.store import integrity
from workbench.store.case_scope import pending_rows, row_scope
from workbench.store.hooks import Hook, Origin, Write
from workbench.store.schema import AppendOnly, Syncable, jsonable

H = TypeVar("H", bound=Hook)


@dataclass(frozen=True)
class Actor:
    """Who acts: the user and the device they work on."""

    user_id: str
    device_id: str


@dataclass
class UnitOfWork:
    """One user action's session, actor and clock; services receive it and never commit.

    Attributes:
        origin: who the writes are for (see Origin); fixed when the unit of work is opened, except for
            `importing`.
        hooks: the store's hooks (outbox, audit, guards), in the order they run.
        changes: what this unit of work touched so far (grows as it flushes).
    """

    session: Session
    actor: Actor
    clock: Clock
    origin: Origin = Origin.LOCAL
    hooks: Sequence[Hook] = ()
    changes: Changes = field(default_factory=Changes)

    def audit(self, entry: object) -> None:
        """Record an event the action states itself (a view, an export) with the hook that keeps the log."""
        if not any(hook.noted(self, entry) for hook in self.hooks):
            raise BugError(f"no hook of this store records {type(entry).__name__}")

    def touched(self, entity: str, case_id: str | None = None) -> None:
        cases = frozenset({case_id}) if case_id else frozenset()
        self.changes = self.changes | Changes(frozenset({entity}), cases)

    @contextmanager
    def importing(self) -> Iterator[None]:
        """Write a dossier's rows into this LOCAL unit of work as an IMPORT (the window's import runs in the
        unit of work its task opened); the origin is LOCAL again afterwards, whatever happened. In a unit of
        work opened for an import this changes nothing."""
        if self.origin is Origin.IMPORT:
            yield
            return
        if self.origin is not Origin.LOCAL:
            raise BugError(f"an import runs in a local unit of work, not a {self.origin.value} one")
        self.origin = Origin.IMPORT
        try:
            yield
        finally:
            self.origin = Origin.LOCAL


def _apply_defaults(obj: Syncable) -> None:
    """Fill Python-side column defaults now, so the hooks see the values the row will hold."""
    for col in inspect(type(obj)).columns:
        key = col.key
        if getattr(obj, key, None) is not None or col.default is None:
            continue
        default: Any = col.default
        if default.is_scalar:
            setattr(obj, key, default.arg)
        elif default.is_callable:
            setattr(obj, key, default.arg({}))


def data_columns(obj: Syncable) -> list[str]:
    """The columns of a row that carry data (bookkeeping columns excluded)."""
    return [c.key for c in inspect(type(obj)).column_attrs if c.key not in Syncable.BOOKKEEPING]


def changed_fields(obj: Syncable, *, is_new: bool) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` (JSON form) for a new or modified row; bookkeeping columns left out."""
    state = inspect(obj)
    out: dict[str, list[Any]] = {}
    for key in data_columns(obj):
        if is_new:
            out[key] = [None, jsonable(getattr(obj, key))]
            continue
        hist = state.attrs[key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                out[key] = [jsonable(old), jsonable(new)]
    return out


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    uow: UnitOfWork | None = session.info.get("uow")
    if uow is None:
        return
    now = uow.clock.now()
    if not uow.origin.records:
        _remote_flush(session, uow, now)
        return
    # An import keeps the bookkeeping its rows had on the device they came from (dossier.importer).
    preserve = uow.origin is Origin.IMPORT
    for obj in list(session.deleted):
        if isinstance(obj, Syncable):
            raise BugError(f"hard delete of a {obj.__entity__} row; use a tombstone (deleted_at)")
    if not preserve:
        rows = [o for o in list(session.new) + list(session.dirty) if isinstance(o, Syncable)]
        for hook in uow.hooks:
            hook.check(uow, rows)
    pending = pending_rows(session)
    for obj in list(session.new):
        if not isinstance(obj, Syncable):
            continue
        _apply_defaults(obj)
        if not preserve or obj.updated_at is None:
            obj.updated_at = now
        if not preserve or not obj.updated_by:
            obj.updated_by = uow.actor.user_id
        _written(uow, Write(obj, "create", changed_fields(obj, is_new=True),
                               row_scope(session, obj, pending).case_id, now))
    for obj in list(session.dirty):
        if not isinstance(obj, Syncable) or not session.is_modified(obj, include_collections=False):
            continue
        fields = changed_fields(obj, is_new=False)
        if not fields:
            continue
        if isinstance(obj, AppendOnly) and not set(fields) <= obj.MUTABLE_FIELDS:
            raise NotAllowed("Dit gegeven kan na vastleggen niet meer worden gewijzigd.")
        obj.updated_at, obj.updated_by = now, uow.actor.user_id
        verb: Literal["update", "delete"] = (
            "delete" if "deleted_at" in fields and fields["deleted_at"][1] is not None else "update")
        _written(uow, Write(obj, verb, fields, row_scope(session, obj, pending).case_id, now))


def _written(uow: UnitOfWork, write: Write) -> None:
    for hook in uow.hooks:
        hook.written(uow, write)
    uow.touched(write.row.__entity__, write.case_id)


def _remote_flush(session: Session, uow: UnitOfWork, now: Any) -> None:
    """Rows written by sync came from central: no hook sees them (they are not our changes).

    Hard deletes are allowed only in a unit of work opened for a purge (Origin.PURGE).
    """
    if uow.origin is not Origin.PURGE:
        for obj in list(session.deleted):
            if isinstance(obj, Syncable):
                raise BugError(f"hard delete of a {obj.__entity__} row outside a purge")
    pending = pending_rows(session)
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Syncable):
            _apply_defaults(obj)
            obj.updated_at = now if obj in session.dirty else (obj.updated_at or now)
            obj.updated_by = obj.updated_by or uow.actor.user_id
            uow.touched(obj.__entity__, row_scope(session, obj, pending).case_id)


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
    """The open store: engine, clock and the session factory whose units of work run the hooks.

    Attributes:
        hooks: what other packages plug in (workbench.bookkeeping wires the outbox, the audit chain and the
            holder guard); a store without hooks records nothing and refuses `UnitOfWork.audit`.
    """

    def __init__(self, engine: Engine, clock: Clock, *, hooks: Sequence[Hook]) -> None:
        self.engine = engine
        self.clock = clock
        self.hooks = tuple(hooks)
        self._factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
        event.listen(self._factory, "before_flush", _before_flush)
        for hook in self.hooks:
            event.listen(self._factory, "after_soft_rollback", lambda s, _t, h=hook: h.rolled_back(s))
            event.listen(self._factory, "after_commit", hook.committed)

    def hook(self, kind: type[H]) -> H | None:
        """The plugged-in hook of this kind, if any (the audit package finds its anchor keeper this way)."""
        return next((h for h in self.hooks if isinstance(h, kind)), None)

    @contextmanager
    def unit_of_work(self, actor: Actor, origin: Origin = Origin.LOCAL) -> Iterator[UnitOfWork]:
        """Run one action for `origin`; commits on success, rolls back everything on any error."""
        with self._factory() as session:
            uow = UnitOfWork(session=session, actor=actor, clock=self.clock, origin=origin, hooks=self.hooks)
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
        for hook in self.hooks:
            hook.finished(session)  # closed, its info kept: what the hooks noted at commit is still there

    def close(self) -> None:
        for hook in self.hooks:
            hook.close()
        self.engine.dispose()
