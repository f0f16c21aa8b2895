"""Letters that share a parent's data with a partner (a gemeente) need that parent's consent on record."""

from __future__ import annotations

from typing import Any

from workbench.consent.service import ConsentInfo, ConsentService
from workbench.errors import NotAllowed, ValidationError
from workbench.letters.templates import Template
from workbench.store.unit_of_work import UnitOfWork

# Template fields the gate fills from the consent record, so the letter states what the parent agreed to.
CONSENT_DATE, CONSENT_SCOPE = "consent_date", "consent_scope"


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
    """Before review and before sending: the consent printed in the letter must still be the one in force."""
    found = required_consent(uow, consents, template=template, case_id=case_id, values=values)
    if found is None:
        return
    printed = consent_values(template, found)
    stored = {name: values.get(name) for name in printed}
    if {k: str(v) for k, v in printed.items()} != {k: str(v) for k, v in stored.items()}:
        assert template.consent_for is not None
        raise NotAllowed("De toestemming van de ouder is veranderd sinds deze brief is gemaakt. Pas het concept "
                         "opnieuw aan, zodat de brief de toestemming noemt die nu geldt.", field=template.consent_for)
