"""Letters to a third party (creditor, gemeente) need the parent's consent; issuing one records the disclosure."""

from __future__ import annotations

from typing import Any

from workbench.cases.models import Case
from workbench.clock import today
from workbench.consent.service import MAX_WHAT, ConsentInfo, ConsentService
from workbench.errors import NotAllowed, ValidationError
from workbench.letters.models import Letter
from workbench.letters.organisation import organisation
from workbench.letters.pause_dates import check_pause_unchanged
from workbench.letters.templates import Template
from workbench.store.unit_of_work import UnitOfWork

# Template fields the gate fills from the consent record, so the letter states what the parent agreed to.
CONSENT_DATE, CONSENT_SCOPE = "consent_date", "consent_scope"
# Fields that say who writes and how, not anything about the parent: left out of the disclosure record.
_NOT_SHARED = frozenset({"aanhef", "signatory_name", "signatory_function"})


def _partner(template: Template, values: dict[str, Any]) -> tuple[str, str]:
    """(field name, partner) of a template with consent_for; ValidationError naming the field when empty."""
    assert template.consent_for is not None
    field = template.consent_for
    spec = template.field(field)
    partner = values.get(field)
    if not isinstance(partner, str) or not partner.strip():
        raise ValidationError(f"{spec.label if spec else field} is verplicht.", field=field)
    return field, " ".join(partner.split())


def required_consent(uow: UnitOfWork, consents: ConsentService, *, template: Template, case_id: str,
                     values: dict[str, Any]) -> ConsentInfo | None:
    """The consent valid today for the template's partner; None for templates that need none.

    Raises NotAllowed naming the partner field when the parent gave no consent for that partner, or withdrew it.
    """
    if template.consent_for is None:
        return None
    field, partner = _partner(template, values)
    found = consents.active_consent(uow, case_id, partner=partner)
    if found is None:
        raise NotAllowed(f"Voor deze brief is toestemming van de ouder nodig om gegevens te delen met {partner}. "
                         "Die toestemming staat niet in het dossier, of is ingetrokken. Leg eerst de toestemming "
                         "vast en controleer of de naam precies hetzelfde is geschreven.", field=field)
    return found


def consent_values(template: Template, consent: ConsentInfo | None) -> dict[str, Any]:
    """The consent fields of the letter, taken from the record and never typed by hand."""
    if consent is None:
        return {}
    values: dict[str, Any] = {CONSENT_DATE: consent.given_on, CONSENT_SCOPE: consent.scope}
    return {name: value for name, value in values.items() if template.field(name) is not None}


def check_still_covered(uow: UnitOfWork, consents: ConsentService, *, template: Template, case_id: str,
                        values: dict[str, Any]) -> None:
    """Before review and before sending: the consent printed in the letter must still be the one in force, and
    the pause dates printed must still be the ones the payments register gives (pause_dates)."""
    check_pause_unchanged(uow, template, case_id, values)
    found = required_consent(uow, consents, template=template, case_id=case_id, values=values)
    if found is None:
        return
    printed = consent_values(template, found)
    stored = {name: values.get(name) for name in printed}
    if {k: str(v) for k, v in printed.items()} != {k: str(v) for k, v in stored.items()}:
        assert template.consent_for is not None
        raise NotAllowed("De toestemming van de ouder is veranderd sinds deze brief is gemaakt. Pas het concept "
                         "opnieuw aan, zodat de brief de toestemming noemt die nu geldt.", field=template.consent_for)


def shared_fields(template: Template, values: dict[str, Any]) -> list[str]:
    """The labels of the filled-in fields a letter tells its addressee about the parent, in template order.

    Left out: the addressee's own name and address, the aanhef and the signatory, and the organisation's
    defaults (our phone number, our address), none of which is the parent's data.
    """
    skip = _NOT_SHARED | set(template.addressee) | set(organisation().defaults)
    labels: list[str] = []
    for spec in template.fields:
        value = values.get(spec.name)
        if spec.name in skip or value is None or value in ("", []):
            continue
        labels.append(spec.label.split(" (")[0].lower())
    return labels


def disclosure_text(template: Template, values: dict[str, Any], *, reference: str) -> str:
    """What was shared, for the disclosure record: `Brief <kenmerk> (<titel>): naam van de ouder, ...`."""
    text = f"Brief {reference} ({template.title}): " + ", ".join(["zaaknummer", *shared_fields(template, values)])
    return text if len(text) <= MAX_WHAT else text[: MAX_WHAT - 1] + "…"


def on_issued(uow: UnitOfWork, letter: Letter, template: Template) -> None:
    """Issue effect: a letter to a third party records the disclosure with the consent it rests on.

    The consent was checked just before; it is looked up again for the letter date so the record names it.
    """
    if template.consent_for is None:
        return
    consents = ConsentService()
    consent = required_consent(uow, consents, template=template, case_id=letter.case_id, values=letter.field_values)
    assert consent is not None
    # Imported here: service.py imports this module.
    from workbench.letters.service import letter_reference

    case = uow.session.get(Case, letter.case_id)
    assert case is not None
    reference = letter_reference(case.reference, letter.id)
    consents.record_disclosure(uow, letter.case_id, partner=consent.partner, basis="toestemming",
                               consent_id=consent.id, disclosed_on=letter.dated_on or today(uow.clock),
                               what=disclosure_text(template, letter.field_values, reference=reference))
