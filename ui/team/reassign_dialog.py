"""Hand a case to another handler of the team: a handler, a required reason, a confirmation, then central."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QMessageBox, QPlainTextEdit, QVBoxLayout, QWidget

from ui.errors import message_for, show_error
from ui.operations import guarded
from ui.sync.driver import SyncDriver
from ui.widgets.dialog_buttons import OK, confirm_or_cancel
from ui.widgets.field_errors import FieldErrors, add_field, message_line
from workbench.caseload.types import CaseRef
from workbench.errors import UserError, ValidationError
from workbench.i18n import _
from workbench.sync.engine import SyncReport
from workbench.sync.transport import CentralUnreachable
from workbench.workspace import Workspace

REASON_MISSING = "Schrijf op waarom de zaak naar een andere zaakbehandelaar gaat."
HANDLER_MISSING = "Kies een zaakbehandelaar uit het team."
UNREACHABLE = ("De zaak is niet overgedragen: de centrale is niet bereikbaar. Overdragen kan alleen met verbinding; "
               "probeer het opnieuw zodra die er is.")


class ReassignDialog(QDialog):
    """Choose the new handler and say why; "Overdragen" asks once more, then central moves the case.

    Attributes:
        handler_box, reason, errors: the form; confirm_box: the last question (None until asked).

    Signals:
        reassigned(str, str): the case id and the new handler's id, after central moved the case.
    """

    reassigned = Signal(str, str)

    def __init__(self, *, sync: SyncDriver, workspace: Workspace, case: CaseRef,
                 handlers: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sync = sync
        self.workspace = workspace
        self.case = case
        self.busy = False
        self.confirm_box: QMessageBox | None = None
        self.setWindowTitle(_("Zaak {reference} overdragen").format(reference=case.reference))
        self.setAccessibleName(_("Zaak overdragen"))
        intro = QLabel(_("Zaak {reference} ({parent}) is nu van {handler}. De nieuwe zaakbehandelaar krijgt de "
                         "zaak met het hele verhaal bij de volgende synchronisatie en ziet eerst een "
                         "overdrachtssamenvatting. Het oude apparaat wist de zaak zodra alles daarvan bij de "
                         "centrale is.").format(reference=case.reference, parent=case.parent_name,
                                                 handler=case.handler_name))
        intro.setWordWrap(True)
        self.handler_box = QComboBox()
        self.handler_box.addItem(_("Kies…"), None)
        for handler_id, name in handlers:
            if handler_id != case.handler_id:
                self.handler_box.addItem(name, handler_id)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(_("Bijvoorbeeld: verlof, te veel zaken, de ouder vroeg om een ander"))
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 4 + 12)
        self.errors = FieldErrors(general=message_line(_("Overdragen")))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        add_field(form, "Nieuwe &zaakbehandelaar", self.handler_box, errors=self.errors, fields="zaakbehandelaar")
        add_field(form, "&Reden (verplicht)", self.reason, errors=self.errors, fields="reden")
        self.buttons = confirm_or_cancel(_("&Overdragen…"), name=_("Zaak overdragen"), accepted=self.submit,
                                         rejected=self.reject)
        self.ok_button = self.buttons.button(OK)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        assert self.errors.general is not None
        layout.addWidget(self.errors.general)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())
        self.handler_box.setFocus()

    def new_handler(self) -> tuple[str, str] | None:
        handler_id = self.handler_box.currentData()
        return (str(handler_id), self.handler_box.currentText()) if handler_id else None

    def submit(self) -> None:
        """Check the form here (no round trip for an empty field), then ask once more."""
        self.errors.clear()
        chosen = self.new_handler()
        if chosen is None:
            self.errors.show(ValidationError(HANDLER_MISSING, field="zaakbehandelaar"))
            return
        if not self.reason.toPlainText().strip():
            self.errors.show(ValidationError(REASON_MISSING, field="reden"))
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Zaak overdragen"),
                          _("Zaak {reference} overdragen van {old} aan {new}?").format(
                              reference=self.case.reference, old=self.case.handler_name, new=chosen[1]),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText(_("Ja, overdragen"))
        box.button(QMessageBox.StandardButton.No).setText(_("Nee"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAccessibleName(_("Overdragen bevestigen"))
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda button: self.reassign_now() if button is yes else None)
        self.confirm_box = box
        box.open()

    def reassign_now(self) -> None:
        """Central first, then this device syncs, on the sync thread (the network may be slow: the form waits,
        the window and its DB thread do not)."""
        chosen = self.new_handler()
        if chosen is None or self.busy:
            return
        case_id, handler_id, reason = self.case.case_id, chosen[0], self.reason.toPlainText().strip()
        self.busy = True
        self.ok_button.setEnabled(False)
        self.ok_button.setText(_("Bezig met overdragen…"))
        self.sync.reassign(self.workspace, case_id=case_id, handler_id=handler_id, reason=reason,
                           done=guarded(self, self._on_done), failed=guarded(self, self._on_failed))

    def _on_done(self, _report: SyncReport) -> None:
        self.busy = False
        self.reassigned.emit(self.case.case_id, self.handler_box.currentData())
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.ok_button.setText(_("&Overdragen…"))
        if isinstance(exc, UserError) and exc.field and self.errors.show(exc):  # type: ignore[arg-type]
            return
        if isinstance(exc, UserError):
            # Offline or refused: the reason stays typed, the message stays in the form.
            assert self.errors.general is not None
            if isinstance(exc, CentralUnreachable):
                # Sync's own words ("uw wijzigingen blijven bewaard") would suggest it goes later: it does not.
                text = UNREACHABLE
            else:
                text = _("De zaak is niet overgedragen. {reason}").format(reason=message_for(exc)[1])
            self.errors.general.setText(text)
            self.errors.general.show()
            return
        show_error(self, exc)
