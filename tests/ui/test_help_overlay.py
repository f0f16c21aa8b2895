"""F1: an opaque overlay, closed by Escape (never closing the case under it), listing the shortcuts registered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QWidget

from tests.ui.cases.test_case_view import open_case
from tests.ui.test_lock_cover import off_cover

SHOTS = Path("/work/notes/shots")
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def live_keys(window: QWidget) -> set[str]:
    """Worked out here, independently of the overlay: every enabled QShortcut whose widget is shown in the
    window, and every enabled QAction with a key in the window (menu actions through their menu bar)."""
    keys = set()
    for s in window.findChildren(QShortcut):
        owner = s.parent()
        if s.isEnabled() and (owner is window or owner.isVisibleTo(window)) and owner.isEnabled():
            keys.add(s.key().toString(QKeySequence.SequenceFormat.PortableText))
    for a in window.findChildren(QAction):
        owner = a.parent()
        while isinstance(owner, QMenu):
            owner = owner.parent()
        if a.isEnabled() and isinstance(owner, QWidget) and (owner is window or owner.isVisibleTo(window)):
            keys.update(k.toString(QKeySequence.SequenceFormat.PortableText) for k in a.shortcuts())
    keys.discard("")
    return keys


def descriptions(window: Any) -> list[str]:
    table = window.help.table
    return [table.item(r, 1).text() for r in range(table.rowCount())]


def test_the_list_is_what_is_registered_and_a_new_shortcut_shows_up(qtbot: Any, window: Any) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    help = window.help
    assert help.isVisible()
    listed = help.keys_listed()
    assert set(listed) == live_keys(window) and len(listed) == len(set(listed))
    for key in ("Ctrl+1", "Ctrl+5", "Ctrl+Shift+S", "Ctrl+L", "F1", "Esc", "Alt+Left", "Ctrl+F", "Ctrl+I"):
        assert key in listed, key
    assert "?" not in descriptions(window)  # every shortcut says what it does
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert not help.isVisible()

    QShortcut(QKeySequence("Ctrl+Alt+K"), window, whatsThis="Proef: koffie zetten")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert "Ctrl+Alt+K" in help.keys_listed() and "Proef: koffie zetten" in descriptions(window)
    row = descriptions(window).index("Nu synchroniseren")
    assert help.table.item(row, 0).text() == QKeySequence("Ctrl+Shift+S").toString(
        QKeySequence.SequenceFormat.NativeText)


def test_the_list_follows_the_page_and_the_open_case(qtbot: Any, window: Any) -> None:
    window.show_page("due")
    window.help.toggle()
    assert "Ctrl+F" not in window.help.keys_listed()  # the case list's search field is not on this page
    window.help.toggle()
    view = open_case(qtbot, window)
    window.help.toggle()
    listed = window.help.keys_listed()
    assert {f"Alt+{n}" for n in range(1, 7)} <= set(listed) and set(listed) == live_keys(window)
    assert "?" not in descriptions(window)
    window.help.toggle()
    window.back()
    assert view is not window.stack.currentWidget()
    window.start_visit(view.case_id)
    qtbot.waitUntil(lambda: window.stack.currentWidget().isEnabled())
    window.help.toggle()
    assert {"Ctrl+S", "Alt+A", "Ctrl+W"} <= set(window.help.keys_listed())
    assert "?" not in descriptions(window)


def test_the_overlay_is_opaque_and_escape_closes_it_not_the_case(qtbot: Any, window: Any) -> None:
    from ui.help_overlay import BACKGROUND

    view = open_case(qtbot, window)
    underneath = window.grab().toImage()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    help = window.help
    assert help.isVisible() and help.geometry() == window.rect()
    SHOTS.mkdir(parents=True, exist_ok=True)
    help.grab().save(str(SHOTS / "lock_help_overlay.png"))
    shown = window.grab().toImage()
    boxes = [w.geometry().adjusted(-3, -3, 3, 3) for w in help.findChildren(QWidget)
             if w.isVisible() and w.parentWidget() is help]
    sampled, differ = off_cover(shown, BACKGROUND, boxes, step=3)
    assert sampled > 2_000 and differ == 0
    sampled, differ = off_cover(underneath, BACKGROUND, boxes, step=3)
    assert differ > sampled // 4  # the case shows there without the overlay: the check can fail
    table_box: QRect = help.table.geometry()
    assert table_box.height() > window.height() // 2
    qtbot.keyClick(help.table, Qt.Key.Key_Escape)
    assert not help.isVisible() and window.stack.currentWidget() is view
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # Escape at the window closes the overlay first
    assert not help.isVisible() and window.stack.currentWidget() is view
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is not view
