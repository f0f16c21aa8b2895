"""The Team page on a team lead's demo data: figures, filters, charts, drill-down, reassign, exports, handover."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCharts import QHorizontalBarSeries, QLineSeries, QScatterSeries
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from tests.ui.clipping import clipped_texts
from tests.ui.conftest import RecordingNav, save_screenshot
from tests.ui.test_accessibility import unnamed_widgets
from tests.ui.widgets.test_list_page import next_tab_stop
from ui.team.handover_dialog import HandoverDialog, open_handover
from ui.team.reassign_dialog import REASON_MISSING, UNREACHABLE
from ui.team.team_model import ATTENTION, COLUMNS, needs_attention, plain_title
from ui.team.team_page import TeamPage
from workbench.caseload.types import FIGURE_OPEN
from workbench.parties.models import Parent
from workbench.sync import client, state

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")
COL = {plain_title(n): n for n in range(len(COLUMNS))}


def bar_values(series: Any) -> list[float]:
    assert isinstance(series, QHorizontalBarSeries)
    bars = series.barSets()[0]
    return [bars.at(i) for i in range(bars.count())]


def test_the_team_and_every_handler_with_what_needs_attention(qtbot: Any, team_page: TeamPage) -> None:
    model = team_page.model
    assert model.rowCount() == 6  # the team row and five handlers
    team = model.figures_at(0)
    assert team.handler_id is None
    assert sum(model.figures_at(r).open_cases for r in range(1, 6)) == team.open_cases > 0
    font = model.index(0, COL["Open"]).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    names = [model.figures_at(r).name for r in range(1, 6)]
    assert "Tessa Teamleider" in names and names == sorted(names, key=str.casefold)
    # The laptop that never synced says so in words.
    assert any(model.index(r, COL["Laatste sync"]).data() == "⚠ nooit" for r in range(1, 6))
    assert "stand" in team_page.as_of.text() and "aandacht" in team_page.as_of.text()
    # The charts show the team: its phases add up to its open cases; ages are bucketed; a reliability line.
    phases = team_page.charts.phases.chart().series()
    assert sum(bar_values(phases[0])) == team.open_cases
    assert sum(bar_values(team_page.charts.ages.chart().series()[0])) == team.open_cases
    lines = team_page.charts.reliability.chart().series()
    assert lines and all(isinstance(s, QLineSeries | QScatterSeries) for s in lines)
    assert team_page.charts.ages.accessibleDescription().startswith("0–3 mnd:")
    assert unnamed_widgets(team_page) == []
    qtbot.wait(100)
    save_screenshot(team_page, "team_page")


def test_filters_narrow_the_rows_and_the_charts_follow_the_handler(qtbot: Any, team_page: TeamPage) -> None:
    model = team_page.model
    calm = [model.figures_at(r) for r in range(1, model.rowCount())
            if not needs_attention(model.figures_at(r), model.today)]
    team_page.attention_box.setChecked(True)
    assert model.rowCount() == 6 - len(calm)
    team_page.attention_box.setChecked(False)
    chosen = model.figures_at(2)
    with qtbot.waitSignal(team_page.charts_shown, timeout=2000):
        team_page.handler_box.setCurrentIndex(team_page.handler_box.findData(chosen.handler_id))
    assert [model.figures_at(r).name for r in range(model.rowCount())] == [model.figures_at(0).name, chosen.name]
    assert team_page.table.currentIndex().row() == 1
    assert team_page.charts.subject.text().endswith(chosen.name)
    assert sum(bar_values(team_page.charts.phases.chart().series()[0])) == chosen.open_cases
    qtbot.wait(100)  # the charts lay themselves out again on the next turn of the event loop
    save_screenshot(team_page, "team_page_handler")


def test_enter_on_a_figure_lists_its_cases_and_enter_opens_one(qtbot: Any, team_page: TeamPage,
                                                                nav: RecordingNav) -> None:
    team_page.table.setFocus()
    team_page.table.setCurrentIndex(team_page.model.index(1, COL["Open"]))
    handler = team_page.model.figures_at(1)
    qtbot.keyClick(team_page.table, Qt.Key.Key_Return)
    dialog = team_page.cases_dialog
    assert dialog is not None and dialog.isVisible() and dialog.figure == FIGURE_OPEN
    assert dialog.model.rowCount() == handler.open_cases
    assert dialog.count.text() == f"{handler.open_cases} zaken"
    assert {dialog.model.row_at(r).handler_id for r in range(dialog.model.rowCount())} == {handler.handler_id}
    assert unnamed_widgets(dialog) == []
    save_screenshot(dialog, "team_drilldown")
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.model.index(1, 0))
    chosen = dialog.model.row_at(1)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert nav.calls == [("open_case", chosen.case_id)]
    assert not dialog.isVisible()
    # A column without cases behind it opens nothing.
    team_page.cases_dialog = None
    team_page.drill(team_page.model.index(1, COL["Op tijd nagekomen"]))
    assert team_page.cases_dialog is None


def test_reassigning_needs_a_handler_and_a_reason_and_says_so_when_central_is_away(
        qtbot: Any, team_page: TeamPage, secrets: Any) -> None:
    team_page.drill(team_page.model.index(0, COL["Open"]))
    drill = team_page.cases_dialog
    assert drill is not None
    drill.reassign_button.click()
    dialog = drill.reassign_dialog
    assert dialog is not None and dialog.isVisible()
    case = dialog.case
    assert dialog.handler_box.findData(case.handler_id) == -1  # not to whom it already belongs
    assert dialog.handler_box.count() == 5  # "Kies…" and the four others
    dialog.ok_button.click()
    assert dialog.errors.message("zaakbehandelaar") == "Kies een zaakbehandelaar uit het team."
    dialog.handler_box.setCurrentIndex(2)
    dialog.ok_button.click()
    assert dialog.errors.message("reden") == REASON_MISSING
    assert dialog.confirm_box is None
    assert unnamed_widgets(dialog) == []
    save_screenshot(dialog, "team_reassign")
    # Enrolled with a central that does not answer: the Dutch message stays in the form, the reason too.
    ws = team_page.ctx.runner.workspace
    assert ws is not None
    with ws.unit_of_work() as uow:
        state.put(uow.session, state.SERVER_URL, "http://127.0.0.1:9")
    secrets.set(client.token_name(ws.descriptor.profile_id), "token")
    qtbot.keyClicks(dialog.reason, "Gaat met verlof")
    dialog.ok_button.click()
    box = dialog.confirm_box
    assert box is not None and case.reference in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    general = dialog.errors.general
    assert general is not None and general.isVisible()
    assert general.text() == UNREACHABLE
    assert dialog.isVisible() and dialog.reason.toPlainText() == "Gaat met verlof"
    assert dialog.ok_button.isEnabled()
    save_screenshot(dialog, "team_reassign_offline")


def test_exports_write_the_report_and_the_figures(qtbot: Any, team_page: TeamPage, tmp_path: Path) -> None:
    ws = team_page.ctx.runner.workspace
    assert ws is not None
    with ws.unit_of_work() as uow:
        bsns = set(uow.session.scalars(select(Parent.bsn)))
    with qtbot.waitSignal(team_page.export_saved, timeout=10_000):
        team_page.save_export("csv", tmp_path / "cijfers.csv")
    text = (tmp_path / "cijfers.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ","))
    names = {team_page.model.figures_at(r).name for r in range(1, 6)}
    assert names <= {cell for row in rows for cell in row}
    assert not bsns & set(re.findall(r"\d{9}", text))
    with qtbot.waitSignal(team_page.export_saved, timeout=20_000):
        team_page.save_export("pdf", tmp_path / "rapport.pdf")
    assert (tmp_path / "rapport.pdf").read_bytes().startswith(b"%PDF")
    assert team_page.message.text() == f"Opgeslagen in {tmp_path / 'rapport.pdf'}."
    # A folder that cannot be written to is said in Dutch, not reported as a bug.
    team_page.save_export("csv", tmp_path / "bestaat-niet" / "cijfers.csv")
    boxes = [b for b in team_page.findChildren(QMessageBox) if b.isVisible()]
    assert [b.windowTitle() for b in boxes] == ["Let op"]
    assert "cijfers.csv kon niet worden opgeslagen" in boxes[0].text()
    assert not (tmp_path / "bestaat-niet").exists()


def test_the_handover_summary_shows_the_open_work_and_the_whole_story(qtbot: Any, team_page: TeamPage) -> None:
    team_page.drill(team_page.model.index(0, COL["Toezeggingen open"]))
    drill = team_page.cases_dialog
    assert drill is not None and drill.model.rowCount() > 0
    case = drill.model.row_at(0)
    drill.reject()
    opened: list[HandoverDialog] = []
    open_handover(team_page.ctx.runner, case.case_id, team_page, opened.append)
    assert len(opened) == 1
    dialog = opened[0]
    summary = dialog.summary
    text = dialog.text.toPlainText()
    assert f"Overdracht van zaak {case.reference}" in text
    assert summary.commitments and summary.commitments[0].description in text
    assert summary.story and summary.story[0][2].splitlines()[0] in text
    assert text.index("Lopende toezeggingen") < text.index("Het verhaal van de ouder")
    assert unnamed_widgets(dialog) == []
    save_screenshot(dialog, "team_handover")
    with qtbot.waitSignal(dialog.acknowledged, timeout=1000) as read:
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return)  # the summary has the focus; Enter means "Gelezen"
    assert read.args == [case.case_id]


def test_no_figures_yet_says_so(qtbot: Any, team_page: TeamPage) -> None:
    assert not team_page.empty_state.isVisible()
    team_page.model.set_rows([])
    assert team_page.empty_state.isVisible()
    assert team_page.empty_state.text().startswith("Nog geen cijfers van het team.")
    save_screenshot(team_page, "team_empty")


def test_the_filters_and_buttons_come_before_the_figures_and_nothing_is_cut_off(qtbot: Any,
                                                                               team_page: TeamPage) -> None:
    team_page.resize(1126, 700)  # the page's room in a 1366 × 768 window
    qtbot.waitUntil(lambda: team_page.loaded and team_page.table.currentIndex().isValid())
    with qtbot.waitSignal(team_page.figures_shown):
        team_page.reload()  # the table and charts share the height anew at this size
    rows = team_page.model.rowCount()
    assert team_page.table.rowAt(team_page.table.viewport().height() - 2) in (rows - 1, -1), "every row is in view"
    qtbot.wait(100)
    order = [team_page.attention_box, team_page.handler_box, team_page.drill_button, team_page.pdf_button,
             team_page.csv_button, team_page.reload_button, team_page.table]
    assert [next_tab_stop(w, team_page) for w in order[:-1]] == order[1:]
    assert team_page.focusProxy() is team_page.table
    assert team_page.splitter.widget(0) is team_page.list_area and team_page.splitter.widget(1) is team_page.charts
    team_page.grab().save("/tmp/pages-team.png")
    attention = {team_page.model.index(row, ATTENTION).data() for row in range(team_page.model.rowCount())}
    # The attention column shows the first words; the detail line under the table has them all.
    found = [text for text in clipped_texts(team_page) if text.split("'")[1] not in attention]
    assert found == [], "\n".join(found)
