"""No page or case tab cuts off its text at 1366 × 768 or 1920 × 1080 (a laptop and an office screen)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtWidgets import QTabWidget

from tests.ui.clipping import clipped_texts
from tests.ui.conftest import save_screenshot
from tests.ui.letters.conftest import make_letters, set_role
from ui.letters.review_page import ReviewPage
from workbench.staff.models import Role

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


# The longest letter title there is, and an author with a date: the queue's cells that were cut off.
LONG_TITLE = "Uitslag eerste toets: u krijgt het bedrag van de Catshuisregeling"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_review_queue_is_readable_beside_the_letter(qtbot: Any, window: Any, size: tuple[int, int]) -> None:
    ws = window.ctx.runner.workspace
    make_letters(ws, case_index=1, author_is_me=False)
    set_role(ws, ws.actor.user_id, Role.REVIEWER)
    window.resize(*size)
    window.show_page("review")
    page = window.stack.currentWidget()
    assert isinstance(page, ReviewPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    row = page.model.row_at(0)
    page.show_data([replace(row, template_title=LONG_TITLE, author_name="Demo Pzb'er")])
    qtbot.waitUntil(lambda: page.preview.page_count() > 0)
    qtbot.wait(100)
    window.grab().save(f"/tmp/pages-review-{size[0]}.png")
    save_screenshot(window, f"clip_{size[0]}_review_queue")
    assert clipped_texts(page) == []
