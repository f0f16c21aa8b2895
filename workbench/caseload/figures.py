"""The figures per handler as grouped SQL aggregates (GROUP BY the case's handler), one pass per table.

Every figure counts the cases a handler holds on the day asked about (`Case.handler_id`); a tombstoned
case (`deleted_at` set) never counts. An *open* case is one without `closed_on` (and not tombstoned).

The passes over tracks, contacts, actions and commitments read the `caseload_*` tables (`models`), which the
store keeps in step with their source rows and carry the case's handler and state: each pass walks one index
in handler order, with no join to the case and no sort.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import QueryableAttribute

from workbench.caseload.models import CaseContact, CaseloadAction, CaseloadCase, CaseloadCommitment, CaseloadTrack
from workbench.caseload.scope import Scope
from workbench.caseload.terms import (
    NEAR_TERM_DAYS,
    NO_CONTACT_DAYS,
    OBJECTION_PHASE,
    RELIABILITY_DAYS,
    decision_due,
    local_day,
)
from workbench.cases.models import Case
from workbench.letters.models import Letter
from workbench.plans.models import Commitment
from workbench.plans.vocabulary import COMMITMENT_LIVE

# Kept on time: resolved as kept on or before the due date in force (a promise kept on its due date is
# on time; `kept_late` never is). Kept by the first date: resolved as kept on or before the date first promised.
KEPT = ("kept", "kept_late")


def open_case() -> tuple[ColumnElement[bool], ...]:
    return Case.closed_on.is_(None), Case.deleted_at.is_(None)


# `+handler_id` keeps SQLite off the handler index: walking it costs a row look-up per case, far more than
# one pass over the table once a team's cases are most of the store (a team lead's device holds its team).
HANDLER: ColumnElement[str] = literal_column("+case_file.handler_id")


def held(scope: Scope) -> ColumnElement[bool]:
    """The scope's cases."""
    return HANDLER.in_(scope.handler_ids)


def in_scope(handler: QueryableAttribute[str], scope: Scope) -> ColumnElement[bool]:
    """The scope's rows, found on an index that starts with the handler (one range per handler, in order)."""
    return handler.in_(scope.handler_ids)


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def urgent() -> ColumnElement[bool]:
    """Urgent: any acute flag (eviction, energy cut-off, garnishment)."""
    return or_(Case.urgent_eviction.is_(True), Case.urgent_energy.is_(True), Case.urgent_garnishment.is_(True))


@dataclass
class Tally:
    """The raw figures of one handler while they are being gathered (see `Figures` for the finished form)."""

    open_cases: int = 0
    by_phase: Counter[str] = field(default_factory=Counter)
    by_track: Counter[str] = field(default_factory=Counter)
    urgent: int = 0
    contact_days: list[int] = field(default_factory=list)
    actions_overdue: int = 0
    commitments_open: int = 0
    commitments_overdue: int = 0
    promises_due: int = 0
    promises_kept: int = 0
    promises_first_due: int = 0
    promises_kept_first: int = 0
    past_term: int = 0
    near_term: int = 0
    objection_running: int = 0
    in_review: int = 0
    oldest_review_days: int | None = None

    @property
    def reliability(self) -> float | None:
        return self.promises_kept / self.promises_due if self.promises_due else None

    @property
    def first_date_rate(self) -> float | None:
        return self.promises_kept_first / self.promises_first_due if self.promises_first_due else None

    @cached_property
    def _days_in_order(self) -> list[int]:
        return sorted(self.contact_days)

    @cached_property
    def contact_median(self) -> float | None:
        return float(statistics.median(self._days_in_order)) if self.contact_days else None

    @cached_property
    def no_recent_contact(self) -> int:
        return len(self._days_in_order) - bisect.bisect_right(self._days_in_order, NO_CONTACT_DAYS)

    def add(self, other: Tally) -> None:
        """Fold another handler's tally into this one (the team's)."""
        for name in ("open_cases", "urgent", "actions_overdue", "commitments_open", "commitments_overdue",
                     "promises_due", "promises_kept", "promises_first_due", "promises_kept_first",
                     "past_term", "near_term", "objection_running", "in_review"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.by_phase.update(other.by_phase)
        self.by_track.update(other.by_track)
        self.contact_days.extend(other.contact_days)
        for derived in ("_days_in_order", "contact_median", "no_recent_contact"):  # once from contact_days, if asked
            self.__dict__.pop(derived, None)
        if other.oldest_review_days is not None:
            self.oldest_review_days = max(self.oldest_review_days or 0, other.oldest_review_days)


def gather(conn: Connection, scope: Scope, today: dt.date) -> dict[str, Tally]:
    """Every figure of every handler in `scope`, as of `today`: a handful of grouped passes."""
    tallies = {h: Tally() for h in scope.handler_ids}
    _cases(conn, scope, today, tallies)
    _tracks(conn, scope, tallies)
    _contacts(conn, scope, today, tallies)
    _actions(conn, scope, today, tallies)
    _commitments(conn, scope, today, tallies)
    _letters(conn, scope, today, tallies)
    return tallies


def _cases(conn: Connection, scope: Scope, today: dt.date, tallies: dict[str, Tally]) -> None:
    """Open cases per phase; urgent; decisions past / near their term; objection terms running.

    - decisions past their term: open cases whose decision term (`terms.decision_due`) ended before today.
    - decisions near their term: open cases whose term ends today or within NEAR_TERM_DAYS days.
    - objection terms running: cases (open or closed: the term belongs to the decision, not to the case's
      state) whose `objection_due_on` is today or later.
    """
    near = today + dt.timedelta(days=NEAR_TERM_DAYS)
    due = Case.decision_due_on
    is_open = Case.closed_on.is_(None)
    # One pass over the cases, open and closed: objection terms also run on closed cases.
    rows = conn.execute(  # on ix_case_file_figures
        select(Case.handler_id, Case.phase, _flag(is_open), _flag(and_(is_open, urgent())),
               _flag(and_(is_open, due < today)), _flag(and_(is_open, due >= today, due <= near)),
               _flag(Case.objection_due_on >= today))
        .where(in_scope(Case.handler_id, scope), Case.deleted_at.is_(None)).group_by(Case.handler_id, Case.phase))
    for handler_id, phase, n, n_urgent, past, soon, running in rows:
        t = tallies[handler_id]
        if n:
            t.open_cases += n
            t.by_phase[phase] += n
        t.urgent += n_urgent
        t.past_term += past
        t.near_term += soon
        t.objection_running += running
    for handler_id, due_on in derived_terms(conn, scope):
        t = tallies[handler_id]
        t.past_term += due_on < today
        t.near_term += today <= due_on <= near


def derived_terms(conn: Connection, scope: Scope) -> list[tuple[str, dt.date]]:
    """(handler, decision due) of the open bezwaar cases whose term comes from the policy tables."""
    rows = conn.execute(
        select(Case.handler_id, Case.objection_due_on, Case.phase_since)
        .where(in_scope(Case.handler_id, scope), *open_case(), Case.phase == OBJECTION_PHASE,
               Case.decision_due_on.is_(None)))
    out = []
    for handler_id, objection_due_on, since in rows:
        term = decision_due(recorded=None, phase=OBJECTION_PHASE, objection_due_on=objection_due_on,
                            phase_since=since)
        if term is not None:
            out.append((handler_id, term.due_on))
    return out


def _tracks(conn: Connection, scope: Scope, tallies: dict[str, Tally]) -> None:
    """Open cases per parallel track that is still running (no `ended_on`, not tombstoned; `CaseloadTrack`)."""
    t = CaseloadTrack
    rows = conn.execute(select(t.handler_id, t.track, func.count()).where(in_scope(t.handler_id, scope))
                        .group_by(t.handler_id, t.track))
    for handler_id, track, n in rows:
        tallies[handler_id].by_track[track] = n


def last_contact() -> ColumnElement[str]:
    """The newest contact with the parent of the case, as its stored UTC ISO text (None without one): read from
    `CaseContact`, which the store keeps in step with the story (outer-joined on the case id)."""
    return type_coerce(CaseContact.last_contact_at, String)


def day_of_stored(text: str) -> dt.date:
    """The Dutch calendar day of a stored UTC timestamp. Before 22:00 UTC it is the UTC date (the Netherlands
    are one or two hours ahead), so only late-evening moments need the time-zone arithmetic."""
    if text[11:13] < "22":
        return dt.date.fromisoformat(text[:10])
    return local_day(dt.datetime.fromisoformat(text))


def contact_days(conn: Connection, scope: Scope, today: dt.date) -> list[tuple[str, str, int, bool]]:
    """(case id, handler, days since last contact, whether there was any contact) per open case.

    Days since last contact: today minus the day (in the Netherlands) of the newest contact with the parent
    (a story entry of kind huisbezoek, telefoon, e-mail or brief); with no contact yet, today minus
    `opened_on`. Entries dated after today are read as today (0 days), never as negative.
    """
    # Both days as the stored text, each distinct one converted once: per-row conversion was most of the cost.
    rows = conn.execute(select(Case.id, Case.handler_id, type_coerce(Case.opened_on, String), last_contact())
                        .outerjoin(CaseContact, CaseContact.case_id == Case.id)
                        .where(*open_case(), held(scope))).all()
    days: dict[str, int] = {}

    def since(text: str, stored: bool) -> int:
        key = text[:10] if not stored or text[11:13] < "22" else text
        if key not in days:
            day = day_of_stored(text) if stored else dt.date.fromisoformat(text)
            days[key] = max(0, (today - day).days)
        return days[key]

    return [(case_id, handler_id, since(when, True) if when else since(opened_on, False), when is not None)
            for case_id, handler_id, opened_on, when in rows]


def _contacts(conn: Connection, scope: Scope, today: dt.date, tallies: dict[str, Tally]) -> None:
    """Days since last contact of every open case, as `contact_days` defines them, the day arithmetic done by
    SQLite and one row per handler: only a contact at 22:00 UTC or later (perhaps the next day in the
    Netherlands) comes back as its stored text, to be read in Dutch time here."""
    c = CaseloadCase  # the open cases, with their stored last contact
    stored = type_coerce(c.last_contact_at, String)
    late = func.substr(stored, 12, 2) >= "22"
    day = case((stored.is_(None), type_coerce(c.opened_on, String)), else_=func.substr(stored, 1, 10))
    days = func.max(0, cast(func.julianday(today.isoformat()) - func.julianday(day), Integer))
    rows = conn.execute(select(c.handler_id, func.group_concat(case((late, None), else_=days)),
                               func.group_concat(case((late, stored))))
                        .where(in_scope(c.handler_id, scope)).group_by(c.handler_id)).all()
    for handler_id, on_day, late_texts in rows:
        found = tallies[handler_id].contact_days
        if on_day:
            found.extend(map(int, on_day.split(",")))
        if late_texts:
            found.extend(max(0, (today - day_of_stored(text)).days) for text in late_texts.split(","))


def _actions(conn: Connection, scope: Scope, today: dt.date, tallies: dict[str, Tally]) -> None:
    """Actions overdue: open actions (status open, not tombstoned) of open cases with a due date before today."""
    a = CaseloadAction  # the actions of open cases that are not tombstoned
    rows = conn.execute(select(a.handler_id, func.count())
                        .where(in_scope(a.handler_id, scope), a.status == "open", a.due_on < today)
                        .group_by(a.handler_id))
    for handler_id, n in rows:
        tallies[handler_id].actions_overdue = n


def _commitments(conn: Connection, scope: Scope, today: dt.date, tallies: dict[str, Tally]) -> None:
    """Commitments open and overdue, the promise-reliability rate, and the rate kept by the first promised date.

    - commitments open: live promises (status open or renegotiated) of open cases, as the handler's
      "Acties & toezeggingen" page lists them.
    - commitments overdue: those with a due date before today.
    - promise reliability over the last 90 days: of all commitments (any status, cases open or closed)
      whose due date fell in [today - 90, today), the share kept on or before that due date. The due date
      is the one in force: after a renegotiation the new date agreed with the parent, because that is the
      promise the parent now holds. A commitment kept on its due date is on time; one still open past its
      date, kept late or broken is not. None when no commitment was due in the window.
    - kept by the first promised date over the last 90 days (`promises_kept_first_date`): of all commitments
      (any status, cases open or closed) whose first promised date (`first_due_on`; the due date for a row
      without one) fell in [today - 90, today), the share kept on or before that first date. A renegotiation
      never moves the first date, so a promise moved and then kept by its new date is on time above but not
      here; without renegotiations both rates agree. None when no commitment was first due in the window.
    """
    m = CaseloadCommitment  # the commitments (not tombstoned) of cases that are not tombstoned
    start = today - dt.timedelta(days=RELIABILITY_DAYS)
    kept = m.status.in_(KEPT)
    # Three narrow passes, each a range of its own index (see CaseloadCommitment), rather than one over every
    # commitment testing all three conditions per row.
    live = conn.execute(
        select(m.handler_id, func.count(), _flag(m.due_on < today))
        .where(in_scope(m.handler_id, scope), m.case_open.is_(True), m.status.in_(sorted(COMMITMENT_LIVE)))
        .group_by(m.handler_id))
    for handler_id, n, late in live:
        tallies[handler_id].commitments_open, tallies[handler_id].commitments_overdue = int(n), int(late)
    due = conn.execute(
        select(m.handler_id, func.count(), _flag(and_(kept, m.resolved_on <= m.due_on)))
        .where(in_scope(m.handler_id, scope), m.due_on >= start, m.due_on < today).group_by(m.handler_id))
    for handler_id, n, n_kept in due:
        tallies[handler_id].promises_due, tallies[handler_id].promises_kept = int(n), int(n_kept)
    first = conn.execute(
        select(m.handler_id, func.count(), _flag(and_(kept, m.resolved_on <= m.first_due_on)))
        .where(in_scope(m.handler_id, scope), m.first_due_on >= start, m.first_due_on < today)
        .group_by(m.handler_id))
    for handler_id, n, n_kept in first:
        tallies[handler_id].promises_first_due, tallies[handler_id].promises_kept_first = int(n), int(n_kept)


def on_time() -> ColumnElement[bool]:
    """A commitment kept on or before its due date."""
    return and_(Commitment.status.in_(KEPT), Commitment.resolved_on <= Commitment.due_on)


def first_due() -> ColumnElement[dt.date]:
    """The date first promised; a row from before migration 0008 backfilled it, this covers any left without."""
    return func.coalesce(Commitment.first_due_on, Commitment.due_on)


def by_first_date() -> ColumnElement[bool]:
    """A commitment kept on or before the date first promised."""
    return and_(Commitment.status.in_(KEPT), Commitment.resolved_on <= first_due())


def _letters(conn: Connection, scope: Scope, today: dt.date, tallies: dict[str, Tally]) -> None:
    """Letters waiting for review (status in_review, not tombstoned) of the handler's cases, and how long.

    Waiting since: the letter's `updated_at`. A letter in review cannot be edited (only approved or sent
    back), so its last change is the moment it was submitted. Days waiting: today minus that day.
    """
    rows = conn.execute(
        select(Case.handler_id, func.count(), func.min(Letter.updated_at))
        .join(Letter, Letter.case_id == Case.id)
        .where(Case.deleted_at.is_(None), held(scope), Letter.status == "in_review", Letter.deleted_at.is_(None))
        .group_by(HANDLER))
    for handler_id, n, oldest in rows:
        tallies[handler_id].in_review = n
        tallies[handler_id].oldest_review_days = max(0, (today - review_since(oldest)).days)


def review_since(value: Any) -> dt.date:
    """`min(updated_at)` comes back as the stored ISO text (aggregates lose the column type)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return local_day(moment)
