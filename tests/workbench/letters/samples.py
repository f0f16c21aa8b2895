"""Demo-like values for every letter template (synthetic people only), and a one-call render for tests and bench."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from typing import Any

from pypdf import PdfReader

from workbench.letters.dating import derive
from workbench.letters.organisation import with_defaults
from workbench.letters.render import render_pdf
from workbench.letters.templates import addressee_lines, load_template
from workbench.policy.engine import Assessment, compute
from workbench.policy.facts import CaseFacts, ToeslagYear

DAY = dt.date(2026, 11, 29)
REFERENCE, CASE_REFERENCE = "UHT-2026-000001/BR-1A2B3C4D", "UHT-2026-000001"
# objection_address and contact_phone are left out: they come from resources/letters/organisation.json
SIGN = {"signatory_name": "Sanne de Vries", "signatory_function": "Persoonlijk zaakbehandelaar",
        "aanhef": "Beste mevrouw Jansen"}
CHILDREN = (dt.date(2019, 3, 10), dt.date(2010, 9, 30), dt.date(2003, 1, 15))
CHILD = CHILDREN[1]  # the kindregeling letter is for one child: 12 on 1 July 2023, a minor on DAY


def facts(day: dt.date = DAY) -> CaseFacts:
    return CaseFacts(decision_date=day, scheme="integrale_beoordeling", years=(
        ToeslagYear(2012, startbedrag_cents=800000, hardship_half_years=2),
        ToeslagYear(2013, startbedrag_cents=300000, legal_aid_cents=50000)))


def child_facts(day: dt.date = DAY) -> CaseFacts:
    return CaseFacts(decision_date=day, scheme="kindregeling", child_birth_dates=(CHILD,))


def ogs_facts(day: dt.date = DAY) -> CaseFacts:
    return CaseFacts(decision_date=day, scheme="ogs", years=(
        ToeslagYear(2014, reclaimed_cents=2000000), ToeslagYear(2015, reclaimed_cents=500000)))


def ex_partner_facts(day: dt.date = DAY) -> CaseFacts:
    return CaseFacts(decision_date=day, scheme="ex_partner")


def assessment() -> Assessment:
    return compute(facts())


def child_assessment() -> Assessment:
    return compute(child_facts())


def beschikking_values() -> dict[str, Any]:
    return {**SIGN,
            "decision": "U bent gedupeerd. Daarom krijgt u een compensatie voor de jaren 2012 en 2013.",
            "facts": "In 2012 en 2013 moest u kinderopvangtoeslag terugbetalen. Dat was niet terecht.",
            "motivation": "Wij hebben gezien dat u recht had op de toeslag. U krijgt het minimumbedrag.",
            "payment": "Wij betalen het bedrag binnen 6 weken op het rekeningnummer dat bij ons bekend is."}


def kindregeling_values() -> dict[str, Any]:
    """One child's letter, a minor on DAY (the service fills name and birth date from the child record)."""
    return {**SIGN, "parent_decision_date": "2025-06-12", "child_name": "Daan Jansen",
            "child_birth_date": CHILD.isoformat(),
            "payee": "de wettelijk vertegenwoordiger, op het rekeningnummer dat bij ons bekend is",
            "motivation": "De ouder is gedupeerd. Daan is op of vóór 5 november 2022 geboren en was op "
                          "1 januari 2005 niet ouder dan 20 jaar. Daarom komt hij in aanmerking.",
            "payment": "Wij betalen het geld binnen 6 weken na de datum van deze brief."}


VALUES: dict[str, dict[str, Any]] = {
    "uitnodiging_huisbezoek": {**SIGN, "visit_date": "10-12-2026", "visit_time": "10.00 uur",
                               "visit_address": "Lindelaan 12, Zaandam"},
    "bevestiging_toezeggingen": {**SIGN, "conversation_date": "2026-11-20", "promises": [
        {"text": "Wij vragen uw dossier op bij Toeslagen.", "date": "2026-12-15", "owner": "pzb"},
        {"text": "Wij bellen met de gemeente over uw schulden & betalingsregeling.", "date": "2027-01-10",
         "owner": "pzb"},
        {"text": "De gemeente plant een gesprek met de schuldhulpverlening.", "date": "2027-01-20",
         "owner": "gemeente"}]},
    "uitslag_eerste_toets_positief": {
        **SIGN, "payment_date": "2027-01-15", "registration_date": "2026-09-01",
        "motivation": "In 2011 is uw kinderopvangtoeslag stopgezet. U moest alles terugbetalen. In uw dossier staat "
                      "geen duidelijke reden daarvoor."},
    "uitslag_eerste_toets_vooralsnog_niet": {
        **SIGN, "motivation": "Wij hebben in onze gegevens niet kunnen vinden dat u kinderopvangtoeslag heeft gehad "
                          "in de jaren 2005 tot en met 2019.",},
    "vooraankondiging_integrale_beoordeling": {
        **SIGN, "provisional_outcome": "Wij zijn van plan te besluiten dat u gedupeerd bent in de jaren 2012 en 2013.",
        "motivation": "U moest in die jaren kinderopvangtoeslag terugbetalen. Dat was niet terecht.",
        "response_deadline": "2026-12-20"},
    "brief_aan_schuldeiser_moratorium": {
        **SIGN, "aanhef": "Geachte heer, mevrouw", "creditor_name": "Incassobureau Voorbeeld B.V.",
        "creditor_address": ["t.a.v. afdeling Klantenservice", "Postbus 99997", "9999 ZY  Voorbeeldstad"],
        "parent_name": "M. Jansen", "parent_birth_date": "1985-03-14",
        "creditor_reference": "INC-778812 & co",
        # Filled from the consent, the payments register and the policy table by the service; given here because
        # the test renders directly.
        "consent_date": "2026-11-10", "pause_start": "2026-11-03", "pause_end": "2027-11-03",
        "pause_debts_before": "2021-06-01"},
    "gespreksverslag_ter_bevestiging": {
        **SIGN, "conversation_date": "2026-11-20", "conversation_place": "bij u thuis",
        "present": ["Mevrouw M. Jansen", "Haar zus, mevrouw E. Jansen", "Sanne de Vries, persoonlijk zaakbehandelaar"],
        "account": "In 2012 kreeg u een brief dat u alle kinderopvangtoeslag moest terugbetalen. Daarna kwam u in "
                   "de schulden. U moest verhuizen naar een kleinere woning. Uw kinderen merkten veel van de stress.",
        "response_deadline": "2026-12-18"},
    "overdracht_aan_gemeente": {
        **SIGN, "aanhef": "Geachte heer, mevrouw", "gemeente": "Gemeente Zaanstad",
        "recipient_address": ["t.a.v. Team Brede Ondersteuning", "Postbus 99996", "9999 ZX  Zaandam"],
        "parent_name": "M. Jansen", "parent_birth_date": "1984-03-12", "parent_contact": "06 12345678",
        # Filled from the consent record by the service; given here because the test renders directly.
        "consent_date": "2026-11-02", "consent_scope": "Brede ondersteuning: schulden en wonen",
        "situation": "Mevrouw Jansen heeft schulden bij drie schuldeisers. Zij woont met twee kinderen in een "
                     "te kleine woning en zoekt werk.",
        "support_needed": ["Schulden: hulp bij een schuldenlijst en een betalingsregeling",
                           "Wonen: hulp bij het zoeken van een grotere woning"],
        "agreements": ["Wij hebben de schuldeisers op 12 november 2026 geschreven over de pauzeknop."]},
    "bevestiging_aanmelding": {**SIGN, "registration_date": "2026-11-23"},
    # contested_* are filled by the service from the chosen decision (linked.py); given here for direct renders.
    "ontvangstbevestiging_bezwaar": {
        **SIGN, "contested_letter_id": "0b7c2f4e-1111-4a4a-9c9c-000000000001",
        "contested_reference": "UHT-2026-000001/BR-0B7C2F4E", "contested_date": "2026-09-14",
        "objection_received_on": "2026-11-20", "advisory_committee": "nee"},
    "beslissing_op_bezwaar": {
        **SIGN, "contested_letter_id": "0b7c2f4e-1111-4a4a-9c9c-000000000001",
        "contested_reference": "UHT-2026-000001/BR-0B7C2F4E", "contested_date": "2026-09-14",
        "objection_received_on": "2026-10-02", "outcome": "deels gegrond",
        "decision": "Wij nemen het jaar 2014 mee in de berekening. U krijgt daarover een nieuw besluit.",
        "motivation": "U heeft bankafschriften gestuurd. Daaruit blijkt dat u in 2014 ook toeslag moest "
                      "terugbetalen. Voor 2015 hebben wij geen nieuwe gegevens gekregen.",
        "legal_basis": "Wet hersteloperatie toeslagen (Wht), artikel 2.3"},
}

def ogs_values() -> dict[str, Any]:
    return {**SIGN,
            "decision": "U krijgt een tegemoetkoming voor de toeslagjaren 2014 en 2015.",
            "motivation": "In 2014 en 2015 kreeg u het stempel opzet of grove schuld. Wij hebben uw dossier opnieuw "
                          "bekeken. Er was geen reden voor dat stempel.",
            "original_decisions": [{"year": "2014", "number": "1234.56.789.T.01.4"},
                                   {"year": "2015", "number": "1234.56.789.T.01.5"}],
            "payment": "Wij betalen het bedrag binnen 6 weken op het rekeningnummer dat bij ons bekend is."}


def ex_partner_values() -> dict[str, Any]:
    # ex_partner_id and ex_partner_name come from the parties' record (the service fills the name; linked.py)
    return {**SIGN, "aanhef": "Beste meneer De Boer",
            "ex_partner_id": "5d1e0a9c-2222-4b4b-8d8d-000000000002", "ex_partner_name": "P. de Boer",
            "ex_partner_address": ["Kastanjelaan 3", "9999 XA  Voorbeeldstad"],
            "decision": "U komt in aanmerking voor de ex-partnerregeling.",
            "motivation": "U was in 2012 en 2013 de toeslagpartner van uw ex-partner. U ging in 2019 uit elkaar. "
                          "Uw ex-partner kreeg de compensatie in 2021. U kreeg zelf nooit compensatie.",
            "payment": "Wij betalen het bedrag binnen 6 weken op het rekeningnummer dat u ons gaf."}


def herziening_values() -> dict[str, Any]:
    # original_* are filled by the service from the decision it replaces (correction.py); given for direct renders
    typed = {k: v for k, v in beschikking_values().items() if k != "facts"}
    return {**typed, "original_letter_id": "0b7c2f4e-1111-4a4a-9c9c-000000000001",
            "original_reference": "UHT-2026-000001/BR-0B7C2F4E", "original_date": "2026-09-14",
            "changes": "In het besluit stond dat u in 2013 geen kosten voor juridische hulp had. Dat klopte niet. "
                       "Die kosten staan nu in de berekening."}


BESCHIKKINGEN = ("beschikking_integrale_beoordeling", "beschikking_kindregeling", "beschikking_ogs",
                 "beschikking_ex_partner", "herziening")
ALL = (*sorted(VALUES), *BESCHIKKINGEN)
_FACTS = {"beschikking_integrale_beoordeling": facts, "beschikking_kindregeling": child_facts,
          "beschikking_ogs": ogs_facts, "beschikking_ex_partner": ex_partner_facts, "herziening": facts,
          "vooraankondiging_integrale_beoordeling": facts}
_TYPED = {"beschikking_integrale_beoordeling": beschikking_values, "beschikking_kindregeling": kindregeling_values,
          "beschikking_ogs": ogs_values, "beschikking_ex_partner": ex_partner_values,
          "herziening": herziening_values}


def assessment_for(template_id: str) -> Assessment:
    return compute(_FACTS[template_id]())


def facts_for(template_id: str) -> CaseFacts | None:
    """The facts a template's amounts are computed from (None for letters without amounts)."""
    make = _FACTS.get(template_id)
    return None if make is None else make()


def typed_values(template_id: str) -> dict[str, Any]:
    """What a handler types (or the case gives) for this template; derived fields are not among them."""
    make = _TYPED.get(template_id)
    return make() if make is not None else dict(VALUES[template_id])


def values_for(template_id: str, day: dt.date = DAY) -> dict[str, Any]:
    """The typed values plus every derived field computed for `day`, as the service would store them."""
    template = load_template(template_id)
    typed = with_defaults(template, typed_values(template_id))
    found = facts_for(template_id)
    dated = derive(template, typed, letter_date=day,
                   facts=None if found is None else dataclasses.replace(found, decision_date=day))
    return {**typed, **dated.values}


def render(template_id: str, *, draft: bool = False, values: dict[str, Any] | None = None) -> bytes:
    """The letter as the service would print it: to the parent, or to the template's addressee."""
    template = load_template(template_id)
    values = values_for(template_id) if values is None else values
    recipient = addressee_lines(template, values) or ["M. Jansen", "Lindelaan 12", "1234 AB  Zaandam"]
    if template.addressee_role == "child":
        recipient = [f"De wettelijk vertegenwoordiger van {values['child_name']}", *recipient]
    return render_pdf(template, values, reference=REFERENCE, case_reference=CASE_REFERENCE, letter_date=DAY,
                      recipient_lines=recipient, draft=draft)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat_text(pdf: bytes) -> str:
    """The text with every run of whitespace (line breaks too) as one space, for sentence checks."""
    return " ".join(pdf_text(pdf).split())
