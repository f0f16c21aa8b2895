"""ORM models for the outbox of pending changes, the sync state and open conflicts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import Base, UTCDateTime


class OutboxEntry(Base):
    """One local change waiting to be pushed; written in the same transaction as the change.

    Attributes:
        fields: ``{field: [old, new]}`` in JSON-safe form.
    """

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(36), unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(10))
    base_rev: Mapped[int] = mapped_column(Integer())
    fields: Mapped[dict[str, Any]] = mapped_column(JSON())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SyncState(Base):
    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Conflict(Base):
    """The same field changed on both sides; kept until a person chooses."""

    __tablename__ = "conflict"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    local_value: Mapped[Any] = mapped_column(JSON(), nullable=True)
    server_value: Mapped[Any] = mapped_column(JSON(), nullable=True)
    server_rev: Mapped[int] = mapped_column(Integer())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Set when central refused the change (not allowed); then server_value is None.
    reason: Mapped[str | None] = mapped_column(Text(), nullable=True)


class QuarantinedRow(Base):
    """A row version from central this device could not adopt; kept whole until a version that fits arrives.

    Attributes:
        rev: central's revision of the version that did not fit.
        fields: the server change exactly as it came (JSON values).
        field: the field that did not fit, when known.
        reason: why, in Dutch, naming the field.
    """

    __tablename__ = "quarantined_row"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    rev: Mapped[int] = mapped_column(Integer())
    fields: Mapped[dict[str, Any]] = mapped_column(JSON())
    field: Mapped[str | None] = mapped_column(String(60), nullable=True)
    reason: Mapped[str] = mapped_column(Text())
    # Central's scope of the row, so purging a case reassigned away takes its quarantined rows along.
    case_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    parent_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    quarantined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("entity", "row_id", name="uq_quarantined_row_entity_row"),)


class DeviceStatus(Base):
    """How fresh each device of the team is, as central last reported it (for the team lead's figures).

    Filled by sync from central's device reports; not a synced row of its own.
    """

    __tablename__ = "device_status"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36), index=True)
    device_name: Mapped[str] = mapped_column(String(200), default="")
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    pending_changes: Mapped[int] = mapped_column(Integer(), default=0)
    open_conflicts: Mapped[int] = mapped_column(Integer(), default=0)
    quarantined_rows: Mapped[int] = mapped_column(Integer(), default=0, server_default="0")
    audit_pending: Mapped[int] = mapped_column(Integer(), default=0, server_default="0")
    reported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
