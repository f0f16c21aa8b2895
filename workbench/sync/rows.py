"""Syncable rows by entity name: their classes, their scope for central, and JSON values back to Python."""

from __future__ import annotations

import base64
import datetime as dt
import enum
from functools import cache
from typing import Any

from sqlalchemy import JSON, Date, Enum, LargeBinary, inspect
from sqlalchemy.orm import Session

from workbench import models
from workbench.store.schema import Syncable, UTCDateTime
from workbench.sync.outbox import data_columns, jsonable
from workbench.sync.protocol import PARENT_SCOPED, Scope


@cache
def entity_classes() -> dict[str, type[Syncable]]:
    """Every syncable ORM class by its entity name (``"case"``, ``"story_entry"`` ...)."""
    out: dict[str, type[Syncable]] = {}
    for mapper in models.Base.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, Syncable) and cls.__entity__:
            out[cls.__entity__] = cls
    return out


def entity_class(entity: str) -> type[Syncable]:
    try:
        return entity_classes()[entity]
    except KeyError:
        raise ValueError(f"unknown entity {entity!r}") from None


def to_python(cls: type[Syncable], key: str, value: Any) -> Any:
    """The column value for a JSON value as `outbox.jsonable` wrote it."""
    if value is None:
        return None
    column = inspect(cls).columns[key]
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, Enum) and kind.enum_class is not None and issubclass(kind.enum_class, enum.Enum):
        return kind.enum_class(value)
    if isinstance(kind, LargeBinary) and isinstance(value, dict):
        return base64.b64decode(value["$b64"])
    if isinstance(kind, JSON):
        return value
    return value


def known_fields(cls: type[Syncable]) -> frozenset[str]:
    """Data fields plus the tombstone: what a server change may set on a row."""
    return frozenset(c.key for c in inspect(cls).column_attrs if c.key not in Syncable.BOOKKEEPING)


def row_data(obj: Syncable) -> dict[str, Any]:
    """Every data field of a row in JSON form."""
    return {key: jsonable(getattr(obj, key)) for key in data_columns(obj)}


def scope_of(session: Session, obj: Syncable) -> Scope:
    """The case (or parent) a row belongs to, so central can decide who sees it."""
    entity = obj.__entity__
    if entity == "case":
        return Scope(case_id=obj.id, parent_id=getattr(obj, "parent_id", None))
    if entity == "parent":
        return Scope(parent_id=obj.id)
    if entity in PARENT_SCOPED:
        return Scope(parent_id=getattr(obj, "parent_id", None))
    if entity == "commitment_status_change":
        commitment = session.get(entity_class("commitment"), getattr(obj, "commitment_id", None))
        return Scope(case_id=getattr(commitment, "case_id", None))
    return Scope(case_id=getattr(obj, "case_id", None))
