"""The sidebar's Conflicten item carries the number of open conflicts and follows syncs and choices."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import save_screenshot
from tests.ui.sync.test_conflicts_page import _add_conflict
from workbench.workspace import Workspace

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")


def _conflicts_item(window: Any) -> Any:
    sidebar = window.sidebar
    return next(sidebar.item(r) for r in range(sidebar.count())
                if sidebar.item(r).data(Qt.ItemDataRole.UserRole) == "conflicts")


def test_the_conflicten_item_shows_the_count_after_a_sync_and_drops_it_when_none_are_left(
        qtbot: Any, window: Any, workspace: Workspace) -> None:
    item = _conflicts_item(window)
    assert item.text() == "Conflicten"
    _add_conflict(workspace)
    _add_conflict(workspace, field="phone", local_value="0612345678", server_value="0687654321")
    window._on_sync_state("online", "")  # what the sync driver reports when a sync is done
    qtbot.waitUntil(lambda: item.text() == "Conflicten (2)")
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == "Conflicten, 2 open conflicten"
    assert item.font().bold()
    save_screenshot(window, "sidebar_conflict_badge")

    window.show_page("conflicts")
    page = window._page_widgets["conflicts"]
    page.reload()
    page.table.selectRow(0)
    page.keep_local.click()  # an ordinary change: the window refreshes its status from the Changes
    qtbot.waitUntil(lambda: item.text() == "Conflicten (1)")
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == "Conflicten, 1 open conflict"
    page.table.selectRow(0)
    page.keep_local.click()
    qtbot.waitUntil(lambda: item.text() == "Conflicten")
    assert not item.font().bold()
