"""The Team table model: figures as text, attention in words and colour, filters, sorting, the chart buckets."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from ui.team.team_charts import age_buckets, phase_counts
from ui.team.team_model import COLUMNS, FIGURE_ROLE, TeamModel, needs_attention, plain_title, sync_age_text
from ui.widgets.row_table_model import WARNING_COLOUR
from workbench.caseload.types import FIGURE_COMMITMENTS_OVERDUE, FIGURE_OPEN, DeviceFreshness, Figures, TeamFigures

TODAY = dt.date(2026, 11, 29)
NOON = dt.datetime(2026, 11, 29, 11, 0, tzinfo=dt.UTC)
COL = {plain_title(n): n for n in range(len(COLUMNS))}


def device(user: str, *, days_ago: int | None, pending: int = 0, conflicts: int = 0) -> DeviceFreshness:
    last = None if days_ago is None else NOON - dt.timedelta(days=days_ago)
    return DeviceFreshness(f"d-{user}", user, f"Laptop {user}", last, pending, conflicts, last)


def figures(handler_id: str | None, name: str, **changes: Any) -> Figures:
    base = Figures(handler_id=handler_id, name=name, open_cases=10, by_phase={"aangemeld": 4, "bezwaar": 6},
                   by_track={}, urgent=1, days_since_contact_median=12.0, days_since_contact_max=40,
                   no_recent_contact=0, actions_overdue=0, commitments_open=5, commitments_overdue=0,
                   promises_due_90d=10, promises_kept_on_time_90d=9, promise_reliability=0.9,
                   promises_first_due_90d=10, promises_kept_first_date_90d=7, promises_kept_first_date=0.7,
                   decisions_past_term=0, decisions_near_term=1, objection_terms_running=2, letters_in_review=0,
                   oldest_review_days=None, devices=(device(handler_id or "team", days_ago=0),), signals=())
    return replace(base, **changes)


ANNA = figures("a", "Anna Jansen", commitments_overdue=3, promises_kept_on_time_90d=6, promise_reliability=0.6,
               signals=("3 toezeggingen te laat", "60% van de toezeggingen op tijd (90 dagen)"))
BRAM = figures("b", "Bram de Vries", open_cases=4, devices=(device("b", days_ago=5, pending=7),
                                                            device("b2", days_ago=0)))
CEES = figures("c", "Cees Bakker", open_cases=20, devices=(device("c", days_ago=None),), letters_in_review=2,
               oldest_review_days=9)
TEAM = figures(None, "Team Noord", open_cases=34, commitments_overdue=3, signals=("3 toezeggingen te laat",))
TEAM_FIGURES = TeamFigures(TEAM, (ANNA, BRAM, CEES), TODAY)


def texts(model: TeamModel, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_sync_age_reads_like_a_person_says_it() -> None:
    assert sync_age_text(None, TODAY) == "nooit"
    assert sync_age_text(NOON, TODAY) == "vandaag"
    assert sync_age_text(NOON - dt.timedelta(days=1), TODAY) == "gisteren"
    assert sync_age_text(NOON - dt.timedelta(days=3), TODAY) == "3 dagen geleden"
    # 23:30 UTC on the 28th is already the 29th in Amsterdam.
    assert sync_age_text(dt.datetime(2026, 11, 28, 23, 30, tzinfo=dt.UTC), TODAY) == "vandaag"
    # A moment without a zone (an older central) is UTC too, not already Dutch time.
    assert sync_age_text(dt.datetime(2026, 11, 28, 23, 30), TODAY) == "vandaag"


def test_the_team_row_comes_first_in_bold_and_figures_read_as_text(qtmodeltester: Any) -> None:
    model = TeamModel()
    qtmodeltester.check(model)
    model.set_figures(TEAM_FIGURES)
    qtmodeltester.check(model)
    assert texts(model, COL["Behandelaar"]) == ["⚠ Team Noord", "⚠ Anna Jansen", "Bram de Vries", "Cees Bakker"]
    font = model.index(0, COL["Open"]).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert model.index(2, COL["Open"]).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(1, COL["Op tijd nagekomen"]).data() == "⚠ 60%"
    assert model.index(2, COL["Op tijd nagekomen"]).data() == "90%"
    # Beside it, kept by the date first promised: renegotiated promises do not count as on time there.
    assert model.index(2, COL["Op eerste datum"]).data() == "70%"
    assert "7 van de 10 op de eerste datum" in model.index(2, COL["Op eerste datum"]).data(
        Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, COL["Dagen zonder contact"]).data() == "12 / 40"
    assert model.index(3, COL["Brieven ter controle"]).data() == "⚠ 2 (oudste 9 dagen)"
    assert model.index(2, COL["Brieven ter controle"]).data() == "0"
    assert model.index(1, COL["Aandacht"]).data() == ("3 toezeggingen te laat; 60% van de toezeggingen op tijd "
                                                     "(90 dagen)")


def test_attention_is_in_words_and_colour_never_colour_alone() -> None:
    model = TeamModel()
    model.set_figures(TEAM_FIGURES)
    late = model.index(1, COL["Toezeggingen te laat"])
    assert late.data() == "⚠ 3"
    assert late.data(Qt.ItemDataRole.ForegroundRole) == WARNING_COLOUR
    assert "Let op: 3 toezeggingen te laat" in late.data(Qt.ItemDataRole.ToolTipRole)
    assert late.data(Qt.ItemDataRole.AccessibleTextRole) == "Toezeggingen te laat: 3, let op: 3 toezeggingen te laat"
    calm = model.index(2, COL["Toezeggingen te laat"])
    assert calm.data() == "0" and calm.data(Qt.ItemDataRole.ForegroundRole) is None
    # Freshness: the stalest device decides; a device that never synced is named.
    assert model.index(2, COL["Laatste sync"]).data() == "⚠ 5 dagen geleden"
    assert model.index(3, COL["Laatste sync"]).data() == "⚠ nooit"
    assert "Laptop c heeft nog nooit" in model.index(3, COL["Laatste sync"]).data(
        Qt.ItemDataRole.AccessibleTextRole)
    assert model.index(1, COL["Laatste sync"]).data() == "vandaag"
    tip = model.index(2, COL["Laatste sync"]).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines() == ["Laptop b: 5 dagen geleden, 7 wachtende wijzigingen, 0 conflicten",
                                "Laptop b2: vandaag, 0 wachtende wijzigingen, 0 conflicten"]
    assert model.index(2, COL["Wachtende wijzigingen"]).data() == "7"
    assert model.index(1, COL["Aandacht"]).data(Qt.ItemDataRole.ForegroundRole) == WARNING_COLOUR
    assert [needs_attention(f, TODAY) for f in (ANNA, BRAM, CEES)] == [True, True, True]
    assert not needs_attention(figures("d", "Dirk"), TODAY)


def test_filters_keep_the_team_row_and_sorting_keeps_it_on_top(qtmodeltester: Any) -> None:
    calm = figures("d", "Dirk Smit", open_cases=2)
    model = TeamModel()
    model.set_figures(replace(TEAM_FIGURES, handlers=(ANNA, BRAM, CEES, calm)))
    model.set_filter(attention_only=True, handler_id=None)
    qtmodeltester.check(model)
    assert texts(model, 0) == ["⚠ Team Noord", "⚠ Anna Jansen", "Bram de Vries", "Cees Bakker"]
    model.set_filter(attention_only=False, handler_id="b")
    assert texts(model, 0) == ["⚠ Team Noord", "Bram de Vries"]
    assert model.row_of("b") == 1 and model.row_of(None) == 0 and model.row_of("a") == -1
    model.set_filter(attention_only=False, handler_id=None)
    model.sort(COL["Open"], Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert texts(model, COL["Open"]) == ["34", "20", "10", "4", "2"]
    model.sort(COL["Laatste sync"], Qt.SortOrder.DescendingOrder)
    assert texts(model, 0)[:2] == ["⚠ Team Noord", "Cees Bakker"]  # never synced is the stalest


def test_drillable_columns_name_their_figure() -> None:
    model = TeamModel()
    model.set_figures(TEAM_FIGURES)
    assert model.index(1, COL["Open"]).data(FIGURE_ROLE) == FIGURE_OPEN
    assert model.index(1, COL["Toezeggingen te laat"]).data(FIGURE_ROLE) == FIGURE_COMMITMENTS_OVERDUE
    assert model.index(1, COL["Op tijd nagekomen"]).data(FIGURE_ROLE) is None
    assert "Enter: de zaken achter dit cijfer" in model.index(1, COL["Open"]).data(Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(COL["Urgent"], Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole).startswith(
        "Open zaken met een urgentie")


def test_chart_buckets() -> None:
    assert age_buckets([0, 89, 90, 200, 364, 365, 800]) == [
        ("0–3 mnd", 2), ("3–6 mnd", 1), ("6–12 mnd", 2), ("1–2 jaar", 1), ("2 jaar of meer", 1)]
    assert phase_counts({"bezwaar": 2, "aangemeld": 1, "nazorg": 0, "onbekend": 1}) == [
        ("Aangemeld", 1), ("Bezwaar", 2), ("onbekend", 1)]
