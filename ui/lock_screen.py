"""The cover shown over every window while the workbench is locked, with the passphrase field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.lock import LockController
from workbench.errors import UserError
from workbench.i18n import _


class LockScreen(QWidget):
    """Covers its parent completely; nothing of the case data underneath shows or takes focus."""

    def __init__(self, controller: LockController, parent: QWidget) -> None:
        super().__init__(parent)
        self._controller = controller
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockScreen { background: #1f2d3d; } QLabel { color: white; }")
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(_("De Zaakwerkbank is vergrendeld"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Wachtwoord"))
        self.passphrase.setPlaceholderText(_("Wachtwoord"))
        self.passphrase.setMinimumWidth(280)
        self.message = QLabel("")
        self.message.setAccessibleName(_("Melding"))
        self.message.setWordWrap(True)
        button = QPushButton(_("&Ontgrendelen"))
        button.setAccessibleName(_("Ontgrendelen"))
        button.clicked.connect(self.on_unlock)
        self.passphrase.returnPressed.connect(self.on_unlock)
        for w in (title, QLabel(_("Uw werk is opgeslagen. Vul uw wachtwoord in om verder te gaan.")),
                  self.passphrase, button, self.message):
            layout.addWidget(w, alignment=Qt.AlignmentFlag.AlignCenter)
        self.hide()
        controller.locked.connect(self.cover)
        controller.unlocked.connect(self.hide)

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.message.setText("")
        self.passphrase.clear()
        self.show()
        self.raise_()
        self.passphrase.setFocus()

    def resize_to_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not None and self.isVisible():
            self.setGeometry(parent.rect())

    def on_unlock(self) -> None:
        text = self.passphrase.text()
        self.passphrase.clear()
        try:
            self._controller.unlock(text)
        except UserError as exc:
            self.message.setText(exc.text())
            self.passphrase.setFocus()
