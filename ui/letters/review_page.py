"""Te beoordelen: letters colleagues offered for review; read the PDF, then approve (passphrase) or reject."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.context import UiContext
from ui.errors import show_error
from ui.letters.findings_view import FindingsView
from ui.letters.letter_models import BRIEF, approved_text, review_model
from ui.letters.passphrase_dialog import PassphraseDialog
from ui.letters.pdf_preview import PdfPreview
from ui.letters.review_context_view import ReviewContextView
from ui.operations import guarded, mutate, query
from ui.widgets.field_errors import FieldErrors, add_field, message_line
from ui.widgets.list_page import Fetch, ListPage
from ui.widgets.row_table_model import ROW_ROLE, current_row, fit_columns
from ui.widgets.status_line import tell
from ui.widgets.text_style import SUBTLE, WARNING, bold, tint
from workbench.errors import ValidationError
from workbench.i18n import N_, _, ngettext
from workbench.letters import queries
from workbench.letters.letter_check import Finding
from workbench.letters.queries import ReviewRow
from workbench.letters.review_context import ReviewContext, review_context

EMPTY = N_("Er liggen geen brieven van collega's ter controle.")
PICK = N_("Kies links een brief om hem te lezen.")


class ReviewPage(ListPage):
    """The review queue (a list page) beside the selected letter's PDF and the two decisions.

    The approve button is disabled with the reason when this user may not approve (their own letter, not a
    reviewer); the core refuses in that case anyway.

    Attributes:
        model, table: the queue; count: how many letters wait; preview: the selected letter.
        context: the case and facts behind the letter, under the queue.
        reason: why approving is not possible (hidden when it is); approve_button asks the passphrase again.
        comment, reject_button, errors: rejecting needs a comment, shown at the field when missing.
        splitter: the queue and its context on the left, the letter and the verdict on the right.

    Signals:
        queue_shown(): the queue was (re)loaded; letter_shown(): the selected letter and its verdict are shown.
    """

    queue_shown = Signal()
    letter_shown = Signal()
    reload_on_show = True  # letters arrive by sync too, which announces nothing to this page: fresh when looked at

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, review_model(), name=_("Brieven ter controle"), stretch=BRIEF,
                         refresh_on=frozenset({"letter"}), empty=_(EMPTY))
        self.setAccessibleName(_("Te beoordelen"))
        title = bold(QLabel(_("Te beoordelen")))
        self.count = self.count_label
        self.count.setAccessibleName(_("Aantal brieven ter controle"))
        self.count.setWordWrap(True)
        tint(self.count, SUBTLE)
        self.list_area.column.insertWidget(0, title)
        self.top.addWidget(self.count, 1)
        # Cells wrap (at spaces) instead of being cut off: the queue shares the width with the letter.
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentChanged.connect(self._on_current)
        self.context = ReviewContextView()  # the facts and the case behind the selected letter
        self.list_area.column.addWidget(self.context, 2)
        self.preview = PdfPreview(_("Brief ter controle"))
        self.preview.set_status(_(PICK))
        self.reason = QLabel("")
        self.reason.setAccessibleName(_("Waarom goedkeuren niet kan"))
        self.reason.setWordWrap(True)
        tint(self.reason, WARNING)
        self.reason.hide()
        self.approve_button = QPushButton(_("&Goedkeuren…"))
        self.approve_button.setAccessibleName(_("Brief goedkeuren"))
        self.approve_button.setToolTip(_("U geeft uw wachtwoord opnieuw om de brief goed te keuren."))
        self.approve_button.clicked.connect(self.approve)
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText(_("Wat moet er anders? De schrijver ziet deze toelichting bij de brief."))
        self.comment.setFixedHeight(self.comment.fontMetrics().lineSpacing() * 4 + 12)
        self.reject_button = QPushButton(_("A&fkeuren"))
        self.reject_button.setAccessibleName(_("Brief afkeuren met toelichting"))
        self.reject_button.clicked.connect(self.reject)
        self.errors = FieldErrors(general=message_line(_("Beoordelen")))
        self.passphrase: PassphraseDialog | None = None

        self.page_layout.setContentsMargins(16, 12, 16, 8)
        self.splitter = self.place_beside(self._letter_side(), sizes=(520, 620))
        for first, second in pairwise([self.table, self.preview.view, self.comment, self.approve_button,
                                       self.reject_button]):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.table)
        self._show_verdict(None, None)
        self.rows_shown.connect(self.queue_shown)

    def _letter_side(self) -> QWidget:
        """The letter, what the check found in it, and the two decisions."""
        approve_row = QHBoxLayout()
        approve_row.addWidget(self.approve_button)
        approve_row.addWidget(self.reason, 1)
        approve_row.addStretch(0)
        self.approve_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        reject_box = QGroupBox(_("Afkeuren"))
        reject_box.setAccessibleName(_("Afkeuren"))
        form = QFormLayout(reject_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        add_field(form, "&Toelichting (verplicht)", self.comment, errors=self.errors, fields="comment")
        reject_row = QHBoxLayout()
        reject_row.addStretch(1)
        reject_row.addWidget(self.reject_button)
        form.addRow(reject_row)
        assert self.errors.general is not None
        form.addRow(self.errors.general)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.preview, 1)
        self.findings = FindingsView()
        right_column.addWidget(self.findings)
        right_column.addLayout(approve_row)
        right_column.addWidget(reject_box)
        return right

    # -- loading -------------------------------------------------------------------------------

    def fetch_job(self) -> Fetch:
        return lambda _ws, uow: queries.review_queue(uow)

    def show_data(self, data: Any) -> None:
        rows: list[ReviewRow] = data
        current = current_row(self.table)
        self.model.set_rows(rows)
        fit_columns(self.table, max_chars=18)
        # An empty queue is said once, in the table (its empty state); the count line then says nothing.
        self.count.setText(ngettext("{n} brief wacht op uw oordeel, de oudste bovenaan.",
                                    "{n} brieven wachten op uw oordeel, de oudste bovenaan.", len(rows)).format(
                               n=len(rows)) if rows else "")
        row = next((n for n, r in enumerate(self.model.rows()) if current is not None and r.id == current.id),
                   0 if rows else -1)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
        else:
            self._on_current(QModelIndex(), QModelIndex())

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row: ReviewRow | None = current.data(ROW_ROLE) if current.isValid() else None
        if row is None:
            # With nothing to choose, "choose a letter" would send the reviewer looking: the panes stay blank.
            waiting = self.model.rowCount() > 0
            self.preview.clear(_(PICK) if waiting else "")
            self._show_verdict(None, None)
            self.context.clear_context(letters_waiting=waiting)
            return
        letter_id = row.id
        self.preview.set_status(_("Brief wordt geladen…"))

        def job(ws: Any, uow: Any) -> tuple[bytes, str | None, list[Finding], ReviewContext]:
            return (ws.letters.preview(uow, letter_id), queries.approval_refusal(uow, letter_id),
                    ws.letters.findings(uow, letter_id), review_context(uow, letter_id))

        query(self, self.ctx.runner, job).on_success(lambda result: self._on_letter(letter_id, result)).run()

    def _on_letter(self, letter_id: str, result: tuple[bytes, str | None, list[Finding], ReviewContext]) -> None:
        selected = current_row(self.table)
        if selected is None or selected.id != letter_id:
            return  # the handler moved on meanwhile
        pdf, refusal, findings, context = result
        self.findings.show_findings(findings)
        self.context.show_context(context)
        self.preview.show_pdf(pdf, _("{title} voor {parent} ({reference})").format(
            title=selected.template_title, parent=selected.parent_name, reference=selected.reference))
        self._show_verdict(selected, refusal)
        self.letter_shown.emit()

    def _show_verdict(self, row: ReviewRow | None, refusal: str | None) -> None:
        self.errors.clear()
        self.approve_button.setEnabled(row is not None and refusal is None)
        self.approve_button.setToolTip(refusal or _("U geeft uw wachtwoord opnieuw om de brief goed te keuren."))
        self.approve_button.setAccessibleDescription(refusal or "")
        self.reason.setText(refusal or "")
        self.reason.setVisible(row is not None and refusal is not None)
        self.reject_button.setEnabled(row is not None)
        self.comment.setEnabled(row is not None)

    # -- deciding ------------------------------------------------------------------------------

    def approve(self) -> None:
        row: ReviewRow | None = current_row(self.table)
        if row is None or not self.approve_button.isEnabled():
            return
        letter_id = row.id
        self.passphrase = PassphraseDialog(
            self, runner=self.ctx.runner, title=_("Brief goedkeuren"), confirm=_("Goedkeuren"),
            text=_("U keurt ‘{title}’ voor {parent} ({reference}) goed. Daarna kan de schrijver de brief versturen. "
                   "Geef uw Zaakwerkbank-wachtwoord om dit te bevestigen.").format(
                title=row.template_title, parent=row.parent_name, reference=row.reference),
            action=lambda ws, uow, passphrase: ws.approve_letter(uow, passphrase, letter_id),
            done=guarded(self, lambda _info: tell(self, approved_text(row))))
        self.passphrase.open()

    def reject(self) -> None:
        row: ReviewRow | None = current_row(self.table)
        if row is None:
            return
        text, letter_id = self.comment.toPlainText(), row.id
        if not text.strip():  # the core refuses too; saying it here keeps the handler's place
            self.errors.show(ValidationError("Schrijf op waarom u de brief afkeurt.", field="comment"))
            return
        mutate(self, self.ctx.runner, lambda ws, uow: ws.letters.reject(uow, letter_id, comment=text)) \
            .on_success(lambda _info: self.comment.clear()).on_failure(self._on_reject_failed).run()

    def _on_reject_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError) and self.errors.show(exc):
            return
        show_error(self, exc)
