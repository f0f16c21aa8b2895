"""The zienswijze section of a beschikking: once a vooraankondiging went out, the decision answers the reaction.

A template names the letter that invites the zienswijze with the key "zienswijze_after" (the integrale-beoordeling
beschikking: the vooraankondiging). When such a letter was issued on the case, submit and issue refuse the
beschikking until it says whether the parent reacted (ja or nee) and what was done with it. DOMAIN 1.1 row 3a.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import select

from workbench.errors import ValidationError
from workbench.letters.models import Letter
from workbench.letters.templates import Template
from workbench.resources import load_json
from workbench.store.unit_of_work import UnitOfWork

RECEIVED, ANSWER = "zienswijze_received", "zienswijze_answer"
YES_NO = ("ja", "nee")


@cache
def invited_by(template_id: str) -> str | None:
    """The template id of the letter that invites a zienswijze before this one, if any."""
    found = load_json("letters", f"{template_id}.json").get("zienswijze_after")
    return str(found) if found else None


def vooraankondiging_issued(uow: UnitOfWork, case_id: str, template_id: str) -> bool:
    """True when the case has an issued letter of the kind `template_id` invites a zienswijze with."""
    before = invited_by(template_id)
    if before is None:
        return False
    found = uow.session.scalar(select(Letter.id).where(
        Letter.case_id == case_id, Letter.template_id == before, Letter.status == "issued",
        Letter.deleted_at.is_(None)).limit(1))
    return found is not None


def check_zienswijze(uow: UnitOfWork, row: Letter, template: Template, values: dict[str, Any]) -> None:
    """Refuse (ValidationError naming the field) a beschikking that does not answer the parent's zienswijze."""
    if template.field(RECEIVED) is None:
        return
    received = str(values.get(RECEIVED) or "").strip().lower()
    if received and received not in YES_NO:
        raise ValidationError("Vul bij 'Reactie op vooraankondiging' ja of nee in.",
                              field=RECEIVED)
    if not vooraankondiging_issued(uow, row.case_id, row.template_id):
        return
    if not received:
        raise ValidationError("Er is een vooraankondiging verstuurd. Vul in of de ouder daarop heeft gereageerd "
                              "(ja of nee).", field=RECEIVED)
    if not str(values.get(ANSWER) or "").strip():
        what = "wat wij met de reactie van de ouder hebben gedaan" if received == "ja" else \
            "dat de ouder niet reageerde en wat dat betekent voor het besluit"
        raise ValidationError(f"Er is een vooraankondiging verstuurd. Schrijf in de brief {what}.", field=ANSWER)
