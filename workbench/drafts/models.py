"""ORM model for editor drafts: device-local, encrypted like everything else, never synced."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import Base, UTCDateTime


class EditorDraft(Base):
    """The unsaved content of one editor, for one user: at most one per (user, kind, target).

    Not Syncable: it is the handler's scratch pad on this device, like a home visit draft.

    Attributes:
        kind: which editor ("story_entry", "parent", "letter", "conflict").
        target_id: what the editor is about (the case for a new story entry, the parent, the letter...).
        case_id: the case it belongs to, when there is one (purged with the case).
        content: the editor's fields as plain JSON, exactly as typed.
        saves: how many times it was written (a quick sign in tests and support that saving runs).
    """

    __tablename__ = "editor_draft"
    __table_args__ = (UniqueConstraint("user_id", "kind", "target_id", name="uq_editor_draft_user_kind_target"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[str] = mapped_column(String(80))
    case_id: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    content: Mapped[dict[str, Any]] = mapped_column(JSON(), default=dict)
    saves: Mapped[int] = mapped_column(Integer(), default=0)
