"""Who may see whose caseload: the acting user's role decides which handlers' figures a query covers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import aliased

from workbench.cases.models import Case
from workbench.errors import NotAllowed, NotFound
from workbench.staff.models import Role, Team, User
from workbench.store.unit_of_work import UnitOfWork

REVIEWER_REFUSED = "Een controleur ziet de beoordelingswachtrij, geen caseloads van behandelaars."


@dataclass(frozen=True)
class Scope:
    """The handlers whose cases the acting user may see figures of.

    A case counts for the handler who holds it on the day asked about (`Case.handler_id`), so a case
    reassigned mid-period counts wholly for its new holder, its history included.

    Attributes:
        role: the acting user's role.
        team_id: the team the figures are about (None for a handler without a team).
        team_name: its name, as the report prints it.
        handler_ids: the handlers in view, sorted by name (only the acting user for a handler).
        names: display name per handler id.
    """

    role: Role
    team_id: str | None
    team_name: str
    handler_ids: tuple[str, ...]
    names: dict[str, str]

    def cases(self) -> ColumnElement[bool]:
        """The condition selecting the cases in view: those held by one of the handlers."""
        return Case.handler_id.in_(self.handler_ids)

    def narrow(self, handler_id: str | None) -> Scope:
        """Only `handler_id` (None: everyone in view); NotAllowed for a handler outside the scope."""
        if handler_id is None:
            return self
        if handler_id not in self.handler_ids:
            raise NotAllowed("U kunt alleen de cijfers van uw eigen team zien." if self.role == Role.TEAM_LEAD
                             else "U kunt alleen uw eigen cijfers zien.")
        return Scope(self.role, self.team_id, self.team_name, (handler_id,), {handler_id: self.names[handler_id]})


def unknown_name(user_id: str) -> str:
    """A handler id with no user row on this device (e.g. someone who left the team)."""
    return f"Onbekende behandelaar ({user_id[:8]})"


def resolve(uow: UnitOfWork) -> Scope:
    """The scope of the acting user (`uow.actor.user_id`).

    - handler: only their own cases.
    - team_lead: every handler of their team: users with role handler or team_lead in the same team, plus
      anyone holding a case whose `team_id` is that team (a case may be held by someone whose user row
      has not arrived yet). Their figures cover every case they hold.
    - reviewer: refused (NotAllowed); a reviewer sees the review queue, not caseloads.
    """
    me = uow.session.get(User, uow.actor.user_id)
    if me is None or me.deleted_at is not None:
        raise NotFound("De gebruiker van dit apparaat staat niet in de gegevensopslag.")
    team_name = ""
    if me.team_id is not None:
        team = uow.session.get(Team, me.team_id)
        team_name = team.name if team is not None else ""
    if me.role == Role.REVIEWER:
        raise NotAllowed(REVIEWER_REFUSED)
    if me.role == Role.HANDLER or me.team_id is None:
        return Scope(Role(me.role), me.team_id, team_name, (me.id,), {me.id: me.display_name})
    members = dict(uow.session.execute(
        select(User.id, User.display_name).where(User.team_id == me.team_id, User.deleted_at.is_(None),
                                                 User.role.in_([Role.HANDLER, Role.TEAM_LEAD]))).all())
    # Each handler on the handler index once, then one index probe for a live case of the team: a scan of
    # every case costs ten times as much at 20,000 cases.
    handler = select(Case.handler_id.label("handler_id")).distinct().subquery()
    holding = aliased(Case)
    holders = uow.session.scalars(select(handler.c.handler_id).where(exists().where(
        holding.handler_id == handler.c.handler_id, holding.team_id == me.team_id, holding.deleted_at.is_(None))))
    names = dict(members)
    missing = [h for h in holders if h not in names]
    if missing:
        known = dict(uow.session.execute(select(User.id, User.display_name).where(User.id.in_(missing)))
                     .all())
        names.update({h: known.get(h) or unknown_name(h) for h in missing})
    ordered = tuple(sorted(names, key=lambda h: (names[h].casefold(), h)))
    return Scope(Role.TEAM_LEAD, me.team_id, team_name, ordered, names)
