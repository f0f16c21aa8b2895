"""The "Mijn zaken" page as a handler uses it: typing to narrow, quick filters, sorting, keyboard-only opening."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import RecordingNav, page_under_test, run, save_screenshot, scaled_font
from tests.ui.test_accessibility import unnamed_widgets
from ui.cases.case_list_model import LAST_CONTACT, NEXT_ACTION, PARENT, REFERENCE, CaseFilter
from ui.cases.case_list_page import REFERENCE_TYPED, CaseListPage, count_text
from workbench.cases.phases import PHASES
from workbench.cases.service import CaseRow
from workbench.workspace import Workspace

CTRL = Qt.KeyboardModifier.ControlModifier
# The offscreen platform says what it cannot do (size hints of a shown top-level): Qt's test platform talking.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")


@pytest.fixture
def page(qtbot: Any, workspace: Workspace, profile: Path, nav: RecordingNav) -> Iterator[CaseListPage]:
    yield from page_under_test(qtbot, workspace, profile, nav, CaseListPage, (1200, 700))


def all_rows(page: CaseListPage) -> list[CaseRow]:
    return run(page, lambda ws, uow: ws.cases.list_rows(uow))


def shown_ids(page: CaseListPage) -> list[str]:
    return [page.model.case_id_at(r) for r in range(page.model.rowCount())]


def type_filter(qtbot: Any, page: CaseListPage, text: str) -> None:
    page.filter_box.setFocus()
    page.filter_box.selectAll()
    with qtbot.waitSignal(page.list_updated, timeout=2000):
        qtbot.keyClicks(page.filter_box, text)


def test_loads_every_case_and_counts_them(page: CaseListPage) -> None:
    assert page.model.total() == 30
    assert page.model.rowCount() == 30
    assert page.count_label.text() == "30 van 30 zaken"
    assert page.table.isSortingEnabled()
    assert unnamed_widgets(page) == []


def test_typing_a_name_narrows_the_list_after_a_pause(qtbot: Any, page: CaseListPage) -> None:
    rows = all_rows(page)
    surname = rows[7].parent_name.split()[-1]
    expected = {r.case_id for r in rows if surname.casefold() in f"{r.reference} {r.parent_name}".casefold()}
    type_filter(qtbot, page, surname[:-1])
    qtbot.waitUntil(lambda: page.count_label.text().startswith(f"{len(expected)} van 30"))
    assert expected <= set(shown_ids(page))
    assert rows[7].case_id in shown_ids(page)


def test_typing_a_reference_then_enter_opens_that_case(qtbot: Any, page: CaseListPage, nav: RecordingNav) -> None:
    target = all_rows(page)[12]
    page.filter_box.setFocus()
    qtbot.keyClicks(page.filter_box, target.reference)
    qtbot.keyClick(page.filter_box, Qt.Key.Key_Return)  # before the pause is over: waits for the search
    assert page.count_label.text() == "1 van 30 zaken"
    assert nav.calls == [("open_case", target.case_id)]


def test_words_from_the_story_find_cases_through_the_search(qtbot: Any, page: CaseListPage) -> None:
    hits = run(page, lambda ws, uow: ws.search.cases(uow, "huur", limit=200))
    story_only = {h.case_id for h in hits if h.via == "story"}
    assert story_only, "the demo story should mention rent somewhere"
    type_filter(qtbot, page, "huur")
    assert story_only <= set(shown_ids(page))


def test_nothing_found_says_what_to_do(qtbot: Any, page: CaseListPage) -> None:
    type_filter(qtbot, page, "qqqxyz")
    assert page.model.rowCount() == 0
    assert page.count_label.text() == "0 van 30 zaken. Pas de zoekterm of de filters aan."
    assert not page.visit_button.isEnabled()
    qtbot.keyClick(page.filter_box, Qt.Key.Key_A, CTRL)
    with qtbot.waitSignal(page.list_updated, timeout=2000):
        qtbot.keyClick(page.filter_box, Qt.Key.Key_Delete)
    assert page.model.rowCount() == 30


def test_quick_filters_match_the_rows(qtbot: Any, page: CaseListPage) -> None:
    rows = all_rows(page)
    day = page.model.today
    phase = rows[0].phase
    page.phase_box.setCurrentIndex(page.phase_box.findData(phase))
    assert set(shown_ids(page)) == {r.case_id for r in rows if r.phase == phase}
    assert page.count_label.text().startswith(f"{page.model.rowCount()} van 30")
    page.phase_box.setCurrentIndex(0)
    assert page.phase_box.currentText() == "Alle fasen"
    assert page.phase_box.count() == len(PHASES) + 1

    qtbot.mouseClick(page.urgent_box, Qt.MouseButton.LeftButton)
    assert set(shown_ids(page)) == {r.case_id for r in rows if r.urgency}
    qtbot.mouseClick(page.urgent_box, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(page.overdue_box, Qt.MouseButton.LeftButton)
    late = {r.case_id for r in rows if r.overdue_commitments or (r.next_action_due and r.next_action_due < day)}
    assert set(shown_ids(page)) == late
    qtbot.mouseClick(page.overdue_box, Qt.MouseButton.LeftButton)

    assert page.silent_box.text().replace("&", "") == "Geen contact sinds 30+ dagen"
    qtbot.mouseClick(page.silent_box, Qt.MouseButton.LeftButton)
    silent = {r.case_id for r in rows if r.phase != "afgesloten"
              and (r.last_contact is None or (day - r.last_contact.date()).days >= 30)}
    assert set(shown_ids(page)) == silent
    assert page.model.case_filter == CaseFilter(no_contact_days=30)


def test_the_no_contact_filter_follows_the_setting(qtbot: Any, page: CaseListPage) -> None:
    page.ctx.settings.set("no_contact_days", 7)
    page.hide()
    page.show()
    assert page.silent_box.text().replace("&", "") == "Geen contact sinds 7+ dagen"
    page.silent_box.setChecked(True)
    assert page.model.case_filter.no_contact_days == 7


def test_clicking_a_header_sorts_and_the_selection_stays_on_its_case(qtbot: Any, page: CaseListPage) -> None:
    header = page.table.horizontalHeader()
    page.table.setCurrentIndex(page.model.index(3, 0))
    chosen = page.current_case_id()

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))

    click(PARENT)
    names = [page.model.row_at(r).parent_name.casefold() for r in range(30)]
    assert names == sorted(names)
    assert page.current_case_id() == chosen
    click(PARENT)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    names = [page.model.row_at(r).parent_name.casefold() for r in range(30)]
    assert names == sorted(names, reverse=True)
    click(NEXT_ACTION)
    dues = [page.model.row_at(r).next_action_due for r in range(30)]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated) and dues[: len(dated)] == dated
    click(REFERENCE)
    refs = [page.model.row_at(r).reference for r in range(30)]
    assert refs == sorted(refs)


def test_keyboard_only_ctrl_f_type_down_enter(qtbot: Any, page: CaseListPage, nav: RecordingNav) -> None:
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is page.filter_box
    with qtbot.waitSignal(page.list_updated, timeout=2000):
        qtbot.keyClicks(page.filter_box, "UHT")
    qtbot.keyClick(page.filter_box, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.table
    assert page.table.currentIndex().row() == 0
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    second = page.model.case_id_at(1)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert nav.calls == [("open_case", second)]


def test_double_click_opens_and_the_button_starts_a_home_visit(qtbot: Any, page: CaseListPage,
                                                               nav: RecordingNav) -> None:
    assert not page.visit_button.isEnabled()
    rect = page.table.visualRect(page.model.index(2, PARENT))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.visit_button.isEnabled()
    assert page.model.row_at(2).reference in page.visit_button.toolTip()
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(page.visit_button, Qt.MouseButton.LeftButton)
    case_id = page.model.case_id_at(2)
    assert nav.calls == [("open_case", case_id), ("start_visit", case_id)]


def test_a_change_elsewhere_refreshes_the_list(qtbot: Any, page: CaseListPage) -> None:
    page.urgent_box.setChecked(True)
    before = page.model.rowCount()
    calm = next(r for r in all_rows(page) if not r.urgency)
    with qtbot.waitSignal(page.list_updated, timeout=2000):
        run(page, lambda ws, uow: ws.cases.set_urgency(uow, calm.case_id, urgent_energy=True))
    assert page.model.rowCount() == before + 1
    assert calm.case_id in shown_ids(page)


def test_a_change_while_hidden_waits_until_the_page_is_shown(qtbot: Any, page: CaseListPage) -> None:
    page.hide()
    calm = next(r for r in all_rows(page) if not r.urgency)
    run(page, lambda ws, uow: ws.cases.set_urgency(uow, calm.case_id, urgent_energy=True))
    assert page.stale
    with qtbot.waitSignal(page.list_updated, timeout=2000):
        page.show()
    assert not page.stale
    assert page.model.row_at(page.model.row_of(calm.case_id)).urgency == ("urgent_energy",)


def test_a_typed_reference_is_matched_in_the_table_without_asking_the_store() -> None:
    for typed in ("UHT", "uht-", "UHT-2021", "UHT-2021-000", "uht 2021 000123", " UHT-2021-000123 "):
        assert REFERENCE_TYPED.match(typed), typed
    for typed in ("uhtx", "UHT jansen", "huur", "2021"):
        assert not REFERENCE_TYPED.match(typed), typed


def test_count_uses_dutch_thousands() -> None:
    assert count_text(50_000) == "50.000"
    assert count_text(1_234) == "1.234"
    assert count_text(7) == "7"


def test_screenshots_at_normal_and_double_font_size(qtbot: Any, page: CaseListPage) -> None:
    page.table.setCurrentIndex(page.model.index(1, 0))
    path = save_screenshot(page, "case_list")
    assert path.stat().st_size > 0
    with scaled_font(qtbot):
        page.resize(1600, 900)
        qtbot.wait(10)
        metrics = page.table.fontMetrics()
        # Each fixed column still fits its typical value (the references and dates are never cut).
        assert page.table.columnWidth(REFERENCE) > metrics.horizontalAdvance("UHT-2024-000000")
        assert page.table.columnWidth(LAST_CONTACT) > metrics.horizontalAdvance("⚠ 00-00-0000")
        assert page.table.verticalHeader().defaultSectionSize() > metrics.height()
        save_screenshot(page, "case_list_200")


def test_in_the_window_a_handler_opens_a_case_with_the_keyboard_only(qtbot: Any, window: Any) -> None:
    from ui.cases.case_view import CaseView

    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    page = window.stack.currentWidget()
    assert isinstance(page, CaseListPage)
    assert QApplication.focusWidget() is page.filter_box
    target = page.model.row_at(4)
    with qtbot.waitSignal(page.list_updated, timeout=2000):
        qtbot.keyClicks(page.filter_box, target.parent_name)
    save_screenshot(window, "case_list_window")
    qtbot.keyClick(page.filter_box, Qt.Key.Key_Down)
    row = page.model.row_of(target.case_id)
    for _ in range(row):
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    view = window.stack.currentWidget()
    assert isinstance(view, CaseView)
    assert view.case_id == target.case_id


def test_an_empty_list_and_a_filter_that_hides_all_say_so(qtbot: Any, page: CaseListPage) -> None:
    assert page.model.rowCount() > 0 and not page.empty_state.isVisible()
    page.model.set_filter(CaseFilter(words=("qqqxyzzy",)))
    assert page.empty_state.isVisible()
    assert page.empty_state.text().startswith("Geen zaak past bij de zoekterm en de filters.")
    assert page.table.accessibleDescription() == page.empty_state.text()
    save_screenshot(page, "case_list_filtered_empty")
    page.model.set_rows([])
    assert page.empty_state.text().startswith("Er staan nog geen zaken op dit apparaat.")
    save_screenshot(page, "case_list_empty")
