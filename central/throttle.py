"""The login throttle: every enrollment attempt is counted under the write lock before its password is checked.

Three buckets count failed attempts (an attempt is counted as failed up front and refunded when it succeeds):

- ``pair``: one username from one source address. Five free failures, then a doubling wait (30 s up to
  15 min). Only this bucket ever holds a *username* back, and only for the source that failed, so a
  stranger elsewhere cannot lock a known user out. A success from that source clears it.
- ``source``: one source address, whatever the usernames (spraying one password over many names).
  Twenty free failures, then a doubling wait; forgotten after an hour without failures. A success does
  not clear it, so an attacker cannot reset it by logging in with an account of their own.
- ``global``: every failure together, a leaking bucket (100 deep, one leaks out every 2 s). It slows a
  spray from many addresses; when it is full every enrollment waits a few seconds. Devices that are
  already enrolled are not affected: they use their token, not the password.

IPv6 sources count per /64 prefix, since one machine may hold a whole /64.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from sqlalchemy.orm import Session

from central.database import Database
from central.errors import ApiError
from central.models import LoginThrottle


@dataclass(frozen=True)
class Backoff:
    """Free failures, then a doubling wait after each further failure; forgotten after a quiet period."""

    free: int
    first_delay: int
    max_delay: int
    forget_after: dt.timedelta

    def wait(self, failures: int, last_failed_at: dt.datetime, now: dt.datetime) -> int:
        """Seconds the next attempt must still wait (0: it may try now)."""
        if failures < self.free:
            return 0
        delay = min(self.first_delay * 2 ** min(failures - self.free, 20), self.max_delay)
        return max(0, math.ceil((last_failed_at + dt.timedelta(seconds=delay) - now).total_seconds()))


PAIR = Backoff(free=5, first_delay=30, max_delay=15 * 60, forget_after=dt.timedelta(days=1))
SOURCE = Backoff(free=20, first_delay=30, max_delay=15 * 60, forget_after=dt.timedelta(hours=1))
GLOBAL_DEPTH = 100
GLOBAL_LEAK_SECONDS = 2
GLOBAL_KEY = "global"
TOO_MANY = "Te veel mislukte aanmeldpogingen. Probeer het over {wait} seconden opnieuw."
TOO_MANY_EVERYWHERE = ("Er komen nu te veel mislukte aanmeldpogingen binnen. "
                       "Probeer het over {wait} seconden opnieuw.")


def source_of(host: str | None) -> str:
    """The address an attempt counts under: IPv4 as is, IPv6 by its /64 prefix; 'onbekend' without one."""
    if not host:
        return "onbekend"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass(frozen=True)
class Attempt:
    """The buckets one enrollment attempt was counted in."""

    pair: str
    source: str


def attempt_for(username: str, host: str | None) -> Attempt:
    source = source_of(host)
    return Attempt(pair=f"pair:{username.strip().lower()}|{source}", source=f"source:{source}")


def _bucket(session: Session, key: str, now: dt.datetime) -> LoginThrottle:
    row = session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(bucket=key, failures=0, last_failed_at=now)
        session.add(row)
    return row


def _leak(row: LoginThrottle, now: dt.datetime) -> None:
    """Let the global bucket leak one failure per GLOBAL_LEAK_SECONDS since it was last touched."""
    leaked = int((now - row.last_failed_at).total_seconds() // GLOBAL_LEAK_SECONDS)
    if leaked > 0:
        row.failures = max(0, row.failures - leaked)
        row.last_failed_at = now if row.failures == 0 else (
            row.last_failed_at + dt.timedelta(seconds=leaked * GLOBAL_LEAK_SECONDS))


def admit(db: Database, attempt: Attempt, now: dt.datetime) -> None:
    """Count the attempt as a failure in every bucket, or refuse it (429) without counting.

    Runs in one serialized write transaction, so concurrent attempts see each other's counts: of any
    number of simultaneous wrong passwords for one user from one source, at most ``PAIR.free`` get checked.
    """
    with db.write() as session:
        pair, source = _bucket(session, attempt.pair, now), _bucket(session, attempt.source, now)
        everyone = _bucket(session, GLOBAL_KEY, now)
        for row, policy in ((pair, PAIR), (source, SOURCE)):
            if row.failures and now - row.last_failed_at > policy.forget_after:
                row.failures = 0
        _leak(everyone, now)
        wait = max(PAIR.wait(pair.failures, pair.last_failed_at, now),
                   SOURCE.wait(source.failures, source.last_failed_at, now))
        if wait > 0:
            raise ApiError(429, TOO_MANY.format(wait=wait))
        if everyone.failures >= GLOBAL_DEPTH:
            elapsed = (now - everyone.last_failed_at).total_seconds()
            raise ApiError(429, TOO_MANY_EVERYWHERE.format(wait=max(1, math.ceil(GLOBAL_LEAK_SECONDS - elapsed))))
        for row in (pair, source, everyone):
            if row is not everyone or row.failures == 0:
                row.last_failed_at = now
            row.failures += 1


def refund(db: Database, attempt: Attempt) -> None:
    """The attempt succeeded: clear its username-and-source bucket; take it back out of the others."""
    with db.write() as session:
        pair = session.get(LoginThrottle, attempt.pair)
        if pair is not None:
            session.delete(pair)
        for key in (attempt.source, GLOBAL_KEY):
            row = session.get(LoginThrottle, key)
            if row is not None and row.failures > 0:
                row.failures -= 1
