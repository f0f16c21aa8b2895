"""The facts of a beschikking (toeslagjaren with their amounts, children's birth dates): the policy engine
computes every amount from them, so no total is ever typed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.widgets.field_errors import message_line
from workbench.dates import parse_date
from workbench.errors import ValidationError
from workbench.money import format_euro, parse_euro
from workbench.policy.engine import Assessment
from workbench.policy.facts import SCHEMES, YEAR_SCHEMES, CaseFacts, ToeslagYear

# (ToeslagYear attribute, column title) per scheme that works per year
YEAR_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "integrale_beoordeling": (
        ("year", "Jaar"), ("startbedrag_cents", "Startbedrag"),
        ("interest_on_startbedrag_cents", "Rente op\nstartbedrag"),
        ("interest_and_costs_paid_cents", "Rente en\nkosten betaald"), ("legal_aid_cents", "Juridische\nhulp"),
        ("hardship_half_years", "Halve jaren\nzwaar"), ("interest_entitled_cents", "Rente op KOT\n(recht op)")),
    "ogs": (("year", "Jaar"), ("reclaimed_cents", "Teruggevorderd")),
}
FACT_FIELDS = ("years", "catshuis_paid_cents", "child_birth_dates", "decision_date", "scheme", "assessment")


def scheme_for(template_id: str) -> str:
    """The scheme a beschikking template decides on: `beschikking_kindregeling` -> `kindregeling`."""
    scheme = template_id.removeprefix("beschikking_")
    return scheme if scheme in SCHEMES else "integrale_beoordeling"


@dataclass(frozen=True)
class FactsInput:
    """The facts as typed (texts), turned into CaseFacts on the DB thread by `to_facts`."""

    scheme: str
    years: tuple[tuple[str, ...], ...]
    catshuis_paid: str
    birth_dates: tuple[str, ...]

    def to_facts(self, decision_date: dt.date) -> CaseFacts:
        """CaseFacts, or ValidationError with a field such as `years[1].legal_aid_cents`."""
        columns = YEAR_COLUMNS.get(self.scheme, ())
        years = []
        for i, row in enumerate(self.years):
            found: dict[str, Any] = {}
            for (name, title), text in zip(columns, row, strict=True):
                path = f"years[{i}].{name}"
                if name in ("year", "hardship_half_years"):
                    if text and not text.isdigit():
                        what = " ".join(title.split())
                        raise ValidationError(f"{what} in regel {i + 1} moet een heel getal zijn.", field=path)
                    found[name] = int(text or 0)
                else:
                    found[name] = parse_euro(text, field=path) if text else 0
            years.append(ToeslagYear(**found))
        paid = parse_euro(self.catshuis_paid, field="catshuis_paid_cents") if self.catshuis_paid else 0
        births = tuple(parse_date(text, field=f"child_birth_dates[{i}]", label="Geboortedatum")
                       for i, text in enumerate(self.birth_dates))
        return CaseFacts(decision_date=decision_date, scheme=self.scheme, years=tuple(years),
                         catshuis_paid_cents=paid, child_birth_dates=tuple(d for d in births if d is not None))


class FactsForm(QGroupBox):
    """Toeslagjaren (one table row each), what the Catshuisregeling already paid, or the children's birth dates.

    Attributes:
        scheme: the scheme of the template; years: the table (None for schemes without years).
        summary: the outcome of the last calculation; message: the line for a fact that is wrong.

    Signals:
        changed(): a fact changed.
    """

    changed = Signal()

    def __init__(self, scheme: str) -> None:
        super().__init__("Feiten voor de berekening")
        self.setAccessibleName("Feiten voor de berekening")
        self.scheme = scheme
        intro = QLabel("De bedragen berekent de Zaakwerkbank met de beleidsregels die op de datum van de brief "
                       "gelden. Vul alleen de feiten in; een totaal typt u nooit zelf.")
        intro.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        self.years: QTableWidget | None = None
        self.births: QPlainTextEdit | None = None
        self.add_button = self.remove_button = None
        if scheme in YEAR_SCHEMES:
            titles = [title for _name, title in YEAR_COLUMNS[scheme]]
            self.years = QTableWidget(0, len(titles))
            self.years.setAccessibleName("Toeslagjaren")
            self.years.setAccessibleDescription("Eén regel per toeslagjaar; bedragen in euro's, zoals 1.234,56.")
            self.years.setHorizontalHeaderLabels(titles)
            self.years.verticalHeader().hide()
            self.years.setTabKeyNavigation(False)
            self.years.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
            self.years.setFixedHeight(self.years.fontMetrics().lineSpacing() * 9)
            # wide enough for an amount like 12.345,67 whatever the header says
            self.years.horizontalHeader().setMinimumSectionSize(self.years.fontMetrics().horizontalAdvance("00.000,00")
                                                                + 16)
            self.years.resizeColumnsToContents()
            self.years.itemChanged.connect(lambda _i: self.changed.emit())
            self.add_button = QPushButton("&Jaar toevoegen")
            self.add_button.setAccessibleName("Toeslagjaar toevoegen")
            self.add_button.clicked.connect(lambda: self.add_year())
            self.remove_button = QPushButton("Jaar verwijderen")
            self.remove_button.setAccessibleName("Gekozen toeslagjaar verwijderen")
            self.remove_button.clicked.connect(self.remove_year)
            buttons = QHBoxLayout()
            buttons.addWidget(self.add_button)
            buttons.addWidget(self.remove_button)
            buttons.addStretch(1)
            column.addWidget(self.years)
            column.addLayout(buttons)
        form = QFormLayout()
        self.catshuis = QLineEdit()
        self.catshuis.setAccessibleName("Al ontvangen uit de Catshuisregeling")
        self.catshuis.setPlaceholderText("Bijvoorbeeld: 30.000,00")
        self.catshuis.textChanged.connect(lambda _t: self.changed.emit())
        if scheme != "kindregeling":
            form.addRow("Al ontvangen (Catshuisregeling)", self.catshuis)
        else:
            self.catshuis.hide()
            self.births = QPlainTextEdit()
            self.births.setAccessibleName("Geboortedata van de kinderen")
            self.births.setPlaceholderText("dd-mm-jjjj, één per regel")
            self.births.setTabChangesFocus(True)
            self.births.setFixedHeight(self.births.fontMetrics().lineSpacing() * 4 + 12)
            self.births.textChanged.connect(self.changed)
            form.addRow("Geboortedata kinderen", self.births)
        column.addLayout(form)
        self.message = message_line("Feiten")
        self.summary = QLabel("")
        self.summary.setAccessibleName("Uitkomst van de berekening")
        self.summary.setWordWrap(True)
        column.addWidget(self.message)
        column.addWidget(self.summary)

    def add_year(self, values: tuple[str, ...] = ()) -> None:
        assert self.years is not None
        row = self.years.rowCount()
        self.years.insertRow(row)
        for col in range(self.years.columnCount()):
            self.years.setItem(row, col, QTableWidgetItem(values[col] if col < len(values) else ""))
        self.years.setCurrentCell(row, 0)
        self.changed.emit()

    def remove_year(self) -> None:
        if self.years is not None and self.years.currentRow() >= 0:
            self.years.removeRow(self.years.currentRow())
            self.changed.emit()

    def set_facts(self, facts: CaseFacts) -> None:
        """Show stored facts again (editing a concept): one table row per toeslagjaar, amounts as Dutch euros."""
        if self.years is not None:
            self.years.setRowCount(0)
            for year in facts.years:
                cells = tuple(str(getattr(year, name)) if name in ("year", "hardship_half_years")
                              else format_euro(getattr(year, name)).removeprefix("€ ")
                              for name, _title in YEAR_COLUMNS[self.scheme])
                self.add_year(cells)
        if facts.catshuis_paid_cents:
            self.catshuis.setText(format_euro(facts.catshuis_paid_cents).removeprefix("€ "))
        if self.births is not None:
            self.births.setPlainText("\n".join(day.strftime("%d-%m-%Y") for day in facts.child_birth_dates))
        self.changed.emit()

    def facts_input(self) -> FactsInput:
        rows: list[tuple[str, ...]] = []
        if self.years is not None:
            for r in range(self.years.rowCount()):
                cells = tuple((self.years.item(r, c).text().strip() if self.years.item(r, c) else "")
                              for c in range(self.years.columnCount()))
                if any(cells):
                    rows.append(cells)
        births = tuple(t.strip() for t in self.births.toPlainText().splitlines() if t.strip()) if self.births else ()
        return FactsInput(scheme=self.scheme, years=tuple(rows), catshuis_paid=self.catshuis.text().strip(),
                          birth_dates=births)

    def show_assessment(self, assessment: Assessment | None) -> None:
        self.message.hide()
        if assessment is None:
            self.summary.setText("")
            return
        paid = f", al betaald {format_euro(assessment.already_paid_cents)}" if assessment.already_paid_cents else ""
        rules = ", ".join(assessment.policy_versions)
        self.summary.setText(f"Berekend: totaal {format_euro(assessment.total_cents)}{paid}; wij betalen "
                             f"{format_euro(assessment.payable_cents)}. Regels: {rules}.")

    def show_error(self, exc: ValidationError, *, select: bool = True) -> bool:
        """A message about a fact goes here (`select`: with its cell made current); False if not about facts."""
        field = exc.field or ""
        if not field.startswith(FACT_FIELDS):
            return False
        self.summary.setText("")
        self.message.setText(exc.text())
        self.message.show()
        if select and field.startswith("years[") and self.years is not None:
            row = int(field[6:field.index("]")])
            names = [name for name, _t in YEAR_COLUMNS[self.scheme]]
            sub = field.split(".", 1)[1] if "." in field else "year"
            self.years.setCurrentCell(row, names.index(sub) if sub in names else 0)
        return True
