"""Password hashes (argon2) and device tokens with their lifetime (the enrollment throttle is central.throttle)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from central.errors import SetupError


def password_hasher() -> PasswordHasher:
    """argon2id with the library's defaults, or ``CENTRAL_ARGON2=t,m_kib,p`` (tests use a cheap cost)."""
    raw = os.environ.get("CENTRAL_ARGON2", "").strip()
    if not raw:
        return PasswordHasher()
    try:
        t, m, p = (int(part) for part in raw.split(","))
    except ValueError:
        raise SetupError("CENTRAL_ARGON2 moet de vorm t,m_kib,p hebben, bijvoorbeeld 3,65536,4.") from None
    if t < 1 or m < 8 or p < 1:
        raise SetupError("CENTRAL_ARGON2 bevat te lage waarden (t>=1, m_kib>=8, p>=1).")
    return PasswordHasher(time_cost=t, memory_cost=m, parallelism=p)


_HASHER: PasswordHasher | None = None


def _hasher() -> PasswordHasher:
    global _HASHER
    if _HASHER is None:
        _HASHER = password_hasher()
    return _HASHER


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(encoded: str | None, password: str) -> bool:
    """True when the password matches; an unknown user costs as much time as a known one."""
    hasher = _hasher()
    if encoded is None:
        # Spend the same effort, so response time does not tell which usernames exist.
        hasher.hash(password)
        return False
    try:
        return hasher.verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return False


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


DEFAULT_TOKEN_DAYS = 30.0
MAX_TOKEN_DAYS = 365.0
# A sync renews its token once this share of the lifetime has passed (capped at a day), so a device that
# syncs now and then never runs into the end of its token.
RENEW_SHARE = 0.25
MAX_RENEW_AFTER = dt.timedelta(days=1)


def token_lifetime() -> dt.timedelta:
    """How long a device token works: ``CENTRAL_TOKEN_DAYS`` (a number of days, fractions allowed), else 30."""
    raw = os.environ.get("CENTRAL_TOKEN_DAYS", "").strip()
    if not raw:
        return dt.timedelta(days=DEFAULT_TOKEN_DAYS)
    try:
        days = float(raw)
    except ValueError:
        raise SetupError("CENTRAL_TOKEN_DAYS moet een aantal dagen zijn, bijvoorbeeld 30.") from None
    if not 0 < days <= MAX_TOKEN_DAYS:
        raise SetupError(f"CENTRAL_TOKEN_DAYS moet groter dan 0 en hoogstens {MAX_TOKEN_DAYS:.0f} zijn.")
    return dt.timedelta(days=days)


def renew_after(issued: dt.datetime, lifetime: dt.timedelta) -> dt.datetime:
    """From when a sync should rotate a token issued at ``issued``."""
    return issued + min(lifetime * RENEW_SHARE, MAX_RENEW_AFTER)
