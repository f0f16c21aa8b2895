"""Asking the passphrase again before approving or sending a letter; a wrong one is said in the dialog itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.errors import show_error
from ui.operations import mutate
from ui.tasks import TaskRunner
from ui.widgets.dialog_buttons import OK, confirm_or_cancel
from ui.widgets.field_errors import message_line
from workbench.errors import WrongPassphrase
from workbench.i18n import _

if TYPE_CHECKING:
    from workbench.workspace import UnitOfWork, Workspace

# The action runs in the operation's unit of work, so the core's Changes are announced once, by the runner.
Action = Callable[["Workspace", "UnitOfWork", str], Any]


class PassphraseDialog(QDialog):
    """Runs `action(workspace, uow, passphrase)` on the DB thread; closes on success, stays open on a wrong passphrase.

    Attributes:
        passphrase: the password field; message: the line that says the passphrase was wrong.
        ok_button: confirms (its text names the action, such as "Goedkeuren").
    """

    def __init__(self, parent: QWidget, *, runner: TaskRunner, title: str, text: str, confirm: str,
                 action: Action, done: Callable[[Any], None]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._runner, self._action, self._done = runner, action, done
        explanation = QLabel(text)
        explanation.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        # Name which passphrase: a reviewer also has a central password (for enrolling), and may type that one.
        self.passphrase.setAccessibleName(_("Zaakwerkbank-wachtwoord"))
        self.passphrase.setPlaceholderText(_("Het wachtwoord waarmee u de Zaakwerkbank opent"))
        label = QLabel(_("&Zaakwerkbank-wachtwoord"))
        label.setBuddy(self.passphrase)
        self.message = message_line(_("Zaakwerkbank-wachtwoord"))
        buttons = confirm_or_cancel(confirm, accepted=self.on_confirm, rejected=self.reject)
        self.ok_button = buttons.button(OK)
        column = QVBoxLayout(self)
        for widget in (explanation, label, self.passphrase, self.message, buttons):
            column.addWidget(widget)
        self._width = max(480, self.fontMetrics().averageCharWidth() * 64)
        self._fit()
        self.passphrase.setFocus()

    def _fit(self) -> None:
        """Word-wrapped labels need the height that goes with the dialog's width, also after a message appears."""
        layout = self.layout()
        assert layout is not None
        self.resize(self._width, max(layout.totalHeightForWidth(self._width), layout.totalMinimumSize().height()))

    def on_confirm(self) -> None:
        given = self.passphrase.text()
        self.passphrase.clear()
        if not given:
            self._say(_("Vul uw Zaakwerkbank-wachtwoord in."))
            return
        self.ok_button.setEnabled(False)
        action = self._action
        mutate(self, self._runner, lambda ws, uow: action(ws, uow, given)) \
            .on_success(self._on_done).on_failure(self._on_failed).run()

    def _on_done(self, result: Any) -> None:
        self.accept()
        self._done(result)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self._fit()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, WrongPassphrase):
            self._say(exc.text())
            self.passphrase.setFocus()
            return
        self.reject()
        show_error(self.parentWidget(), exc)
