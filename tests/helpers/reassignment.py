"""Moving a reassignment back in time on central's database, to test the grace for a former handler's edits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from central.models import CaseAccess


def backdate_reassignment(db_url: str, case_id: str, by: dt.timedelta) -> None:
    """Make the case's current assignment period (the latest reassignment) start ``by`` earlier."""
    engine = create_engine(db_url)
    try:
        with Session(engine) as session, session.begin():
            period = session.scalar(select(CaseAccess).where(CaseAccess.case_id == case_id,
                                                             CaseAccess.to_seq.is_(None)))
            assert period is not None
            period.assigned_at = period.assigned_at - by
    finally:
        engine.dispose()
