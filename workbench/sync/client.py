"""Enrolling this device with central and running a sync for an open workspace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from workbench.audit.chain import AuditEntry
from workbench.errors import UserError
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync import revocation, state
from workbench.sync.engine import SyncEngine, SyncReport
from workbench.sync.enrollment import TOKEN_PREFIX as TOKEN_PREFIX
from workbench.sync.enrollment import enroll as enroll
from workbench.sync.enrollment import token_name as token_name
from workbench.sync.protocol import AssignRequest
from workbench.sync.transport import Transport

if TYPE_CHECKING:
    from workbench.workspace import Workspace

CA_PREFIX = "central-ca:"
PASSWORD_ENV = "WORKBENCH_CENTRAL_PASSWORD"


def transport_for(ws: Workspace) -> Transport:
    """A transport to this device's central, or a Dutch message saying the device is not enrolled."""
    with ws.unit_of_work() as uow:
        url = state.get(uow.session, state.SERVER_URL)
        ca = state.get(uow.session, "ca_file")
    token = ws.secrets.get(token_name(ws.descriptor.profile_id))
    if not url or not token:
        raise UserError("Dit apparaat is nog niet gekoppeld aan een centrale. Gebruik 'workbench enroll'.")
    return Transport(url, token=token, ca_file=Path(ca) if ca else None)


def sync(ws: Workspace, *, transport: Transport | None = None) -> SyncReport:
    """One full sync run for the workspace: renew the device token when due, then push, pull and check.

    A device central revoked erases itself here and raises DeviceErased (see workbench.sync.revocation).
    """
    own = transport is None
    transport = transport or transport_for(ws)
    try:
        with revocation.erase_when_revoked(ws):
            revocation.renew_token(ws, transport)
            return SyncEngine(ws.store, ws.actor, transport).run()
    finally:
        if own:
            transport.close()


def reassign(ws: Workspace, case_id: str, new_handler_id: str, reason: str) -> SyncReport:
    """A team lead hands a case to another handler of the team, through central (it must be reachable).

    Central moves the case; the new handler's device receives it whole with its next sync and the old
    device purges it once everything typed on it has reached central. Then this device syncs.
    """
    text = (reason or "").strip()
    if not text:
        raise UserError("Schrijf op waarom de zaak naar een andere zaakbehandelaar gaat.", field="reden")
    if len(text) > 500:
        raise UserError("De reden is te lang (maximaal 500 tekens).", field="reden")
    try:
        request = AssignRequest(handler_id=new_handler_id, reason=text)
    except ValidationError:
        raise UserError("Kies een zaakbehandelaar uit het team.", field="zaakbehandelaar") from None
    transport = transport_for(ws)
    try:
        with revocation.erase_when_revoked(ws):
            transport.assign(case_id, request)
        with ws.unit_of_work() as uow:
            uow.audit(AuditEntry("reassign", "case", case_id, case_id, detail=f"to={new_handler_id}"))
        return client_sync(ws, transport)
    finally:
        transport.close()


def client_sync(ws: Workspace, transport: Transport) -> SyncReport:
    return sync(ws, transport=transport)


def pending_handovers(ws: Workspace) -> list[str]:
    """Cases handed to this handler whose handover summary they have not read yet."""
    with ws.unit_of_work() as uow:
        return handovers_waiting(uow)


def acknowledge_handover(ws: Workspace, case_id: str) -> None:
    with ws.unit_of_work() as uow:
        handover_read(uow, case_id)


def handovers_waiting(uow: UnitOfWork) -> list[str]:
    """The same, inside the caller's unit of work (the window's DB worker)."""
    return state.pending_handovers(uow.session)


def handover_read(uow: UnitOfWork, case_id: str) -> None:
    """The new handler read the handover summary of this case: do not offer it again."""
    state.acknowledge_handover(uow.session, case_id)
