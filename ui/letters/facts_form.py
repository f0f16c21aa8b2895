"""The facts of a beschikking (toeslagjaren with their amounts, periods of hardship and earlier payments, or for the
kindregeling the child it is for): the policy engine computes every amount from them, so no total is ever typed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ui.letters.facts_tables import FactRows
from ui.widgets.field_errors import message_line
from workbench.dates import dutch_date, parse_date
from workbench.errors import ValidationError
from workbench.i18n import _
from workbench.letters.queries import ChildChoice
from workbench.money import format_euro, parse_euro
from workbench.policy.engine import Assessment
from workbench.policy.facts import (
    EARLIER_PAYMENT_KINDS,
    SCHEMES,
    YEAR_SCHEMES,
    CaseFacts,
    EarlierPayment,
    HardshipPeriod,
    ToeslagYear,
)

# (ToeslagYear attribute, column title) per scheme that works per year
YEAR_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "integrale_beoordeling": (
        ("year", "Jaar"), ("startbedrag_cents", "Startbedrag"),
        ("interest_on_startbedrag_cents", "Rente op\nstartbedrag"),
        ("interest_and_costs_paid_cents", "Rente en\nkosten betaald"), ("legal_aid_cents", "Juridische\nhulp"),
        ("interest_entitled_cents", "Rente op KOT\n(recht op)")),
    "ogs": (("year", "Jaar"), ("reclaimed_cents", "Teruggevorderd")),
}
FACT_FIELDS = ("years", "catshuis_paid_cents", "child_birth_dates", "child_id", "decision_date", "scheme",
               "assessment", "hardship_periods", "earlier_payments")
# Schemes whose form has hardship periods and earlier payments (one table each) instead of the Catshuis amount.
PERIOD_SCHEMES = frozenset({"integrale_beoordeling"})
PAYMENT_COLUMNS = ("kind", "amount_cents", "paid_on")


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
    periods: tuple[tuple[str, str], ...] = ()
    payments: tuple[tuple[str, ...], ...] = ()
    # (year, half-years) from facts stored before hardship was entered as periods; kept until cleared
    legacy_half_years: tuple[tuple[int, int], ...] = ()

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
            legacy = dict(self.legacy_half_years).get(found.get("year", 0), 0)
            years.append(ToeslagYear(**found, **({"hardship_half_years": legacy} if legacy else {})))
        paid = parse_euro(self.catshuis_paid, field="catshuis_paid_cents") if self.catshuis_paid else 0
        return CaseFacts(decision_date=decision_date, scheme=self.scheme, years=tuple(years),
                         catshuis_paid_cents=paid, hardship_periods=self._periods(),
                         earlier_payments=self._payments())

    def _periods(self) -> tuple[HardshipPeriod, ...]:
        out = []
        for i, (start, end) in enumerate(self.periods):
            first = parse_date(start, field=f"hardship_periods[{i}]", label=_("Periode {n}: van").format(n=i + 1))
            last = parse_date(end, field=f"hardship_periods[{i}]", label=_("Periode {n}: tot en met").format(n=i + 1))
            assert first is not None and last is not None
            out.append(HardshipPeriod(first, last))
        return tuple(out)

    def _payments(self) -> tuple[EarlierPayment, ...]:
        out = []
        for i, (kind, amount, paid_on) in enumerate(self.payments):
            cents = parse_euro(amount, field=f"earlier_payments[{i}].amount_cents") if amount else 0
            day = parse_date(paid_on, field=f"earlier_payments[{i}].paid_on",
                             label=_("Betaling {n}: betaald op").format(n=i + 1))
            assert day is not None
            out.append(EarlierPayment(kind, cents, day))
        return tuple(out)


class FactsForm(QGroupBox):
    """Toeslagjaren (one table row each) and what the Catshuisregeling already paid; or, for the kindregeling, the
    child the letter is for (one letter per child: its birth date comes from its record, never typed here).

    Attributes:
        scheme: the scheme of the template; years: the table (None for schemes without years).
        child: the combo of the case's children (kindregeling only, else None).
        summary: the outcome of the last calculation; message: the line for a fact that is wrong.

    Signals:
        changed(): a fact changed.
    """

    changed = Signal()

    def __init__(self, scheme: str) -> None:
        super().__init__("Feiten voor de berekening")
        self.setAccessibleName(_("Feiten voor de berekening"))
        self.scheme = scheme
        intro = QLabel(_("De bedragen berekent de Zaakwerkbank met de beleidsregels die op de datum van de brief "
                       "gelden. Vul alleen de feiten in; een totaal typt u nooit zelf."))
        intro.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        self.years: QTableWidget | None = None
        self.child: QComboBox | None = None
        self.add_button = self.remove_button = None
        if scheme in YEAR_SCHEMES:
            titles = [title for _name, title in YEAR_COLUMNS[scheme]]
            self.years = QTableWidget(0, len(titles))
            self.years.setAccessibleName(_("Toeslagjaren"))
            self.years.setAccessibleDescription(_("Eén regel per toeslagjaar; bedragen in euro's, zoals 1.234,56."))
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
            self.add_button = QPushButton(_("&Jaar toevoegen"))
            self.add_button.setAccessibleName(_("Toeslagjaar toevoegen"))
            self.add_button.clicked.connect(lambda: self.add_year())
            self.remove_button = QPushButton(_("Jaar verwijderen"))
            self.remove_button.setAccessibleName(_("Gekozen toeslagjaar verwijderen"))
            self.remove_button.clicked.connect(self.remove_year)
            buttons = QHBoxLayout()
            buttons.addWidget(self.add_button)
            buttons.addWidget(self.remove_button)
            buttons.addStretch(1)
            column.addWidget(self.years)
            column.addLayout(buttons)
        form = self.form = QFormLayout()
        self.catshuis = QLineEdit()
        self.catshuis.setAccessibleName(_("Al ontvangen uit de Catshuisregeling"))
        self.catshuis.setPlaceholderText(_("Bijvoorbeeld: 30.000,00"))
        self.catshuis.textChanged.connect(lambda _t: self.changed.emit())
        self.periods: FactRows | None = None
        self.payments: FactRows | None = None
        self.legacy: tuple[tuple[int, int], ...] = ()
        if scheme in PERIOD_SCHEMES:
            self._add_period_tables(column)
            # only for facts stored with an undated Catshuis amount; new facts give it as an earlier payment
            form.addRow(_("Al ontvangen (Catshuisregeling)"), self.catshuis)
            form.setRowVisible(self.catshuis, False)
        elif scheme != "kindregeling":
            form.addRow(_("Al ontvangen (Catshuisregeling)"), self.catshuis)
        else:
            self.catshuis.hide()
            intro.setText(_("Deze beschikking is voor één kind: het kind is de belanghebbende. Kies het kind; de "
                          "Zaakwerkbank neemt de naam en de geboortedatum uit de gegevens van het kind en berekent "
                          "het bedrag met de beleidsregels die op de datum van de brief gelden."))
            self.child = QComboBox()
            self.child.setAccessibleName(_("Kind voor wie deze beschikking is"))
            self.child.currentIndexChanged.connect(lambda _i: self.changed.emit())
            form.addRow(_("&Kind"), self.child)
        column.addLayout(form)
        self.message = message_line(_("Feiten"))
        self.summary = QLabel("")
        self.summary.setAccessibleName(_("Uitkomst van de berekening"))
        self.summary.setWordWrap(True)
        column.addWidget(self.message)
        column.addWidget(self.summary)

    def _add_period_tables(self, column: QVBoxLayout) -> None:
        self.periods = FactRows("Periodes van zware tijd (voor de hele zaak)", ("Van", "Tot en met"),
                                what="Periode", description="Eén regel per periode, datums als dd-mm-jjjj. Periodes "
                                "mogen niet overlappen: dezelfde tijd telt maar één keer.")
        self.payments = FactRows("Eerder betaald", ("Soort", "Bedrag", "Betaald op"), what="Betaling",
                                 description="Eén regel per betaling die van het totaal af gaat; bedrag zoals "
                                 "1.234,56, datum als dd-mm-jjjj.", choices=EARLIER_PAYMENT_KINDS)
        self.legacy_note = QLabel("")
        self.legacy_note.setWordWrap(True)
        self.legacy_note.setAccessibleName(_("Halve jaren per toeslagjaar (oude invoer)"))
        self.legacy_clear = QPushButton(_("Oude halve jaren wissen"))
        self.legacy_clear.setAccessibleName(_("Halve jaren per toeslagjaar wissen"))
        self.legacy_clear.clicked.connect(lambda: self._set_legacy(()))
        self._set_legacy(())
        for table in (self.periods, self.payments):
            table.changed.connect(self.changed)
        column.addWidget(self.periods)
        column.addWidget(self.legacy_note)
        column.addWidget(self.legacy_clear)
        column.addWidget(self.payments)

    def _set_legacy(self, legacy: tuple[tuple[int, int], ...]) -> None:
        self.legacy = legacy
        shown = ", ".join(f"{n} in {year}" for year, n in legacy)
        self.legacy_note.setText(_("Deze brief telt nog halve jaren per toeslagjaar: {shown}. Vult u liever periodes "
                                   "in? Wis dan eerst deze halve jaren.").format(shown=shown) if legacy else "")
        self.legacy_note.setVisible(bool(legacy))
        self.legacy_clear.setVisible(bool(legacy))
        self.changed.emit()

    def years_columns(self) -> tuple[tuple[str, str], ...]:
        """The (fact, column title) pairs of the toeslagjaren table."""
        return YEAR_COLUMNS.get(self.scheme, ())

    def set_earlier_payments(self, payments: tuple[EarlierPayment, ...]) -> None:
        """Fill the earlier payments (the defaults from the payments register for a new letter)."""
        if self.payments is not None:
            self.payments.set_rows([_payment_cells(p) for p in payments])

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
        if self.periods is not None:
            self.periods.set_rows([(p.start.strftime("%d-%m-%Y"), p.end.strftime("%d-%m-%Y"))
                                   for p in facts.hardship_periods])
            self.set_earlier_payments(facts.earlier_payments)
            self._set_legacy(tuple((y.year, y.hardship_half_years) for y in facts.years if y.hardship_half_years))
        if facts.catshuis_paid_cents:
            self.catshuis.setText(format_euro(facts.catshuis_paid_cents).removeprefix("€ "))
            if self.periods is not None:
                self.form.setRowVisible(self.catshuis, True)
        self.changed.emit()

    def set_children(self, children: list[ChildChoice], *, chosen: str | None = None) -> None:
        """Fill the child combo; a child without a birth date is shown but cannot be chosen."""
        if self.child is None:
            return
        self.child.blockSignals(True)
        self.child.clear()
        for choice in children:
            born = (_("geboren op {date}").format(date=dutch_date(choice.birth_date)) if choice.birth_date
                    else _("geen geboortedatum bekend"))
            self.child.addItem(_("{name} ({born})").format(name=choice.name, born=born), choice.id)
            if choice.birth_date is None:
                item = self.child.model().item(self.child.count() - 1)  # type: ignore[attr-defined]
                item.setEnabled(False)
        usable = [i for i, c in enumerate(children) if c.birth_date is not None]
        index = next((i for i, c in enumerate(children) if c.id == chosen), usable[0] if usable else -1)
        self.child.setCurrentIndex(index)
        self.child.setEnabled(chosen is None and bool(usable))
        self.child.blockSignals(False)
        if not usable:
            self.message.setText(_("Van de kinderen van deze ouder is geen geboortedatum bekend. Vul die eerst in."))
            self.message.show()
        self.changed.emit()

    def child_id(self) -> str | None:
        """The chosen child (kindregeling), or None."""
        if self.child is None or self.child.currentIndex() < 0:
            return None
        value = self.child.currentData()
        return str(value) if value else None

    def facts_input(self) -> FactsInput | None:
        """The typed facts; None for the kindregeling, whose facts the service takes from the chosen child."""
        if self.child is not None:
            return None
        rows: list[tuple[str, ...]] = []
        if self.years is not None:
            for r in range(self.years.rowCount()):
                cells = tuple((item.text().strip() if (item := self.years.item(r, c)) else "")
                              for c in range(self.years.columnCount()))
                if any(cells):
                    rows.append(cells)
        periods = tuple((a, b) for a, b in self.periods.rows()) if self.periods is not None else ()
        payments = self.payments.rows() if self.payments is not None else ()
        return FactsInput(scheme=self.scheme, years=tuple(rows), catshuis_paid=self.catshuis.text().strip(),
                          periods=periods, payments=payments, legacy_half_years=self.legacy)

    def show_assessment(self, assessment: Assessment | None) -> None:
        self.message.hide()
        if assessment is None:
            self.summary.setText("")
            return
        paid = _(", al betaald {amount}").format(amount=format_euro(assessment.already_paid_cents)) \
            if assessment.already_paid_cents else ""
        rules = ", ".join(assessment.policy_versions)
        self.summary.setText(_("Berekend: totaal {total}{paid}; wij betalen {payable}. Regels: {rules}.").format(
            total=format_euro(assessment.total_cents), paid=paid, payable=format_euro(assessment.payable_cents),
            rules=rules))

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
        for prefix, table in (("hardship_periods[", self.periods), ("earlier_payments[", self.payments)):
            if select and table is not None and field.startswith(prefix) and "]" in field:
                sub = field.split(".", 1)[1] if "." in field else ""
                column = PAYMENT_COLUMNS.index(sub) if sub in PAYMENT_COLUMNS else 0
                table.select(int(field[len(prefix):field.index("]")]), column)
        return True


def _payment_cells(payment: EarlierPayment) -> tuple[str, str, str]:
    return (payment.kind, format_euro(payment.amount_cents).removeprefix("€ "), payment.paid_on.strftime("%d-%m-%Y"))
