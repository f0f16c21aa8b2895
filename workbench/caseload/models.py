"""The newest contact per case, kept by the store itself (triggers on story_entry), for the team figures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
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
