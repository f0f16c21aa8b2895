"""Password hashes (argon2) and device tokens (the enrollment throttle is central.throttle)."""

from __future__ import annotations

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
