"""ORM models for cases, their phase history and parallel tracks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import AppendOnly, Base, CaseScope, Syncable


class Case(Syncable, Base):
    __tablename__ = "case_file"
    __entity__ = "case"
    __case_scope__ = CaseScope(case="id", parent="parent_id")

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    # Numbers this case was known by before central renumbered it (space-separated); search finds them.
    former_references: Mapped[str] = mapped_column(String(200), default="", server_default="")
    parent_id: Mapped[str] = mapped_column(ForeignKey("parent.id"), index=True)
    handler_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"), nullable=True)
    phase: Mapped[str] = mapped_column(String(40))
    phase_since: Mapped[dt.date] = mapped_column(Date())
    urgent_eviction: Mapped[bool] = mapped_column(default=False)
    urgent_energy: Mapped[bool] = mapped_column(default=False)
    urgent_garnishment: Mapped[bool] = mapped_column(default=False)
    opened_on: Mapped[dt.date] = mapped_column(Date())
    closed_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
    decision_due_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
    objection_due_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)

    # ix_case_file_figures covers the team figures' pass over the cases (local migration 0017).
    __table_args__ = (Index("ix_case_file_phase", "phase"),
                      Index("ix_case_file_figures", "handler_id", "deleted_at", "phase", "closed_on", "urgent_eviction",
                            "urgent_energy", "urgent_garnishment", "decision_due_on", "objection_due_on",
                            "phase_since"))


class PhaseChange(AppendOnly, Syncable, Base):
    __tablename__ = "phase_change"
    __entity__ = "phase_change"
    __case_scope__ = CaseScope(case="case_id")

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    from_phase: Mapped[str | None] = mapped_column(String(40), nullable=True)
    to_phase: Mapped[str] = mapped_column(String(40))
    on_date: Mapped[dt.date] = mapped_column(Date())
    reason: Mapped[str] = mapped_column(String(500), default="")


class CaseTrack(Syncable, Base):
    """A parallel track (brede ondersteuning, schulden, kindregeling ...) running beside the phase."""

    __tablename__ = "case_track"
    __entity__ = "case_track"
    __case_scope__ = CaseScope(case="case_id")

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    track: Mapped[str] = mapped_column(String(40))
    started_on: Mapped[dt.date] = mapped_column(Date())
    ended_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)


class CaseNumberBlock(Base):
    """A block of case numbers central reserved for this device (workbench.cases.numbering); not synced.

    Attributes:
        first, last: the numbers of the block (NNNNNN of UHT-JJJJ-NNNNNN), both included.
        next: the next number to hand out; past `last` when the block is used up.
    """

    __tablename__ = "case_number_block"

    first: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer())
    next: Mapped[int] = mapped_column(Integer())
