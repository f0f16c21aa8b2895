"""The plan tab's forms: add a need, an action or a commitment; change an action or a commitment in place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ui.visits.date_field import DateField
from ui.widgets.field_errors import FieldErrors, add_field, message_line
from workbench.i18n import _
from workbench.plans.service import NeedPlan
from workbench.plans.vocabulary import ACTION_OWNERS, COMMITMENT_OWNERS, life_domains

if TYPE_CHECKING:
    from workbench.workspace import UnitOfWork, Workspace

Work = Callable[["Workspace", "UnitOfWork"], Any]
Today = Callable[[], dt.date]


class PlanForm(QGroupBox):
    """A small "add" form: fields with their messages, and one button.

    Attributes:
        errors: messages at the fields (a ValidationError about another field shows under the form).
        button: submits; pressing Enter in a line does too.

    Signals:
        submitted(): the handler asked to add what the form holds.
    """

    submitted = Signal()

    def __init__(self, title: str, button: str, button_name: str) -> None:
        super().__init__(title)
        self.setAccessibleName(title)
        self.form = QFormLayout(self)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.errors = FieldErrors(general=message_line())
        self.button = QPushButton(button)
        self.button.setAccessibleName(button_name)
        self.button.clicked.connect(self.submitted)

    def add(self, title: str, widget: QWidget, fields: str | Sequence[str]) -> None:
        add_field(self.form, title, widget, errors=self.errors, fields=fields)
        if isinstance(widget, QLineEdit):
            widget.returnPressed.connect(self.submitted)
        elif isinstance(widget, DateField):
            widget.line.returnPressed.connect(self.submitted)

    def work(self, case_id: str) -> Work:
        """What to run on the DB thread to add the form's content (values read now, on the GUI thread)."""
        raise NotImplementedError

    def reset(self) -> None:
        """Empty the form after a successful add."""

    def finish(self) -> None:
        assert self.errors.general is not None
        self.form.addRow(self.errors.general)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        self.form.addRow(row)


class NeedForm(PlanForm):
    def __init__(self) -> None:
        super().__init__("Nieuwe behoefte", "&Behoefte toevoegen", "Behoefte toevoegen")
        self.domain = QComboBox()
        for code, label in life_domains().items():
            self.domain.addItem(label, code)
        self.description = QLineEdit()
        self.description.setPlaceholderText(_("Wat heeft het gezin nodig?"))
        self.add("Leefgebied", self.domain, "life_domain")
        self.add("Behoefte", self.description, "description")
        self.finish()

    def work(self, case_id: str) -> Work:
        domain, text = self.domain.currentData(), self.description.text()
        return lambda ws, uow: ws.plans.add_need(uow, case_id, life_domain=domain, description=text)

    def select_domain(self, code: str) -> None:
        index = self.domain.findData(code)
        if index >= 0:
            self.domain.setCurrentIndex(index)

    def reset(self) -> None:
        self.description.clear()


class ActionForm(PlanForm):
    def __init__(self, today: Today) -> None:
        super().__init__("Nieuwe actie", "&Actie toevoegen", "Actie toevoegen")
        self.description = QLineEdit()
        self.description.setPlaceholderText(_("Wat moet er gebeuren?"))
        self.need = QComboBox()
        self.need.addItem(_("Geen (losse actie)"), None)
        self.owner = QComboBox()
        for code, label in ACTION_OWNERS.items():
            self.owner.addItem(label, code)
        self.owner_name = QLineEdit()
        self.owner_name.setPlaceholderText(_("Bijv. Gemeente Zaanstad"))
        self.owner_name.setToolTip(_("Nodig als de gemeente of een andere partner het doet."))
        self.due = DateField(today=today)
        self.add("Actie", self.description, "description")
        self.add("Bij behoefte", self.need, "need_id")
        self.add("Wie doet het", self.owner, "owner")
        self.add("Naam", self.owner_name, "owner_name")
        self.add("Uiterlijk", self.due, "due_on")
        self.finish()

    def set_needs(self, needs: Sequence[NeedPlan]) -> None:
        keep = self.need.currentData()
        self.need.clear()
        self.need.addItem(_("Geen (losse actie)"), None)
        for plan in needs:
            self.need.addItem(f"{plan.need.life_domain_label}: {plan.need.description}", plan.need.id)
        self.need.setCurrentIndex(max(0, self.need.findData(keep)) if keep else 0)

    def select_need(self, need_id: str) -> None:
        self.need.setCurrentIndex(max(0, self.need.findData(need_id)))

    def work(self, case_id: str) -> Work:
        text, need_id, owner = self.description.text(), self.need.currentData(), self.owner.currentData()
        name, due = self.owner_name.text(), self.due.text()
        return lambda ws, uow: ws.plans.add_action(uow, case_id, description=text, owner=owner, owner_name=name,
                                                   due_on=due, need_id=need_id)

    def reset(self) -> None:
        self.description.clear()
        self.owner_name.clear()
        self.due.set_date(None)


class CommitmentForm(PlanForm):
    def __init__(self, today: Today) -> None:
        super().__init__("Nieuwe toezegging", "Toe&zegging toevoegen", "Toezegging toevoegen")
        self.description = QLineEdit()
        self.description.setPlaceholderText(_("Wat is de ouder beloofd?"))
        self.owner = QComboBox()
        for code, label in COMMITMENT_OWNERS.items():
            self.owner.addItem(label, code)
        # The toezeggingen letter puts our promises under "Wat doen wij?", the gemeente's and others' apart.
        self.owner.setToolTip(_("Wie de toezegging nakomt: wij (pzb'er of backoffice), de gemeente of een ander."))
        self.promised_by = QLineEdit()
        self.promised_by.setPlaceholderText(_("Bijvoorbeeld: pzb'er, backoffice"))
        self.due = DateField(today=today)
        self.add("Toezegging", self.description, "description")
        self.add("Wie doet het", self.owner, "owner")
        self.add("Toegezegd door", self.promised_by, "promised_by")
        self.add("Uiterlijk", self.due, ("due_on", "promised_on"))
        self.finish()

    def work(self, case_id: str) -> Work:
        text, who, due = self.description.text(), self.promised_by.text(), self.due.text()
        owner = self.owner.currentData()
        return lambda ws, uow: ws.plans.add_commitment(uow, case_id, description=text, promised_by=who, due_on=due,
                                                       owner=owner)

    def reset(self) -> None:
        self.description.clear()
        self.due.set_date(None)


class ActionChange(QWidget):
    """Done or a new date for the selected action.

    Signals:
        done_requested(), reschedule_requested().
    """

    done_requested = Signal()
    reschedule_requested = Signal()

    def __init__(self, today: Today) -> None:
        super().__init__()
        self.done_button = QPushButton(_("Actie &gedaan"))
        self.done_button.setAccessibleName(_("Gekozen actie is gedaan"))
        self.done_button.clicked.connect(self.done_requested)
        self.new_date = DateField(today=today)
        self.new_date.set_accessible_name("Nieuwe uiterste datum voor de actie")
        self.new_date.line.returnPressed.connect(self.reschedule_requested)
        self.reschedule_button = QPushButton(_("&Datum wijzigen"))
        self.reschedule_button.setAccessibleName(_("Uiterste datum van de actie wijzigen"))
        self.reschedule_button.clicked.connect(self.reschedule_requested)
        date_message = message_line(_("Nieuwe uiterste datum"))
        self.errors = FieldErrors(general=date_message)
        self.errors.add("due_on", self.new_date, date_message)
        # Two short rows rather than one long one: the pane stays narrow enough at a large font size.
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        done_row = QHBoxLayout()
        done_row.addWidget(self.done_button)
        done_row.addStretch(1)
        form.addRow(done_row)
        date_row = QHBoxLayout()
        date_row.addWidget(self.new_date, 1)
        date_row.addWidget(self.reschedule_button)
        label = QLabel(_("Nieuwe uiterste datum:"))
        label.setBuddy(self.new_date.line)
        form.addRow(label, date_row)
        form.addRow(date_message)

    def set_enabled_for(self, open_action: bool) -> None:
        for widget in (self.done_button, self.new_date, self.reschedule_button):
            widget.setEnabled(open_action)


class CommitmentChange(QWidget):
    """Kept, broken (note required) or renegotiated (new date and note) for the selected commitment.

    Attributes:
        history: who keeps the selected promise, the date first promised and every date since.

    Signals:
        keep_requested(), break_requested(), renegotiate_requested().
    """

    keep_requested = Signal()
    break_requested = Signal()
    renegotiate_requested = Signal()

    def __init__(self, today: Today) -> None:
        super().__init__()
        self.keep_button = QPushButton(_("Nage&komen"))
        self.keep_button.setAccessibleName(_("Toezegging is nagekomen"))
        self.keep_button.clicked.connect(self.keep_requested)
        self.break_button = QPushButton(_("&Niet nagekomen"))
        self.break_button.setAccessibleName(_("Toezegging is niet nagekomen"))
        self.break_button.clicked.connect(self.break_requested)
        self.renegotiate_button = QPushButton(_("&Opnieuw afspreken"))
        self.renegotiate_button.setAccessibleName(_("Toezegging opnieuw afspreken"))
        self.renegotiate_button.clicked.connect(self.renegotiate_requested)
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("Nodig bij Niet nagekomen en Opnieuw afspreken"))
        self.new_date = DateField(today=today)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setAccessibleName(_("Datums van de gekozen toezegging"))
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.history)
        self.errors = FieldErrors(general=message_line())
        add_field(form, "Toe&lichting", self.note, errors=self.errors, fields="note")
        add_field(form, "Nieuwe datum", self.new_date, errors=self.errors, fields=("new_due_on", "on_date"))
        self.new_date.set_accessible_name("Nieuwe uiterste datum voor de toezegging")
        buttons = QHBoxLayout()
        for button in (self.keep_button, self.break_button, self.renegotiate_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        assert self.errors.general is not None
        form.addRow(self.errors.general)
        form.addRow(buttons)

    def set_enabled_for(self, live: bool) -> None:
        for widget in (self.keep_button, self.break_button, self.renegotiate_button, self.note, self.new_date):
            widget.setEnabled(live)

    def reset(self) -> None:
        self.note.clear()
        self.new_date.set_date(None)
