"""ORM model for story entries (append-mostly)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import AppendOnly, Base, CaseScope, Syncable, UTCDateTime


class StoryEntry(AppendOnly, Syncable, Base):
    __tablename__ = "story_entry"
    __entity__ = "story_entry"
    __case_scope__ = CaseScope(case="case_id")
    # Confirming an account with the parent is the one change an entry may get after it was written.
    # Sending it to the parent for confirmation is recorded too; silence never counts as agreement.
    MUTABLE_FIELDS = frozenset({"confirmed_by_parent", "confirmed_on", "sent_for_confirmation_on",
                                "confirmation_letter_id"})

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(200), default="")
    present: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text())
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    confirmed_by_parent: Mapped[bool] = mapped_column(default=False)
    confirmed_on: Mapped[dt.date | None] = mapped_column(nullable=True)
    sent_for_confirmation_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
    confirmation_letter_id: Mapped[str | None] = mapped_column(String(36), nullable=True)

    __table_args__ = (Index("ix_story_entry_case_time", "case_id", "occurred_at"),
                      # Covering: the newest contact of a case without reading the story rows (caseload figures).
                      Index("ix_story_entry_contact", "case_id", "occurred_at", "kind", "deleted_at"))
