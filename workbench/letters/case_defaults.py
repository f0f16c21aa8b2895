"""The values a new letter takes from its case: the aanhef, the signatory, the parent's name and address, the
organisation's defaults and the live promises; only for the fields the template has (terms and amounts are
derived for the letter date by dating.py, never defaulted here)."""

from __future__ import annotations

from typing import Any

from workbench.cases.models import Case
from workbench.errors import NotFound
from workbench.letters.organisation import with_defaults
from workbench.letters.salutation import salutation
from workbench.letters.templates import Template
from workbench.parties.models import Parent
from workbench.plans.letter_promises import letter_promises
from workbench.staff.models import Role, User
from workbench.store.unit_of_work import UnitOfWork

SIGNATORY_FUNCTION = "Persoonlijk zaakbehandelaar"
# The function under the signature, by the author's role.
FUNCTIONS = {Role.HANDLER: SIGNATORY_FUNCTION, Role.TEAM_LEAD: "Teamleider", Role.REVIEWER: "Controleur"}
# A letter to someone other than the parent (a creditor, a gemeente) does not greet the parent.
TO_OTHERS = "Geachte heer, mevrouw"


def formal_name(parent: Parent) -> str:
    """`J.A. van der Berg`: the name in an address block or in a letter about the parent."""
    return " ".join(p for p in (parent.voorletters, parent.tussenvoegsel, parent.achternaam) if p)


def case_defaults(uow: UnitOfWork, case_id: str, template: Template) -> dict[str, Any]:
    """Values for a new letter taken from the case, its parent, this user and the organisation.

    Only fields the template has are filled; dates are `datetime.date`, lists are lists of dicts or texts.
    A letter to the parent greets them by their aanspreekvorm (`salutation`); a template with an addressee of its
    own writes *about* the parent to someone else, so it gets a neutral aanhef. Raises NotFound for no case.
    """
    case = uow.session.get(Case, case_id)
    if case is None or case.deleted_at is not None:
        raise NotFound("Deze zaak bestaat niet (meer) op dit apparaat.")
    parent = uow.session.get(Parent, case.parent_id)
    user = uow.session.get(User, uow.actor.user_id)
    found: dict[str, Any] = {"signatory_function": SIGNATORY_FUNCTION}
    if user is not None:
        found["signatory_name"] = user.display_name
        found["signatory_function"] = FUNCTIONS.get(Role(user.role), SIGNATORY_FUNCTION)
    if parent is not None:
        found["parent_name"] = formal_name(parent)
        found["aanhef"] = TO_OTHERS if template.addressee else salutation(parent)
        if parent.birth_date is not None:
            found["parent_birth_date"] = parent.birth_date
        if parent.street:
            found["visit_address"] = f"{parent.street} {parent.house_number}, {parent.city}".strip(", ")
    if template.field("promises") is not None:
        found["promises"] = letter_promises(uow, case.id)
    names = {f.name for f in template.fields}
    return with_defaults(template, {name: value for name, value in found.items() if name in names})
