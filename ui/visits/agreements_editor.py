"""The inline list of actions and commitments agreed during a home visit, one editable line each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.visits.date_field import DateField
from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.plans.vocabulary import ACTION_OWNERS
from workbench.visits.service import VisitItem

KINDS = {"action": "Actie", "commitment": "Toezegging"}
# Columns of the grid: kind, description, owner, owner name, date, remove.
_STRETCH = (0, 5, 0, 2, 0, 0)


class AgreementRow:
    """One agreement: the widgets of one line in the editor's grid, plus its message line.

    Attributes:
        kind, description, owner, owner_name, due, remove: the line's widgets, in tab order.
        error: the message shown under the line when finishing the visit found a problem in it.
    """

    def __init__(self, *, today: Callable[[], dt.date]) -> None:
        self.kind = QComboBox()
        for code, label in KINDS.items():
            self.kind.addItem(_(label), code)
        self.description = QLineEdit()
        self.description.setPlaceholderText(_("Wat is er afgesproken?"))
        self.owner = QComboBox()
        for code, label in ACTION_OWNERS.items():
            self.owner.addItem(_(label), code)
        self.owner_name = QLineEdit()
        self.owner_name.setPlaceholderText(_("Naam, bijv. Gemeente Zaanstad"))
        self.due = DateField(today=today)
        self.remove = QToolButton()
        self.remove.setText(_("✕"))
        self.remove.setToolTip(_("Deze afspraak verwijderen"))
        self.error = QLabel("")
        self.error.setObjectName("agreementError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.due.use_message_line(self.error)  # a wrong date is named under the line as soon as it is left

    def widgets(self) -> list[QWidget]:
        return [self.kind, self.description, self.owner, self.owner_name, self.due, self.remove]

    def focus_chain(self) -> list[QWidget]:
        return [self.kind, self.description, self.owner, self.owner_name, self.due, self.remove]

    def number(self, n: int) -> None:
        self.kind.setAccessibleName(_("Soort afspraak {n}").format(n=n))
        self.description.setAccessibleName(_("Omschrijving afspraak {n}").format(n=n))
        self.owner.setAccessibleName(_("Wie doet het, afspraak {n}").format(n=n))
        self.owner_name.setAccessibleName(_("Naam bij afspraak {n}").format(n=n))
        self.due.set_accessible_name(_("Uiterste datum afspraak {n}").format(n=n))
        self.remove.setAccessibleName(_("Afspraak {n} verwijderen").format(n=n))
        self.error.setAccessibleName(_("Melding bij afspraak {n}").format(n=n))

    def is_blank(self) -> bool:
        return not (self.description.text().strip() or self.owner_name.text().strip() or self.due.text())

    def item(self) -> VisitItem:
        due = self.due.date_or_none()
        return VisitItem(kind=self.kind.currentData(), description=self.description.text(),
                         due_on=due, owner=self.owner.currentData(), owner_name=self.owner_name.text(),
                         due_text="" if due else self.due.text())  # a date not understood yet is kept as typed

    def fill(self, item: VisitItem) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(item.kind)))
        self.description.setText(item.description)
        self.owner.setCurrentIndex(max(0, self.owner.findData(item.owner)))
        self.owner_name.setText(item.owner_name)
        self.due.set_date(item.due_on)
        if item.due_on is None and item.due_text:
            self.due.line.setText(item.due_text)

    def show_error(self, text: str, field: str | None) -> QWidget:
        """Show the message under the line; returns the widget the handler should fix."""
        self.error.setText(text)
        self.error.show()
        return {"kind": self.kind, "description": self.description, "owner": self.owner,
                "owner_name": self.owner_name, "promised_by": self.owner_name,
                "due_on": self.due.line, "promised_on": self.due.line}.get(field or "", self.description)

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()


class AgreementsEditor(QWidget):
    """Agreements as editable lines; a line without any text is not an agreement and is never saved.

    Signals:
        changed(): something in a line changed, or a line was added or removed.
        rows_changed(): lines were added or removed (the page redoes its tab order).
    """

    changed = Signal()
    rows_changed = Signal()

    def __init__(self, *, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.rows: list[AgreementRow] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(4)
        self._heads: list[QLabel] = []
        for column, title in enumerate((_("Soort"), _("Wat is er afgesproken?"), _("Wie"), _("Naam"),
                                        _("Uiterlijk"))):
            head = QLabel(title)
            head.setObjectName("agreementHead")
            self.grid.addWidget(head, 0, column)
            self._heads.append(head)
        for column, stretch in enumerate(_STRETCH):
            self.grid.setColumnStretch(column, stretch)
        outer.addLayout(self.grid)
        self.empty = QLabel(_("Nog geen afspraken. Druk op Ctrl+Enter om een actie of toezegging toe te voegen."))
        self.empty.setObjectName("agreementsEmpty")
        self.empty.setWordWrap(True)
        outer.addWidget(self.empty)
        self.add_button = QPushButton(_("Afspraak toevoegen (Ctrl+Enter)"))
        self.add_button.setAccessibleName(_("Afspraak toevoegen"))
        self.add_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.add_button.clicked.connect(lambda: self.add_row())
        outer.addWidget(self.add_button)
        outer.addStretch(1)
        self._relayout()

    # -- lines ---------------------------------------------------------------------------------

    def add_row(self, item: VisitItem | None = None, *, focus: bool = True) -> AgreementRow:
        """A new line at the end; an empty last line is reused rather than stacking blanks."""
        if item is None and self.rows and self.rows[-1].is_blank():
            row = self.rows[-1]
        else:
            row = AgreementRow(today=self._today)
            if item is not None:
                row.fill(item)
            for signal in (row.kind.currentIndexChanged, row.description.textChanged,
                           row.owner.currentIndexChanged, row.owner_name.textChanged, row.due.changed):
                signal.connect(self.changed)
            row.remove.clicked.connect(lambda _checked=False, r=row: self.remove_row(r))
            self.rows.append(row)
            self._relayout()
            self.rows_changed.emit()
            self.changed.emit()
        if focus:
            row.kind.setFocus(Qt.FocusReason.OtherFocusReason)
        return row

    def remove_row(self, row: AgreementRow) -> None:
        index = self.rows.index(row)
        for widget in [*row.widgets(), row.error]:
            self.grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        del self.rows[index]
        self._relayout()
        self.rows_changed.emit()
        self.changed.emit()
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].description.setFocus()
        else:
            self.add_button.setFocus()

    def set_items(self, items: tuple[VisitItem, ...] | list[VisitItem]) -> None:
        for item in items:
            self.add_row(item, focus=False)

    def _relayout(self) -> None:
        for row in self.rows:
            for widget in [*row.widgets(), row.error]:
                self.grid.removeWidget(widget)
        for n, row in enumerate(self.rows):
            line = 1 + 2 * n
            for column, widget in enumerate(row.widgets()):
                self.grid.addWidget(widget, line, column)
                widget.show()  # at once, not on the layout's next pass: the new line takes the focus now
            self.grid.addWidget(row.error, line + 1, 1, 1, 5)
            row.number(n + 1)
        for head in self._heads:
            head.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)

    # -- data ----------------------------------------------------------------------------------

    def items(self) -> list[tuple[AgreementRow, VisitItem]]:
        """The agreements to save, each with its line (to show finishing problems at the right place)."""
        return [(row, row.item()) for row in self.rows if not row.is_blank()]

    def focus_chain(self) -> list[QWidget]:
        return [w for row in self.rows for w in row.focus_chain()] + [self.add_button]

    def clear_errors(self) -> None:
        for row in self.rows:
            row.clear_error()

    def check_dates(self) -> AgreementRow | None:
        """Mark every line whose typed date is no date; returns the first such line."""
        first = None
        for row in self.rows:
            if row.is_blank():
                continue
            try:
                row.due.date()
            except ValidationError as exc:
                row.show_error(exc.text(), "due_on")
                first = first or row
        return first
