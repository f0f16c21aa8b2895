"""The Toestemming tab: consents to share (give, withdraw) and the record of every disclosure."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.cases.case_tab import CaseTab, Work
from ui.consent.consent_models import consent_model, disclosure_model
from ui.context import UiContext
from ui.visits.date_field import DateField
from ui.widgets.field_errors import FieldErrors, add_field, message_line
from ui.widgets.row_table_model import ROW_ROLE, current_row, fit_columns, table_view
from ui.widgets.side_by_side import SideBySide
from ui.widgets.text_style import bold
from workbench.consent.service import BASES, CaseConsents, ConsentInfo
from workbench.i18n import _


def _heading(text: str) -> QLabel:
    return bold(QLabel(text))


def _form(title: str) -> tuple[QGroupBox, QFormLayout, FieldErrors]:
    box = QGroupBox(title)
    box.setAccessibleName(title)
    form = QFormLayout(box)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return box, form, FieldErrors(general=message_line())


def _finish(form: QFormLayout, errors: FieldErrors, button: QPushButton) -> None:
    assert errors.general is not None
    form.addRow(errors.general)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button)
    form.addRow(row)


class ConsentTab(CaseTab):
    """Consents are given and withdrawn, never edited; each disclosure is recorded (and audited as shared).

    Attributes:
        consents_model, consents: the consents table; withdraw_button withdraws the selected one.
        partner, scope, given_on, give_button, give_errors: the "give consent" form.
        disclosures_model, disclosures: the disclosures table.
        to_partner, what, basis, disclosed_on, record_button, record_errors: the "record disclosure" form.
    """

    entities = frozenset({"consent", "disclosure"})

    def __init__(self, ctx: UiContext, case_id: str) -> None:
        super().__init__(ctx, case_id)
        self.setAccessibleName(_("Toestemming"))
        self.consents_model = consent_model(self)
        self.consents = table_view(self.consents_model, "Toestemmingen", stretch=1)
        self.consents.selectionModel().currentChanged.connect(self._on_consent_current)
        self.withdraw_button = QPushButton(_("Toestemming intre&kken"))
        self.withdraw_button.setAccessibleName(_("Gekozen toestemming intrekken"))
        self.withdraw_button.setEnabled(False)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.disclosures_model = disclosure_model(me=ctx.user_id, parent=self)
        self.disclosures = table_view(self.disclosures_model, "Verstrekkingen", stretch=2)

        self.give_box, give, self.give_errors = _form("Toestemming vastleggen")
        self.partner = QLineEdit()
        self.partner.setPlaceholderText(_("Bijvoorbeeld: Gemeente Zaanstad"))
        self.scope = QLineEdit()
        self.scope.setPlaceholderText(_("Welke gegevens, waarvoor?"))
        self.given_on = DateField(today=ctx.today)
        self.given_on.line.setPlaceholderText(_("vandaag"))
        add_field(give, "Partner", self.partner, errors=self.give_errors, fields="partner")
        add_field(give, "Doel en reikwijdte", self.scope, errors=self.give_errors, fields="scope")
        add_field(give, "Gegeven op", self.given_on, errors=self.give_errors, fields="given_on")
        self.give_button = QPushButton(_("Toestemming vast&leggen"))
        self.give_button.setAccessibleName(_("Toestemming vastleggen"))
        self.give_button.clicked.connect(self.give)
        _finish(give, self.give_errors, self.give_button)

        self.record_box, record, self.record_errors = _form("Verstrekking vastleggen")
        self.to_partner = QLineEdit()
        self.to_partner.setPlaceholderText(_("Met wie is iets gedeeld?"))
        self.partner_completer = QCompleter([], self.to_partner)
        self.partner_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.to_partner.setCompleter(self.partner_completer)
        self.what = QLineEdit()
        self.what.setPlaceholderText(_("Welke gegevens?"))
        self.basis = QComboBox()
        for code, label in BASES.items():
            self.basis.addItem(label, code)
        self.disclosed_on = DateField(today=ctx.today)
        self.disclosed_on.line.setPlaceholderText(_("vandaag"))
        add_field(record, "Partner", self.to_partner, errors=self.record_errors, fields="partner")
        add_field(record, "Wat is gedeeld", self.what, errors=self.record_errors, fields="what")
        add_field(record, "Grondslag", self.basis, errors=self.record_errors, fields="basis")
        add_field(record, "Datum", self.disclosed_on, errors=self.record_errors, fields="disclosed_on")
        self.record_button = QPushButton(_("Ver&strekking vastleggen"))
        self.record_button.setAccessibleName(_("Verstrekking vastleggen"))
        self.record_button.clicked.connect(self.record)
        _finish(record, self.record_errors, self.record_button)

        tables = QWidget()
        tables_column = QVBoxLayout(tables)
        tables_column.setContentsMargins(0, 0, 0, 0)
        tables_column.addWidget(_heading("Toestemmingen"))
        tables_column.addWidget(self.consents, 1)
        withdraw_row = QHBoxLayout()
        withdraw_row.addStretch(1)
        withdraw_row.addWidget(self.withdraw_button)
        tables_column.addLayout(withdraw_row)
        tables_column.addSpacing(8)
        tables_column.addWidget(_heading("Verstrekkingen: wat is met wie gedeeld"))
        tables_column.addWidget(self.disclosures, 1)
        forms = QWidget()
        forms_column = QVBoxLayout(forms)
        forms_column.setContentsMargins(0, 0, 0, 0)
        forms_column.addWidget(self.give_box)
        forms_column.addWidget(self.record_box)
        forms_column.addStretch(1)
        self.page = SideBySide(tables, forms)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self.page)
        chain: list[QWidget] = [self.consents, self.withdraw_button, self.partner, self.scope, self.given_on.line,
                                self.give_button, self.disclosures, self.to_partner, self.what, self.basis,
                                self.disclosed_on.line, self.record_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.consents)

    # -- loading -------------------------------------------------------------------------------

    def fetch_job(self) -> Work:
        case_id = self.case_id
        return lambda ws, uow: ws.consent.for_case(uow, case_id)

    def show_data(self, data: Any) -> None:
        consents: CaseConsents = data
        current = current_row(self.consents)
        self.consents_model.set_rows(consents.consents)
        self.disclosures_model.set_rows(consents.disclosures)
        for view in (self.consents, self.disclosures):
            fit_columns(view)
        partners = sorted({c.partner for c in consents.consents})
        self.partner_completer.model().setStringList(partners)  # type: ignore[attr-defined]
        row = next((n for n, c in enumerate(consents.consents) if current and c.id == current.id), -1)
        if row >= 0:
            self.consents.setCurrentIndex(self.consents_model.index(row, 0))
        self._on_consent_current(self.consents.currentIndex(), QModelIndex())

    def editors(self) -> tuple[QWidget, ...]:
        return (self.give_box, self.record_box)

    def refresh_enabled(self) -> None:
        self._on_consent_current(self.consents.currentIndex(), QModelIndex())

    def _on_consent_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item: ConsentInfo | None = current.data(ROW_ROLE) if current.isValid() else None
        self.withdraw_button.setEnabled(self.editable and item is not None and item.withdrawn_on is None)

    # -- changing ------------------------------------------------------------------------------

    def give(self) -> None:
        case_id, partner, scope, given_on = self.case_id, self.partner.text(), self.scope.text(), self.given_on.text()
        self.mutate("give", lambda ws, uow: ws.consent.give(uow, case_id, partner=partner, scope=scope,
                                                             given_on=given_on or None),
                    done=lambda _info: self._clear(self.partner, self.scope, self.given_on.line),
                    errors=self.give_errors)

    def withdraw(self) -> None:
        item: ConsentInfo | None = current_row(self.consents)
        if item is None or item.withdrawn_on is not None:
            return
        consent_id = item.id
        self.mutate("withdraw", lambda ws, uow: ws.consent.withdraw(uow, consent_id))

    def record(self) -> None:
        case_id, partner, what = self.case_id, self.to_partner.text(), self.what.text()
        basis, day = self.basis.currentData(), self.disclosed_on.text()
        self.mutate("record", lambda ws, uow: ws.consent.record_disclosure(
                        uow, case_id, partner=partner, what=what, basis=basis, disclosed_on=day or None),
                    done=lambda _info: self._clear(self.to_partner, self.what, self.disclosed_on.line),
                    errors=self.record_errors)

    @staticmethod
    def _clear(*lines: QLineEdit) -> None:
        for line in lines:
            line.clear()
