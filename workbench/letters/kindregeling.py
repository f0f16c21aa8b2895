"""The kindregeling per child: one beschikking for each child of the parent, each with its own facts.

A child without a birth date, or one the kindregeling table does not cover, is reported and gets no letter. Any
other problem (a missing field, a minor without a payee) stops the whole set, so no half set is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.letters.child_addressee import children_of_case
from workbench.letters.service import LetterInfo, LetterService
from workbench.policy.engine import NotEligible
from workbench.store.unit_of_work import UnitOfWork

TEMPLATE_ID = "beschikking_kindregeling"


@dataclass(frozen=True)
class ChildDrafts:
    """What drafting per child gave.

    Attributes:
        drafted: one concept per eligible child, oldest child first.
        skipped: (child's name, Dutch reason) for each child that got no letter.
    """

    drafted: tuple[LetterInfo, ...]
    skipped: tuple[tuple[str, str], ...]


def draft_kindregeling_per_child(uow: UnitOfWork, case_id: str, values: dict[str, Any], *,
                                 service: LetterService | None = None) -> ChildDrafts:
    """A kindregeling concept for every eligible child of the case's parent, with the same typed `values`."""
    letters = service or LetterService()
    drafted: list[LetterInfo] = []
    skipped: list[tuple[str, str]] = []
    for child in children_of_case(uow, case_id):
        if child.birth_date is None:
            skipped.append((child.name, "Er is geen geboortedatum bekend."))
            continue
        try:
            drafted.append(letters.create_draft(uow, case_id, template_id=TEMPLATE_ID, values=dict(values),
                                                child_id=child.id))
        except NotEligible as exc:
            skipped.append((child.name, exc.text()))
    return ChildDrafts(drafted=tuple(drafted), skipped=tuple(skipped))
