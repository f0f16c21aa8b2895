"""Kept by the first promised date beside kept on time: a renegotiation may not hide a slipped promise."""

from __future__ import annotations

import pytest

from tests.helpers.factories import FixedClock
from tests.workbench.caseload.conftest import TODAY, TeamData
from workbench.caseload import report
from workbench.caseload.service import CaseloadService
from workbench.caseload.types import Figures
from workbench.plans.service import PlanService
from workbench.store.unit_of_work import Store

service = CaseloadService()


def _rows(store: Store, team: TeamData) -> dict[str, Figures]:
    with store.unit_of_work(team.lead) as uow:
        figures = service.team(uow, today=TODAY)
    return {f.name: f for f in (*figures.handlers, figures.team)}


def _slipped(store: Store, team: TeamData, clock: FixedClock) -> None:
    """Bram promises on 30-10 to call back by 05-11, agrees 20-11 instead that same day, calls on 18-11."""
    plans = PlanService()
    clock.advance(days=-30)  # 30-10-2026
    with store.unit_of_work(team.bram) as uow:
        c = plans.add_commitment(uow, team.cases["b1"], description="Terugbellen over de schulden",
                                 promised_by="Bram", due_on="2026-11-05")
        plans.renegotiate(uow, c.id, new_due_on="2026-11-20", note="Stukken van de gemeente komen later")
    clock.advance(days=19)  # 18-11-2026
    with store.unit_of_work(team.bram) as uow:
        assert plans.keep(uow, c.id).status == "kept"
    clock.advance(days=11)  # back to 29-11-2026


def test_a_promise_renegotiated_then_kept_by_its_new_date_is_on_time_but_not_by_the_first_date(
        store: Store, team: TeamData, clock: FixedClock) -> None:
    _slipped(store, team, clock)
    bram = _rows(store, team)["Bram de Vries"]
    assert (bram.promises_due_90d, bram.promises_kept_on_time_90d, bram.promise_reliability) == (1, 1, 1.0)
    assert (bram.promises_first_due_90d, bram.promises_kept_first_date_90d) == (1, 0)
    assert bram.promises_kept_first_date == 0.0


def test_without_renegotiations_both_figures_agree(store: Store, team: TeamData) -> None:
    rows = _rows(store, team)
    anna, bram, total = rows["Anna Bakker"], rows["Bram de Vries"], rows["Team Noord"]
    assert (anna.promises_first_due_90d, anna.promises_kept_first_date_90d) == (5, 2)
    assert anna.promises_kept_first_date == pytest.approx(0.4) == anna.promise_reliability
    assert bram.promises_kept_first_date is None
    assert (total.promises_first_due_90d, total.promises_kept_first_date_90d) == (5, 2)


def test_the_team_sums_the_first_date_figures(store: Store, team: TeamData, clock: FixedClock) -> None:
    _slipped(store, team, clock)
    total = _rows(store, team)["Team Noord"]
    assert (total.promises_due_90d, total.promises_kept_on_time_90d) == (6, 3)
    assert (total.promises_first_due_90d, total.promises_kept_first_date_90d) == (6, 2)
    assert total.promises_kept_first_date == pytest.approx(2 / 6)


def test_the_report_shows_the_first_date_figure_beside_the_current_one(store: Store, team: TeamData,
                                                                        clock: FixedClock) -> None:
    _slipped(store, team, clock)
    with store.unit_of_work(team.lead) as uow:
        csv_text = service.export_report(uow, kind="csv", today=TODAY).decode("utf-8")
        figures = service.team(uow, today=TODAY)
    header, *lines = [line.split(";") for line in csv_text.strip().split("\r\n")]
    on_time, first = header.index("Op tijd nagekomen (%)"), header.index("Op eerste datum nagekomen (%)")
    assert first == on_time + 3
    bram = next(line for line in lines if line[0] == "Bram de Vries")
    assert (bram[on_time], bram[first - 2], bram[first - 1], bram[first]) == ("100", "1", "0", "0")
    pairs = dict(report._key_figures(figures.team))
    assert pairs["Op eerste datum (90 d)"] == "33%"
    assert any("<b>Op eerste datum (90 d)</b>" in d for d in report.DEFINITIONS)
