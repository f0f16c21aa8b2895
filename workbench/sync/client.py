"""Enrolling this device with central and running a sync for an open workspace."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy import delete, func, select

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case
from workbench.errors import UserError
from workbench.parties.models import Parent
from workbench.profile import write_descriptor
from workbench.staff.models import Role, Team, User
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync import revocation, state
from workbench.sync.engine import SyncEngine, SyncReport
from workbench.sync.models import OutboxEntry
from workbench.sync.protocol import AssignRequest, EnrollRequest, EnrollResponse
from workbench.sync.transport import Transport

if TYPE_CHECKING:
    from workbench.workspace import Workspace

TOKEN_PREFIX = "central-token:"
CA_PREFIX = "central-ca:"
PASSWORD_ENV = "WORKBENCH_CENTRAL_PASSWORD"


def token_name(profile_id: str) -> str:
    return TOKEN_PREFIX + profile_id


def enroll(ws: Workspace, *, server_url: str, username: str, password: str,
           device_name: str = "", ca_file: Path | None = None) -> EnrollResponse:
    """Register this device for a central user; the device token goes to the keyring, never to a file.

    Only a profile without cases can be enrolled: its local user becomes the central user, so every
    row the handler writes afterwards carries the id central knows.
    """
    if not server_url.startswith(("https://", "http://127.0.0.1", "http://localhost", "http://[::1]")):
        raise UserError("Het adres van de centrale moet met https:// beginnen.", field="server")
    with ws.unit_of_work() as uow:
        if state.get(uow.session, state.SERVER_URL):
            raise UserError("Dit apparaat is al gekoppeld aan een centrale.", field="server")
        cases = uow.session.scalar(select(func.count()).select_from(Case)) or 0
        parents = uow.session.scalar(select(func.count()).select_from(Parent)) or 0
        if cases or parents:
            raise UserError("Koppel een nieuw profiel aan de centrale voordat u zaken vastlegt; dit profiel "
                            "heeft al zaken.", field="profiel")
    try:
        request = EnrollRequest(username=username, password=password, device_id=ws.descriptor.device_id,
                                device_name=device_name[:200])
    except ValidationError as exc:
        name = str(exc.errors()[0]["loc"][0]) if exc.errors() else "user"
        field = {"username": "gebruikersnaam", "password": "wachtwoord"}.get(name, name)
        raise UserError(f"De {field} voor de centrale is leeg of te lang.", field=field) from None
    transport = Transport(server_url, ca_file=ca_file)
    try:
        answer = transport.enroll(request)
    finally:
        transport.close()
    ws.secrets.set(token_name(ws.descriptor.profile_id), answer.device_token)
    with ws.unit_of_work() as uow:
        session = uow.session
        session.info["remote"] = True
        session.info["purge"] = True
        # The profile's own placeholder user and team make way for the ones central knows.
        session.execute(delete(OutboxEntry))
        session.execute(delete(User).where(User.id != answer.user_id))
        session.execute(delete(Team).where(Team.id != answer.team_id))
        session.expunge_all()
        if answer.team_id and session.get(Team, answer.team_id) is None:
            session.add(Team(id=answer.team_id, name=answer.team_name or "Team"))
        if session.get(User, answer.user_id) is None:
            session.add(User(id=answer.user_id, username=answer.username, display_name=answer.display_name,
                             role=Role(answer.role), team_id=answer.team_id))
        state.put(session, state.SERVER_URL, server_url)
        if ca_file is not None:
            state.put(session, "ca_file", str(ca_file))
        uow.audit(AuditEntry("enroll", "device", ws.descriptor.device_id, detail=f"user={answer.user_id}"))
    desc = dataclasses.replace(ws.descriptor, user_id=answer.user_id)
    write_descriptor(ws.folder, desc)
    ws.adopt_identity(desc)
    return answer


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
    uow.session.info["remote"] = True
    state.acknowledge_handover(uow.session, case_id)
