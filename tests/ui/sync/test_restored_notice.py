"""The window says when central had been restored: what the device sent again, and that nothing was lost."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.sync.restored_notice import show_central_restored
from workbench.sync.engine import SyncReport


def test_a_restored_central_is_told_in_a_non_modal_message(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    box = show_central_restored(window, SyncReport(epoch_changed=True, central_behind=True, repushed=4,
                                                   kept=["8c1a54f6-5d0c-4c55-9a43-8f0f4f8cbd7e"]))
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert not box.isModal()
    assert "De centrale is teruggezet" in box.text()
    assert "4 gegevens zijn opnieuw naar de centrale gestuurd." in box.text()
    assert "Op dit apparaat is niets verloren gegaan." in box.text()
    assert "1 zaak die de centrale niet meer aan u toont, blijft op dit apparaat" in box.text()
    box.close()


def test_an_ordinary_sync_says_nothing(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    assert show_central_restored(window, SyncReport(pushed=3, pulled=2)) is None
