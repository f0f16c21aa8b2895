"""Declarative base with named constraints, annotated column types and the sync bookkeeping mixin."""

from __future__ import annotations

import base64
import datetime as dt
import enum
import uuid
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from sqlalchemy import JSON, Date, Integer, MetaData, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp stored as ISO text, so it sorts and compares correctly."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value: str | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else dt.datetime.fromisoformat(value)


def new_id() -> str:
    """A new row id, made on the device (UUID4 text)."""
    return str(uuid.uuid4())


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


UUID = Annotated[str, mapped_column(String(36))]
UUIDPK = Annotated[str, mapped_column(String(36), primary_key=True, default=new_id)]
Timestamp = Annotated[dt.datetime, mapped_column(UTCDateTime())]
Day = Annotated[dt.date, mapped_column(Date())]
Cents = Annotated[int, mapped_column(Integer())]
ShortText = Annotated[str, mapped_column(String(200))]
LongText = Annotated[str, mapped_column(Text())]
JSONValue = Annotated[Any, mapped_column(JSON())]


class Base(DeclarativeBase):
    """The one metadata of the local store; Alembic compares against it."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime(), dt.date: Date()}


@dataclass(frozen=True)
class CaseScope:
    """How a row finds the case (or the parent) it belongs to; each syncable model declares it once.

    Attributes:
        case: the column holding the case id ("id" on the case itself); None when the row has no case.
        parent: the column holding the parent id ("id" on a parent itself); None when the row has no parent.
        via: for a row that reaches its case through another row: the column holding that row's id and that
            row's model, whose own scope then applies (a commitment's status change belongs to the
            commitment's case).
    """

    case: str | None = None
    parent: str | None = None
    via: tuple[str, type[Syncable]] | None = None


NO_CASE = CaseScope()


class Syncable:
    """Bookkeeping every syncable row carries (DESIGN.md section 2).

    Every model declares ``__case_scope__`` (workbench.store.case_scope reads it).

    Attributes:
        id: UUID made on the device.
        rev: server revision; 0 means never synced.
        updated_at: when the row last changed (UTC).
        updated_by: user id of who changed it last.
        deleted_at: tombstone; set instead of deleting the row.
    """

    __entity__: str = ""
    __case_scope__: ClassVar[CaseScope]

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    rev: Mapped[int] = mapped_column(Integer(), default=0, server_default="0")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(36))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    # Columns that are bookkeeping, not data: never part of a change's field set.
    BOOKKEEPING = frozenset({"rev", "updated_at", "updated_by"})


class AppendOnly:
    """Marker: rows of this kind are never updated after they were written (they never conflict).

    Attributes:
        MUTABLE_FIELDS: the few fields that may still change (none by default).
    """

    MUTABLE_FIELDS: frozenset[str] = frozenset()
