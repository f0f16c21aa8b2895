"""Navigation in the window: Terug/Escape back to the page and state you came from; the sidebar names the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget

from tests.ui.keyboard import focused
from ui.cases.case_list_page import CaseListPage
from ui.cases.case_view import CaseView
from ui.search.search_page import SearchPage
from workbench.workspace import Workspace

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHOTS = Path("/work/notes/shots")
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def sidebar_says(window: Any) -> str:
    item = window.sidebar.currentItem()
    return "" if item is None else str(item.text())


def shown(window: Any) -> QWidget:
    return window.stack.currentWidget()


def activate(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def search_results(page: SearchPage) -> list[str]:
    return [page.model.line(r) for r in range(page.model.rowCount())]


def search_and_open_fourth(qtbot: Any, window: Any) -> tuple[SearchPage, list[str], CaseView]:
    """Ctrl+3, type a query, go down to the fourth result and open it with Enter."""
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    page = shown(window)
    assert isinstance(page, SearchPage) and sidebar_says(window) == "Zoeken"
    with qtbot.waitSignal(page.results_shown, timeout=2000):
        qtbot.keyClicks(page.search_box, "UHT")
    results = search_results(page)
    assert len(results) > 4
    qtbot.keyClick(page.search_box, Qt.Key.Key_Down)  # into the results, on the first
    for _n in range(3):
        qtbot.keyClick(page.results, Qt.Key.Key_Down)
    assert page.results.currentIndex().row() == 3
    page.results.scrollTo(page.results.currentIndex(), QAbstractItemView.ScrollHint.PositionAtTop)
    assert page.results.verticalScrollBar().value() > 0, "the results scroll in a 1280×800 window"
    qtbot.keyClick(page.results, Qt.Key.Key_Return)
    view = shown(window)
    assert isinstance(view, CaseView)
    assert view.case_id == page.model.case_id_at(3)
    qtbot.waitUntil(lambda: view.overview.loaded)
    return page, results, view


def assert_search_as_left(window: Any, page: SearchPage, results: list[str], searched: int, scrolled: int) -> None:
    assert shown(window) is page
    assert sidebar_says(window) == "Zoeken" and window.sidebar.isVisible()
    assert page.search_box.text() == "UHT"
    assert search_results(page) == results
    assert page.results.currentIndex().row() == 3
    assert page.results.verticalScrollBar().value() == scrolled
    assert page._generation == searched, "the results were kept, not searched again"
    assert focused() is page.results  # the keyboard is where it was: Enter opens the same case again


def test_terug_returns_to_the_search_results(qtbot: Any, window: Any) -> None:
    page, results, view = search_and_open_fourth(qtbot, window)
    searched, scrolled = page._generation, page.results.verticalScrollBar().value()
    assert sidebar_says(window) == "Zoeken"  # the case was opened from Zoeken
    qtbot.mouseClick(view.back_button, Qt.MouseButton.LeftButton)
    assert_search_as_left(window, page, results, searched, scrolled)
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "nav_back_to_search.png"))


def test_escape_returns_to_the_search_results(qtbot: Any, window: Any) -> None:
    page, results, _view = search_and_open_fourth(qtbot, window)
    searched, scrolled = page._generation, page.results.verticalScrollBar().value()
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert_search_as_left(window, page, results, searched, scrolled)


def test_alt_left_returns_to_the_search_results(qtbot: Any, window: Any) -> None:
    page, results, _view = search_and_open_fourth(qtbot, window)
    searched, scrolled = page._generation, page.results.verticalScrollBar().value()
    qtbot.keyClick(focused(), Qt.Key.Key_Left, ALT)
    assert_search_as_left(window, page, results, searched, scrolled)


def filtered_list_with_a_row_chosen(qtbot: Any, window: Any) -> tuple[CaseListPage, str]:
    """Ctrl+1, a filter typed, the third row chosen: the state Terug must bring back."""
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    page = shown(window)
    assert isinstance(page, CaseListPage) and sidebar_says(window) == "Mijn zaken"
    with qtbot.waitSignal(page.list_updated, timeout=2000):
        qtbot.keyClicks(page.filter_box, "UHT-")
    assert page.model.rowCount() > 3
    qtbot.keyClick(page.filter_box, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    chosen = page.current_case_id()
    assert chosen is not None and page.table.currentIndex().row() == 2
    return page, chosen


@pytest.mark.parametrize("how", ["terug", "escape"])
def test_terug_from_a_case_restores_the_filter_and_the_chosen_row(qtbot: Any, window: Any, how: str) -> None:
    page, chosen = filtered_list_with_a_row_chosen(qtbot, window)
    rows = page.model.rowCount()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    view = shown(window)
    assert isinstance(view, CaseView) and view.case_id == chosen
    qtbot.waitUntil(lambda: view.overview.loaded)
    assert sidebar_says(window) == "Mijn zaken"
    if how == "terug":
        qtbot.mouseClick(view.back_button, Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert shown(window) is page and sidebar_says(window) == "Mijn zaken"
    assert page.filter_box.text() == "UHT-" and page.model.rowCount() == rows
    assert page.current_case_id() == chosen and page.table.currentIndex().row() == 2
    assert focused() is page.table


@pytest.mark.parametrize("where", ["middle", "last"])
def test_a_change_made_in_the_case_keeps_the_list_where_it_was(qtbot: Any, window: Any, where: str) -> None:
    """The list reloads after a change in the case (it is stale), yet the chosen row and the scroll stay."""
    activate(qtbot, window)
    page = window._page_widgets["cases"]
    window.show_page("cases")
    qtbot.wait(50)  # laid out
    assert page.table.verticalScrollBar().maximum() > 3, "30 cases scroll in a 1280×800 window"
    row = 3 if where == "middle" else page.model.rowCount() - 1
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row, 0))
    page.table.scrollTo(page.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    scrolled = page.table.verticalScrollBar().value()
    assert scrolled > 0
    chosen = page.current_case_id()
    window.open_case(chosen)
    view = shown(window)
    qtbot.waitUntil(lambda: view.overview.loaded)
    window.ctx.runner.run(lambda ws, uow: ws.story.add(uow, chosen, kind="telefoon", text="Even gebeld."))
    assert page.stale
    window.back()
    assert shown(window) is page and not page.stale
    assert page.current_case_id() == chosen and page.table.verticalScrollBar().value() == scrolled, \
        (page.table.verticalScrollBar().maximum(), page.model.rowCount())


def test_a_sidebar_page_while_a_case_is_open_names_that_page(qtbot: Any, window: Any) -> None:
    _page, _results, _view = search_and_open_fourth(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    assert shown(window) is window._page_widgets["cases"] and sidebar_says(window) == "Mijn zaken"
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # nothing to go back to: stays
    assert shown(window) is window._page_widgets["cases"] and sidebar_says(window) == "Mijn zaken"


def test_clicking_the_marked_page_while_a_case_is_open_shows_that_page(qtbot: Any, window: Any) -> None:
    page, _results, _view = search_and_open_fourth(qtbot, window)
    item = window.sidebar.currentItem()
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.sidebar.visualItemRect(item).center())
    assert shown(window) is page and sidebar_says(window) == "Zoeken"


def in_visit(qtbot: Any, window: Any) -> Any:
    page = shown(window)
    assert type(page).__name__ == "HomeVisitPage" and not window.sidebar.isVisible()
    qtbot.waitUntil(lambda: page.autosaver.draft_id is not None)
    page.text.setFocus()
    qtbot.keyClicks(page.text, "Moeder vertelt over de huurachterstand.")
    return page


def finish(qtbot: Any, page: Any) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_A, ALT)  # "Bezoek afronden (Alt+A)"
    assert not page.message.isVisible(), page.message.text()


def test_finishing_a_visit_started_in_the_case_shows_the_case(qtbot: Any, window: Any) -> None:
    list_page, chosen = filtered_list_with_a_row_chosen(qtbot, window)
    qtbot.keyClick(list_page.table, Qt.Key.Key_Return)
    view = shown(window)
    qtbot.waitUntil(lambda: view.overview.loaded)
    qtbot.mouseClick(view.visit_button, Qt.MouseButton.LeftButton)
    finish(qtbot, in_visit(qtbot, window))
    assert shown(window) is view and view.case_id == chosen
    assert window.sidebar.isVisible() and sidebar_says(window) == "Mijn zaken"
    assert window.statusBar().currentMessage().startswith("Huisbezoek afgerond")
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # and from the case back to the list as it was
    assert shown(window) is list_page and list_page.current_case_id() == chosen
    assert list_page.filter_box.text() == "UHT-"


def test_finishing_a_visit_started_from_the_list_shows_the_case(qtbot: Any, window: Any) -> None:
    list_page, chosen = filtered_list_with_a_row_chosen(qtbot, window)
    qtbot.mouseClick(list_page.visit_button, Qt.MouseButton.LeftButton)
    finish(qtbot, in_visit(qtbot, window))
    view = shown(window)
    assert isinstance(view, CaseView) and view.case_id == chosen
    assert window.sidebar.isVisible() and sidebar_says(window) == "Mijn zaken"
    qtbot.waitUntil(lambda: view.overview.loaded)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert shown(window) is list_page and sidebar_says(window) == "Mijn zaken"
    assert list_page.current_case_id() == chosen and list_page.filter_box.text() == "UHT-"


def test_leaving_a_visit_for_later_shows_the_case(qtbot: Any, window: Any) -> None:
    list_page, chosen = filtered_list_with_a_row_chosen(qtbot, window)
    qtbot.mouseClick(list_page.visit_button, Qt.MouseButton.LeftButton)
    page = in_visit(qtbot, window)
    qtbot.mouseClick(page.later_button, Qt.MouseButton.LeftButton)
    view = shown(window)
    assert isinstance(view, CaseView) and view.case_id == chosen
    assert sidebar_says(window) == "Mijn zaken"


def test_finishing_a_resumed_visit_shows_its_case(qtbot: Any, window: Any, workspace: Workspace) -> None:
    activate(qtbot, window)
    window.show_page("due")
    case_id = window._page_widgets["cases"].model.case_id_at(0)
    draft, _changes = workspace.run(lambda uow: workspace.visits.start(uow, case_id))
    window.resume_visit(draft.id)
    finish(qtbot, in_visit(qtbot, window))
    view = shown(window)
    assert isinstance(view, CaseView) and view.case_id == case_id
    assert window.sidebar.isVisible() and sidebar_says(window) == "Acties & toezeggingen"
    qtbot.waitUntil(lambda: view.overview.loaded)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert shown(window) is window._page_widgets["due"] and sidebar_says(window) == "Acties & toezeggingen"
