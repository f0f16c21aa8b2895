"""ORM model for letters; an issued letter is immutable (checked in the core and by the store)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import Base, CaseScope, Syncable, UTCDateTime


class Letter(Syncable, Base):
    __tablename__ = "letter"
    __entity__ = "letter"
    __case_scope__ = CaseScope(case="case_id")

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    template_id: Mapped[str] = mapped_column(String(100))
    template_version: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(40))
    field_values: Mapped[dict[str, Any]] = mapped_column(JSON(), default=dict)
    policy_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    author_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    reviewer_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    review_comment: Mapped[str] = mapped_column(Text(), default="")
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary(), nullable=True, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    issued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    corrects_letter_id: Mapped[str | None] = mapped_column(ForeignKey("letter.id"), nullable=True)
    # Every policy version the letter's dates and amounts came from (the last approval's, then the issue's).
    policy_versions: Mapped[list[str] | None] = mapped_column(JSON(), nullable=True)
    # The facts a beschikking was computed from, so issuing can compute it again for the issue date.
    facts: Mapped[dict[str, Any] | None] = mapped_column(JSON(), nullable=True)
    # The dagtekening: the issue date (a draft has none; its preview shows today's date).
    dated_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
    # The child a kindregeling beschikking is about (the child is the belanghebbende).
    child_id: Mapped[str | None] = mapped_column(ForeignKey("child.id"), nullable=True)
    # Story entries the letter tells (gespreksverslag, "Wat is er gebeurd?"), in the order chosen.
    story_entry_ids: Mapped[list[str] | None] = mapped_column(JSON(), nullable=True)
