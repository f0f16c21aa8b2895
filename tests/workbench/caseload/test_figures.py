"""Every caseload figure against the hand-built team, whose answers were worked out by hand (see conftest)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.workbench.caseload.conftest import TODAY, TeamData
from workbench.audit.models import AuditEvent
from workbench.caseload import types as ft
from workbench.caseload.service import CaseloadService
from workbench.caseload.types import Figures, TeamFigures
from workbench.errors import NotAllowed, ValidationError
from workbench.store.unit_of_work import Actor, Store

service = CaseloadService()


def _team(store: Store, actor: Actor) -> TeamFigures:
    with store.unit_of_work(actor) as uow:
        return service.team(uow, today=TODAY)


def _row(figures: TeamFigures, name: str) -> Figures:
    return next(f for f in figures.handlers if f.name == name)


def test_team_lead_sees_every_handler_of_the_team_and_no_one_else(store: Store, team: TeamData) -> None:
    figures = _team(store, team.lead)
    assert [f.name for f in figures.handlers] == ["Anna Bakker", "Bram de Vries", "Lotte Leiding"]
    assert figures.team.name == "Team Noord" and figures.team.handler_id is None
    assert figures.as_of == TODAY


def test_anna_figures_count_the_reassigned_case_and_skip_closed_and_tombstoned_ones(store: Store,
                                                                                     team: TeamData) -> None:
    anna = _row(_team(store, team.lead), "Anna Bakker")
    assert anna.open_cases == 3  # a1, a2 and a5 (reassigned from Bram); a3 closed, a4 tombstoned
    assert anna.by_phase == {"integrale_beoordeling": 1, "bezwaar": 1, "eerste_toets": 1}
    assert anna.urgent == 1
    assert (anna.days_since_contact_median, anna.days_since_contact_max) == (40.0, 546)
    assert anna.no_recent_contact == 2  # a2 (never, 546 days) and a5 (40 days)
    assert anna.actions_overdue == 1
    assert (anna.commitments_open, anna.commitments_overdue) == (3, 1)
    # Due in [31-08, 29-11): overdue open one, early, late, broken (a5), kept on its due date (a3).
    assert (anna.promises_due_90d, anna.promises_kept_on_time_90d) == (5, 2)
    assert anna.promise_reliability == pytest.approx(0.4)
    assert anna.decisions_past_term == 1  # a1 (03-11); a4 is tombstoned
    assert anna.decisions_near_term == 2  # a2 (derived: 03-12) and a5 (10-12)
    assert anna.objection_terms_running == 1  # a3, closed but its term runs
    assert (anna.letters_in_review, anna.oldest_review_days) == (1, 9)


def test_bram_has_no_promises_due_so_no_reliability_and_the_late_evening_email_is_today(store: Store,
                                                                                         team: TeamData) -> None:
    bram = _row(_team(store, team.lead), "Bram de Vries")
    assert bram.open_cases == 2  # a5 left him
    assert bram.by_track == {"brede_ondersteuning": 1}
    # b1: a meeting is not contact, so 10 days since opening; b2: 23:30 UTC on 28-11 is 29-11 in NL.
    assert (bram.days_since_contact_median, bram.days_since_contact_max) == (5.0, 10)
    assert bram.promises_due_90d == 0 and bram.promise_reliability is None
    assert (bram.commitments_open, bram.actions_overdue, bram.letters_in_review) == (0, 0, 0)
    assert bram.oldest_review_days is None


def test_team_totals(store: Store, team: TeamData) -> None:
    t = _team(store, team.lead).team
    assert t.open_cases == 5 and t.urgent == 1
    assert (t.days_since_contact_median, t.days_since_contact_max, t.no_recent_contact) == (10.0, 546, 2)
    assert (t.commitments_open, t.commitments_overdue, t.promises_due_90d, t.promises_kept_on_time_90d) == (3, 1, 5, 2)
    assert (t.decisions_past_term, t.decisions_near_term, t.objection_terms_running) == (1, 2, 1)
    assert (t.letters_in_review, t.oldest_review_days) == (1, 9)
    assert len(t.devices) == 3
    assert "2 apparaten achter met synchroniseren" in t.signals


def test_devices_and_signals(store: Store, team: TeamData) -> None:
    figures = _team(store, team.lead)
    anna, bram = _row(figures, "Anna Bakker"), _row(figures, "Bram de Vries")
    assert [d.device_name for d in anna.devices] == ["laptop-anna", "telefoon-anna"]
    assert anna.devices[1].last_sync_at is None
    assert anna.signals == (
        "1 beslissing over de termijn", "1 acute zaak", "1 toezegging te laat",
        "40% van de toezeggingen op tijd (90 dagen)", "2 ouders > 30 dagen geen contact", "1 actie te laat",
        "2 beslissingen binnen 14 dagen", "brief wacht 9 dagen op controle",
        "laptop-anna 9 dagen niet gesynchroniseerd", "12 wijzigingen wachten op synchronisatie",
        "telefoon-anna nooit gesynchroniseerd")
    # Synced this morning: its 3 pending changes are no signal yet; its conflict is.
    assert bram.signals == ("1 conflict wacht op een keuze",)
    assert _row(figures, "Lotte Leiding").signals == ()


def test_a_handler_sees_only_their_own_figures(store: Store, team: TeamData) -> None:
    figures = _team(store, team.anna)
    assert [f.name for f in figures.handlers] == ["Anna Bakker"]
    assert figures.team == figures.handlers[0]
    with store.unit_of_work(team.anna) as uow, pytest.raises(NotAllowed):
        service.cases_behind(uow, figure=ft.FIGURE_OPEN, handler_id=team.bram.user_id, today=TODAY)


def test_a_team_lead_cannot_look_into_another_team(store: Store, team: TeamData) -> None:
    with store.unit_of_work(team.lead) as uow, pytest.raises(NotAllowed):
        service.open_case_ages(uow, handler_id=team.outsider.user_id, today=TODAY)


def test_a_reviewer_is_refused_in_dutch(store: Store, team: TeamData) -> None:
    with store.unit_of_work(team.reviewer) as uow, pytest.raises(NotAllowed, match="beoordelingswachtrij"):
        service.team(uow, today=TODAY)


def _behind(store: Store, team: TeamData, figure: str, handler: Actor | None = None) -> list[tuple[str, str]]:
    with store.unit_of_work(team.lead) as uow:
        refs = service.cases_behind(uow, figure=figure, handler_id=handler.user_id if handler else None, today=TODAY)
    names = {v: k for k, v in team.cases.items()}
    return [(names[r.case_id], r.detail) for r in refs]


def test_cases_behind_each_figure_most_urgent_first(store: Store, team: TeamData) -> None:
    assert _behind(store, team, ft.FIGURE_NO_CONTACT) == [
        ("a2", "546 dagen geen contact (nog nooit sinds aanmelding)"), ("a5", "40 dagen geen contact")]
    assert _behind(store, team, ft.FIGURE_PAST_TERM) == [("a1", "beslistermijn verstreken op 03-11-2026")]
    assert _behind(store, team, ft.FIGURE_NEAR_TERM) == [
        ("a2", "beslistermijn verloopt op 03-12-2026 (over 4 dagen) (afgeleid: awb-beslistermijn-2009-10-01)"),
        ("a5", "beslistermijn verloopt op 10-12-2026 (over 11 dagen)")]
    assert _behind(store, team, ft.FIGURE_COMMITMENTS_OVERDUE) == [
        ("a1", "1 toezegging te laat, oudste uiterlijk 25-11-2026")]
    assert _behind(store, team, ft.FIGURE_IN_REVIEW) == [("a1", "brief ligt 9 dagen ter controle")]
    assert _behind(store, team, ft.FIGURE_OBJECTION_RUNNING) == [("a3", "bezwaartermijn loopt tot en met 15-01-2027")]
    assert _behind(store, team, ft.FIGURE_URGENT) == [("a1", "Dreigende huisuitzetting")]
    assert _behind(store, team, ft.FIGURE_ACTIONS_OVERDUE) == [
        ("a1", "1 actie te laat, oudste uiterlijk 20-11-2026")]
    # Urgent first, then the longest open.
    assert [c for c, _ in _behind(store, team, ft.FIGURE_OPEN)] == ["a1", "a2", "b2", "a5", "b1"]
    assert [c for c, _ in _behind(store, team, ft.FIGURE_OPEN, team.bram)] == ["b2", "b1"]
    assert [c for c, _ in _behind(store, team, ft.FIGURE_COMMITMENTS_OPEN)] == ["a1"]


def test_a_case_behind_a_figure_names_parent_and_handler_but_no_bsn(store: Store, team: TeamData) -> None:
    with store.unit_of_work(team.lead) as uow:
        (ref,) = service.cases_behind(uow, figure=ft.FIGURE_PAST_TERM, handler_id=None, today=TODAY)
    assert (ref.reference, ref.parent_name, ref.handler_name) == ("UHT-2026-000000", "Ouder0 Achternaam0",
                                                                   "Anna Bakker")


def test_unknown_figure_names_the_field(store: Store, team: TeamData) -> None:
    with store.unit_of_work(team.lead) as uow, pytest.raises(ValidationError) as err:
        service.cases_behind(uow, figure="bogus", handler_id=None, today=TODAY)
    assert err.value.field == "figure"


def test_reliability_series_per_week(store: Store, team: TeamData) -> None:
    with store.unit_of_work(team.lead) as uow:
        points = service.reliability_series(uow, handler_id=team.anna.user_id, today=TODAY, weeks=12)
    assert points[0][0] == dt.date(2026, 9, 6) and points[-1][0] == dt.date(2026, 11, 22)
    rates = {day.isoformat(): rate for day, rate in points if rate is not None}
    # 15-10 kept on its due date; 01-11 broken and 05-11 kept late; 12-11 kept early; 25-11 still open.
    assert rates == {"2026-10-11": 1.0, "2026-11-01": 0.0, "2026-11-08": 1.0, "2026-11-22": 0.0}
    with store.unit_of_work(team.lead) as uow:
        assert all(r is None for _, r in service.reliability_series(uow, handler_id=team.bram.user_id,
                                                                   today=TODAY, weeks=4))


def test_open_case_ages_and_phases(store: Store, team: TeamData) -> None:
    with store.unit_of_work(team.lead) as uow:
        assert service.open_case_ages(uow, handler_id=None, today=TODAY) == [10, 273, 301, 332, 546]
        phases = service.cases_per_phase(uow, handler_id=team.bram.user_id)
    assert phases["aangemeld"] == 1 and phases["nazorg"] == 1 and sum(phases.values()) == 2
    assert next(iter(phases)) == "aangemeld"


def test_looking_at_figures_is_audited(store: Store, team: TeamData) -> None:
    _team(store, team.lead)
    with store.unit_of_work(team.lead) as uow:
        verbs = uow.session.execute(select(AuditEvent.verb, AuditEvent.entity, AuditEvent.user_id)
                                    .where(AuditEvent.entity == "caseload")).all()
    assert verbs == [("view", "caseload", team.lead.user_id)]
