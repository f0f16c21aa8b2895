"""The cases behind each figure, most urgent first, each with a Dutch line saying why it is in the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, func, select

from workbench.caseload import types as ft
from workbench.caseload.figures import contact_days, held, open_case, review_since, urgent
from workbench.caseload.scope import Scope
from workbench.caseload.terms import NEAR_TERM_DAYS, NO_CONTACT_DAYS, day_text, decision_due, plural
from workbench.cases.models import Case
from workbench.cases.phases import PHASES, URGENCY_FLAGS
from workbench.cases.queries import cases_statement
from workbench.errors import ValidationError
from workbench.letters.models import Letter
from workbench.plans.models import Action, Commitment
from workbench.plans.vocabulary import COMMITMENT_LIVE

# (sort key, case id, detail): the key sorts ascending, most urgent first.
Hit = tuple[tuple[Any, ...], str, str]


def _open(conn: Connection, scope: Scope, today: dt.date) -> list[Hit]:
    """Every open case: urgent first, then the longest open."""
    rows = conn.execute(select(Case.id, Case.phase, Case.opened_on, urgent())
                        .where(*open_case(), held(scope)))
    return [((not is_urgent, opened), cid, f"{PHASES.get(phase, phase)}, {(today - opened).days} dagen open")
            for cid, phase, opened, is_urgent in rows]


def _urgent(conn: Connection, scope: Scope, today: dt.date) -> list[Hit]:
    """Open cases with an acute flag, the longest open first; the detail names the flags."""
    flags = [getattr(Case, k) for k in URGENCY_FLAGS]
    rows = conn.execute(select(Case.id, Case.opened_on, *flags).where(*open_case(), held(scope), urgent()))
    out = []
    for cid, opened, *on in rows:
        names = [label for label, flag in zip(URGENCY_FLAGS.values(), on, strict=True) if flag]
        out.append(((opened,), cid, ", ".join(names)))
    return out


def _no_contact(conn: Connection, scope: Scope, today: dt.date) -> list[Hit]:
    """Open cases with more than NO_CONTACT_DAYS days since the last contact, the longest wait first."""
    out = []
    for cid, _handler, days, any_contact in contact_days(conn, scope, today):
        if days > NO_CONTACT_DAYS:
            detail = f"{days} dagen geen contact" + ("" if any_contact else " (nog nooit sinds aanmelding)")
            out.append(((-days,), cid, detail))
    return out


def _actions_overdue(conn: Connection, scope: Scope, today: dt.date) -> list[Hit]:
    rows = conn.execute(
        select(Case.id, func.count(), func.min(Action.due_on)).join(Action, Action.case_id == Case.id)
        .where(*open_case(), held(scope), Action.status == "open", Action.deleted_at.is_(None), Action.due_on < today)
        .group_by(Case.id))
    return [((oldest, -n), cid, plural(n, "actie", "acties") + f" te laat, oudste uiterlijk {day_text(oldest)}")
            for cid, n, oldest in rows]


def _commitments(conn: Connection, scope: Scope, today: dt.date, *, overdue: bool) -> list[Hit]:
    stmt = (select(Case.id, func.count(), func.min(Commitment.due_on)).join(Commitment, Commitment.case_id == Case.id)
            .where(*open_case(), held(scope), Commitment.status.in_(sorted(COMMITMENT_LIVE)),
                   Commitment.deleted_at.is_(None))
            .group_by(Case.id))
    if overdue:
        stmt = stmt.where(Commitment.due_on < today)
        return [((first, -n), cid, plural(n, "toezegging", "toezeggingen")
                 + f" te laat, oudste uiterlijk {day_text(first)}") for cid, n, first in conn.execute(stmt)]
    return [((first, -n), cid, plural(n, "toezegging", "toezeggingen") + f" open, eerstvolgende {day_text(first)}")
            for cid, n, first in conn.execute(stmt)]


def _terms(conn: Connection, scope: Scope, today: dt.date, *, past: bool) -> list[Hit]:
    """Open cases past (or within NEAR_TERM_DAYS of) their decision term, the earliest term first."""
    rows = conn.execute(select(Case.id, Case.decision_due_on, Case.phase, Case.objection_due_on, Case.phase_since)
                        .where(*open_case(), held(scope)))
    near = today + dt.timedelta(days=NEAR_TERM_DAYS)
    out = []
    for cid, recorded, phase, objection_due_on, since in rows:
        term = decision_due(recorded=recorded, phase=phase, objection_due_on=objection_due_on, phase_since=since)
        if term is None:
            continue
        source = f" (afgeleid: {term.policy_version})" if term.policy_version else ""
        if past and term.due_on < today:
            out.append(((term.due_on,), cid, f"beslistermijn verstreken op {day_text(term.due_on)}{source}"))
        elif not past and today <= term.due_on <= near:
            left = (term.due_on - today).days
            when = "vandaag" if left == 0 else f"over {plural(left, 'dag', 'dagen')}"
            out.append(((term.due_on,), cid, f"beslistermijn verloopt op {day_text(term.due_on)} ({when}){source}"))
    return out


def _objection(conn: Connection, scope: Scope, today: dt.date) -> list[Hit]:
    rows = conn.execute(select(Case.id, Case.objection_due_on)
                        .where(Case.deleted_at.is_(None), held(scope), Case.objection_due_on >= today))
    return [((due,), cid, f"bezwaartermijn loopt tot en met {day_text(due)}") for cid, due in rows]


def _in_review(conn: Connection, scope: Scope, today: dt.date) -> list[Hit]:
    rows = conn.execute(
        select(Case.id, func.count(), func.min(Letter.updated_at)).join(Letter, Letter.case_id == Case.id)
        .where(Case.deleted_at.is_(None), held(scope), Letter.status == "in_review", Letter.deleted_at.is_(None))
        .group_by(Case.id))
    out = []
    for cid, n, oldest in rows:
        days = max(0, (today - review_since(oldest)).days)
        what = "brief ligt" if n == 1 else f"{n} brieven liggen, de oudste"
        out.append(((-days,), cid, f"{what} {plural(days, 'dag', 'dagen')} ter controle"))
    return out


FIGURES: dict[str, Callable[[Connection, Scope, dt.date], list[Hit]]] = {
    ft.FIGURE_OPEN: _open,
    ft.FIGURE_URGENT: _urgent,
    ft.FIGURE_NO_CONTACT: _no_contact,
    ft.FIGURE_ACTIONS_OVERDUE: _actions_overdue,
    ft.FIGURE_COMMITMENTS_OPEN: lambda c, s, d: _commitments(c, s, d, overdue=False),
    ft.FIGURE_COMMITMENTS_OVERDUE: lambda c, s, d: _commitments(c, s, d, overdue=True),
    ft.FIGURE_PAST_TERM: lambda c, s, d: _terms(c, s, d, past=True),
    ft.FIGURE_NEAR_TERM: lambda c, s, d: _terms(c, s, d, past=False),
    ft.FIGURE_OBJECTION_RUNNING: _objection,
    ft.FIGURE_IN_REVIEW: _in_review,
}


def cases_behind(conn: Connection, scope: Scope, *, figure: str, today: dt.date) -> list[ft.CaseRef]:
    """The cases `figure` counts for the handlers in `scope`, most urgent first (ties by case reference)."""
    pick = FIGURES.get(figure)
    if pick is None:
        raise ValidationError(f"Onbekend cijfer: {figure!r}; kies uit {', '.join(FIGURES)}.", field="figure")
    hits = pick(conn, scope, today)
    if not hits:
        return []
    wanted = {cid for _, cid, _ in hits}
    stmt = cases_statement().add_columns(Case.handler_id).where(held(scope))
    if len(wanted) < 500:  # a long list is cheaper as one pass over the scope than as bound parameters
        stmt = stmt.where(Case.id.in_(wanted))
    info = {cid: (reference, name, handler_id)
            for cid, reference, name, _phase, _mask, handler_id in conn.execute(stmt) if cid in wanted}
    refs = []
    for _key, cid, detail in sorted(hits, key=lambda h: (h[0], info[h[1]][0])):
        reference, name, handler_id = info[cid]
        refs.append(ft.CaseRef(cid, reference, name, handler_id, scope.names.get(handler_id, handler_id), detail))
    return refs
