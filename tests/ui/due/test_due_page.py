"""The "Acties & toezeggingen" page: the horizon, overdue marked in words and colour, sorting, opening a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import RecordingNav, page_under_test, save_screenshot, scaled_font
from tests.ui.test_accessibility import unnamed_widgets
from ui.due.due_model import CASE, DESCRIPTION, DUE, KIND, PARENT, STATUS, WHO, DueModel
from ui.due.due_page import DuePage, horizon_end
from ui.widgets.row_table_model import WARNING_COLOUR
from workbench.plans.service import DueItem
from workbench.workspace import Workspace

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")
TODAY = dt.date(2025, 3, 12)  # a Wednesday


@pytest.fixture
def page(qtbot: Any, workspace: Workspace, profile: Path, nav: RecordingNav) -> Iterator[DuePage]:
    yield from page_under_test(qtbot, workspace, profile, nav, DuePage, (1200, 600))


def item(n: int, *, due: dt.date, kind: str = "action", status: str = "open") -> DueItem:
    label = "Actie" if kind == "action" else "Toezegging"
    return DueItem(kind, label, f"i{n}", f"c{n}", f"UHT-2024-{n:06d}", f"Bel de gemeente\nover punt {n}",
                   "Gemeente: Zaanstad", due, status, due < TODAY)


ITEMS = [item(1, due=TODAY - dt.timedelta(3), kind="commitment", status="renegotiated"),
         item(2, due=TODAY), item(3, due=TODAY + dt.timedelta(4))]


def test_the_horizons_end_where_a_handler_expects() -> None:
    assert horizon_end("overdue", TODAY) == TODAY - dt.timedelta(1)
    assert horizon_end("week", TODAY) == dt.date(2025, 3, 16)  # Sunday
    assert horizon_end("month", TODAY) == TODAY + dt.timedelta(30)


def test_the_model_marks_overdue_in_words_and_colour(qtmodeltester) -> None:
    model = DueModel()
    qtmodeltester.check(model)
    model.set_items(ITEMS, today=TODAY, names={"c1": "Fatima Bakker"})
    qtmodeltester.check(model)
    late = [model.index(0, c) for c in range(model.columnCount())]
    assert [i.data() for i in late] == ["Toezegging", "UHT-2024-000001", "Fatima Bakker", "Bel de gemeente over punt 1",
                                        "Gemeente: Zaanstad", "⚠ 09-03-2025", "Te laat · Opnieuw afgesproken"]
    assert late[DUE].data(Qt.ItemDataRole.ForegroundRole) == WARNING_COLOUR
    font = late[STATUS].data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert late[DUE].data(Qt.ItemDataRole.ToolTipRole) == "3 dagen te laat"
    assert late[DESCRIPTION].data(Qt.ItemDataRole.ToolTipRole) == "Bel de gemeente\nover punt 1"
    assert model.index(1, STATUS).data() == "Open"
    assert model.index(1, DUE).data(Qt.ItemDataRole.ToolTipRole) == "Vandaag"
    assert model.index(2, DUE).data(Qt.ItemDataRole.AccessibleTextRole) == "Over 4 dagen"
    assert model.index(2, DUE).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.overdue_count() == 1
    model.sort(KIND, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert model.index(0, KIND).data() == "Toezegging"
    model.sort(DUE, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, CASE).data()[-1] for r in range(3)] == ["3", "2", "1"]


def test_the_page_lists_what_is_due_and_the_horizon_changes_it(qtbot: Any, page: DuePage) -> None:
    assert page.horizon_box.currentText() == "Deze week"
    week = page.model.rowCount()
    with qtbot.waitSignal(page.items_shown, timeout=2000):
        page.horizon_box.setCurrentIndex(2)
    month = page.model.rowCount()
    with qtbot.waitSignal(page.items_shown, timeout=2000):
        page.horizon_box.setCurrentIndex(0)
    overdue = page.model.rowCount()
    assert overdue <= week <= month
    assert month > 0
    assert all(page.model.item_at(r).overdue for r in range(overdue))
    if overdue:
        assert page.count_label.text().endswith(f"waarvan {overdue} te laat")
        assert page.model.index(0, STATUS).data().startswith("Te laat")
    assert unnamed_widgets(page) == []


def test_clicking_a_header_sorts(qtbot: Any, page: DuePage) -> None:
    page.horizon_box.setCurrentIndex(2)
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(WHO) + header.sectionSize(WHO) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    who = [page.model.item_at(r).who.casefold() for r in range(page.model.rowCount())]
    assert who == sorted(who)


def test_keyboard_enter_opens_the_case_of_the_item(qtbot: Any, page: DuePage, nav: RecordingNav) -> None:
    page.horizon_box.setCurrentIndex(2)
    assert page.model.rowCount() > 1
    page.horizon_box.setFocus()
    qtbot.keyClick(page.horizon_box, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.table
    page.table.setCurrentIndex(page.model.index(1, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert nav.calls == [("open_case", page.model.item_at(1).case_id)]
    save_screenshot(page, "due")


def test_a_commitment_kept_elsewhere_leaves_the_list(qtbot: Any, page: DuePage) -> None:
    page.horizon_box.setCurrentIndex(2)
    commitment = next(page.model.item_at(r) for r in range(page.model.rowCount())
                      if page.model.item_at(r).kind == "commitment")
    before = page.model.rowCount()
    out: list[Any] = []
    with qtbot.waitSignal(page.items_shown, timeout=2000):
        page.ctx.runner.run(lambda ws, uow: ws.plans.keep(uow, commitment.id),
                            done=out.append, failed=out.append)
    assert not isinstance(out[0], BaseException), out
    assert page.model.rowCount() == before - 1


def test_double_font_size_keeps_dates_and_status_whole(qtbot: Any, page: DuePage) -> None:
    page.horizon_box.setCurrentIndex(2)
    with scaled_font(qtbot):
        page.resize(1600, 900)
        qtbot.wait(10)
        metrics = page.table.fontMetrics()
        assert page.table.columnWidth(DUE) > metrics.horizontalAdvance("⚠ 00-00-0000")
        assert page.table.columnWidth(CASE) > metrics.horizontalAdvance("UHT-2024-000000")
        save_screenshot(page, "due_200")


def test_every_line_names_the_parent(qtbot: Any, page: DuePage) -> None:
    page.horizon_box.setCurrentIndex(2)
    assert page.model.rowCount() > 0
    names = run_names(page)
    for r in range(page.model.rowCount()):
        item = page.model.item_at(r)
        assert page.model.index(r, PARENT).data() == names[item.case_id] != ""
    assert page.model.headerData(PARENT, Qt.Orientation.Horizontal) == "Ouder"


def run_names(page: DuePage) -> dict[str, str]:
    ws = page.ctx.runner.workspace
    assert ws is not None
    ids = {page.model.item_at(r).case_id for r in range(page.model.rowCount())}
    with ws.unit_of_work() as uow:
        return ws.cases.parent_names(uow, ids)


def test_an_empty_period_says_so(qtbot: Any, page: DuePage) -> None:
    page.model.set_items([], today=TODAY)
    assert page.empty_state.isVisible()
    assert page.empty_state.text().startswith("Niets te doen in deze periode")
    assert page.table.accessibleDescription() == page.empty_state.text()
    save_screenshot(page, "due_empty")
    page.model.set_items(ITEMS, today=TODAY)
    assert not page.empty_state.isVisible()
