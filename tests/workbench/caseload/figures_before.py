"""The team figures as main computed them before the passes were made faster, frozen here as the reference.

Self-contained on purpose: it shares no pass, filter or helper with `workbench.caseload.figures`, so a change
there cannot change the reference too. Only the definitions it counts by (`terms`, `COMMITMENT_LIVE`) and the
`Tally` it fills are imported. The last contact is read from the story entries themselves, not from the
stored `case_contact`, so a stored value out of step shows as a difference.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, func, or_, select

from workbench.caseload.figures import Tally
from workbench.caseload.scope import Scope
from workbench.caseload.terms import (
    CONTACT_KINDS,
    NEAR_TERM_DAYS,
    OBJECTION_PHASE,
    RELIABILITY_DAYS,
    decision_due,
    local_day,
)
from workbench.cases.models import Case, CaseTrack
from workbench.letters.models import Letter
from workbench.plans.models import Action, Commitment
from workbench.plans.vocabulary import COMMITMENT_LIVE
from workbench.staff.models import Role, User
from workbench.story.models import StoryEntry

KEPT = ("kept", "kept_late")
HANDLER = Case.handler_id


def _open() -> tuple[ColumnElement[bool], ...]:
    return Case.closed_on.is_(None), Case.deleted_at.is_(None)


def _held(scope: Scope) -> ColumnElement[bool]:
    return Case.handler_id.in_(scope.handler_ids)


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def gather_before(conn: Connection, scope: Scope, today: dt.date) -> dict[str, Tally]:
    """`figures.gather` as it was: one pass per table, the last contact looked up per open case."""
    tallies = {h: Tally() for h in scope.handler_ids}
    _cases(conn, scope, today, tallies)
    _tracks(conn, scope, tallies)
    _contacts(conn, scope, today, tallies)
    _actions(conn, scope, today, tallies)
    _commitments(conn, scope, today, tallies)
    _letters(conn, scope, today, tallies)
    return tallies


def _cases(conn: Connection, scope: Scope, today: dt.date, tallies: dict[str, Tally]) -> None:
    near = today + dt.timedelta(days=NEAR_TERM_DAYS)
    due = Case.decision_due_on
    is_open = Case.closed_on.is_(None)
    urgent = or_(Case.urgent_eviction.is_(True), Case.urgent_energy.is_(True), Case.urgent_garnishment.is_(True))
    rows = conn.execute(
        select(Case.handler_id, Case.phase, _flag(is_open), _flag(and_(is_open, urgent)),
               _flag(and_(is_open, due < today)), _flag(and_(is_open, due >= today, due <= near)),
               _flag(Case.objection_due_on >= today))
        .where(Case.deleted_at.is_(None), _held(scope)).group_by(HANDLER, Case.phase))
    for handler_id, phase, n, n_urgent, past, soon, running in rows:
        t = tallies[handler_id]
        if n:
            t.open_cases += n
            t.by_phase[phase] += n
        t.urgent += n_urgent
        t.past_term += past
        t.near_term += soon
        t.objection_running += running
    derived = conn.execute(
        select(Case.handler_id, Case.objection_due_on, Case.phase_since)
        .where(*_open(), _held(scope), Case.phase == OBJECTION_PHASE, Case.decision_due_on.is_(None)))
    for handler_id, objection_due_on, since in derived:
        term = decision_due(recorded=None, phase=OBJECTION_PHASE, objection_due_on=objection_due_on,
                            phase_since=since)
        if term is not None:
            tallies[handler_id].past_term += term.due_on < today
            tallies[handler_id].near_term += today <= term.due_on <= near


def _tracks(conn: Connection, scope: Scope, tallies: dict[str, Tally]) -> None:
    rows = conn.execute(
        select(Case.handler_id, CaseTrack.track, func.count(func.distinct(Case.id)))
        .join(CaseTrack, CaseTrack.case_id == Case.id)
        .where(*_open(), _held(scope), CaseTrack.ended_on.is_(None), CaseTrack.deleted_at.is_(None))
        .group_by(HANDLER, CaseTrack.track))
    for handler_id, track, n in rows:
        tallies[handler_id].by_track[track] = n


def _contacts(conn: Connection, scope: Scope, today: dt.date, tallies: dict[str, Tally]) -> None:
    """Per open case: today minus the Dutch day of its newest contact entry, or minus `opened_on` without one."""
    newest = (select(func.max(StoryEntry.occurred_at))
              .where(StoryEntry.case_id == Case.id, StoryEntry.kind.in_(CONTACT_KINDS),
                     StoryEntry.deleted_at.is_(None)).correlate(Case).scalar_subquery())
    rows = conn.execute(select(Case.handler_id, Case.opened_on, newest).where(*_open(), _held(scope)))
    for handler_id, opened_on, when in rows:
        day = local_day(_moment(when)) if when is not None else opened_on
        tallies[handler_id].contact_days.append(max(0, (today - day).days))


def _moment(value: Any) -> dt.datetime:
    """`max(occurred_at)` comes back as the stored ISO text (aggregates lose the column type)."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _actions(conn: Connection, scope: Scope, today: dt.date, tallies: dict[str, Tally]) -> None:
    rows = conn.execute(
        select(Case.handler_id, func.count()).join(Action, Action.case_id == Case.id)
        .where(*_open(), _held(scope), Action.status == "open", Action.deleted_at.is_(None), Action.due_on < today)
        .group_by(HANDLER))
    for handler_id, n in rows:
        tallies[handler_id].actions_overdue = n


def _commitments(conn: Connection, scope: Scope, today: dt.date, tallies: dict[str, Tally]) -> None:
    live = Commitment.status.in_(sorted(COMMITMENT_LIVE))
    rows = conn.execute(
        select(Case.handler_id, func.count(), _flag(Commitment.due_on < today))
        .join(Commitment, Commitment.case_id == Case.id)
        .where(*_open(), _held(scope), live, Commitment.deleted_at.is_(None))
        .group_by(HANDLER))
    for handler_id, n, late in rows:
        tallies[handler_id].commitments_open = n
        tallies[handler_id].commitments_overdue = int(late)
    start = today - dt.timedelta(days=RELIABILITY_DAYS)
    first = func.coalesce(Commitment.first_due_on, Commitment.due_on)
    due_in, first_in = (and_(Commitment.due_on >= start, Commitment.due_on < today),
                        and_(first >= start, first < today))
    on_time = and_(Commitment.status.in_(KEPT), Commitment.resolved_on <= Commitment.due_on)
    by_first = and_(Commitment.status.in_(KEPT), Commitment.resolved_on <= first)
    windows = conn.execute(
        select(Case.handler_id, _flag(due_in), _flag(and_(due_in, on_time)), _flag(first_in),
               _flag(and_(first_in, by_first)))
        .join(Commitment, Commitment.case_id == Case.id)
        .where(Case.deleted_at.is_(None), _held(scope), Commitment.deleted_at.is_(None), or_(due_in, first_in))
        .group_by(HANDLER))
    for handler_id, n, kept, n_first, kept_first in windows:
        t = tallies[handler_id]
        t.promises_due, t.promises_kept = int(n), int(kept)
        t.promises_first_due, t.promises_kept_first = int(n_first), int(kept_first)


def _letters(conn: Connection, scope: Scope, today: dt.date, tallies: dict[str, Tally]) -> None:
    rows = conn.execute(
        select(Case.handler_id, func.count(), func.min(Letter.updated_at))
        .join(Letter, Letter.case_id == Case.id)
        .where(Case.deleted_at.is_(None), _held(scope), Letter.status == "in_review", Letter.deleted_at.is_(None))
        .group_by(HANDLER))
    for handler_id, n, oldest in rows:
        tallies[handler_id].in_review = n
        tallies[handler_id].oldest_review_days = max(0, (today - local_day(_moment(oldest))).days)


def handlers_before(conn: Connection, team_id: str) -> set[str]:
    """The team lead's handlers as `scope.resolve` found them before: members plus every holder of a team case."""
    members = set(conn.scalars(select(User.id).where(User.team_id == team_id, User.deleted_at.is_(None),
                                                     User.role.in_([Role.HANDLER, Role.TEAM_LEAD]))))
    holders = set(conn.scalars(select(Case.handler_id).distinct()
                               .where(Case.team_id == team_id, Case.deleted_at.is_(None))))
    return members | holders
