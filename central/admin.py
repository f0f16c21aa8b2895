"""Devices and people: list devices, revoke one, disable a user, change a role or team; every action audited."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.accounts import ROLES
from central.database import Database
from central.errors import SetupError
from central.ledger import load_rows, new_row, write_row
from central.models import AdminAction, Device, Team, User
from workbench.staff.roles import role_choices

MAX_REASON = 500
MIN_DEVICE_PREFIX = 8


@dataclass(frozen=True)
class DeviceLine:
    """One row of ``central devices``."""

    username: str
    device_id: str
    device_name: str
    enrolled_at: dt.datetime
    last_seen_at: dt.datetime
    pending_changes: int
    state: str
    audit_pending: int = 0  # audit events the device reported as not yet on central (central.audit_trail)


def admin_name() -> str:
    """Who runs the command: CENTRAL_ADMIN, else the operating-system account."""
    name = os.environ.get("CENTRAL_ADMIN", "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "onbekend"
    return name[:100]


def record(session: Session, *, action: str, target: str, now: dt.datetime, reason: str = "",
           detail: dict[str, Any] | None = None) -> None:
    """Add one line to the admin-action log (in the caller's write transaction, so it commits with the action)."""
    session.add(AdminAction(at=now, actor=admin_name(), action=action, target=target[:200], reason=reason,
                            detail=detail or {}))


def checked_reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise SetupError("Geef een reden op (--reason); die komt in het logboek en het apparaat toont hem.")
    if len(text) > MAX_REASON:
        raise SetupError(f"De reden (--reason) is te lang (hoogstens {MAX_REASON} tekens).")
    return text


def device_state(device: Device, user: User, now: dt.datetime) -> str:
    if device.revoked_at is not None:
        return "ingetrokken"
    if user.disabled_at is not None:
        return "gebruiker uitgeschakeld"
    if device.token_expires_at is not None and now >= device.token_expires_at:
        return "sleutel verlopen"
    return "actief"


def list_devices(db: Database, *, username: str | None, now: dt.datetime) -> list[DeviceLine]:
    """Every device (or one user's), newest enrollment last within each user."""
    with db.read() as session:
        query = select(Device, User).join(User, User.id == Device.user_id)
        if username is not None:
            user = _user(session, username)
            query = query.where(User.id == user.id)
        rows = session.execute(query.order_by(User.username, Device.enrolled_at, Device.device_id)).all()
        return [DeviceLine(user.username, device.device_id, device.name, device.enrolled_at, device.last_seen_at,
                           device.pending_changes, device_state(device, user, now), device.audit_pending)
                for device, user in rows]


def revoke_device(db: Database, device_id: str, *, reason: str, now: dt.datetime) -> Device:
    """Refuse the device's token from now on; at its next contact the device hears why and erases itself."""
    text = checked_reason(reason)
    with db.write() as session:
        device = _device(session, device_id)
        if device.revoked_at is not None:
            raise SetupError(f"Apparaat {device.device_id} is al ingetrokken op {device.revoked_at:%d-%m-%Y %H:%M} "
                             f"UTC; er is niets veranderd.")
        device.revoked_at = now
        device.revoke_reason = text
        record(session, action="revoke-device", target=device.device_id, now=now, reason=text,
               detail={"user_id": device.user_id, "pending_changes": device.pending_changes})
        return device


def disable_user(db: Database, username: str, *, reason: str, now: dt.datetime) -> list[str]:
    """No more enrollment for the user, and every device of theirs revoked; returns the devices revoked now."""
    text = checked_reason(reason)
    with db.write() as session:
        user = _user(session, username)
        if user.disabled_at is not None:
            raise SetupError(f"De gebruiker '{user.username}' is al uitgeschakeld op "
                             f"{user.disabled_at:%d-%m-%Y %H:%M} UTC; er is niets veranderd.")
        user.disabled_at = now
        user.disabled_reason = text
        revoked = []
        for device in session.scalars(select(Device).where(Device.user_id == user.id,
                                                           Device.revoked_at.is_(None))):
            device.revoked_at = now
            device.revoke_reason = f"gebruiker uitgeschakeld: {text}"[:MAX_REASON]
            revoked.append(device.device_id)
        record(session, action="disable-user", target=user.username, now=now, reason=text,
               detail={"user_id": user.id, "devices_revoked": revoked})
        return revoked


def set_role(db: Database, username: str, role: str, *, now: dt.datetime) -> str | None:
    """Give the user another role (published to every device); returns the old role, or None when unchanged."""
    if role not in ROLES:
        raise SetupError(f"Onbekende rol (ROLE) '{role}': kies {role_choices()}.")
    with db.write() as session:
        user = _user(session, username)
        old = user.role
        if old == role:
            return None
        user.role = role
        _publish(session, user, {"role": role}, now)
        record(session, action="set-role", target=user.username, now=now, detail={"from": old, "to": role})
        return old


def set_team(db: Database, username: str, team_name: str, *, now: dt.datetime) -> str | None:
    """Move the user to an existing team (published to every device); returns the old team's name, or None."""
    name = (team_name or "").strip()
    if not name:
        raise SetupError("De teamnaam (TEAM) mag niet leeg zijn.")
    with db.write() as session:
        user = _user(session, username)
        team = session.scalar(select(Team).where(Team.name == name))
        if team is None:
            known = ", ".join(session.scalars(select(Team.name).order_by(Team.name).limit(20)))
            raise SetupError(f"Het team (TEAM) '{name[:200]}' bestaat niet. Bekende teams: {known or 'geen'}.")
        old = session.get(Team, user.team_id) if user.team_id else None
        if user.team_id == team.id:
            return None
        user.team_id = team.id
        _publish(session, user, {"team_id": team.id}, now)
        record(session, action="set-team", target=user.username, now=now,
               detail={"from": old.name if old else None, "to": team.name})
        return old.name if old else ""


def admin_log(db: Database, *, limit: int) -> list[AdminAction]:
    """The newest ``limit`` administrative actions, oldest first."""
    if not 1 <= limit <= 100_000:
        raise SetupError("Het aantal regels (--limit) moet tussen 1 en 100000 liggen.")
    with db.read() as session:
        rows = list(session.scalars(select(AdminAction).order_by(AdminAction.id.desc()).limit(limit)))
    return rows[::-1]


def _publish(session: Session, user: User, fields: dict[str, Any], now: dt.datetime) -> None:
    """Send the changed user row to every device (as create_user does for a new one)."""
    state = load_rows(session, [("user", user.id)]).get(("user", user.id)) or new_row("user", user.id)
    write_row(session, state=state, fields=fields, origin_change_id=None, now=now)


def _user(session: Session, username: str) -> User:
    name = (username or "").strip()
    user = session.scalar(select(User).where(User.username == name)) if name else None
    if user is None:
        raise SetupError(f"De gebruiker '{name[:100]}' bestaat niet (zie 'central devices').")
    return user


def _device(session: Session, device_id: str) -> Device:
    """A device by its id, or by an unambiguous start of it (at least 8 characters, as ``central devices`` shows)."""
    wanted = (device_id or "").strip().lower()
    if len(wanted) < MIN_DEVICE_PREFIX or len(wanted) > 36:
        raise SetupError(f"Geef het apparaat-id (DEVICE_ID) helemaal, of de eerste {MIN_DEVICE_PREFIX} tekens of "
                         "meer (zie 'central devices').")
    found = session.get(Device, wanted)
    if found is not None:
        return found
    escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    matches = list(session.scalars(select(Device).where(Device.device_id.like(escaped + "%", escape="\\")).limit(2)))
    if not matches:
        raise SetupError(f"Apparaat '{wanted}' is niet bekend bij de centrale (zie 'central devices').")
    if len(matches) > 1:
        raise SetupError(f"Meer dan één apparaat begint met '{wanted}'; geef meer tekens van het id.")
    return matches[0]
