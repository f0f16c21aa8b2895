"""ORM models for needs, actions, commitments and the commitments' status history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import AppendOnly, Base, CaseScope, Syncable


class Need(Syncable, Base):
    __tablename__ = "need"
    __entity__ = "need"
    __case_scope__ = CaseScope(case="case_id")

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    life_domain: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text())
    status: Mapped[str] = mapped_column(String(20), default="open")


class Action(Syncable, Base):
    __tablename__ = "action"
    __entity__ = "action"
    __case_scope__ = CaseScope(case="case_id")

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"))
    need_id: Mapped[str | None] = mapped_column(ForeignKey("need.id"), nullable=True)
    description: Mapped[str] = mapped_column(Text())
    owner: Mapped[str] = mapped_column(String(20))
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    done_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)

    __table_args__ = (Index("ix_action_case_status_due", "case_id", "status", "due_on"),)


class Commitment(Syncable, Base):
    __tablename__ = "commitment"
    __entity__ = "commitment"
    __case_scope__ = CaseScope(case="case_id")

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"))
    description: Mapped[str] = mapped_column(Text())
    promised_by: Mapped[str] = mapped_column(String(200))
    promised_on: Mapped[dt.date] = mapped_column(Date())
    due_on: Mapped[dt.date] = mapped_column(Date())
    status: Mapped[str] = mapped_column(String(20), default="open")
    resolved_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
    # The date first promised; a renegotiation moves due_on, never this (kept-by-first-date figures).
    first_due_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
    # Who acts: pzb (we), backoffice, gemeente or other (the same vocabulary as an action's owner).
    owner: Mapped[str] = mapped_column(String(20), default="pzb", server_default="pzb")
    # The issued letter that promised this date to the parent (payment date, reply-by), if any.
    source_letter_id: Mapped[str | None] = mapped_column(ForeignKey("letter.id"), nullable=True)

    __table_args__ = (Index("ix_commitment_case_status_due", "case_id", "status", "due_on"),)


@event.listens_for(Commitment, "init")
def _first_due_on(_target: Commitment, _args: tuple[object, ...], kwargs: dict[str, object]) -> None:
    """A new commitment's first promised date is its due date, however the row is made (set at construction, so
    the outbox sends it with the row)."""
    if kwargs.get("first_due_on") is None and kwargs.get("due_on") is not None:
        kwargs["first_due_on"] = kwargs["due_on"]


class CommitmentStatusChange(AppendOnly, Syncable, Base):
    __tablename__ = "commitment_status_change"
    __entity__ = "commitment_status_change"
    __case_scope__ = CaseScope(via=("commitment_id", Commitment))

    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitment.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    on_date: Mapped[dt.date] = mapped_column(Date())
    note: Mapped[str] = mapped_column(String(1000), default="")
    # A renegotiation's dates: the due date before and after it (the history of dates).
    previous_due_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
    due_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
