"""The window's first size fits the screen, and a geometry Qt shrank from a larger screen is not kept."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSettings

from ui.window_geometry import first_geometry, restore_geometry


def _screen(window) -> QRect:  # type: ignore[no-untyped-def]
    return window.screen().availableGeometry()


def test_the_first_window_fits_the_screen(window) -> None:  # type: ignore[no-untyped-def]
    screen = _screen(window)
    first_geometry(window)
    assert screen.contains(window.frameGeometry())
    frame = window.frameGeometry().size() - window.size()
    assert window.width() == min(1280, screen.width() - frame.width())
    assert window.height() == min(800, screen.height() - frame.height())


def test_a_shrunken_saved_geometry_gives_way_to_the_first_size(window) -> None:  # type: ignore[no-untyped-def]
    screen = _screen(window)
    window.resize(max(200, screen.width() // 2), max(150, screen.height() // 2))
    window.move(screen.topLeft())
    QSettings("UHT", "Zaakwerkbank").setValue("main/geometry", window.saveGeometry())
    restore_geometry(window)
    assert window.width() >= min(1000, screen.width() - 10) and screen.contains(window.frameGeometry())


def test_a_usable_saved_geometry_is_kept(window) -> None:  # type: ignore[no-untyped-def]
    first_geometry(window)
    kept = window.size()
    saved: QByteArray = window.saveGeometry()
    QSettings("UHT", "Zaakwerkbank").setValue("main/geometry", saved)
    window.resize(300, 200)
    restore_geometry(window)
    assert window.size() == kept


def test_a_dialog_never_outgrows_the_screen(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QDialog

    from ui.widgets.screen_fit import fit_to_screen

    dialog = QDialog()
    qtbot.addWidget(dialog)
    room = dialog.screen().availableGeometry().size()
    fit_to_screen(dialog, QSize(room.width() + 400, room.height() + 300))
    assert dialog.width() < room.width() and dialog.height() < room.height()
    fit_to_screen(dialog, QSize(300, 200))
    assert (dialog.width(), dialog.height()) == (300, 200)
