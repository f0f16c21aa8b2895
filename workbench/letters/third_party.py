"""Warnings on letters to a third party that the author and the reviewer should see, but that do not stop them."""

from __future__ import annotations

from typing import Any

from workbench.cases.models import Case
from workbench.letters.templates import Template
from workbench.parties.models import Parent
from workbench.store.unit_of_work import UnitOfWork

# The template field that names the gemeente a letter goes to (overdracht_aan_gemeente).
GEMEENTE_FIELD = "gemeente"
_PREFIX = "gemeente "


def municipality_name(text: str) -> str:
    """A gemeente or place name for comparing: `Gemeente  Zaanstad` and `zaanstad` both give `zaanstad`."""
    name = " ".join((text or "").split()).casefold()
    return name.removeprefix(_PREFIX).strip()


def third_party_warnings(uow: UnitOfWork, case_id: str, template: Template, values: dict[str, Any]) -> list[str]:
    """Dutch warnings for a letter to a third party; [] when there is nothing to check.

    A letter to a gemeente warns when that gemeente's name is not the parent's place of residence: the parent
    may live elsewhere, or the letter may go to the wrong gemeente. A place can belong to a gemeente of another
    name (Zaandam is in Zaanstad), so this only asks the author to check.
    """
    if template.consent_for != GEMEENTE_FIELD or template.field(GEMEENTE_FIELD) is None:
        return []
    gemeente = values.get(GEMEENTE_FIELD)
    if not isinstance(gemeente, str) or not gemeente.strip():
        return []
    case = uow.session.get(Case, case_id)
    parent = uow.session.get(Parent, case.parent_id) if case is not None else None
    named = " ".join(gemeente.split())
    city = " ".join((parent.city or "").split()) if parent is not None else ""
    if not city:
        return [f"Van de ouder is geen woonplaats bekend. Controleer of {named} de gemeente van de ouder is."]
    if municipality_name(named) == municipality_name(city):
        return []
    return [f"De ouder woont in {city}, maar de brief gaat naar {named}. Controleer of dit de gemeente van de "
            "ouder is. Een woonplaats kan bij een gemeente met een andere naam horen."]
