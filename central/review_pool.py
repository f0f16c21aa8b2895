"""Review pools: the teams whose letters a reviewer reviews besides their own team's (``central review-pool``).

A reviewer sees a letter in review when the letter's team (the team of its case when it went into review)
is their own team or a team in their pool. Pools are kept on central only; a change applies to letters that
go into review afterwards, and the after-sync check brings letters already in review of an added team.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from central.accounts import Principal
from central.database import Database
from central.errors import SetupError
from central.models import ReviewAccess, ReviewPool, Team, User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PoolEntry:
    reviewer: str
    team: str


def reviews_team(user: Principal) -> ColumnElement[bool]:
    """Which letters in review a reviewer may see: of their own team, or of a team in their review pool."""
    pooled = ReviewAccess.team_id.in_(select(ReviewPool.team_id).where(ReviewPool.reviewer_id == user.user_id))
    if user.team_id is None:
        return pooled
    return or_(ReviewAccess.team_id == user.team_id, pooled)


def _reviewer(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise SetupError(f"De gebruiker '{username}' bestaat niet (USER).")
    if user.role != "reviewer":
        raise SetupError(f"De gebruiker '{username}' is geen controleur (rol reviewer); alleen een controleur "
                         "heeft een beoordelingspool.")
    return user


def _team(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name.strip()))
    if team is None:
        raise SetupError(f"Het team '{name}' bestaat niet (TEAM).")
    return team


def add(db: Database, *, username: str, team_name: str, now: dt.datetime) -> bool:
    """Put a team in a reviewer's pool; False when it was there already."""
    with db.write() as session:
        user, team = _reviewer(session, username), _team(session, team_name)
        if session.get(ReviewPool, (user.id, team.id)) is not None:
            return False
        session.add(ReviewPool(reviewer_id=user.id, team_id=team.id, added_at=now))
    log.info("review pool: reviewer=%s team=%s added", user.id, team.id)
    return True


def remove(db: Database, *, username: str, team_name: str) -> bool:
    """Take a team out of a reviewer's pool; False when it was not in it."""
    with db.write() as session:
        user, team = _reviewer(session, username), _team(session, team_name)
        row = session.get(ReviewPool, (user.id, team.id))
        gone = row is not None
        if row is not None:
            session.delete(row)
    log.info("review pool: reviewer=%s team=%s removed=%s", user.id, team.id, bool(gone))
    return bool(gone)


def entries(db: Database, *, username: str | None = None) -> list[PoolEntry]:
    with db.read() as session:
        query = (select(User.username, Team.name).join(ReviewPool, ReviewPool.reviewer_id == User.id)
                 .join(Team, Team.id == ReviewPool.team_id).order_by(User.username, Team.name))
        if username is not None:
            query = query.where(User.username == username.strip())
        return [PoolEntry(reviewer, team) for reviewer, team in session.execute(query)]
