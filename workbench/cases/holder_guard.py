"""A team lead reads every case of the team but writes only to the cases they hold themselves.

Central refuses such writes too; refusing them here keeps the device from ever holding a change that can
only come back as a refusal, whatever screen or script tried it. `HolderGuard` plugs into every LOCAL
unit of work of the store (workbench.store.hooks).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.cases.models import Case
from workbench.errors import NotAllowed
from workbench.staff.models import User
from workbench.store.case_scope import row_scope
from workbench.store.hooks import Hook
from workbench.store.schema import Syncable
from workbench.store.unit_of_work import UnitOfWork

READ_ONLY = ("U bekijkt deze zaak als teamleider. Alleen de zaakbehandelaar van de zaak kan hem wijzigen; "
             "draag de zaak zo nodig eerst aan uzelf over.")
_ROLE_KEY = "actor_role"


def _role(session: Session, user_id: str) -> str | None:
    if _ROLE_KEY not in session.info:
        with session.no_autoflush:
            user = session.get(User, user_id)
        session.info[_ROLE_KEY] = str(user.role.value) if user is not None else None
    role: str | None = session.info[_ROLE_KEY]
    return role


def _holders(session: Session, obj: Syncable) -> set[str]:
    """Who holds the case (or, for a parent's rows, the cases) this row belongs to; empty when new."""
    if isinstance(obj, Case):
        return {obj.handler_id}
    scope = row_scope(session, obj)
    with session.no_autoflush:
        if scope.case_id is not None:
            case = session.get(Case, scope.case_id)
            return {case.handler_id} if case is not None else set()
        if scope.parent_id is not None:
            return set(session.scalars(select(Case.handler_id).where(Case.parent_id == scope.parent_id)))
    return set()


def check(session: Session, user_id: str, objects: list[Syncable]) -> None:
    """Raise NotAllowed when a team lead writes to a case someone else holds."""
    if not objects or _role(session, user_id) != "team_lead":
        return
    for obj in objects:
        holders = _holders(session, obj)
        if holders and user_id not in holders:
            raise NotAllowed(READ_ONLY)


class HolderGuard(Hook):
    """Refuses a LOCAL flush in which a team lead writes to a case another handler holds."""

    def check(self, uow: UnitOfWork, rows: list[Syncable]) -> None:
        check(uow.session, uow.actor.user_id, rows)
