"""Every interactive widget in every window has an accessible name; everything is reachable by keyboard."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit,
               QAbstractItemView)


def _ancestors(widget: QWidget) -> list[QWidget]:
    found = []
    parent = widget.parentWidget()
    while parent is not None:
        found.append(parent)
        parent = parent.parentWidget()
    return found


def unnamed_widgets(root: QWidget) -> list[str]:
    """Interactive widgets without an accessible name (Qt-internal children of complex widgets excepted)."""
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE):
            continue
        parent = widget.parentWidget()
        # Qt's own parts of complex widgets: a combo's popup list, a spin box's line edit, a line edit's clear
        # button, an item view's internal buttons. Their owner carries the name.
        if any(isinstance(a, (QAbstractSpinBox, QComboBox, QAbstractItemView, QLineEdit)) for a in _ancestors(widget)):
            continue
        if widget.objectName().startswith("qt_"):
            continue
        if not widget.accessibleName().strip():
            problems.append(f"{type(widget).__name__} '{widget.objectName()}' in {type(widget.window()).__name__}"
                            f" > {type(parent).__name__ if parent else '-'}")
    return problems


def _case_id(window) -> str:  # type: ignore[no-untyped-def]
    result: list[str] = []
    window.ctx.runner.run(lambda ws, uow: ws.search.cases(uow, "UHT", limit=1)[0].case_id, done=result.append)
    return result[0]


def test_main_window_pages(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    for key in ("cases", "due", "search"):
        window.show_page(key)
    assert unnamed_widgets(window) == []


def test_case_view_and_home_visit(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    case_id = _case_id(window)
    window.open_case(case_id)
    assert unnamed_widgets(window) == []
    window.back()
    window.start_visit(case_id)
    assert unnamed_widgets(window) == []


def test_dialogs_and_overlays(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ui.settings_dialog import SettingsDialog
    from ui.start.setup_wizard import SetupWizard
    from ui.start.unlock_dialog import UnlockDialog

    for dialog in (SettingsDialog(window.ctx.settings, window), SetupWizard(tmp_path, lambda *a: None),
                   UnlockDialog(tmp_path, lambda *a: None)):
        qtbot.addWidget(dialog)
        assert unnamed_widgets(dialog) == [], type(dialog).__name__
    window.help.toggle()
    assert unnamed_widgets(window.help) == []
    window.lock.lock()
    assert unnamed_widgets(window.lock_screen) == []


def test_pages_can_be_reached_without_a_mouse(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window._page_widgets["due"]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window._page_widgets["search"]
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.help.isVisible()
