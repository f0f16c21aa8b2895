"""CaseloadService: a team lead's (or a handler's own) figures, the cases behind them, charts data, exports."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import select

from workbench.audit.chain import AuditEntry
from workbench.caseload import drill, report, series
from workbench.caseload.figures import Tally, gather
from workbench.caseload.handover import HandoverSummary, handover_summary, waiting_handovers
from workbench.caseload.scope import Scope, resolve
from workbench.caseload.signals import signals
from workbench.caseload.terms import plural
from workbench.caseload.types import CaseRef, DeviceFreshness, Figures, TeamFigures
from workbench.errors import ValidationError
from workbench.staff.models import Role
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync.models import DeviceStatus


def _devices(uow: UnitOfWork, scope: Scope) -> dict[str, list[DeviceFreshness]]:
    """What central last reported about each device of the handlers in view (DeviceStatus rows)."""
    rows = uow.session.scalars(select(DeviceStatus).where(DeviceStatus.user_id.in_(scope.handler_ids))
                               .order_by(DeviceStatus.device_name, DeviceStatus.device_id))
    out: dict[str, list[DeviceFreshness]] = {h: [] for h in scope.handler_ids}
    for r in rows:
        out[r.user_id].append(DeviceFreshness(r.device_id, r.user_id, r.device_name, r.last_sync_at,
                                              r.pending_changes, r.open_conflicts, r.reported_at,
                                              r.audit_pending))
    return out


def _figures(handler_id: str | None, name: str, t: Tally, devices: tuple[DeviceFreshness, ...], today: dt.date,
             *, team: bool = False) -> Figures:
    return Figures(
        handler_id=handler_id, name=name, open_cases=t.open_cases, by_phase=dict(t.by_phase),
        by_track=dict(t.by_track), urgent=t.urgent, days_since_contact_median=t.contact_median,
        days_since_contact_max=max(t.contact_days) if t.contact_days else None,
        no_recent_contact=t.no_recent_contact, actions_overdue=t.actions_overdue,
        commitments_open=t.commitments_open, commitments_overdue=t.commitments_overdue,
        promises_due_90d=t.promises_due, promises_kept_on_time_90d=t.promises_kept,
        promise_reliability=t.reliability, promises_first_due_90d=t.promises_first_due,
        promises_kept_first_date_90d=t.promises_kept_first, promises_kept_first_date=t.first_date_rate,
        decisions_past_term=t.past_term, decisions_near_term=t.near_term,
        objection_terms_running=t.objection_running, letters_in_review=t.in_review,
        oldest_review_days=t.oldest_review_days, devices=devices,
        signals=signals(t, devices, today, team=team))


class CaseloadService:
    """Figures over the cases the acting user may see (see `scope.resolve`): a handler their own, a team lead
    the team's, a reviewer none. Each figure is defined where it is computed (`figures`, `drill`, `series`).
    """

    def scope(self, uow: UnitOfWork, handler_id: str | None = None) -> Scope:
        """The handlers the acting user may see, narrowed to `handler_id` if given (NotAllowed otherwise)."""
        return resolve(uow).narrow(handler_id)

    def team(self, uow: UnitOfWork, *, today: dt.date) -> TeamFigures:
        """The team's totals and one row per handler (for a handler: only their own), as of `today`.

        The team row sums the handlers' counts; its median days since contact is over all the team's open
        cases, its reliability the team's kept-on-time promises over all promises due (and likewise kept by
        the first promised date over all promises first due), its oldest letter
        in review the longest wait of any handler, and its devices every handler's devices.
        """
        scope = resolve(uow)
        uow.session.flush()
        tallies = gather(uow.session.connection(), scope, today)
        devices = _devices(uow, scope)
        rows = tuple(_figures(h, scope.names[h], tallies[h], tuple(devices[h]), today) for h in scope.handler_ids)
        uow.audit(AuditEntry("view", "caseload", scope.team_id or uow.actor.user_id,
                             detail=plural(len(rows), "behandelaar", "behandelaars")))
        if scope.role != Role.TEAM_LEAD or scope.team_id is None:
            return TeamFigures(rows[0], rows, today)
        total = Tally()
        for t in tallies.values():
            total.add(t)
        every = tuple(d for h in scope.handler_ids for d in devices[h])
        team = _figures(None, scope.team_name or "Team", total, every, today, team=True)
        return TeamFigures(team, rows, today)

    def cases_behind(self, uow: UnitOfWork, *, figure: str, handler_id: str | None,
                     today: dt.date) -> list[CaseRef]:
        """The cases a figure counts (one of the FIGURE_* names), most urgent first, each with a Dutch reason."""
        scope = self.scope(uow, handler_id)
        uow.session.flush()
        refs = drill.cases_behind(uow.session.connection(), scope, figure=figure, today=today)
        uow.audit(AuditEntry("view", "caseload", handler_id or scope.team_id or "", detail=f"lijst {figure}"))
        return refs

    def reliability_series(self, uow: UnitOfWork, *, handler_id: str | None, today: dt.date,
                           weeks: int = 12) -> list[tuple[dt.date, float | None]]:
        """Promise reliability per week for the last `weeks` weeks (see `series.reliability_series`)."""
        if not 1 <= weeks <= 104:
            raise ValidationError("Aantal weken moet tussen 1 en 104 liggen.", field="weeks")
        scope = self.scope(uow, handler_id)
        uow.session.flush()
        return series.reliability_series(uow.session.connection(), scope, today=today, weeks=weeks)

    def open_case_ages(self, uow: UnitOfWork, *, handler_id: str | None, today: dt.date) -> list[int]:
        """Days since `opened_on` of each open case in view (see `series.open_case_ages`)."""
        scope = self.scope(uow, handler_id)
        uow.session.flush()
        return series.open_case_ages(uow.session.connection(), scope, today=today)

    def cases_per_phase(self, uow: UnitOfWork, *, handler_id: str | None) -> dict[str, int]:
        """Open cases per phase, in process order (every phase, also empty ones)."""
        scope = self.scope(uow, handler_id)
        uow.session.flush()
        return series.cases_per_phase(uow.session.connection(), scope)

    def handover(self, uow: UnitOfWork, case_id: str) -> HandoverSummary:
        """What a new handler reads first about a case; audited as a view."""
        return handover_summary(uow, case_id)

    def waiting_handovers(self, uow: UnitOfWork) -> list[HandoverSummary]:
        """The summaries of the cases handed to this user that they have not marked read (see `handover`)."""
        return waiting_handovers(uow)

    def export_report(self, uow: UnitOfWork, *, kind: Literal["pdf", "csv"], today: dt.date) -> bytes:
        """The team report as PDF (figures, charts, handler table) or CSV (UTF-8); audited as an export.

        Neither holds a BSN or a parent's name: only handlers' names and counts.
        """
        if kind not in ("pdf", "csv"):
            raise ValidationError("Soort export is onbekend: kies pdf of csv.", field="kind")
        figures = self.team(uow, today=today)
        if kind == "csv":
            data = report.report_csv(figures).encode("utf-8")
        else:
            charts = report.ChartData(
                phases=self.cases_per_phase(uow, handler_id=None),
                ages=self.open_case_ages(uow, handler_id=None, today=today),
                reliability=self.reliability_series(uow, handler_id=None, today=today))
            data = report.report_pdf(figures, charts=charts)
        scope = resolve(uow)
        uow.audit(AuditEntry("export", "caseload", scope.team_id or uow.actor.user_id,
                             detail=f"{kind}, {plural(len(figures.handlers), 'behandelaar', 'behandelaars')}, "
                                    f"peildatum {today.isoformat()}"))
        return data
