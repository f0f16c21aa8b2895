"""Derived rows the store keeps itself (SQLite triggers) for the team figures: the last contact per case, and the
rows each figure counts with the holder and state of their case beside them, so a figure reads one index."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.schema import Base, UTCDateTime


class CaseContact(Base):
    """When the parent of a case was last contacted: the newest `occurred_at` of the case's story entries of a
    contact kind (`terms.CONTACT_KINDS`) that are not tombstoned; no row while there is none.

    Local and derived, never synced: SQLite triggers (migration 0015) keep it in step with every insert,
    change and removal of a story entry, whichever path writes it (the app, sync, import, purge). A change
    to CONTACT_KINDS needs a migration that rewrites those triggers.
    """

    __tablename__ = "case_contact"

    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    last_contact_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


# The four tables below are local and derived, never synced. SQLite triggers (migration 0017) keep them in step
# with every insert, change and removal of their source rows and of the case they belong to (its handler, its
# closing, its tombstone, its purge), whichever path writes (the app, sync's bulk insert and adopt, import,
# purge). They hold only what a figure counts by; what counts (an open action, a live promise, a window) is
# still decided by the queries in `figures`. A migration that rebuilds a source table (a batch ALTER) drops
# its triggers and must create them again: tests/workbench/caseload/test_caseload_rows.py checks they exist.


class CaseloadCase(Base):
    """One row per open case (not closed, not tombstoned): its handler, `opened_on`, and its `CaseContact`."""

    __tablename__ = "caseload_case"
    __table_args__ = (Index("ix_caseload_case_handler", "handler_id", "last_contact_at", "opened_on"),)

    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    handler_id: Mapped[str] = mapped_column(String(36))
    opened_on: Mapped[dt.date] = mapped_column(Date())
    last_contact_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class CaseloadTrack(Base):
    """One row per track running (no `ended_on`, not tombstoned) on an open case, once however often it runs."""

    __tablename__ = "caseload_track"
    __table_args__ = (Index("ix_caseload_track_handler", "handler_id", "track"),)

    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    track: Mapped[str] = mapped_column(String(40), primary_key=True)
    handler_id: Mapped[str] = mapped_column(String(36))


class CaseloadAction(Base):
    """One row per action (not tombstoned) of an open case, with its status and due date."""

    __tablename__ = "caseload_action"
    __table_args__ = (Index("ix_caseload_action_handler", "handler_id", "status", "due_on"),)

    action_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    handler_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)


class CaseloadCommitment(Base):
    """One row per commitment (not tombstoned) of a case that is not tombstoned, open or closed (`case_open`).

    `first_due_on` is the date first promised, or the due date for a row without one (`figures.first_due`).
    One index per question the figures ask: the live promises, and those due (or first due) in a window.
    """

    __tablename__ = "caseload_commitment"
    __table_args__ = (Index("ix_caseload_commitment_live", "handler_id", "case_open", "status", "due_on"),
                      Index("ix_caseload_commitment_due", "handler_id", "due_on", "status", "resolved_on"),
                      Index("ix_caseload_commitment_first", "handler_id", "first_due_on", "status", "resolved_on"))

    commitment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    handler_id: Mapped[str] = mapped_column(String(36))
    case_open: Mapped[bool] = mapped_column()
    status: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[dt.date] = mapped_column(Date())
    first_due_on: Mapped[dt.date] = mapped_column(Date())
    resolved_on: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
