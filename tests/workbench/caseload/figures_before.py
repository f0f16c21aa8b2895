"""The team figures' contact and commitment passes as they were computed before they were folded (reference)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, and_, func, or_, select

from workbench.caseload.figures import (
    Tally,
    _actions,
    _cases,
    _flag,
    _letters,
    _tracks,
    by_first_date,
    contact_days,
    first_due,
    held,
    on_time,
    open_case,
)
from workbench.caseload.scope import Scope
from workbench.caseload.terms import RELIABILITY_DAYS
from workbench.cases.models import Case
from workbench.plans.models import Commitment
from workbench.plans.vocabulary import COMMITMENT_LIVE
from workbench.staff.models import Role, User

HANDLER = Case.handler_id


def gather_before(conn: Connection, scope: Scope, today: dt.date) -> dict[str, Tally]:
    """`figures.gather` with the per-case contact loop and the two commitment passes of before."""
    tallies = {h: Tally() for h in scope.handler_ids}
    _cases(conn, scope, today, tallies)
    _tracks(conn, scope, tallies)
    for _case_id, handler_id, days, _any in contact_days(conn, scope, today):
        tallies[handler_id].contact_days.append(days)
    _actions(conn, scope, today, tallies)
    _commitments_before(conn, scope, today, tallies)
    _letters(conn, scope, today, tallies)
    return tallies


def _commitments_before(conn: Connection, scope: Scope, today: dt.date, tallies: dict[str, Tally]) -> None:
    live = Commitment.status.in_(sorted(COMMITMENT_LIVE))
    rows = conn.execute(
        select(Case.handler_id, func.count(), _flag(Commitment.due_on < today))
        .join(Commitment, Commitment.case_id == Case.id)
        .where(*open_case(), held(scope), live, Commitment.deleted_at.is_(None))
        .group_by(HANDLER))
    for handler_id, n, late in rows:
        tallies[handler_id].commitments_open = n
        tallies[handler_id].commitments_overdue = int(late)
    start = today - dt.timedelta(days=RELIABILITY_DAYS)
    first = first_due()
    due_in, first_in = (and_(Commitment.due_on >= start, Commitment.due_on < today),
                        and_(first >= start, first < today))
    windows = conn.execute(
        select(Case.handler_id, _flag(due_in), _flag(and_(due_in, on_time())), _flag(first_in),
               _flag(and_(first_in, by_first_date())))
        .join(Commitment, Commitment.case_id == Case.id)
        .where(Case.deleted_at.is_(None), held(scope), Commitment.deleted_at.is_(None), or_(due_in, first_in))
        .group_by(HANDLER))
    for handler_id, n, kept, n_first, kept_first in windows:
        t = tallies[handler_id]
        t.promises_due, t.promises_kept = int(n), int(kept)
        t.promises_first_due, t.promises_kept_first = int(n_first), int(kept_first)


def handlers_before(conn: Connection, team_id: str) -> set[str]:
    """The team lead's handlers as `scope.resolve` found them before: members plus every holder of a team case."""
    members = set(conn.scalars(select(User.id).where(User.team_id == team_id, User.deleted_at.is_(None),
                                                     User.role.in_([Role.HANDLER, Role.TEAM_LEAD]))))
    holders = set(conn.scalars(select(Case.handler_id).distinct()
                               .where(Case.team_id == team_id, Case.deleted_at.is_(None))))
    return members | holders
