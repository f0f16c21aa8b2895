"""The herziening: a new besluit that replaces an issued one with a mistake; the original is never changed.

The correction is an ordinary draft of the template "herziening", linked to the original through
`corrects_letter_id` (and its `original_letter_id` field, from which its kenmerk and date are printed). It goes
through review like any besluit and carries its own bezwaartermijn, computed for its own letter date.
"""

from __future__ import annotations

from typing import Any

from workbench.clock import today
from workbench.errors import NotAllowed, NotFound
from workbench.letters.linked import issued_decision
from workbench.letters.models import Letter
from workbench.letters.service import LetterInfo, LetterService
from workbench.letters.templates import load_template
from workbench.policy.facts import CaseFacts
from workbench.policy.stored_facts import facts_from_json
from workbench.store.unit_of_work import UnitOfWork

TEMPLATE = "herziening"


def create_correction(uow: UnitOfWork, letter_id: str, *, values: dict[str, Any], facts: CaseFacts | None = None,
                      service: LetterService | None = None) -> LetterInfo:
    """A draft herziening of the issued besluit `letter_id`, computed from `facts` or else the original's facts.

    Raises NotAllowed (Dutch) when the original is not an issued besluit to the parent with a calculation,
    NotFound when there is no such letter, ValidationError naming a field for bad values.
    """
    original = uow.session.get(Letter, letter_id)
    if original is None or original.deleted_at is not None:
        raise NotFound("Deze brief bestaat niet (meer) op dit apparaat.")
    if original.kind != "beschikking" or original.status != "issued":
        raise NotAllowed("Een herziening vervangt een besluit dat al is verstuurd. Deze brief is dat niet: "
                         "pas het concept aan of stuur een nieuwe brief.")
    issued_decision(uow, original.case_id, letter_id, field="original_letter_id")
    if load_template(original.template_id).addressee_role != "parent":
        raise NotAllowed("Dit besluit ging niet naar de ouder. Een herziening daarvan kan de werkbank nog niet "
                         "maken: maak een nieuw besluit met het sjabloon van het oorspronkelijke besluit.")
    if facts is None:
        if original.facts is None:
            raise NotAllowed("Dit besluit heeft geen berekening. Een herziening zonder bedragen kan de werkbank nog "
                             "niet maken.")
        facts = facts_from_json(original.facts, decision_date=today(uow.clock))
    letters = service or LetterService()
    info = letters.create_draft(uow, original.case_id, template_id=TEMPLATE, values=values, facts=facts,
                                related_letter_id=letter_id)
    draft = uow.session.get(Letter, info.id)
    assert draft is not None
    draft.corrects_letter_id = original.id
    uow.session.flush()
    return info
