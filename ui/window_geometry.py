"""The main window's size and place: as the user left it when that still fits this screen, else a first size."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtWidgets import QMainWindow

SETTINGS_KEY = "main/geometry"


def _ui_state() -> QSettings:
    """UI state stays in QSettings, not in the settings registry (see STYLE.md, pattern 10)."""
    return QSettings("UHT", "Zaakwerkbank")


def restore_geometry(window: QMainWindow) -> None:
    """The geometry of the last run where it fits this screen; else the first-run size, centred."""
    geometry = _ui_state().value(SETTINGS_KEY)
    if isinstance(geometry, QByteArray) and window.restoreGeometry(geometry) and _fits_screen(window):
        return
    first_geometry(window)


def save_geometry(window: QMainWindow) -> None:
    _ui_state().setValue(SETTINGS_KEY, window.saveGeometry())


def first_geometry(window: QMainWindow) -> None:
    """The first-run size (see `_first_size`), centred on the screen with the frame inside it."""
    screen = window.screen().availableGeometry()
    size = _first_size(window)
    frame = window.frameGeometry().size() - window.size()
    window.resize(size)
    window.move(screen.x() + (screen.width() - size.width() - frame.width()) // 2,
                screen.y() + (screen.height() - size.height() - frame.height()) // 2)


def _fits_screen(window: QMainWindow) -> bool:
    """Whether the restored window lies on this screen and is not shrunk below a usable size.

    Qt shrinks a geometry saved on a larger screen to a fraction of this one (830 × 510 on a 1366 × 768
    laptop), which clips every page: then the window starts as on a first run.
    """
    screen = window.screen().availableGeometry()
    usable = QSize(min(1000, screen.width()), min(600, screen.height()))
    return window.isMaximized() or (screen.contains(window.frameGeometry()) and window.width() >= usable.width()
                                    and window.height() >= usable.height())


def _first_size(window: QMainWindow) -> QSize:
    """1280 × 800 where the screen has room; on a small laptop screen (1366 × 768) all of it, frame included."""
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry().size() - window.size()
    return QSize(min(1280, screen.width() - frame.width()), min(800, screen.height() - frame.height()))
