"""Password hashes (argon2), device tokens and the enrollment throttle policy."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from central.errors import SetupError

# Free attempts per username before each further failure makes the next attempt wait (doubling).
FREE_FAILURES = 5
FIRST_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 15 * 60


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


def retry_after(failures: int, last_failed_at: dt.datetime, now: dt.datetime) -> int:
    """Seconds the next attempt for a username must still wait (0: it may try now)."""
    if failures < FREE_FAILURES:
        return 0
    delay = min(FIRST_DELAY_SECONDS * 2 ** min(failures - FREE_FAILURES, 10), MAX_DELAY_SECONDS)
    remaining = (last_failed_at + dt.timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(remaining + 0.999))
