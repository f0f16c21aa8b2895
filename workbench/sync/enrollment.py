"""Enrolling this device with central: safe to retry after a cut answer, and open to a profile that holds cases.

The device id is made with the profile and sent with every attempt, so central recognises a retry: it gives
the same device a new token and the same blocks of case numbers, and never makes a second device. A retry
after the answer was lost, or after `workbench enroll` enrolled but its first sync broke off, simply enrolls
again. A profile already enrolled with another central, or for another user, is refused.

A profile that holds cases before it enrolls (its own placeholder user wrote them) takes on the central
user's identity: every reference to the placeholder user and team now points at the central ones, and every
row goes to the outbox whole, so the first sync pushes it all. Central checks each case number and renumbers
a clash (keeping the old number as a former number); the device takes the answer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from workbench.audit.chain import AuditEntry
from workbench.cases import numbering
from workbench.errors import UserError
from workbench.profile import write_descriptor
from workbench.staff.models import Role, Team, User
from workbench.store.hooks import Origin
from workbench.store.schema import Base
from workbench.sync import state
from workbench.sync.adopt import RANK
from workbench.sync.models import OutboxEntry
from workbench.sync.outbox import data_columns, jsonable
from workbench.sync.protocol import CENTRAL_OWNED, EnrollRequest, EnrollResponse
from workbench.sync.rows import entity_classes
from workbench.sync.transport import Transport

if TYPE_CHECKING:
    from workbench.workspace import Workspace

TOKEN_PREFIX = "central-token:"
LOCAL_URLS = ("https://", "http://127.0.0.1", "http://localhost", "http://[::1]")


def token_name(profile_id: str) -> str:
    return TOKEN_PREFIX + profile_id


def enroll(ws: Workspace, *, server_url: str, username: str, password: str,
           device_name: str = "", ca_file: Path | None = None) -> EnrollResponse:
    """Register this device for a central user; the device token goes to the keyring, never to a file."""
    if not server_url.startswith(LOCAL_URLS):
        raise UserError("Het adres van de centrale moet met https:// beginnen.", field="server")
    with ws.unit_of_work() as uow:
        enrolled_at = state.get(uow.session, state.SERVER_URL)
    if enrolled_at and enrolled_at.rstrip("/") != server_url.rstrip("/"):
        raise UserError(f"Dit apparaat is al gekoppeld aan een andere centrale ({enrolled_at}).", field="server")
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
    if enrolled_at and answer.user_id != ws.descriptor.user_id:
        # Central binds a device to one user, so this only happens with a store that was tampered with.
        raise UserError("Dit apparaat is al gekoppeld voor een andere gebruiker.", field="gebruikersnaam")
    ws.secrets.set(token_name(ws.descriptor.profile_id), answer.device_token)
    with ws.unit_of_work(Origin.PURGE) as uow:  # the stand-in user and team are replaced, not shared
        session = uow.session
        if not enrolled_at:
            _take_central_identity(session, answer, uow.clock.now())
            state.put(session, state.SERVER_URL, server_url)
        if ca_file is not None:
            state.put(session, "ca_file", str(ca_file))
        numbering.add_blocks(session, [(b.first, b.last) for b in answer.number_blocks])
        uow.audit(AuditEntry("enroll", "device", ws.descriptor.device_id, detail=f"user={answer.user_id}"))
    if ws.descriptor.user_id != answer.user_id:
        desc = dataclasses.replace(ws.descriptor, user_id=answer.user_id)
        write_descriptor(ws.folder, desc)
        ws.adopt_identity(desc)
    return answer


def _take_central_identity(session: Session, answer: EnrollResponse, now: dt.datetime) -> None:
    """The profile's placeholder user and team make way for the ones central knows, in every row."""
    if answer.team_id and session.get(Team, answer.team_id) is None:
        session.add(Team(id=answer.team_id, name=answer.team_name or "Team"))
    if session.get(User, answer.user_id) is None:
        session.add(User(id=answer.user_id, username=answer.username, display_name=answer.display_name,
                         role=Role(answer.role), team_id=answer.team_id))
    session.flush()
    old_teams = [t for t in session.scalars(select(Team.id)) if t != answer.team_id]
    old_users = [u for u in session.scalars(select(User.id)) if u != answer.user_id]
    for table in Base.metadata.sorted_tables:
        if table.name in (User.__tablename__, Team.__tablename__):
            continue
        _repoint(session, table, "user_account", old_users, answer.user_id)
        _repoint(session, table, "team", old_teams, answer.team_id)
    session.execute(delete(User).where(User.id != answer.user_id))
    session.execute(delete(Team).where(Team.id != answer.team_id))
    session.expunge_all()
    _queue_everything(session, now)


def _repoint(session: Session, table: Table, target: str, old_ids: list[str], new_id: str | None) -> None:
    if not old_ids:
        return
    columns = {fk.parent.name for fk in table.foreign_keys if fk.column.table.name == target}
    if target == "user_account" and "updated_by" in table.c:
        columns.add("updated_by")
    for name in sorted(columns):
        column = table.c[name]
        if new_id is None and not column.nullable:
            continue
        session.execute(update(table).where(column.in_(old_ids)).values({name: new_id}))


def _queue_everything(session: Session, now: dt.datetime) -> None:
    """Replace the outbox by one insert per row this device made, parents first: the first sync pushes all.

    What was queued before named the placeholder user; the rows themselves now carry the central ids.
    """
    session.execute(delete(OutboxEntry))
    classes = entity_classes()
    for entity in sorted(classes, key=lambda name: RANK.get(name, len(RANK))):
        cls = classes[entity]
        if entity in CENTRAL_OWNED:
            continue
        for obj in session.scalars(select(cls).where(cls.rev == 0).order_by(cls.updated_at, cls.id)):
            fields = {key: [None, jsonable(getattr(obj, key))] for key in data_columns(obj)}
            session.add(OutboxEntry(change_id=str(uuid.uuid4()), entity=entity, row_id=obj.id, op="insert",
                                    base_rev=0, fields=fields, created_at=now))
    session.flush()
