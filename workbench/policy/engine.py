"""Compute what one person receives under one herstelregeling, line by line, from the dated policy tables."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from workbench.dates import dutch_date
from workbench.errors import BugError, ValidationError
from workbench.money import format_euro
from workbench.policy.facts import EARLIER_PAYMENT_KINDS, CaseFacts
from workbench.policy.hardship import half_years, stretches
from workbench.policy.objection import ObjectionTerm, objection_term
from workbench.policy.versions import NotInForce, PolicyBook, PolicyVersion, default_book

__all__ = ["Assessment", "Line", "NotEligible", "ObjectionTerm", "Offset", "compute", "objection_term"]

ROUNDING = "Elk bedrag is per regel afgerond op hele centen. Een halve cent ronden we naar boven af."


class NotEligible(ValidationError):
    """The facts are valid, but the person does not qualify for the scheme; the message says why."""


@dataclass(frozen=True)
class Line:
    """One line of the breakdown printed in the beschikking.

    Attributes:
        label: Dutch description, e.g. "Materiële schade (25% van het startbedrag)".
        year: the toeslagjaar, or None for a line about the whole case.
        amount_cents: whole cents, never negative.
        component: stable code: start_amount, material_damage, interest_and_costs, legal_aid,
            immaterial_damage, interest_entitled, extra, floor_top_up, catshuis, ogs, kindregeling, ex_partner.
    """

    label: str
    year: int | None
    amount_cents: int
    component: str


@dataclass(frozen=True)
class Offset:
    """One payment made earlier and taken off the total, printed on its own line.

    Attributes:
        kind: catshuis, voorschot or compensatie (the payments register's codes).
        label: Dutch description of what it was, e.g. "Voorschot".
        amount_cents: whole cents, positive.
        paid_on: the day it was paid; None for a Catshuis amount given without its date.
    """

    kind: str
    label: str
    amount_cents: int
    paid_on: dt.date | None


@dataclass(frozen=True)
class Assessment:
    """The outcome of one calculation, with everything the letter needs to explain it.

    Attributes:
        total_cents: the sum of all lines.
        already_paid_cents: what was paid before and is offset: the sum of `offsets`.
        payable_cents: total minus already paid, never below zero: nothing is reclaimed.
        lines: the breakdown, per toeslagjaar where the scheme works per year.
        legal_basis: Dutch text naming the legal basis of the versions used.
        policy_versions: ids of every policy version used, the bezwaartermijn last.
        rounding: Dutch sentence on how amounts were rounded.
        objection: the bezwaartermijn for this beschikking.
        offsets: the earlier payments taken off, one per payment (Catshuis, voorschot, earlier compensation).
    """

    total_cents: int
    already_paid_cents: int
    payable_cents: int
    lines: tuple[Line, ...]
    legal_basis: str
    policy_versions: tuple[str, ...]
    rounding: str
    objection: ObjectionTerm
    offsets: tuple[Offset, ...] = ()

    def __post_init__(self) -> None:
        if any(line.amount_cents < 0 for line in self.lines) or self.payable_cents < 0:
            raise BugError("an assessment has a negative amount")
        if self.total_cents != sum(line.amount_cents for line in self.lines):
            raise BugError("an assessment's total is not the sum of its lines")
        if self.payable_cents != max(0, self.total_cents - self.already_paid_cents):
            raise BugError("an assessment's payable amount does not follow from total and already paid")
        if self.offsets and self.already_paid_cents != sum(o.amount_cents for o in self.offsets):
            raise BugError("an assessment's already-paid amount is not the sum of its offsets")


class _Rules:
    """The versions in force on the decision date, remembering which ones the calculation used.

    Only a version whose value ends up in a line or an offset is recorded (`get`); a version consulted for a rule
    that did not apply (the floor when the total is above it) is looked at with `peek` and not cited.
    """

    def __init__(self, book: PolicyBook, on: dt.date) -> None:
        self._book = book
        self._on = on
        self.used: list[PolicyVersion] = []

    def peek(self, rule: str) -> PolicyVersion:
        try:
            return self._book.in_force(rule, self._on)
        except NotInForce as exc:
            raise NotInForce(exc.message, field="decision_date") from None

    def get(self, rule: str) -> PolicyVersion:
        version = self.peek(rule)
        if version not in self.used:
            self.used.append(version)
        return version


def compute(facts: CaseFacts, book: PolicyBook | None = None) -> Assessment:
    """The assessment for `facts`, using the versions in force on `facts.decision_date`.

    Raises NotEligible when a child or ex-partner does not qualify, and NotInForce when no version covers
    the decision date. `book` defaults to the shipped tables in resources/policy/.
    """
    book = book or default_book()
    rules = _Rules(book, facts.decision_date)
    lines, offsets = _SCHEMES[facts.scheme](facts, rules)
    objection = objection_term(facts.decision_date, book)
    total = sum(line.amount_cents for line in lines)
    already_paid = sum(o.amount_cents for o in offsets)
    bases = list(dict.fromkeys(v.legal_basis for v in rules.used))
    return Assessment(
        total_cents=total, already_paid_cents=already_paid, payable_cents=max(0, total - already_paid),
        lines=tuple(lines), legal_basis="; ".join(bases),
        policy_versions=(*(v.id for v in rules.used), objection.version_id),
        rounding=ROUNDING, objection=objection, offsets=tuple(offsets),
    )


def percent_of(cents: int, percent: Fraction) -> int:
    """`percent`% of `cents`, rounded to whole cents with a half cent going up (amounts are never negative)."""
    return math.floor(Fraction(cents) * percent / 100 + Fraction(1, 2))


def format_percent(percent: Fraction) -> str:
    """`25%`, or `12,5%` with a Dutch decimal comma."""
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{float(percent):g}%".replace(".", ",")


_Outcome = tuple[list[Line], list[Offset]]


def _offsets(facts: CaseFacts, rules: _Rules) -> list[Offset]:
    """Every earlier payment on its own line, oldest first; an undated Catshuis amount (older input) first of all.

    A Catshuis payment is offset under the Catshuisregeling (catshuis.json), so that version is cited with it.
    """
    offsets: list[Offset] = []
    if facts.catshuis_paid_cents:
        offsets.append(Offset("catshuis", EARLIER_PAYMENT_KINDS["catshuis"], facts.catshuis_paid_cents, None))
    for payment in sorted(facts.earlier_payments, key=lambda p: p.paid_on):
        offsets.append(Offset(payment.kind, payment.label, payment.amount_cents, payment.paid_on))
    if any(o.kind == "catshuis" for o in offsets):
        rules.get("catshuis")
    return offsets


def _integral_assessment(facts: CaseFacts, rules: _Rules) -> _Outcome:
    comp = rules.get("compensatie")
    floor = rules.peek("catshuis").cents("amount_cents")
    material = comp.percent("material_damage_percent")
    per_half_year = comp.cents("immaterial_per_half_year_cents")
    extra = comp.percent("extra_percent")
    lines: list[Line] = []
    for y in sorted(facts.years, key=lambda item: item.year):
        start = y.startbedrag_cents + y.interest_on_startbedrag_cents
        halves = y.hardship_half_years
        year_lines = [
            Line("Startbedrag: kinderopvangtoeslag die u onterecht niet kreeg of moest terugbetalen, met rente",
                 y.year, start, "start_amount"),
            Line(f"Materiële schade ({format_percent(material)} van het startbedrag)", y.year,
                 percent_of(start, material), "material_damage"),
            Line("Rente en kosten die u aan Toeslagen betaalde", y.year, y.interest_and_costs_paid_cents,
                 "interest_and_costs"),
            Line("Kosten voor juridische hulp", y.year, y.legal_aid_cents, "legal_aid"),
            Line(f"Immateriële schade ({halves} {'half jaar' if halves == 1 else 'halve jaren'} × "
                 f"{format_euro(per_half_year)})", y.year, halves * per_half_year, "immaterial_damage"),
            Line("Rente over de kinderopvangtoeslag waar u recht op had", y.year, y.interest_entitled_cents,
                 "interest_entitled"),
        ]
        subtotal = sum(line.amount_cents for line in year_lines)
        year_lines.append(Line(f"Extra vergoeding ({format_percent(extra)} van de bedragen hierboven voor {y.year})",
                               y.year, percent_of(subtotal, extra), "extra"))
        lines.extend(year_lines)
    lines.extend(_hardship_lines(facts, per_half_year, extra))
    total = sum(line.amount_cents for line in lines)
    offsets = _offsets(facts, rules)
    # Gedupeerd: the first check paid the Catshuis amount, or this assessment finds harm in some year.
    gedupeerd = total > 0 or any(o.kind == "catshuis" for o in offsets)
    if gedupeerd and total < floor:
        rules.get("catshuis")
        lines.append(Line(f"Aanvulling tot het minimumbedrag van {format_euro(floor)}", None, floor - total,
                          "floor_top_up"))
    return lines, offsets


def _hardship_lines(facts: CaseFacts, per_half_year: int, extra: Fraction) -> list[Line]:
    """The immaterial damage over the case's hardship periods (one count for the whole case) and its extra 1%."""
    if not facts.hardship_periods:
        return []
    halves = half_years(facts.hardship_periods)
    when = "; ".join(stretch.describe() for stretch in stretches(facts.hardship_periods))
    amount = halves * per_half_year
    return [
        Line(f"Immateriële schade ({halves} {'half jaar' if halves == 1 else 'halve jaren'} × "
             f"{format_euro(per_half_year)}, zware tijd van {when})", None, amount, "immaterial_damage"),
        Line(f"Extra vergoeding ({format_percent(extra)} van de immateriële schade hierboven)", None,
             percent_of(amount, extra), "extra"),
    ]


def _catshuis(facts: CaseFacts, rules: _Rules) -> _Outcome:
    amount = rules.get("catshuis").cents("amount_cents")
    return [Line("Forfaitair bedrag Catshuisregeling", None, amount, "catshuis")], _offsets(facts, rules)


def _ogs(facts: CaseFacts, rules: _Rules) -> _Outcome:
    percent = rules.get("ogs").percent("percent")
    lines = [
        Line(f"Tegemoetkoming opzet/grove schuld: {format_percent(percent)} van de teruggevorderde "
             f"kinderopvangtoeslag ({format_euro(y.reclaimed_cents)})", y.year,
             percent_of(y.reclaimed_cents, percent), "ogs")
        for y in sorted(facts.years, key=lambda item: item.year)
    ]
    return lines, _offsets(facts, rules)


def _kindregeling(facts: CaseFacts, rules: _Rules) -> _Outcome:
    version = rules.get("kindregeling")
    reference = version.day("age_reference_date")
    lines: list[Line] = []
    for i, born in enumerate(facts.child_birth_dates):
        refusal = _child_refusal(born, version)
        if refusal:
            raise NotEligible(f"Kind {i + 1} (geboren op {dutch_date(born)}) komt niet in aanmerking voor de "
                              f"kindregeling: {refusal}", field=f"child_birth_dates[{i}]")
        age = age_on(born, reference)
        band = version.age_table("age_bands").band_for(age)
        lines.append(Line(f"Kind geboren op {dutch_date(born)}: {age} jaar op {dutch_date(reference)} "
                          f"(leeftijdsgroep {band.describe()})", None, band.amount_cents, "kindregeling"))
    return lines, []


def _child_refusal(born: dt.date, version: PolicyVersion) -> str | None:
    last_birth = version.day("born_on_or_before")
    if born > last_birth:
        return f"het kind is na {dutch_date(last_birth)} geboren."
    age_date, max_age = version.day("eligibility_age_date"), version.count("eligibility_max_age")
    if age_on(born, age_date) > max_age:
        return f"het kind was op {dutch_date(age_date)} ouder dan {max_age} jaar."
    return None


def _ex_partner(facts: CaseFacts, rules: _Rules) -> _Outcome:
    amount = rules.get("ex_partner").cents("amount_cents")
    if facts.catshuis_paid_cents or facts.earlier_payments:
        field = "catshuis_paid_cents" if facts.catshuis_paid_cents else "earlier_payments"
        raise NotEligible("De aanvrager kreeg al eerder compensatie. Wie al compensatie kreeg, komt niet in "
                          "aanmerking voor de ex-partnerregeling.", field=field)
    return [Line("Forfaitaire compensatie ex-partnerregeling", None, amount, "ex_partner")], []


def age_on(born: dt.date, day: dt.date) -> int:
    """Age in whole years on `day`; someone born on 29 February turns a year older on 1 March."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


_SCHEMES: dict[str, Callable[[CaseFacts, _Rules], _Outcome]] = {
    "integrale_beoordeling": _integral_assessment,
    "catshuis": _catshuis,
    "ogs": _ogs,
    "kindregeling": _kindregeling,
    "ex_partner": _ex_partner,
}
