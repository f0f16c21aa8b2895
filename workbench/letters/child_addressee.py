"""A letter to a child (the kindregeling): the child's data taken from its record, and whom the letter goes to.

The child is the belanghebbende (DOMAIN.md section 7). A child of full age on the letter date gets the letter at its
own address (the parent's when the record has none); for a minor it goes to the legal representative, naming the
child. [I] The parent of the case is taken to be the legal representative of a minor child.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from workbench.cases.models import Case
from workbench.errors import NotFound, ValidationError
from workbench.letters.salutation import salutation
from workbench.letters.templates import Template
from workbench.parties.models import Child, Parent
from workbench.policy.engine import age_on
from workbench.policy.facts import CaseFacts
from workbench.policy.versions import default_book
from workbench.store.unit_of_work import UnitOfWork

# Filled from the child record by the service for a template with addressee_role "child"; never typed.
CHILD_FIELDS = frozenset({"child_name", "child_birth_date", "aanhef"})


@dataclass(frozen=True)
class ChildChoice:
    """A child of the case's parent, as a letter author picks it."""

    id: str
    name: str
    birth_date: dt.date | None


def child_name(child: Child) -> str:
    """The child's full name as a letter names it: `Daan van Dijk`."""
    return " ".join(p for p in (child.voornamen, child.tussenvoegsel, child.achternaam) if p)


def _parent_name(parent: Parent) -> str:
    return " ".join(p for p in (parent.voorletters, parent.tussenvoegsel, parent.achternaam) if p)


def _address(row: Parent | Child) -> list[str]:
    return [f"{row.street} {row.house_number}".strip(), f"{row.postcode}  {row.city}".strip()]


def _case_parent(uow: UnitOfWork, case_id: str) -> Parent:
    case = uow.session.get(Case, case_id)
    parent = None if case is None or case.deleted_at is not None else uow.session.get(Parent, case.parent_id)
    if parent is None:
        raise NotFound("Deze zaak bestaat niet (meer) op dit apparaat.")
    return parent


def children_of_case(uow: UnitOfWork, case_id: str) -> list[ChildChoice]:
    """The children of the case's parent, oldest first (those without a birth date last)."""
    parent = _case_parent(uow, case_id)
    rows = uow.session.scalars(select(Child).where(Child.parent_id == parent.id, Child.deleted_at.is_(None)))
    found = [ChildChoice(row.id, child_name(row), row.birth_date) for row in rows]
    return sorted(found, key=lambda c: (c.birth_date is None, c.birth_date or dt.date.max, c.name))


def case_child(uow: UnitOfWork, case_id: str, child_id: str | None) -> tuple[Parent, Child]:
    """The child `child_id` of the case's parent; ValidationError (field child_id) when none is chosen or it is
    not a child of this parent."""
    parent = _case_parent(uow, case_id)
    if not child_id:
        raise ValidationError("Kies het kind voor wie deze brief is: het kind is de belanghebbende.",
                              field="child_id")
    child = uow.session.get(Child, child_id)
    if child is None or child.deleted_at is not None or child.parent_id != parent.id:
        raise ValidationError("Dit kind hoort niet bij de ouder van deze zaak.", field="child_id")
    return parent, child


def is_adult(born: dt.date, on: dt.date) -> bool:
    """Whether the child is paid into its own account on `on` (the kindregeling table's own_account_from_age)."""
    return age_on(born, on) >= default_book().in_force("kindregeling", on).count("own_account_from_age")


def child_inputs(uow: UnitOfWork, case_id: str, *, template: Template, child_id: str | None,
                 values: dict[str, Any], facts: CaseFacts | None,
                 day: dt.date) -> tuple[dict[str, Any], CaseFacts | None]:
    """The values and facts of a letter to a child: the name, birth date and aanhef from the child record, and
    kindregeling facts with exactly this child's birth date. Letters to others come back unchanged.

    Raises ValidationError naming child_id (no child, another parent's child, no birth date) or
    child_birth_dates (facts given for other birth dates).
    """
    if template.addressee_role != "child":
        return values, facts
    parent, child = case_child(uow, case_id, child_id)
    if child.birth_date is None:
        raise ValidationError(f"Van {child_name(child)} is geen geboortedatum bekend. Vul die eerst in bij de "
                              "gegevens van het kind.", field="child_id")
    if facts is None:
        facts = CaseFacts(decision_date=day, scheme="kindregeling", child_birth_dates=(child.birth_date,))
    elif facts.scheme != "kindregeling" or facts.child_birth_dates != (child.birth_date,):
        raise ValidationError("De berekening moet gaan over precies dit kind: één geboortedatum, die van "
                              f"{child_name(child)}.", field="child_birth_dates")
    # A minor's letter goes to the parent as legal representative: greeted by their aanspreekvorm.
    greeting = f"Beste {child_name(child)}" if is_adult(child.birth_date, day) else salutation(parent)
    found = {"child_name": child_name(child), "child_birth_date": child.birth_date, "aanhef": greeting}
    return {**values, **{k: v for k, v in found.items() if template.field(k) is not None}}, facts


def child_recipient_lines(uow: UnitOfWork, case_id: str, child_id: str | None, *, adult: bool) -> list[str]:
    """The address block: the adult child at its own address (else the parent's), or for a minor the legal
    representative, naming the child. Without a child the parent's block (the letter check refuses that letter)."""
    parent = _case_parent(uow, case_id)
    child = uow.session.get(Child, child_id) if child_id else None
    if child is None:
        lines = [_parent_name(parent), *_address(parent)]
    elif adult:
        own = child.street or child.postcode
        lines = [child_name(child), *_address(child if own else parent)]
    else:
        lines = [f"De wettelijk vertegenwoordiger van {child_name(child)}", _parent_name(parent), *_address(parent)]
    return [line for line in lines if line.strip()]
