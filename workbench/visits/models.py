"""ORM model for visit drafts: device-local, encrypted like everything else, never synced."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import Base, UTCDateTime


class VisitDraft(Base):
    """An unfinished home visit. Not Syncable: a draft is the handler's scratch pad until it is ended.

    Attributes:
        items: agreed actions and commitments, as ``[{"kind": "action"|"commitment", ...}]``.
        saves: how many times it was autosaved (a quick sign in tests and support that autosave runs).
    """

    __tablename__ = "visit_draft"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    author_id: Mapped[str] = mapped_column(String(36))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(String(200), default="")
    present: Mapped[str] = mapped_column(String(500), default="")
    topics: Mapped[list[str]] = mapped_column(JSON(), default=list)
    text: Mapped[str] = mapped_column(Text(), default="")
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON(), default=list)
    saves: Mapped[int] = mapped_column(Integer(), default=0)
