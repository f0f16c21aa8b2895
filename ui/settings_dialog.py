"""The settings dialog: language and idle minutes (and the other options), checked by the core's registry."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from ui.widgets.dialog_buttons import confirm_or_cancel
from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.settings import OPTIONS, Settings

LANGUAGES = {"nl": "Nederlands", "en": "English"}


class SettingsDialog(QDialog):
    """Edits `Settings`; a language change takes effect at the next start."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Instellingen"))
        self._settings = settings
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.language = QComboBox()
        self.language.setAccessibleName(_("Taal"))
        self.language.view().setAccessibleName(_("Taal"))  # its popup list, or a screen reader hears a nameless list
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        self.language.setCurrentIndex(list(LANGUAGES).index(settings.get("language")))
        form.addRow(_("&Taal"), self.language)
        self.spins: dict[str, QSpinBox] = {}
        for key in ("idle_minutes", "no_contact_days", "autosave_seconds"):
            option = OPTIONS[key]
            spin = QSpinBox()
            spin.setRange(option.minimum or 0, option.maximum or 999)
            spin.setValue(int(settings.get(key)))
            spin.setAccessibleName(_(option.title))
            self.spins[key] = spin
            form.addRow(_(option.title), spin)
        layout.addLayout(form)
        note = QLabel(_("Een andere taal gaat in na opnieuw starten."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.message = QLabel("")
        self.message.setAccessibleName(_("Melding"))
        layout.addWidget(self.message)
        buttons = confirm_or_cancel(_("Opslaan"), accepted=self.on_save, rejected=self.reject)
        layout.addWidget(buttons)

    def on_save(self) -> None:
        try:
            self._settings.set("language", self.language.currentData())
            for key, spin in self.spins.items():
                self._settings.set(key, spin.value())
        except ValidationError as exc:
            self.message.setText(exc.text())
            return
        self.accept()
