"""Values a letter takes from the case's own records, never typed: the decision a letter is about, the ex-partner.

A template field named in LINKS holds the id of an issued besluit of the same case (the decision a bezwaar is
against, or the decision a herziening replaces); the fields it fills are always taken from that letter: its kenmerk,
its dagtekening and its legal basis, so a typed kenmerk or date is overwritten. `ex_partner_id` fills the
ex-partner's name from the parties' record. CHOICES lists the text fields that take one of a few words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from workbench.cases.models import Case
from workbench.clock import today
from workbench.errors import NotAllowed, ValidationError
from workbench.letters.models import Letter
from workbench.letters.templates import Template
from workbench.parties.models import ExPartner
from workbench.policy.facts import CaseFacts
from workbench.store.unit_of_work import UnitOfWork

# link field -> prefix of the fields it fills (<prefix>_reference, <prefix>_date); legal_basis when the template
# takes the decision's legal basis as its own (a beslissing op bezwaar decides again on the same rules).
LINKS = {"contested_letter_id": "contested", "original_letter_id": "original"}
ON_OBJECTION = "beslissing_op_bezwaar"
CHOICES = {
    "advisory_committee": ("ja", "nee"),
    "outcome": ("gegrond", "ongegrond", "deels gegrond"),
}
_CHOICE_LABELS = {"advisory_committee": "Advies van de bezwaarschriftenadviescommissie",
                  "outcome": "De uitkomst van het bezwaar"}


def link_field(template: Template) -> str | None:
    """The template's field that names a related decision, or None."""
    return next((name for name in LINKS if template.field(name) is not None), None)


def with_related(template: Template, values: dict[str, Any], related_letter_id: str | None) -> dict[str, Any]:
    """`values` with the related decision's id in the template's link field (ValidationError if it has none)."""
    if related_letter_id is None:
        return values
    name = link_field(template)
    if name is None:
        raise ValidationError("Bij deze brief hoort geen ander besluit.", field="related_letter_id")
    return {**values, name: related_letter_id}


def kept_links(template: Template, stored: dict[str, Any]) -> dict[str, Any]:
    """The links a draft was made with: a draft stays about the decision it was made for."""
    return {name: stored[name] for name in (*LINKS, "ex_partner_id")
            if template.field(name) is not None and stored.get(name)}


def issued_decision(uow: UnitOfWork, case_id: str, letter_id: Any, *, field: str) -> Letter:
    """The issued besluit `letter_id` of this case; ValidationError naming `field` otherwise."""
    row = uow.session.get(Letter, letter_id) if isinstance(letter_id, str) and letter_id.strip() else None
    if row is None or row.deleted_at is not None or row.case_id != case_id:
        raise ValidationError("Kies een besluit uit deze zaak.", field=field)
    if row.kind != "beschikking" or row.status != "issued" or row.dated_on is None:
        raise NotAllowed("Dit kan alleen bij een besluit dat al is verstuurd.")
    return row


def linked_values(uow: UnitOfWork, case_id: str, template: Template, values: dict[str, Any], *,
                  facts: CaseFacts | None, reference: Callable[[str, str], str]) -> dict[str, Any]:
    """The fields this template takes from the case's records, checked; `reference` gives a letter's kenmerk.

    Raises ValidationError naming the field: no or a wrong decision chosen, an ex-partner of another parent,
    a choice outside its words, or O/GS beschikkingsnummers that do not match the toeslagjaren of the facts.
    """
    out: dict[str, Any] = {}
    case = uow.session.get(Case, case_id)
    assert case is not None  # the service checked the case first
    name = link_field(template)
    if name is not None:
        prefix = LINKS[name]
        if not values.get(name):
            raise ValidationError("Kies het besluit waar deze brief over gaat.", field=name)
        row = issued_decision(uow, case_id, values[name], field=name)
        if name == "contested_letter_id" and row.template_id == ON_OBJECTION:
            # the route is bezwaar, then beroep at the rechtbank (DOMAIN 1.1 row 5 and 7)
            raise NotAllowed("Tegen een beslissing op bezwaar kan de ouder geen bezwaar maken. Wel kan de ouder "
                             "beroep instellen bij de rechtbank.")
        out[f"{prefix}_reference"] = reference(case.reference, row.id)
        out[f"{prefix}_date"] = row.dated_on
        basis_spec = template.field("legal_basis")
        if basis_spec is not None and basis_spec.derived is None:
            basis = (row.field_values or {}).get("legal_basis")
            if not basis:
                raise ValidationError("Het besluit waar deze brief over gaat noemt geen wettelijke grondslag.",
                                      field=name)
            out["legal_basis"] = basis
    if template.field("ex_partner_id") is not None:
        out["ex_partner_name"] = _ex_partner_name(uow, case.parent_id, values.get("ex_partner_id"))
    out.update(_choices(template, values))
    _check_received(template, {**values, **out}, today(uow.clock))
    if template.field("original_decisions") is not None:
        _check_decision_numbers(values.get("original_decisions"), facts)
    return out


def _ex_partner_name(uow: UnitOfWork, parent_id: str, ex_partner_id: Any) -> str:
    row = uow.session.get(ExPartner, ex_partner_id) if isinstance(ex_partner_id, str) and ex_partner_id else None
    if row is None or row.deleted_at is not None or row.parent_id != parent_id:
        raise ValidationError("Kies een ex-partner van deze ouder.", field="ex_partner_id")
    return " ".join(p for p in (row.voorletters, row.tussenvoegsel, row.achternaam) if p)


def _choices(template: Template, values: dict[str, Any]) -> dict[str, str]:
    """Each choice field's word in lower case; ValidationError naming a field outside its words."""
    out: dict[str, str] = {}
    for name, words in CHOICES.items():
        if template.field(name) is None:
            continue
        value = str(values.get(name) or "").strip().lower()
        if value not in words:
            shown = ", ".join(words[:-1]) + f" of {words[-1]}"
            raise ValidationError(f"{_CHOICE_LABELS[name]}: kies {shown}.", field=name)
        out[name] = value
    return out


def _check_received(template: Template, values: dict[str, Any], on: dt.date) -> None:
    """A bezwaar is received after the decision it is against, and not after today."""
    received, contested = values.get("objection_received_on"), values.get("contested_date")
    if template.field("objection_received_on") is None or not received or contested is None:
        return
    day = received if isinstance(received, dt.date) else _iso(received)
    if day is not None and day < contested:
        raise ValidationError("De datum van ontvangst van het bezwaar ligt vóór de datum van het besluit.",
                              field="objection_received_on")
    if day is not None and day > on:
        raise ValidationError("De datum van ontvangst van het bezwaar ligt in de toekomst.",
                              field="objection_received_on")


def _iso(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None  # the template's own check names a date it cannot read


def _check_decision_numbers(entries: Any, facts: CaseFacts | None) -> None:
    """One beschikkingsnummer of the original decision per toeslagjaar of the facts (DOMAIN 1.2), no more."""
    if facts is None or not isinstance(entries, list | tuple):
        return  # the template's own checks name a missing list or calculation
    years = {str(y.year) for y in facts.years}
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        year = str(entry.get("year", "")).strip() if isinstance(entry, dict) else ""
        if year not in years:
            raise ValidationError(f"Toeslagjaar {year or '?'} staat niet in de berekening.",
                                  field=f"original_decisions[{i}].year")
        if year in seen:
            raise ValidationError(f"Toeslagjaar {year} staat er twee keer in.", field=f"original_decisions[{i}].year")
        seen.add(year)
    missing = sorted(years - seen)
    if missing:
        raise ValidationError(f"Vul het beschikkingsnummer in van toeslagjaar {missing[0]}.",
                              field="original_decisions")
