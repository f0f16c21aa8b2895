"""Reassigning a case: a central write of the case row that ends one access period and starts the next."""

from __future__ import annotations

import datetime as dt
import logging

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from central.accounts import Principal
from central.database import Database
from central.errors import ApiError
from central.ledger import load_rows, write_row
from central.models import CaseAccess, User
from workbench.sync import protocol

log = logging.getLogger(__name__)


AssignRequest = protocol.AssignRequest  # the body of POST /v1/cases/{case_id}/assign


class AssignResponse(BaseModel):
    """The case after the assignment; ``changed`` is False when it already had this handler."""

    case_id: str
    handler_id: str
    team_id: str | None
    rev: int
    changed: bool


def assign(
    db: Database, *, case_id: str, handler: str, reason: str, by: Principal | None, now: dt.datetime,
) -> AssignResponse:
    """Give the case to ``handler`` (a user id, or a username for the admin CLI).

    ``by`` is the team lead acting through the API (only for cases of their team, to a member of their
    team); None is the operator's CLI, which may assign across teams.
    """
    reason = reason.strip()
    if not reason:
        raise ApiError(422, "Geef een reden voor de toewijzing op (reason).")
    with db.write() as session:
        current = session.scalar(select(CaseAccess).where(CaseAccess.case_id == case_id,
                                                          CaseAccess.to_seq.is_(None)))
        case = load_rows(session, [("case", case_id)]).get(("case", case_id))
        if current is None or case is None:
            raise ApiError(404, f"Central kent geen zaak met id {case_id}.")
        target = _find_user(session, handler)
        if target is None:
            raise ApiError(404, f"Onbekende behandelaar '{handler}'.")
        if target.role not in ("handler", "team_lead"):
            raise ApiError(422, "Een zaak kan alleen aan een behandelaar of teamleider worden toegewezen.")
        if by is not None:
            if by.role != "team_lead" or by.team_id is None or by.team_id != current.team_id:
                raise ApiError(403, "Alleen de teamleider van het team van deze zaak kan haar toewijzen.")
            if target.team_id != by.team_id:
                raise ApiError(422, "De nieuwe behandelaar hoort niet bij uw team.")
        if current.handler_id == target.id and current.team_id == target.team_id:
            return AssignResponse(case_id=case_id, handler_id=target.id, team_id=target.team_id, rev=case.rev,
                                  changed=False)
        seq = write_row(session, state=case, fields={"handler_id": target.id, "team_id": target.team_id},
                        origin_change_id=None, now=now)
        current.to_seq = seq
        session.add(CaseAccess(case_id=case_id, parent_id=current.parent_id, handler_id=target.id,
                               team_id=target.team_id, from_seq=seq, to_seq=None, assigned_at=now,
                               reason=reason))
    log.info("case assigned: case=%s handler=%s seq=%d", case_id, target.id, seq)
    return AssignResponse(case_id=case_id, handler_id=target.id, team_id=target.team_id, rev=case.rev,
                          changed=True)


def _find_user(session: Session, handler: str) -> User | None:
    user = session.get(User, handler)
    if user is None:
        user = session.scalar(select(User).where(User.username == handler))
    return user
