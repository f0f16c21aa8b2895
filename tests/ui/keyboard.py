"""Driving the window by keyboard, as a handler does: what has the focus, keys, Alt+letter and typing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

ALT = Qt.KeyboardModifier.AltModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot: Any, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
          times: int = 1) -> None:
    """`key` (with `modifiers`), `times` over, to whatever has the focus at each press."""
    for _n in range(times):
        qtbot.keyClick(focused(), key, modifiers)


def mnemonic(qtbot: Any, key: Qt.Key) -> None:
    """Alt+letter on a button: Qt animates the click, so wait for it to land."""
    qtbot.keyClick(focused(), key, ALT)
    qtbot.wait(150)


def open_case_tab(qtbot: Any, window: Any, case_id: str, tab: int) -> Any:
    """Open the case in the window and go to its tab number `tab` (1-based) with Alt+number; the case view."""
    window.open_case(case_id)
    view = window.stack.currentWidget()
    view.activateWindow()
    qtbot.keyClick(focused(), Qt.Key(Qt.Key.Key_0.value + tab), ALT)
    assert view.tabs.currentIndex() == tab - 1
    return view


def type_into(qtbot: Any, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)
