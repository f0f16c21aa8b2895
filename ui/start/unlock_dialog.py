"""The unlock dialog: passphrase in, a Workspace out; a wrong passphrase says so in place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.widgets.dialog_buttons import confirm_or_cancel
from workbench.errors import UserError
from workbench.i18n import _
from workbench.workspace import Workspace


class UnlockDialog(QDialog):
    """Asks the passphrase until the vault opens or the handler cancels.

    Attributes:
        workspace: the unlocked Workspace after `accept`.
    """

    def __init__(self, folder: Path, opener: Callable[[Path, str], Workspace],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Zaakwerkbank ontgrendelen"))
        self._folder = folder
        self._opener = opener
        self.workspace: Workspace | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Vul uw wachtwoord in om de Zaakwerkbank te openen.")))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Wachtwoord"))
        layout.addWidget(self.passphrase)
        self.message = QLabel("")
        self.message.setAccessibleName(_("Melding"))
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000;")
        layout.addWidget(self.message)
        buttons = confirm_or_cancel(_("Ontgrendelen"), accepted=self.on_unlock, rejected=self.reject)
        layout.addWidget(buttons)

    def on_unlock(self) -> None:
        text = self.passphrase.text()
        self.passphrase.clear()
        try:
            self.workspace = self._opener(self._folder, text)
        except UserError as exc:
            self.message.setText(exc.text())
            self.passphrase.setFocus()
            return
        self.accept()
