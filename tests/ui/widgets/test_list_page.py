"""One list-page base serves every list page: the list area, placed alone or beside a panel, loading and failing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QWidget

from tests.ui.conftest import RecordingNav, page_under_test
from ui.audit.history_tab import HistoryTab
from ui.cases.case_list_page import CaseListPage
from ui.context import UiContext
from ui.due.due_page import DuePage
from ui.letters.review_page import ReviewPage
from ui.search.search_page import SearchPage
from ui.team.team_page import TeamPage
from ui.widgets.list_page import Fetch, ListArea, ListPage
from ui.widgets.row_table_model import Column, RowTableModel
from workbench.errors import UserError
from workbench.workspace import Workspace

LIST_PAGES = {"Mijn zaken": CaseListPage, "Acties": DuePage, "Zoeken": SearchPage, "Te beoordelen": ReviewPage,
              "Team": TeamPage}


@pytest.mark.parametrize("page", LIST_PAGES)
def test_every_list_page_stands_on_the_one_base(page: str) -> None:
    cls = LIST_PAGES[page]
    assert issubclass(cls, ListPage), f"{page} builds its own table, reload and stale handling"
    assert cls.on_changes is ListPage.on_changes, f"{page} decides in its own way when it is stale"


def next_tab_stop(widget: QWidget, root: QWidget) -> QWidget:
    """The widget Tab moves to from `widget` (the focus chain without what cannot take focus by Tab)."""
    stop = widget.nextInFocusChain()
    while not (stop.focusPolicy() & Qt.FocusPolicy.TabFocus and stop.isVisibleTo(root) and stop.isEnabled()):
        stop = stop.nextInFocusChain()
    return stop


def test_a_case_tab_owns_the_list_area(qtbot: Any, window: Any) -> None:
    found: list[str] = []
    window.ctx.runner.run(lambda ws, uow: ws.search.cases(uow, "UHT", limit=1)[0].case_id, done=found.append,
                          failed=lambda exc: found.append(repr(exc)))
    tab = HistoryTab(window.ctx, found[0])
    qtbot.addWidget(tab)
    assert isinstance(tab.list_area, ListArea)
    assert tab.table is tab.list_area.table and tab.model is tab.list_area.model
    assert tab.summary is tab.list_area.count_label
    assert next_tab_stop(tab.hide_views, tab) is tab.reload_button
    assert next_tab_stop(tab.reload_button, tab) is tab.table


class Letters(ListPage):
    """A small list page beside a panel, whose reading can be made to fail."""

    reload_on_show = True

    def __init__(self, ctx: UiContext) -> None:
        model = RowTableModel([Column("Naam", lambda r: r[0]), Column("Toelichting", lambda r: r[1])])
        super().__init__(ctx, model, name="Namen", stretch=1, refresh_on=frozenset({"case"}), empty="Nog niets.")
        self.rows: list[tuple[str, str]] = [("Bakker", "eerste"), ("Aydin", "tweede")]
        self.fail = False
        self.loads = 0
        self.failures: list[str] = []
        self.panel = QLabel("Over de gekozen regel")
        self.splitter = self.place_beside(self.panel, sizes=(300, 200))

    def fetch_job(self) -> Fetch:
        rows, fail = list(self.rows), self.fail

        def read(_ws: Workspace, _uow: Any) -> list[tuple[str, str]]:
            if fail:
                raise UserError("De namen konden niet worden gelezen.")
            return rows
        return read

    def show_data(self, data: Any) -> None:
        self.loads += 1
        self.model.set_rows(data)

    def load_failed(self, exc: BaseException) -> None:
        self.failures.append(str(exc))


@pytest.fixture
def letters(qtbot: Any, workspace: Workspace, profile: Path, nav: RecordingNav) -> Iterator[Letters]:
    yield from page_under_test(qtbot, workspace, profile, nav, Letters, (700, 400))


def test_the_list_area_sits_in_a_splitter_beside_the_panel(qtbot: Any, letters: Letters) -> None:
    assert isinstance(letters.splitter, QSplitter)
    assert letters.splitter.widget(0) is letters.list_area and letters.splitter.widget(1) is letters.panel
    assert letters.page_layout.indexOf(letters.splitter) == 0 and letters.page_layout.count() == 1
    assert letters.splitter.orientation() == Qt.Orientation.Horizontal
    assert letters.table.isVisible() and letters.panel.isVisible()
    assert letters.list_area.width() > letters.panel.width() > 0
    letters.grab().save("/tmp/pages-list-beside-panel.png")


def test_shown_again_it_reads_again_and_a_failure_goes_to_the_page(qtbot: Any, letters: Letters) -> None:
    qtbot.waitUntil(lambda: letters.loads == 1)
    assert [r[0] for r in letters.model.rows()] == ["Bakker", "Aydin"] and letters.loaded
    letters.rows.append(("Claes", "derde"))
    letters.hide()
    letters.show()
    qtbot.waitUntil(lambda: letters.model.rowCount() == 3)
    letters.fail = True
    letters.reload()
    assert letters.failures == ["De namen konden niet worden gelezen."]
    assert letters.model.rowCount() == 3  # the rows already shown stay
