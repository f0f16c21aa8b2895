"""Users, teams and devices: creating accounts, enrolling a device, and recognising its token."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, or_, select, update
from sqlalchemy.orm import Session

from central import numbering, security, throttle
from central.database import Database
from central.errors import ApiError, SetupError
from central.ledger import new_row, write_row
from central.models import Device, Team, User
from workbench.staff.roles import role_choices
from workbench.sync.protocol import DEVICE_REVOKED, TOKEN_EXPIRED, EnrollRequest, EnrollResponse, TokenRotation

log = logging.getLogger(__name__)

ROLES = ("handler", "team_lead", "reviewer")
# How stale last_seen_at may get before a request refreshes it (a write; not on every pull).
SEEN_RESOLUTION = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Principal:
    """The user and device behind a request's token."""

    user_id: str
    username: str
    role: str
    team_id: str | None
    device_id: str
    token_sha256: str = ""  # the digest of the token the request came with


def _user_fields(user: User) -> dict[str, object]:
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "team_id": user.team_id, "deleted_at": None}


def ensure_team(session: Session, *, name: str, now: dt.datetime) -> Team:
    """The team with this name, created (and published to devices) when it is new."""
    name = name.strip()
    if not name or len(name) > 200:
        raise SetupError("De teamnaam (--team) moet 1 tot 200 tekens lang zijn.")
    team = session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(id=str(uuid.uuid4()), name=name)
        session.add(team)
        write_row(session, state=new_row("team", team.id), fields={"name": name, "deleted_at": None},
                  origin_change_id=None, now=now)
    return team


def create_user(
    session: Session, *, username: str, password: str, role: str, team_name: str, display_name: str,
    now: dt.datetime,
) -> User:
    """A new user in a (possibly new) team; published to every device as a user row."""
    username = username.strip()
    if not username or len(username) > 100 or any(ch.isspace() for ch in username):
        raise SetupError("De gebruikersnaam (NAME) moet 1 tot 100 tekens zijn, zonder spaties.")
    if role not in ROLES:
        raise SetupError(f"Onbekende rol (--role) '{role}': kies {role_choices()}.")
    if not password:
        raise SetupError("Het wachtwoord (CENTRAL_PASSWORD of de vraag) mag niet leeg zijn.")
    if len(display_name) > 200:
        raise SetupError("De weergavenaam (--display-name) mag hoogstens 200 tekens zijn.")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise SetupError(f"De gebruiker '{username}' bestaat al.")
    team = ensure_team(session, name=team_name, now=now)
    user = User(id=str(uuid.uuid4()), username=username, display_name=display_name.strip() or username,
                role=role, team_id=team.id, password_hash=security.hash_password(password), created_at=now)
    session.add(user)
    write_row(session, state=new_row("user", user.id), fields=_user_fields(user), origin_change_id=None, now=now)
    log.info("user created: id=%s role=%s", user.id, role)
    return user


def enroll(db: Database, request: EnrollRequest, now: dt.datetime, *, source: str | None = None) -> tuple[
        EnrollResponse, str]:
    """Check the credentials (throttled, see central.throttle) and issue a device token; returns it with the answer.

    ``source`` is the client address the attempt came from.
    """
    attempt = throttle.attempt_for(request.username, source)
    # Counted (or refused) under the write lock before the slow hash, so concurrent attempts cannot race it.
    throttle.admit(db, attempt, now)
    with db.read() as session:
        user = session.scalar(select(User).where(User.username == request.username.strip()))
        team = session.get(Team, user.team_id) if user is not None and user.team_id else None
        owner = session.scalar(select(Device.user_id).where(Device.device_id == request.device_id))
    # Verify even for an unknown username: the same effort, so timing does not reveal which names exist.
    log.info("enrollment: password checked")
    password_ok = security.verify_password(user.password_hash if user else None, request.password)
    if user is None or not password_ok:
        log.info("enrollment refused: wrong credentials")
        raise ApiError(401, "Gebruikersnaam of wachtwoord klopt niet.")
    throttle.refund(db, attempt)
    if user.disabled_at is not None:
        raise ApiError(403, DISABLED)
    if owner is not None and owner != user.id:
        raise ApiError(409, "Dit apparaat is al aangemeld voor een andere gebruiker.")
    token = security.new_device_token()
    with db.write() as session:
        device = session.get(Device, request.device_id)
        if device is not None and device.user_id != user.id:
            raise ApiError(409, "Dit apparaat is al aangemeld voor een andere gebruiker.")
        if device is not None and device.revoked_at is not None:
            raise ApiError(403, DEVICE_REVOKED_ENROLL)
        expires = now + security.token_lifetime()
        if device is None:
            session.add(Device(device_id=request.device_id, user_id=user.id, name=request.device_name,
                               token_sha256=security.token_digest(token), enrolled_at=now, last_seen_at=now,
                               token_expires_at=expires))
        else:
            device.token_sha256 = security.token_digest(token)
            device.previous_token_sha256 = None
            device.token_expires_at = expires
            device.name = request.device_name
            device.enrolled_at = device.last_seen_at = now
        session.flush()
        blocks = numbering.blocks_at_enrollment(session, request.device_id, now)
    log.info("device enrolled: device=%s user=%s", request.device_id, user.id)
    answer = EnrollResponse(
        device_token=token, user_id=user.id, username=user.username, display_name=user.display_name,
        role=user.role,  # type: ignore[arg-type]
        team_id=user.team_id, team_name=team.name if team else None, number_blocks=blocks,
    )
    return answer, token


UNKNOWN_TOKEN = "Onbekende of ingetrokken apparaatsleutel. Meld dit apparaat opnieuw aan."
REVOKED = "Dit apparaat is ingetrokken door de beheerder van de centrale. Reden: {reason}"
EXPIRED = ("De apparaatsleutel is verlopen: dit apparaat heeft te lang niet gesynchroniseerd. Vraag de beheerder "
           "van de centrale om dit apparaat opnieuw te koppelen.")
DISABLED = "Deze gebruiker is uitgeschakeld door de beheerder van de centrale."
DEVICE_REVOKED_ENROLL = ("Dit apparaat is ingetrokken door de beheerder van de centrale en kan niet opnieuw worden "
                         "gekoppeld. Maak een nieuw profiel aan.")


def revoked_error(reason: str) -> ApiError:
    return ApiError(401, REVOKED.format(reason=reason or "geen reden opgegeven"), code=DEVICE_REVOKED)


_DEVICE = cast(Table, Device.__table__)
_AUTHENTICATE = (
    select(Device.device_id, Device.token_sha256, Device.previous_token_sha256, Device.revoked_at,
           Device.revoke_reason, Device.token_expires_at, Device.last_seen_at, User.id.label("user_id"),
           User.username, User.role, User.team_id, User.disabled_at, User.disabled_reason)
    .join(User, User.id == Device.user_id)
    .where(or_(Device.token_sha256 == bindparam("digest"), Device.previous_token_sha256 == bindparam("digest")))
)


def authenticate(db: Database, authorization: str | None, now: dt.datetime) -> Principal:
    """The principal behind ``Authorization: Bearer <token>``; 401 for anything else.

    Every request asks the database, so a revoked device or a disabled user is refused from the next request on;
    the refusal says ``device_revoked`` so the device erases itself. The token a rotation replaced still works
    until the new one is first used (the rotation's answer may have been lost on the way).
    """
    if not authorization:
        raise ApiError(401, "Geen apparaatsleutel meegestuurd. Meld dit apparaat eerst aan.")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        raise ApiError(401, UNKNOWN_TOKEN)
    digest = security.token_digest(token)
    with db.connect() as conn:  # one select of the columns needed, no ORM session: every request comes here
        found = conn.execute(_AUTHENTICATE, {"digest": digest}).first()
    if found is None:
        raise ApiError(401, UNKNOWN_TOKEN)
    if found.revoked_at is not None:
        raise revoked_error(found.revoke_reason)
    if found.disabled_at is not None:
        raise revoked_error(found.disabled_reason)
    if found.token_expires_at is not None and now >= found.token_expires_at:
        raise ApiError(401, EXPIRED, code=TOKEN_EXPIRED)
    current = found.token_sha256 == digest
    if (current and found.previous_token_sha256 is not None) or now - found.last_seen_at > SEEN_RESOLUTION:
        seen: dict[str, Any] = {"last_seen_at": now}
        if current:  # the new token arrived: the old one is done (unless a rotation replaced it meanwhile)
            seen["previous_token_sha256"] = case((_DEVICE.c.token_sha256 == digest, None),
                                                 else_=_DEVICE.c.previous_token_sha256)
        # One update of the device's own row: it waits only for that device's writes, not for every writer.
        with db.write(device_only=found.device_id) as session:
            session.execute(update(_DEVICE).where(_DEVICE.c.device_id == found.device_id).values(seen))
    return Principal(user_id=found.user_id, username=found.username, role=found.role, team_id=found.team_id,
                     device_id=found.device_id, token_sha256=digest)


def rotate_token(db: Database, user: Principal, now: dt.datetime) -> TokenRotation:
    """A fresh token for the device that asks; the one it asked with stays valid until the new one is used."""
    lifetime = security.token_lifetime()
    token = security.new_device_token()
    with db.write() as session:
        device = session.get(Device, user.device_id)
        if device is None or device.revoked_at is not None:
            raise revoked_error(device.revoke_reason if device is not None else "")
        if user.token_sha256 not in (device.token_sha256, device.previous_token_sha256):
            raise ApiError(401, UNKNOWN_TOKEN)  # rotated meanwhile by a request with another token
        device.previous_token_sha256 = user.token_sha256
        device.token_sha256 = security.token_digest(token)
        device.token_expires_at = now + lifetime
        device.last_seen_at = now
    log.info("device token rotated: device=%s", user.device_id)
    return TokenRotation(device_token=token, expires_at=now + lifetime,
                         renew_after=security.renew_after(now, lifetime))
