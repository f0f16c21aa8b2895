"""The home visit in the real main window: from the keyboard only, through a lock, and left in three ways."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import PASS
from tests.ui.keyboard import focused, press
from tests.ui.visits.test_home_visit import (
    assert_visit_recorded,
    capture_visit_from_keyboard,
    finish_with_the_keyboard,
    first_case_id,
    stored_draft,
    type_text,
)

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def _start_in_window(qtbot, window):  # type: ignore[no-untyped-def]
    case_id = first_case_id(window.ctx.runner.workspace)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.start_visit(case_id)
    page = window.stack.currentWidget()
    assert type(page).__name__ == "HomeVisitPage" and not window.sidebar.isVisible()
    return case_id, page


def test_whole_home_visit_from_the_keyboard_only(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = window.ctx.runner.workspace
    case_id, page = _start_in_window(qtbot, window)
    capture_visit_from_keyboard(qtbot, page)
    press(qtbot, Qt.Key.Key_Escape)                   # Escape does not drop the visit
    assert window.stack.currentWidget() is page
    finish_with_the_keyboard(qtbot)

    assert window.stack.currentWidget() is not page and window.sidebar.isVisible()
    assert window.statusBar().currentMessage().startswith("Huisbezoek afgerond")
    assert "(s)" not in window.statusBar().currentMessage() and "(en)" not in window.statusBar().currentMessage()
    assert_visit_recorded(ws, case_id)


def test_lock_while_typing_keeps_what_was_typed(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _case_id, page = _start_in_window(qtbot, window)
    page.text.setFocus()
    type_text(qtbot, "Halverwege de zin gaat het scherm op sl")
    window.lock.lock()
    assert window.ctx.runner.workspace is None
    window.lock.unlock(PASS)
    ws = window.ctx.runner.workspace
    assert stored_draft(ws, page.autosaver.draft_id).text == "Halverwege de zin gaat het scherm op sl"
    assert window.stack.currentWidget() is page and focused() is page.text  # typing goes on where it was
    type_text(qtbot, "ot.")
    page.autosaver.on_timer()
    assert stored_draft(ws, page.autosaver.draft_id).text == "Halverwege de zin gaat het scherm op slot."


def test_leaving_by_alt_left_another_page_or_closing_the_window_keeps_the_draft(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = window.ctx.runner.workspace
    _case_id, page = _start_in_window(qtbot, window)
    draft_id = page.autosaver.draft_id
    page.text.setFocus()
    type_text(qtbot, "Eerst dit")
    page.later_button.setFocus()  # a focus change saves; the rest is typed after it
    page.text.setFocus()
    type_text(qtbot, ", dan dat")
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert stored_draft(ws, draft_id).text == "Eerst dit, dan dat"

    window.resume_visit(draft_id)
    page = window.stack.currentWidget()
    type_text(qtbot, " en tot slot dit")
    window.show_page("due")  # switching pages asks the page to close first
    assert stored_draft(ws, draft_id).text == "Eerst dit, dan dat en tot slot dit"

    window.resume_visit(draft_id)
    type_text(qtbot, ".")
    window.close()
    assert stored_draft(ws, draft_id).text == "Eerst dit, dan dat en tot slot dit."
