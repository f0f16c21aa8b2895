"""A team lead reads every case of the team but writes only to the cases they hold themselves.

Central refuses such writes too; refusing them here keeps the device from ever holding a change that can
only come back as a refusal, whatever screen or script tried it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.errors import NotAllowed
from workbench.store.schema import Syncable

READ_ONLY = ("U bekijkt deze zaak als teamleider. Alleen de zaakbehandelaar van de zaak kan hem wijzigen; "
             "draag de zaak zo nodig eerst aan uzelf over.")
_ROLE_KEY = "actor_role"


def _role(session: Session, user_id: str) -> str | None:
    if _ROLE_KEY not in session.info:
        from workbench.staff.models import User

        with session.no_autoflush:
            user = session.get(User, user_id)
        session.info[_ROLE_KEY] = str(user.role.value) if user is not None else None
    role: str | None = session.info[_ROLE_KEY]
    return role


def _holders(session: Session, obj: Syncable) -> set[str]:
    """Who holds the case (or, for a parent's rows, the cases) this row belongs to; empty when new."""
    from workbench.cases.models import Case
    from workbench.plans.models import Commitment

    with session.no_autoflush:
        entity = obj.__entity__
        if entity == "case":
            return {getattr(obj, "handler_id", "")}
        if entity in ("parent", "child", "ex_partner"):
            parent_id = obj.id if entity == "parent" else getattr(obj, "parent_id", None)
            return set(session.scalars(select(Case.handler_id).where(Case.parent_id == parent_id)))
        case_id: Any = getattr(obj, "case_id", None)
        if entity == "commitment_status_change":
            commitment = session.get(Commitment, getattr(obj, "commitment_id", None))
            case_id = getattr(commitment, "case_id", None)
        case = session.get(Case, case_id) if case_id else None
        return {case.handler_id} if case is not None else set()


def check(session: Session, user_id: str, objects: list[Syncable]) -> None:
    """Raise NotAllowed when a team lead writes to a case someone else holds."""
    if not objects or _role(session, user_id) != "team_lead":
        return
    for obj in objects:
        holders = _holders(session, obj)
        if holders and user_id not in holders:
            raise NotAllowed(READ_ONLY)
