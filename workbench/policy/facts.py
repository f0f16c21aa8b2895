"""The facts a calculation starts from: one ToeslagYear per year, hardship periods and earlier payments inside
CaseFacts, validated with field paths."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from workbench.dates import dutch_date
from workbench.errors import ValidationError

SCHEMES = ("integrale_beoordeling", "catshuis", "ogs", "kindregeling", "ex_partner")
YEAR_SCHEMES = frozenset({"integrale_beoordeling", "ogs"})
# The recovery operation covers KOT stopped or reclaimed in 2005-2019 (DOMAIN 1.1); a scope, not an amount.
FIRST_YEAR, LAST_YEAR = 2005, 2019
# A plausibility limit on what is typed, not policy: 40 half-years is 20 years of hardship for one year.
MAX_HALF_YEARS = 40
# Earlier payments that are offset against an integral assessment or an O/GS-tegemoetkoming, with their Dutch name;
# the codes are those of the payments register (workbench/payments/models.py PAYMENT_KINDS).
EARLIER_PAYMENT_KINDS = {"catshuis": "Catshuisregeling", "voorschot": "Voorschot",
                         "compensatie": "Eerdere compensatie"}
_AMOUNTS = ("startbedrag_cents", "interest_on_startbedrag_cents", "interest_and_costs_paid_cents",
            "legal_aid_cents", "interest_entitled_cents", "reclaimed_cents")


@dataclass(frozen=True)
class ToeslagYear:
    """What happened in one toeslagjaar; amounts in whole cents. Checked when it is placed in CaseFacts.

    Attributes:
        year: the toeslagjaar (2005-2019).
        startbedrag_cents: KOT the parent was entitled to but wrongly did not get or had to repay (component 1).
        interest_on_startbedrag_cents: interest included in the startbedrag, supplied separately (component 1).
        interest_and_costs_paid_cents: interest and costs the parent paid to Toeslagen (component 3).
        legal_aid_cents: costs of legal help in the past (component 4).
        hardship_half_years: half-years of hardship for the immaterial damage (component 5), counted per year.
            An older input kept for stored facts: new facts give CaseFacts.hardship_periods instead, which cannot
            count the same hardship twice. The two cannot be combined.
        interest_entitled_cents: interest on the KOT the parent was entitled to (component 6).
        reclaimed_cents: KOT reclaimed under an unjust opzet/grove schuld label (O/GS only).
    """

    year: int
    startbedrag_cents: int = 0
    interest_on_startbedrag_cents: int = 0
    interest_and_costs_paid_cents: int = 0
    legal_aid_cents: int = 0
    hardship_half_years: int = 0
    interest_entitled_cents: int = 0
    reclaimed_cents: int = 0

    def check(self, path: str) -> None:
        """Raise ValidationError with a field such as `years[2].legal_aid_cents`; `path` is `years[2]`."""
        if not _is_int(self.year) or not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValidationError(f"Het toeslagjaar moet tussen {FIRST_YEAR} en {LAST_YEAR} liggen.",
                                  field=f"{path}.year")
        for name in _AMOUNTS:
            _check_cents(getattr(self, name), f"{path}.{name}")
        half_years = self.hardship_half_years
        if not _is_int(half_years) or not 0 <= half_years <= MAX_HALF_YEARS:
            raise ValidationError(f"Het aantal halve jaren moet tussen 0 en {MAX_HALF_YEARS} liggen.",
                                  field=f"{path}.hardship_half_years")


@dataclass(frozen=True)
class HardshipPeriod:
    """A period of hardship for the immaterial damage (component 5), first and last day included."""

    start: dt.date
    end: dt.date

    def describe(self) -> str:
        return f"{dutch_date(self.start)} tot en met {dutch_date(self.end)}"


@dataclass(frozen=True)
class EarlierPayment:
    """A payment made before this decision that is offset against it.

    Attributes:
        kind: a key of EARLIER_PAYMENT_KINDS (catshuis, voorschot, compensatie).
        amount_cents: whole cents, positive.
        paid_on: the day it was paid.
    """

    kind: str
    amount_cents: int
    paid_on: dt.date

    @property
    def label(self) -> str:
        return EARLIER_PAYMENT_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class CaseFacts:
    """Everything one calculation needs; invalid facts raise ValidationError naming the field.

    Attributes:
        decision_date: the dagtekening of the beschikking; it selects the policy versions and the bezwaartermijn.
        scheme: one of SCHEMES.
        years: the toeslagjaren (integrale_beoordeling and ogs only; each year at most once).
        catshuis_paid_cents: what the parent already received under the Catshuisregeling, without its date (kept
            for existing callers and stored facts; new facts give it as an EarlierPayment of kind "catshuis").
        child_birth_dates: one birth date per child (kindregeling only).
        hardship_periods: the periods of hardship for the whole case (integrale_beoordeling only); they may not
            overlap, and the immaterial damage counts half-years over their union (workbench/policy/hardship.py).
        earlier_payments: payments made before this decision that are offset against it, each on its own line.
    """

    decision_date: dt.date
    scheme: str
    years: tuple[ToeslagYear, ...] = ()
    catshuis_paid_cents: int = 0
    child_birth_dates: tuple[dt.date, ...] = ()
    hardship_periods: tuple[HardshipPeriod, ...] = ()
    earlier_payments: tuple[EarlierPayment, ...] = ()

    def __post_init__(self) -> None:
        # Lists from a form or a test are accepted but stored as tuples so the facts stay immutable.
        object.__setattr__(self, "years", tuple(self.years))
        object.__setattr__(self, "child_birth_dates", tuple(self.child_birth_dates))
        object.__setattr__(self, "hardship_periods", tuple(self.hardship_periods))
        object.__setattr__(self, "earlier_payments", tuple(self.earlier_payments))
        if not _is_date(self.decision_date):
            raise ValidationError("De datum van de beschikking is verplicht.", field="decision_date")
        if self.scheme not in SCHEMES:
            raise ValidationError("Kies een geldige regeling.", field="scheme")
        _check_cents(self.catshuis_paid_cents, "catshuis_paid_cents")
        self._check_years()
        self._check_children()
        if self.scheme == "kindregeling" and self.catshuis_paid_cents:
            raise ValidationError("Bij de kindregeling hoort geen Catshuisbetaling: die kreeg de ouder.",
                                  field="catshuis_paid_cents")
        self._check_hardship()
        self._check_earlier_payments()

    @property
    def paid_before_cents(self) -> int:
        """Everything paid before this decision: the undated Catshuis amount and every earlier payment."""
        return self.catshuis_paid_cents + sum(p.amount_cents for p in self.earlier_payments)

    def _check_hardship(self) -> None:
        if self.hardship_periods and self.scheme != "integrale_beoordeling":
            raise ValidationError("Periodes van zware tijd horen alleen bij de integrale beoordeling.",
                                  field="hardship_periods")
        if self.hardship_periods and any(y.hardship_half_years for y in self.years):
            raise ValidationError("Vul de zware periode in als periodes, niet ook als halve jaren per toeslagjaar: "
                                  "dan zou dezelfde tijd twee keer tellen.", field="hardship_periods")
        earliest = dt.date(FIRST_YEAR, 1, 1)
        for i, period in enumerate(self.hardship_periods):
            path = f"hardship_periods[{i}]"
            if not isinstance(period, HardshipPeriod) or not _is_date(period.start) or not _is_date(period.end):
                raise ValidationError(f"Periode {i + 1}: vul een begin- en einddatum in.", field=path)
            if period.end < period.start:
                raise ValidationError(f"Periode {i + 1} ({period.describe()}) eindigt vóór het begin.", field=path)
            if period.start < earliest:
                raise ValidationError(f"Periode {i + 1} begint vóór {dutch_date(earliest)}: de hersteloperatie gaat "
                                      f"over {FIRST_YEAR} tot en met {LAST_YEAR}.", field=path)
            if period.end > self.decision_date:
                raise ValidationError(f"Periode {i + 1} ({period.describe()}) eindigt na de datum van de "
                                      "beschikking.", field=path)
            for j, other in enumerate(self.hardship_periods[:i]):
                if period.start <= other.end and other.start <= period.end:
                    raise ValidationError(f"Periode {i + 1} ({period.describe()}) overlapt met periode {j + 1} "
                                          f"({other.describe()}). Dezelfde tijd telt maar één keer.", field=path)

    def _check_earlier_payments(self) -> None:
        if self.earlier_payments and self.scheme == "kindregeling":
            raise ValidationError("Bij de kindregeling worden geen eerdere betalingen aan de ouder verrekend.",
                                  field="earlier_payments")
        for i, payment in enumerate(self.earlier_payments):
            path = f"earlier_payments[{i}]"
            if not isinstance(payment, EarlierPayment) or payment.kind not in EARLIER_PAYMENT_KINDS:
                raise ValidationError(f"Betaling {i + 1}: kies wat voor betaling het was.", field=f"{path}.kind")
            _check_cents(payment.amount_cents, f"{path}.amount_cents")
            if payment.amount_cents == 0:
                raise ValidationError(f"Betaling {i + 1}: vul het betaalde bedrag in.", field=f"{path}.amount_cents")
            if not _is_date(payment.paid_on) or payment.paid_on > self.decision_date:
                raise ValidationError(f"Betaling {i + 1}: vul de betaaldatum in, op of vóór de datum van de "
                                      "beschikking.", field=f"{path}.paid_on")
            if payment.kind == "catshuis" and self.catshuis_paid_cents:
                raise ValidationError("De Catshuisbetaling staat er twee keer in.", field=f"{path}.kind")

    def _check_years(self) -> None:
        if self.scheme in YEAR_SCHEMES and not self.years:
            raise ValidationError("Vul minstens één toeslagjaar in.", field="years")
        if self.scheme not in YEAR_SCHEMES and self.years:
            raise ValidationError("Bij deze regeling horen geen toeslagjaren.", field="years")
        seen: set[int] = set()
        for i, year in enumerate(self.years):
            if not isinstance(year, ToeslagYear):
                raise ValidationError("Dit toeslagjaar is onvolledig.", field=f"years[{i}]")
            year.check(f"years[{i}]")
            if year.year in seen:
                raise ValidationError(f"Toeslagjaar {year.year} staat er twee keer in.", field=f"years[{i}].year")
            seen.add(year.year)

    def _check_children(self) -> None:
        if self.scheme == "kindregeling" and not self.child_birth_dates:
            raise ValidationError("Vul de geboortedatum van minstens één kind in.", field="child_birth_dates")
        if self.scheme != "kindregeling" and self.child_birth_dates:
            raise ValidationError("Geboortedata van kinderen horen alleen bij de kindregeling.",
                                  field="child_birth_dates")
        for i, born in enumerate(self.child_birth_dates):
            if not _is_date(born):
                raise ValidationError("Vul een geldige geboortedatum in.", field=f"child_birth_dates[{i}]")
            if born > self.decision_date:
                raise ValidationError("De geboortedatum ligt na de datum van de beschikking.",
                                      field=f"child_birth_dates[{i}]")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _check_cents(value: Any, field: str) -> None:
    if not _is_int(value):
        raise ValidationError("Vul een bedrag in hele centen in.", field=field)
    if value < 0:
        raise ValidationError("Een bedrag mag niet negatief zijn.", field=field)
