"""The Brieven tab's content: a case's letters with their status, and what can be done with the selected one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from ui.cases.case_tab import CaseTab, Work
from ui.context import UiContext
from ui.letters.letter_copies import LetterCopier
from ui.letters.letter_models import letter_model, status_text
from ui.letters.letter_viewer import LetterViewer
from ui.letters.letter_wizard import LetterWizard
from ui.letters.passphrase_dialog import PassphraseDialog
from ui.operations import guarded, query
from ui.widgets.field_errors import FieldErrors, message_line
from ui.widgets.row_table_model import ROW_ROLE, current_row, fit_columns, table_view
from ui.widgets.status_line import tell
from ui.widgets.text_style import SUBTLE, tint
from workbench.errors import NotFound, ValidationError
from workbench.i18n import N_, _
from workbench.letters import queries
from workbench.letters.queries import DraftValues, LetterRow
from workbench.letters.service import LetterInfo
from workbench.letters.templates import load_template

EMPTY = N_("Brieven en beschikkingen komen hier. Deze zaak heeft nog geen brieven. "
          "Kies Nieuwe brief (Alt+N) om er een te maken.")


def field_named(exc: ValidationError, template_id: str) -> ValidationError:
    """The content check's message with the name of the field to fill in, as the wizard shows it."""
    try:
        spec = load_template(template_id).field(exc.field or "")
    except NotFound:
        spec = None
    suffix = f" Vul het veld ‘{spec.label}’ aan via Openen / bewerken." if spec is not None else ""
    return ValidationError(exc.text() + suffix)


class LettersPanel(CaseTab):
    """Letters of one case. Drafts are edited in the wizard; others open read-only as their PDF.

    Attributes:
        model, table: the letters; message: says there are none yet (shown instead of the table).
        detail: the selected letter's status in words (with the reviewer's comment when it came back).
        notice: why the last action did not go through (the content check names the field).
        new_button, open_button, submit_button, issue_button, save_copy_button, print_button: the actions.
        copier: saves and prints copies; wizard, viewer, passphrase: the dialog open now, if any.
    """

    entities = frozenset({"letter"})

    def __init__(self, ctx: UiContext, case_id: str) -> None:
        super().__init__(ctx, case_id)
        self.setAccessibleName(_("Brieven"))
        self.model = letter_model(self)
        self.table = table_view(self.model, _("Brieven van deze zaak"), stretch=1)
        self.table.selectionModel().currentChanged.connect(self._on_current)
        self.table.activated.connect(lambda _index: self.open_selected())  # Enter or a double click
        self.message = QLabel(_(EMPTY))
        self.message.setAccessibleName(_("Brieven"))
        self.message.setAccessibleDescription(_(EMPTY))
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.message.setContentsMargins(24, 24, 24, 24)
        tint(self.message, SUBTLE)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.message)
        self.list_stack.addWidget(self.table)
        self.detail = QLabel("")
        self.detail.setAccessibleName(_("Status van de gekozen brief"))
        self.detail.setWordWrap(True)
        self._said: tuple[str, str] | None = None  # (letter id, what was just done with it)
        self.notice = message_line(_("Brieven"))
        self.notice_errors = FieldErrors(general=self.notice)

        self.new_button = self._button(_("&Nieuwe brief…"), _("Nieuwe brief maken"), self.new_letter)
        self.open_button = self._button(_("&Openen / bewerken…"), _("Gekozen brief openen of bewerken"),
                                        self.open_selected)
        self.submit_button = self._button(_("Ter &controle aanbieden"), _("Gekozen brief ter controle aanbieden"),
                                          self.submit_selected)
        self.issue_button = self._button(_("Ver&sturen…"), _("Gekozen brief versturen"), self.issue_selected)
        self.save_copy_button = self._button(_("Kopie opslaan als &PDF…"),
                                             _("Kopie van de gekozen brief opslaan als PDF"), self.save_copy)
        self.print_button = self._button(_("&Afdrukken…"), _("Gekozen brief afdrukken"), self.print_copy)
        self.issue_button.setToolTip(_("Alleen een goedgekeurde brief kan worden verstuurd; u geeft uw wachtwoord "
                                     "opnieuw."))
        self.copier = LetterCopier(self, ctx.runner, said=self._say)
        self.wizard: LetterWizard | None = None
        self.viewer: LetterViewer | None = None
        self.passphrase: PassphraseDialog | None = None

        actions = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.submit_button, self.issue_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.save_copy_button)
        actions.addWidget(self.print_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        column.addLayout(actions)
        column.addWidget(self.list_stack, 1)
        column.addWidget(self.detail)
        column.addWidget(self.notice)
        for first, second in ((self.new_button, self.table), (self.table, self.open_button)):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.message)
        self._on_current(QModelIndex(), QModelIndex())

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    # -- loading -------------------------------------------------------------------------------

    def fetch_job(self) -> Work:
        case_id = self.case_id
        return lambda _ws, uow: queries.letters_for_case(uow, case_id)

    def show_data(self, data: Any) -> None:
        rows: list[LetterRow] = data
        current = current_row(self.table)
        self.model.set_rows(rows)
        fit_columns(self.table, max_chars=34)
        had_focus = self.message.hasFocus() or self.table.hasFocus()
        self.list_stack.setCurrentWidget(self.table if rows else self.message)
        self.setFocusProxy(self.table if rows else self.message)
        row = next((n for n, r in enumerate(rows) if current is not None and r.id == current.id), 0 if rows else -1)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
        proxy = self.focusProxy()
        if had_focus and proxy is not None:
            proxy.setFocus()
        self._on_current(self.table.currentIndex(), QModelIndex())

    def selected(self) -> LetterRow | None:
        return current_row(self.table) if self.model.rowCount() else None

    def editors(self) -> tuple[QWidget, ...]:
        return (self.new_button,)

    def refresh_enabled(self) -> None:
        self._on_current(self.table.currentIndex(), QModelIndex())

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row: LetterRow | None = current.data(ROW_ROLE) if current.isValid() else None
        for button in (self.open_button, self.save_copy_button, self.print_button):
            button.setEnabled(row is not None)
        self.submit_button.setEnabled(self.editable and row is not None and row.status == "draft")
        self.issue_button.setEnabled(self.editable and row is not None and row.status == "approved")
        drafting = self.editable and (row is None or row.status == "draft")
        self.open_button.setText(_("&Openen / bewerken…") if drafting else _("&Openen…"))
        if row is not None and self._said is not None and self._said[0] == row.id:
            self.detail.setText(self._said[1])
        else:
            self._said = None
            self.detail.setText(_("{title}: {status}").format(title=row.template_title, status=status_text(row))
                                if row is not None else "")
        self.detail.setVisible(row is not None)

    # -- actions -------------------------------------------------------------------------------

    def _say(self, text: str, *, letter_id: str | None = None) -> None:
        """Say what just happened under the list; it stays while that letter is chosen, through reloads."""
        chosen = self.selected()
        self._said = (letter_id or (chosen.id if chosen is not None else ""), text)
        self.detail.setText(text)
        self.detail.show()

    def _on_issued(self, info: LetterInfo) -> None:
        """Sent, or back in review because the rules changed since approval: say which, never both."""
        if info.status == "issued":
            self._say(_("De brief is verstuurd en vastgelegd."), letter_id=info.id)
        else:
            self._say(_("De brief is niet verstuurd.") + " " + info.review_comment, letter_id=info.id)

    def new_letter(self) -> None:
        self._open_wizard(None)

    def _open_wizard(self, draft: DraftValues | None) -> None:
        self.wizard = LetterWizard(self.ctx, self.case_id, parent=self, draft=draft)
        self.wizard.saved.connect(lambda info: self._say(_("De brief is opgeslagen als concept."), letter_id=info.id))
        self.wizard.open()

    def open_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.status == "draft" and self.editable:  # on a read-only case a draft opens as its PDF
            letter_id = row.id
            query(self, self.ctx.runner, lambda _ws, uow: queries.draft_values(uow, letter_id)) \
                .on_success(self._open_wizard).on_failure(self._on_load_failed).run()
            return
        self.viewer = LetterViewer(self, self.ctx.runner, letter_id=row.id,
                                   title=f"{row.template_title} ({status_text(row).lower()})")
        self.viewer.open()

    def submit_selected(self) -> None:
        row = self.selected()
        if row is None or row.status != "draft":
            return
        letter_id, template_id, title = row.id, row.template_id, row.template_title

        def job(ws: Any, uow: Any) -> Any:
            try:
                return ws.letters.submit(uow, letter_id)
            except ValidationError as exc:
                raise field_named(exc, template_id) from None

        self.mutate("submit", job, done=lambda _info: self._submitted(letter_id, title), errors=self.notice_errors)

    def _submitted(self, letter_id: str, title: str) -> None:
        text = _("‘{title}’ is ter beoordeling aangeboden aan een controleur. U ziet hier wanneer de brief is "
                 "goedgekeurd of teruggestuurd.").format(title=title)
        self._say(text, letter_id=letter_id)
        tell(self, _("Brief ter beoordeling aangeboden: ‘{title}’.").format(title=title))

    def issue_selected(self) -> None:
        row = self.selected()
        if row is None or row.status != "approved":
            return
        letter_id = row.id
        self.passphrase = PassphraseDialog(
            self, runner=self.ctx.runner, title=_("Brief versturen"), confirm=_("Versturen"),
            text=_("U verstuurt ‘{title}’ ({reference}). Daarna kan niemand de brief nog wijzigen. Geef uw "
                   "Zaakwerkbank-wachtwoord om dit te bevestigen.").format(title=row.template_title,
                                                                          reference=row.reference),
            action=lambda ws, uow, passphrase: ws.issue_letter(uow, passphrase, letter_id),
            done=guarded(self, self._on_issued))
        self.passphrase.open()

    def save_copy(self) -> None:
        row = self.selected()
        if row is not None:
            self.copier.save(row.id)

    def print_copy(self) -> None:
        row = self.selected()
        if row is not None:
            self.copier.print(row.id)
