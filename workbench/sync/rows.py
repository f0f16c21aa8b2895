"""Syncable rows by entity name: their classes, their scope for central, and JSON values back to Python."""

from __future__ import annotations

import base64
import datetime as dt
import enum
from collections.abc import Callable
from functools import cache
from typing import Any, cast

from sqlalchemy import JSON, Boolean, Date, Enum, Integer, LargeBinary, String, Table, inspect
from sqlalchemy.orm import Session

from workbench import models
from workbench.store.case_scope import RowScope, row_scope
from workbench.store.schema import Syncable, UTCDateTime
from workbench.sync.fields import FieldRule
from workbench.sync.outbox import data_columns, jsonable
from workbench.sync.protocol import CENTRAL_OWNED, Scope


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


def _identity(value: Any) -> Any:
    return value


def _binary(value: Any) -> Any:
    return base64.b64decode(value["$b64"]) if isinstance(value, dict) else value


def converter(cls: type[Syncable], key: str) -> Callable[[Any], Any]:
    """How to turn a JSON value of this column back into its Python value (looked up once per column)."""
    return _converter(cls.__entity__, key)


@cache
def _converter(entity: str, key: str) -> Callable[[Any], Any]:
    kind = inspect(entity_class(entity)).columns[key].type
    if isinstance(kind, UTCDateTime):
        return dt.datetime.fromisoformat
    if isinstance(kind, Date):
        return dt.date.fromisoformat
    if isinstance(kind, Enum) and kind.enum_class is not None and issubclass(kind.enum_class, enum.Enum):
        return kind.enum_class
    if isinstance(kind, LargeBinary):
        return _binary
    return _identity


def to_python(cls: type[Syncable], key: str, value: Any) -> Any:
    """The column value for a JSON value as `outbox.jsonable` wrote it."""
    return None if value is None else converter(cls, key)(value)


def known_fields(cls: type[Syncable]) -> frozenset[str]:
    """Data fields plus the tombstone: what a server change may set on a row."""
    return _known_fields(cls.__entity__)


@cache
def _known_fields(entity: str) -> frozenset[str]:
    cls = entity_class(entity)
    return frozenset(c.key for c in inspect(cls).column_attrs if c.key not in Syncable.BOOKKEEPING)


def row_data(obj: Syncable) -> dict[str, Any]:
    """Every data field of a row in JSON form."""
    return {key: jsonable(getattr(obj, key)) for key in data_columns(obj)}


def scope_of(session: Session, obj: Syncable) -> Scope:
    """The case (or parent) a row belongs to, so central can decide who sees it (its model's case scope)."""
    return wire_scope(row_scope(session, obj))


def wire_scope(scope: RowScope) -> Scope:
    """A row's case scope as the protocol sends it."""
    return Scope(case_id=scope.case_id, parent_id=scope.parent_id)


def derive_field_rules() -> dict[str, dict[str, FieldRule]]:
    """The wire value table of `workbench.sync.values`, read from the ORM models (a test keeps both equal)."""
    tables = {cast(Table, inspect(cls).local_table).name: entity for entity, cls in entity_classes().items()}
    out: dict[str, dict[str, FieldRule]] = {}
    for entity, cls in sorted(entity_classes().items()):
        if entity in CENTRAL_OWNED:
            continue
        rules: dict[str, FieldRule] = {}
        for col in inspect(cls).columns:
            if col.key in Syncable.BOOKKEEPING:
                continue
            kind, length, target = _rule_kind(col.type), None, None
            targets = [tables[fk.column.table.name] for fk in col.foreign_keys]
            if col.primary_key:
                kind = "id"
            elif targets:
                kind, target = "ref", targets[0]
            elif kind == "text" and isinstance(col.type, String):
                length = col.type.length
            rules[col.key] = FieldRule(kind, col.nullable is True and not col.primary_key, length, target)
        out[entity] = rules
    return out


def _rule_kind(kind: Any) -> str:
    for sql_type, name in ((UTCDateTime, "timestamp"), (Date, "date"), (Boolean, "bool"), (Integer, "int"),
                           (JSON, "json"), (LargeBinary, "binary")):
        if isinstance(kind, sql_type):
            return name
    return "text"
