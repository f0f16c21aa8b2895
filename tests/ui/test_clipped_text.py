"""No page or case tab cuts off its text at 1366 × 768 or 1920 × 1080 (a laptop and an office screen)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QTabWidget

from tests.ui.clipping import clipped_texts
from tests.ui.conftest import save_screenshot

# The window's content on a 1366 × 768 laptop (title bar and taskbar take the rest) and a 1920 × 1080 screen.
SIZES = [(1366, 738), (1920, 1050)]


def _open_first_case(window: Any, qtbot: Any) -> QTabWidget:
    found: list[str] = []
    window.ctx.runner.run(lambda ws, uow: ws.search.cases(uow, "UHT", limit=1)[0].case_id, done=found.append,
                          failed=lambda error: found.append(repr(error)))
    case_id = found[0]
    window.open_case(case_id)
    qtbot.waitUntil(lambda: window.stack.currentWidget().findChildren(QTabWidget) != [])
    return window.stack.currentWidget().findChildren(QTabWidget)[0]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_page_cuts_off_its_text(qtbot: Any, window: Any, size: tuple[int, int]) -> None:
    window.resize(*size)
    found: dict[str, list[str]] = {}
    for row in range(window.sidebar.count()):
        key = window.sidebar.item(row).data(0x0100)
        window.show_page(key)
        qtbot.wait(50)
        found[key] = clipped_texts(window)
        save_screenshot(window, f"clip_{size[0]}_{key}")
    tabs = _open_first_case(window, qtbot)
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.wait(100)
        found[f"case/{tabs.tabText(index)}"] = clipped_texts(window)
        save_screenshot(window, f"clip_{size[0]}_case_{index}")
    assert {page: texts for page, texts in found.items() if texts} == {}
