"""ORM model for audit events (append-only; the hash chain makes edits detectable)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import Base, UTCDateTime


class AuditEvent(Base):
    """One event in the chain.

    Attributes:
        seq: position in the chain, 1-based and gapless.
        prev_hash: `hash` of the event before (64 zeros for the first).
        hash: SHA-256 over prev_hash and this event's canonical fields.
    """

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    verb: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36), default="")
    case_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    result: Mapped[str] = mapped_column(String(20), default="ok")
    detail: Mapped[str] = mapped_column(String(1000), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
