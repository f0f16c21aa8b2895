"""Chart data: promise reliability per week, ages of open cases, open cases per phase."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, func, select

from workbench.caseload.figures import held, on_time, open_case
from workbench.caseload.scope import Scope
from workbench.cases.models import Case
from workbench.cases.phases import PHASES
from workbench.plans.models import Commitment


def reliability_series(conn: Connection, scope: Scope, *, today: dt.date,
                       weeks: int) -> list[tuple[dt.date, float | None]]:
    """Promise reliability per week, oldest week first: (first day of the week, rate or None).

    The weeks are seven-day windows ending yesterday: the last is [today - 7, today), the one before
    [today - 14, today - 7), and so on. A week's rate is the share of the commitments due in it (due date
    in force, any status, cases open or closed) that were kept on or before their due date, as the
    90-day figure counts them; None for a week in which no commitment was due.
    """
    first = today - dt.timedelta(days=7 * weeks)
    rows = conn.execute(
        select(Commitment.due_on, func.count(), func.sum(func.iif(on_time(), 1, 0)))
        .join(Case, Case.id == Commitment.case_id)
        .where(Case.deleted_at.is_(None), held(scope), Commitment.deleted_at.is_(None),
               Commitment.due_on >= first, Commitment.due_on < today)
        .group_by(Commitment.due_on))
    due = [0] * weeks
    kept = [0] * weeks
    for day, n, n_kept in rows:
        week = (day - first).days // 7
        due[week] += n
        kept[week] += int(n_kept)
    return [(first + dt.timedelta(days=7 * w), kept[w] / due[w] if due[w] else None) for w in range(weeks)]


def open_case_ages(conn: Connection, scope: Scope, *, today: dt.date) -> list[int]:
    """Days since `opened_on` of each open case in view (0 for a case opened today or dated ahead), sorted."""
    rows = conn.execute(select(Case.opened_on).where(*open_case(), held(scope)))
    return sorted(max(0, (today - opened).days) for (opened,) in rows)


def cases_per_phase(conn: Connection, scope: Scope) -> dict[str, int]:
    """Open cases per phase, every phase of the process in its order (empty ones as 0); unknown codes last."""
    counts = dict(conn.execute(select(Case.phase, func.count()).where(*open_case(), held(scope))
                               .group_by(Case.phase)).all())
    out = {phase: counts.pop(phase, 0) for phase in PHASES}
    out.update(sorted(counts.items()))
    return out
