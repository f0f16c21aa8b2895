"""Dates, terms and amounts a letter prints, computed for its letter date (the issue date) from the policy tables.

A template field with `"derived": RULE` is never typed: it comes from one of the RULES below, for the letter date.
A draft shows today's values; issuing computes them again for the issue date, so a letter issued eight days after
it was drafted gives the parent the full term from the date printed on it. Every policy version consulted is
returned, so the letter records exactly what it rests on.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.dates import dutch_date, parse_date
from workbench.errors import BugError, ValidationError
from workbench.letters.organisation import organisation
from workbench.letters.templates import Template
from workbench.policy.engine import Assessment, age_on, compute
from workbench.policy.facts import CaseFacts
from workbench.policy.objection import decision_term, last_day, objection_term
from workbench.policy.versions import PolicyBook, default_book


@dataclass
class DatingContext:
    """What a rule may look at: the letter date, the typed values, the stored facts and the policy book."""

    letter_date: dt.date
    values: dict[str, Any]
    facts: CaseFacts | None
    book: PolicyBook
    versions: list[str] = field(default_factory=list)
    cache: dict[str, dict[str, Any]] = field(default_factory=dict)
    assessment: Assessment | None = None

    def used(self, version_id: str) -> None:
        if version_id not in self.versions:
            self.versions.append(version_id)


@dataclass(frozen=True)
class Dated:
    """The derived values for one letter date.

    Attributes:
        values: field name -> value (dates as date objects, money as cents) for every derived field.
        policy_versions: ids of every policy version used, in the order they were consulted.
        assessment: the calculation of a beschikking, when the template takes its amounts from facts.
    """

    values: dict[str, Any]
    policy_versions: tuple[str, ...]
    assessment: Assessment | None


Rule = Callable[[DatingContext], dict[str, Any]]


def _objection(ctx: DatingContext) -> dict[str, Any]:
    term = objection_term(ctx.letter_date, ctx.book)
    ctx.used(term.version_id)
    return {"objection_term": term.text, "objection_deadline": term.deadline}


def _appeal(ctx: DatingContext) -> dict[str, Any]:
    version = ctx.book.in_force("beroepstermijn", ctx.letter_date)
    ctx.used(version.id)
    term = version.term("term")
    deadline = last_day(ctx.letter_date, term)
    weeks = f"{term.weeks} weken" if term.weeks is not None else f"{term.years} jaar"
    return {"appeal_term": f"U kunt beroep instellen binnen {weeks} na de datum van deze brief.",
            "appeal_deadline": deadline}


def _reply_by(ctx: DatingContext) -> dict[str, Any]:
    return {"reply_by": ctx.letter_date + dt.timedelta(days=organisation().reply_within_days)}


def _mandate(ctx: DatingContext) -> dict[str, Any]:
    return {"mandate": organisation().mandate}


def _catshuis(ctx: DatingContext) -> dict[str, Any]:
    """The flat Catshuis amount and its legal basis, from the version in force on the letter date."""
    version = ctx.book.in_force("catshuis", ctx.letter_date)
    ctx.used(version.id)
    return {"amount": version.cents("amount_cents"), "legal_basis": version.legal_basis}


def _child(ctx: DatingContext) -> dict[str, Any]:
    """Whether the child of a kindregeling letter is paid into its own account on the letter date (an adult).

    For a minor the table says nothing about the payee, so it must be typed (field `payee`).
    """
    version = ctx.book.in_force("kindregeling", ctx.letter_date)
    ctx.used(version.id)
    born = _typed_date(ctx, "child_birth_date", "Geboortedatum van het kind")
    adult = age_on(born, ctx.letter_date) >= version.count("own_account_from_age")
    if not adult and not str(ctx.values.get("payee") or "").strip():
        raise ValidationError("Het kind is minderjarig: vul in aan wie of op welke rekening wij het geld betalen.",
                              field="payee")
    return {"child_adult": int(adult)}


def _typed_date(ctx: DatingContext, name: str, label: str) -> dt.date:
    day = parse_date(ctx.values.get(name), field=name, label=label)
    assert day is not None
    return day


def _decision_deadline(ctx: DatingContext) -> dict[str, Any]:
    """The beslistermijn on a bezwaar against the decision dated `contested_date` (Awb 7:10, from the policy)."""
    contested = _typed_date(ctx, "contested_date", "Datum van het besluit waartegen bezwaar is gemaakt")
    term = objection_term(contested, ctx.book)
    committee = str(ctx.values.get("advisory_committee") or "").strip().lower() in ("ja", "true", "1")
    decision = decision_term(term, advisory_committee=committee, book=ctx.book)
    ctx.used(decision.version_id)
    return {"decision_weeks": decision.weeks, "decision_deadline": decision.deadline}


def _bac_advice(ctx: DatingContext) -> dict[str, Any]:
    """From which filing date a bezwaar need not go to the BAC; an earlier bezwaar keeps its right to that advice."""
    version = ctx.book.in_force("bac_advies", ctx.letter_date)
    ctx.used(version.id)
    optional_from = version.day("advice_optional_from")
    received = _typed_date(ctx, "objection_received_on", "Datum waarop wij het bezwaar ontvingen")
    if received < optional_from and str(ctx.values.get("advisory_committee") or "").strip().lower() == "nee":
        raise ValidationError(f"Dit bezwaar kwam binnen vóór {dutch_date(optional_from)}. Dan heeft de ouder recht "
                              "op advies van de bezwaarschriftenadviescommissie: kies ja.", field="advisory_committee")
    return {"bac_advice_optional_from": optional_from}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 August + 6 months = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _supplementary(ctx: DatingContext) -> dict[str, Any]:
    """The last day to ask for aanvullende schade: months after this decision becomes final (its bezwaartermijn)."""
    version = ctx.book.in_force("aanvullende_schade", ctx.letter_date)
    ctx.used(version.id)
    final = objection_term(ctx.letter_date, ctx.book)
    ctx.used(final.version_id)
    months = version.count("request_months_after_final")
    # A version with 0 months has only a fixed last day (the deadline before the 2024 change).
    floor = version.day("last_day_at_least")
    deadline = floor if months == 0 else max(floor, add_months(final.deadline, months))
    return {"supplementary_months": months, "supplementary_deadline": deadline}


def _assessment(ctx: DatingContext) -> dict[str, Any]:
    if ctx.facts is None:
        raise ValidationError("Een beschikking heeft een berekening nodig: vul de gegevens voor de berekening in.",
                              field="assessment")
    facts = dataclasses.replace(ctx.facts, decision_date=ctx.letter_date)
    assessment = compute(facts, ctx.book)
    ctx.assessment = assessment
    for version_id in assessment.policy_versions:
        ctx.used(version_id)
    return {**assessment_values(assessment), "earlier_payments": earlier_payment_rows(assessment)}


def earlier_payment_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """One row per earlier payment taken off (its kind in Dutch and the day it was paid), for the letter's table."""
    return [{"label": offset.label + (f", betaald op {dutch_date(offset.paid_on)}" if offset.paid_on else ""),
             "amount": offset.amount_cents} for offset in assessment.offsets]


def _reclaimed(ctx: DatingContext) -> dict[str, Any]:
    """The KOT reclaimed per toeslagjaar under an O/GS label: the facts the O/GS amounts are a percentage of."""
    if ctx.facts is None:
        raise ValidationError("Een beschikking heeft een berekening nodig: vul de gegevens voor de berekening in.",
                              field="assessment")
    return {"reclaimed": [{"year": str(y.year), "amount": y.reclaimed_cents}
                          for y in sorted(ctx.facts.years, key=lambda item: item.year)]}


def assessment_values(assessment: Assessment) -> dict[str, Any]:
    """The fields of a beschikking that come from the policy calculation; they are never typed by hand."""
    return {
        "legal_basis": assessment.legal_basis,
        "breakdown": [{"year": str(line.year) if line.year is not None else "alle jaren", "label": line.label,
                       "amount": line.amount_cents} for line in assessment.lines],
        "total": assessment.total_cents,
        "already_paid": assessment.already_paid_cents,
        "payable": assessment.payable_cents,
        "rounding": assessment.rounding,
        "objection_term": assessment.objection.text,
        "objection_deadline": assessment.objection.deadline,
        "policy_versions": ", ".join(assessment.policy_versions),
    }


RULES: dict[str, Rule] = {
    "objection": _objection,
    "appeal": _appeal,
    "reply_by": _reply_by,
    "mandate": _mandate,
    "decision_deadline": _decision_deadline,
    "supplementary": _supplementary,
    "assessment": _assessment,
    "catshuis": _catshuis,
    "child": _child,
    "reclaimed": _reclaimed,
    "bac_advice": _bac_advice,
}


def derive(template: Template, values: dict[str, Any], *, letter_date: dt.date, facts: CaseFacts | None,
           book: PolicyBook | None = None) -> Dated:
    """Every derived field of `template` for `letter_date`; ValidationError naming the field when a rule's
    input is missing (a beschikking without facts, a bezwaar letter without the contested decision's date)."""
    ctx = DatingContext(letter_date=letter_date, values=values, facts=facts, book=book or default_book())
    out: dict[str, Any] = {}
    for spec in template.fields:
        if spec.derived is None:
            continue
        rule = RULES.get(spec.derived)
        if rule is None:
            raise BugError(f"letter template {template.id}: unknown derived rule {spec.derived}")
        if spec.derived not in ctx.cache:
            ctx.cache[spec.derived] = rule(ctx)
        produced = ctx.cache[spec.derived]
        # a field named like one of the rule's outputs takes that output; otherwise the output named as the rule
        key = spec.name if spec.name in produced else spec.derived
        if key not in produced:
            raise BugError(f"letter template {template.id}: rule {spec.derived} gives no {spec.name}")
        out[spec.name] = produced[key]
    return Dated(values=out, policy_versions=tuple(ctx.versions), assessment=ctx.assessment)


def check_dates_ahead(template: Template, values: dict[str, Any], *, letter_date: dt.date) -> None:
    """Refuse a letter that gives the parent a date already past, or too close to act on.

    A date field with `min_days_after_letter` N must lie at least N days after the letter date: an invitation
    for a visit must arrive before the visit, a reply-by date must leave time to reply.
    """
    for spec in template.fields:
        if spec.type != "date" or spec.min_days_after_letter is None or values.get(spec.name) in (None, ""):
            continue
        day = parse_date(values[spec.name], field=spec.name, label=spec.label)
        assert day is not None
        earliest = letter_date + dt.timedelta(days=spec.min_days_after_letter)
        if day < earliest:
            when = "al voorbij" if day < letter_date else "te dichtbij"
            raise ValidationError(
                f"{spec.label}: {dutch_date(day)} is {when} voor een brief van {dutch_date(letter_date)}. "
                f"Spreek een nieuwe datum af (op zijn vroegst {dutch_date(earliest)}).", field=spec.name)
