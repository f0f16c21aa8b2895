"""Recording every change to a syncable row in the outbox, in the change's own transaction."""

from __future__ import annotations

import base64
import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from workbench.store.schema import Syncable
from workbench.sync.models import OutboxEntry


def jsonable(value: Any) -> Any:
    """A JSON-safe form of a column value (dates as ISO text, bytes as base64)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    return value


def data_columns(obj: Syncable) -> list[str]:
    """The columns of a row that carry data (bookkeeping columns excluded)."""
    return [c.key for c in inspect(type(obj)).column_attrs if c.key not in Syncable.BOOKKEEPING]


def changed_fields(obj: Syncable, *, is_new: bool) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for a new or modified row."""
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


def record(session: Session, obj: Syncable, *, op: str, fields: dict[str, list[Any]], now: dt.datetime) -> None:
    """Add the outbox row for one change; the caller's transaction commits both or neither."""
    session.add(
        OutboxEntry(
            change_id=str(uuid.uuid4()), entity=obj.__entity__, row_id=obj.id, op=op,
            base_rev=obj.rev or 0, fields=fields, created_at=now,
        )
    )
