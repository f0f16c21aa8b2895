"""What a user may see, as SQL: change-log entries at the time they happened, and current rows."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from central.accounts import Principal
from central.models import CaseAccess, ChangeLog, Record, ReviewAccess
from workbench.sync.protocol import CENTRAL_OWNED, PARENT_SCOPED

CENTRAL_ENTITIES = sorted(CENTRAL_OWNED)
PARENT_ENTITIES = sorted(PARENT_SCOPED)


def sees_period(user: Principal) -> ColumnElement[bool]:
    """Which assignment periods make a case visible: own cases, and the whole team for a team lead."""
    if user.role == "reviewer":
        return false()
    own = CaseAccess.handler_id == user.user_id
    if user.role == "team_lead" and user.team_id is not None:
        return or_(own, CaseAccess.team_id == user.team_id)
    return own


def period_visible(user: Principal, handler_id: str, team_id: str | None) -> bool:
    """The Python twin of `sees_period`, for one period."""
    if user.role == "reviewer":
        return False
    if handler_id == user.user_id:
        return True
    return user.role == "team_lead" and user.team_id is not None and team_id == user.team_id


def visible_events(user: Principal) -> ColumnElement[bool]:
    """Change-log entries the user may receive: rows of a case they had access to when the change happened."""
    everyone = ChangeLog.entity.in_(CENTRAL_ENTITIES)
    if user.role == "reviewer":
        seen = ReviewAccess.from_seq <= ChangeLog.seq
        return or_(
            everyone,
            and_(ChangeLog.entity == "letter", exists().where(ReviewAccess.letter_id == ChangeLog.row_id, seen)),
            and_(ChangeLog.entity == "case", exists().where(ReviewAccess.case_id == ChangeLog.row_id, seen)),
            and_(ChangeLog.entity == "parent", exists().where(ReviewAccess.parent_id == ChangeLog.row_id, seen)),
        )
    during = and_(sees_period(user), CaseAccess.from_seq <= ChangeLog.seq,
                  or_(CaseAccess.to_seq.is_(None), ChangeLog.seq < CaseAccess.to_seq))
    return or_(
        everyone,
        and_(ChangeLog.case_id.is_not(None), exists().where(CaseAccess.case_id == ChangeLog.case_id, during)),
        and_(ChangeLog.entity.in_(PARENT_ENTITIES),
             exists().where(CaseAccess.parent_id == ChangeLog.parent_id, during)),
    )


def visible_records(user: Principal) -> ColumnElement[bool]:
    """Current rows the user may see (the set the after-sync summary is computed over)."""
    everyone = Record.entity.in_(CENTRAL_ENTITIES)
    if user.role == "reviewer":
        return or_(
            everyone,
            and_(Record.entity == "letter", Record.row_id.in_(select(ReviewAccess.letter_id))),
            and_(Record.entity == "case", Record.row_id.in_(select(ReviewAccess.case_id))),
            and_(Record.entity == "parent", Record.row_id.in_(select(ReviewAccess.parent_id))),
        )
    current = and_(sees_period(user), CaseAccess.to_seq.is_(None))
    return or_(
        everyone,
        Record.case_id.in_(select(CaseAccess.case_id).where(current)),
        and_(Record.entity.in_(PARENT_ENTITIES), Record.parent_id.in_(select(CaseAccess.parent_id).where(current))),
    )
