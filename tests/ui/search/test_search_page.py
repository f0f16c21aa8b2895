"""The "Zoeken" page: results after a pause, where each was found, keyboard-only opening, the model itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import RecordingNav, page_under_test, save_screenshot
from tests.ui.test_accessibility import unnamed_widgets
from ui.search.search_model import CASE_ID_ROLE, SearchModel, hit_text
from ui.search.search_page import SearchPage, hint
from workbench.search.service import CaseHit
from workbench.workspace import Workspace

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")


@pytest.fixture
def page(qtbot: Any, workspace: Workspace, profile: Path, nav: RecordingNav) -> Iterator[SearchPage]:
    yield from page_under_test(qtbot, workspace, profile, nav, SearchPage, (1000, 600))


def search(qtbot: Any, page: SearchPage, text: str) -> None:
    page.search_box.setFocus()
    with qtbot.waitSignal(page.results_shown, timeout=2000):
        qtbot.keyClicks(page.search_box, text)


def lines(page: SearchPage) -> list[str]:
    return [page.model.line(r) for r in range(page.model.rowCount())]


def a_parent(workspace: Workspace) -> tuple[str, str, str]:
    rows, _changes = workspace.run(lambda uow: workspace.cases.list_rows(uow))
    return rows[5].case_id, rows[5].reference, rows[5].parent_name


def test_the_model_passes_the_qt_model_tester(qtmodeltester) -> None:
    model = SearchModel()
    qtmodeltester.check(model)
    model.set_hits([CaseHit("a", "UHT-2024-000001", "case"), CaseHit("b", "UHT-2024-000002", "story")],
                   {"a": "Anna Jansen"})
    qtmodeltester.check(model)
    assert model.line(0) == "UHT-2024-000001 — Anna Jansen — gevonden in: naam/zaaknummer"
    assert model.line(1) == "UHT-2024-000002 — gevonden in: verhaal"
    assert [model.index(1, c).data() for c in range(3)] == ["UHT-2024-000002", "", "verhaal"]
    assert model.index(1, 0).data(CASE_ID_ROLE) == "b"
    assert model.index(0, 2).data(Qt.ItemDataRole.AccessibleTextRole) == model.line(0)


def test_a_name_finds_the_case_with_its_reference_and_where(qtbot: Any, page: SearchPage,
                                                            workspace: Workspace) -> None:
    case_id, reference, name = a_parent(workspace)
    assert page.status_label.text() == hint()
    search(qtbot, page, name)
    assert hit_text(CaseHit(case_id, reference, "case"), name) in lines(page)
    assert page.status_label.text().endswith("gevonden")
    assert unnamed_widgets(page) == []


def test_words_from_the_story_say_so(qtbot: Any, page: SearchPage) -> None:
    search(qtbot, page, "huur")
    assert any(line.endswith("gevonden in: verhaal") for line in lines(page))
    assert all(" — " in line and line.startswith("UHT-") for line in lines(page))


def test_nothing_found_and_an_empty_box_say_what_to_do(qtbot: Any, page: SearchPage) -> None:
    search(qtbot, page, "qqqxyz")
    assert page.model.rowCount() == 0
    assert page.status_label.text() == "Geen zaken gevonden voor ‘qqqxyz’. Probeer een ander woord."
    page.search_box.selectAll()
    with qtbot.waitSignal(page.results_shown, timeout=2000):
        qtbot.keyClick(page.search_box, Qt.Key.Key_Delete)
    assert page.status_label.text() == hint()


def test_enter_in_the_box_opens_the_best_result_even_before_the_pause(qtbot: Any, page: SearchPage,
                                                                      nav: RecordingNav,
                                                                      workspace: Workspace) -> None:
    case_id, reference, _name = a_parent(workspace)
    page.search_box.setFocus()
    qtbot.keyClicks(page.search_box, reference)
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    assert nav.calls == [("open_case", case_id)]


def test_keyboard_down_then_enter_opens_the_chosen_result(qtbot: Any, page: SearchPage, nav: RecordingNav) -> None:
    search(qtbot, page, "UHT")
    assert page.model.rowCount() > 2
    qtbot.keyClick(page.search_box, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.results
    qtbot.keyClick(page.results, Qt.Key.Key_Down)
    qtbot.keyClick(page.results, Qt.Key.Key_Return)
    assert nav.calls == [("open_case", page.model.case_id_at(1))]
    save_screenshot(page, "search")


def test_nothing_found_shows_an_empty_state_in_the_table(qtbot: Any, page: SearchPage) -> None:
    assert page.empty_state.isVisible() and page.empty_state.text() == hint()
    search(qtbot, page, "qqqxyz")
    assert page.empty_state.isVisible()
    assert page.empty_state.text() == "Geen zaken gevonden voor ‘qqqxyz’. Probeer een ander woord."
    save_screenshot(page, "search_empty")
    page.search_box.clear()
    search(qtbot, page, "UHT")
    assert not page.empty_state.isVisible()
