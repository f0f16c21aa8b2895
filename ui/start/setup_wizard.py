"""First run: create the vault with a passphrase typed twice, with a strength hint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.widgets.dialog_buttons import confirm_or_cancel
from workbench.errors import UserError
from workbench.i18n import _
from workbench.workspace import Workspace


def strength_hint(passphrase: str) -> str:
    """A plain-language hint; the vault itself enforces the minimum length."""
    n = len(passphrase)
    kinds = sum(any(f(c) for c in passphrase) for f in (str.islower, str.isupper, str.isdigit, str.isspace))
    if n < 8:
        return "Te kort: gebruik minstens 8 tekens, liefst een zin van een paar woorden."
    if n < 14 and kinds < 3:
        return "Redelijk. Een langere zin is sterker en makkelijker te onthouden."
    return "Sterk."


class SetupWizard(QDialog):
    """Creates the profile's encrypted store; `workspace` holds it after `accept`."""

    def __init__(self, folder: Path, creator: Callable[[Path, str, str], Workspace],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Zaakwerkbank instellen"))
        self._folder = folder
        self._creator = creator
        self.workspace: Workspace | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(_("Welkom. De gegevens op deze laptop worden versleuteld met een sleutel die alleen "
                         "opengaat met uw wachtwoord. Kies een wachtwoord dat u onthoudt; het kan niet worden "
                         "teruggehaald."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName(_("Uw naam"))
        self.first = QLineEdit()
        self.first.setAccessibleName(_("Wachtwoord"))
        self.second = QLineEdit()
        self.second.setAccessibleName(_("Herhaal wachtwoord"))
        for field in (self.first, self.second):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Uw &naam"), self.name)
        form.addRow(_("&Wachtwoord"), self.first)
        form.addRow(_("&Herhaal wachtwoord"), self.second)
        layout.addLayout(form)
        self.hint = QLabel(strength_hint(""))
        self.hint.setAccessibleName(_("Sterkte van het wachtwoord"))
        self.message = QLabel("")
        self.message.setAccessibleName(_("Melding"))
        self.message.setStyleSheet("color: #a40000;")
        self.message.setWordWrap(True)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        self.first.textChanged.connect(lambda t: self.hint.setText(strength_hint(t)))
        buttons = confirm_or_cancel(_("Aanmaken"), accepted=self.on_create, rejected=self.reject)
        layout.addWidget(buttons)

    def on_create(self) -> None:
        if self.first.text() != self.second.text():
            self.message.setText(_("De twee wachtwoorden zijn niet gelijk."))
            self.second.setFocus()
            return
        try:
            self.workspace = self._creator(self._folder, self.first.text(), self.name.text().strip() or "Pzb'er")
        except UserError as exc:
            self.message.setText(exc.text())
            return
        finally:
            self.first.clear()
            self.second.clear()
        self.accept()
