"""Qt's own texts in Dutch: standard buttons, the file dialog and the calendar come from PySide6's nl catalog."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QPushButton

from ui.qt_language import install_qt_translations

Button = QDialogButtonBox.StandardButton
ENGLISH = ("Yes", "No", "Cancel", "Look in", "File name", "Files of type", "Open", "Save")


@pytest.fixture
def dutch_qt(qapp: QApplication) -> Iterator[QApplication]:
    before = QLocale()
    assert install_qt_translations(qapp, "nl") == ["qtbase"]
    yield qapp
    install_qt_translations(qapp, "en")
    QLocale.setDefault(before)


def plain(text: str) -> str:
    return text.replace("&", "")


def test_standard_buttons_read_ja_nee_annuleren(dutch_qt: QApplication, qtbot: Any) -> None:
    box = QDialogButtonBox(Button.Yes | Button.No | Button.Cancel | Button.Save | Button.Close)
    qtbot.addWidget(box)
    texts = {plain(box.button(b).text()) for b in (Button.Yes, Button.No, Button.Cancel, Button.Save, Button.Close)}
    assert texts == {"Ja", "Nee", "Annuleren", "Opslaan", "Sluiten"}

    message = QMessageBox(QMessageBox.Icon.Question, "Zeker?", "Doorgaan?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(message)
    assert plain(message.button(QMessageBox.StandardButton.Yes).text()) == "Ja"
    assert plain(message.button(QMessageBox.StandardButton.No).text()) == "Nee"


def test_the_file_dialog_speaks_dutch(dutch_qt: QApplication, qtbot: Any) -> None:
    dialog = QFileDialog(None, "Dossier kiezen")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = [plain(label.text()) for label in dialog.findChildren(QLabel) if label.text()]
    buttons = [plain(b.text()) for b in dialog.findChildren(QPushButton) if b.text()]
    assert "Bestandsnaam:" in labels and "Zoeken in:" in labels and "Bestandstype:" in labels
    assert "Openen" in buttons and "Annuleren" in buttons
    assert not [t for t in labels + buttons if t.rstrip(":") in ENGLISH]


def test_the_calendar_names_months_in_dutch(dutch_qt: QApplication) -> None:
    assert QLocale().monthName(3) == "maart"
    assert QLocale().dayName(1) == "maandag"


def test_english_users_keep_qts_english(qapp: QApplication, qtbot: Any) -> None:
    before = QLocale()
    try:
        install_qt_translations(qapp, "nl")
        assert install_qt_translations(qapp, "en") == []
        box = QDialogButtonBox(Button.Yes | Button.Cancel)
        qtbot.addWidget(box)
        assert plain(box.button(Button.Yes).text()) == "Yes"
        assert box.button(Button.Cancel).text() == "Cancel"
    finally:
        QLocale.setDefault(before)
