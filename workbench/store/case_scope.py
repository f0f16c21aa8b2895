"""Which case (and which parent) a row belongs to, read from the case scope its model declares.

This is the one answer: the audit trail, the holder guard and sync's scope for central all ask here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from workbench.store.schema import CaseScope, Syncable


@dataclass(frozen=True)
class RowScope:
    """The case and the parent a row belongs to (either may be None)."""

    case_id: str | None = None
    parent_id: str | None = None


Fetch = Callable[[type[Syncable], str], Syncable | None]


def declared(model: type[Syncable]) -> CaseScope:
    """The case scope a model declares; a model that declares none is a bug."""
    scope: CaseScope | None = model.__dict__.get("__case_scope__")
    if scope is None:
        raise TypeError(f"{model.__name__} declares no __case_scope__")
    return scope


def _value(row: Syncable, column: str | None) -> str | None:
    value = getattr(row, column, None) if column else None
    return str(value) if value else None


def scope_of(row: Syncable, fetch: Fetch) -> RowScope:
    """The row's scope; `fetch` finds the row a `via` declaration points at (None when it is unknown)."""
    scope = declared(type(row))
    if scope.via is not None:
        column, model = scope.via
        key = _value(row, column)
        target = fetch(model, key) if key else None
        return scope_of(target, fetch) if target is not None else RowScope()
    return RowScope(case_id=_value(row, scope.case), parent_id=_value(row, scope.parent))


def via_key(row: Syncable) -> tuple[type[Syncable], str] | None:
    """The model and id of the row this one reaches its case through, if its model declares `via`."""
    scope = declared(type(row))
    if scope.via is None:
        return None
    column, model = scope.via
    key = _value(row, column)
    return (model, key) if key else None


def pending_rows(session: Session) -> dict[tuple[type[Syncable], str], Syncable]:
    """Rows added to the session but not yet flushed (a `via` target may be one of them)."""
    return {(type(o), o.id): o for o in session.new if isinstance(o, Syncable) and o.id}


def row_scope(session: Session, row: Syncable,
              pending: Mapping[tuple[type[Syncable], str], Syncable] | None = None) -> RowScope:
    """The row's scope, looking up `via` rows in the session (and in `pending`, rows not yet flushed)."""
    def fetch(model: type[Syncable], key: str) -> Syncable | None:
        if pending is not None and (model, key) in pending:
            return pending[(model, key)]
        with session.no_autoflush:
            return session.get(model, key)

    return scope_of(row, fetch)


def preloaded(rows: Iterable[Syncable]) -> Fetch:
    """A fetch over rows already loaded (sync loads a batch's `via` rows in one query)."""
    index = {(type(r), r.id): r for r in rows}
    return lambda model, key: index.get((model, key))
