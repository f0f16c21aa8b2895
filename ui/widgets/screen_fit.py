"""Size a dialog to what it wants, but never larger than the screen it opens on (a 1366 × 768 laptop included)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# What a window manager adds around a dialog (title bar, borders) when Qt cannot know it before showing.
_FRAME_ALLOWANCE = QSize(16, 48)


def fit_to_screen(widget: QWidget, wanted: QSize) -> None:
    """Resize `widget` to `wanted`, shrunk to fit the available screen area with room for its frame."""
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else widget.screen()) or QGuiApplication.primaryScreen()
    room = screen.availableGeometry().size() - _FRAME_ALLOWANCE
    size = wanted.boundedTo(room).expandedTo(widget.minimumSize().boundedTo(room))
    widget.resize(size)
