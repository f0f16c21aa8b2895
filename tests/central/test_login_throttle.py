"""The login throttle against a real central: counted before the hash, per source, and globally."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from central import throttle
from central.database import Database, upgrade_to_head
from central.errors import ApiError
from tests.helpers.central import PG_ENV, TEST_PASSWORD, CentralServer, Crew, PostgresDatabase

CHECKED = "enrollment: password checked"
_sources = itertools.count(10)


def _source() -> str:
    """A loopback address of its own for one test's client, so tests on one server do not share a source."""
    n = next(_sources)
    return f"127.0.{n // 250}.{n % 250 + 2}"


def _client(server: CentralServer, source: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=60, transport=httpx.HTTPTransport(local_address=source))


def _enroll(http: httpx.Client, username: str, password: str) -> int:
    answer = http.post("/v1/enroll", json={"username": username, "password": password,
                                           "device_id": str(uuid.uuid4())})
    assert answer.status_code < 500, answer.text
    return answer.status_code


def _checks(server: CentralServer) -> int:
    """How many passwords central has verified so far (it logs each check, never the password)."""
    return server.log_path.read_text(errors="replace").count(CHECKED)


def test_sixty_concurrent_wrong_passwords_check_at_most_five(server: CentralServer, crew: Crew) -> None:
    victim = crew.device(name="victim").enrollment["username"]
    source = _source()
    before = _checks(server)
    start = threading.Barrier(60)

    def attempt(_: int) -> int:
        with _client(server, source) as http:
            start.wait(30)
            return _enroll(http, victim, "fout-wachtwoord")

    with ThreadPoolExecutor(60) as pool:
        statuses = list(pool.map(attempt, range(60)))
    assert statuses.count(401) == throttle.PAIR.free, statuses
    assert statuses.count(429) == 60 - throttle.PAIR.free
    assert _checks(server) - before == throttle.PAIR.free


def test_spraying_one_password_over_many_usernames_from_one_source_is_limited(
    server: CentralServer, crew: Crew,
) -> None:
    victims = [crew.device(name="spray").enrollment["username"] for _ in range(2)]
    names = [f"naam{n}_{crew.tag}" for n in range(throttle.SOURCE.free)] + victims
    before = _checks(server)
    with _client(server, _source()) as http:
        statuses = [_enroll(http, name, "Zomer2026!") for name in names]
        assert statuses[: throttle.SOURCE.free] == [401] * throttle.SOURCE.free
        # The source is now held back, whatever name it tries, even with a right password.
        assert statuses[throttle.SOURCE.free:] == [429, 429]
        assert _enroll(http, victims[0], TEST_PASSWORD) == 429
    assert _checks(server) - before == throttle.SOURCE.free
    with _client(server, _source()) as elsewhere:
        assert _enroll(elsewhere, victims[0], TEST_PASSWORD) == 200


def test_a_stranger_cannot_lock_a_known_user_out_from_another_source(server: CentralServer, crew: Crew) -> None:
    victim = crew.device(name="victim").enrollment["username"]
    with _client(server, _source()) as stranger:
        for _ in range(throttle.PAIR.free):
            assert _enroll(stranger, victim, "gok") == 401
        assert _enroll(stranger, victim, "gok") == 429
        assert _enroll(stranger, victim, TEST_PASSWORD) == 429
    with _client(server, _source()) as own_laptop:
        assert _enroll(own_laptop, victim, TEST_PASSWORD) == 200


def test_a_success_clears_only_its_own_username_and_source(server: CentralServer, crew: Crew) -> None:
    user = crew.device(name="typo").enrollment["username"]
    with _client(server, _source()) as http:
        for _ in range(throttle.PAIR.free - 1):
            assert _enroll(http, user, "tikfout") == 401
        assert _enroll(http, user, TEST_PASSWORD) == 200
        for _ in range(throttle.PAIR.free):
            assert _enroll(http, user, "tikfout") == 401
        assert _enroll(http, user, TEST_PASSWORD) == 429


# -- the buckets on the database itself (SQLite and PostgreSQL) ------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    pg = None
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'central.db'}")
    else:
        admin = os.environ.get(PG_ENV)
        if not admin:
            pytest.skip(f"{PG_ENV} is not set")
        pg = PostgresDatabase(admin)
        database = Database(pg.url)
    upgrade_to_head(database)
    try:
        yield database
    finally:
        database.dispose()
        if pg is not None:
            pg.drop()


NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_the_global_bucket_slows_a_spray_from_many_sources_and_leaks(db: Database) -> None:
    for n in range(throttle.GLOBAL_DEPTH):
        throttle.admit(db, throttle.attempt_for(f"naam{n}", f"10.0.{n // 200}.{n % 200 + 1}"), NOW)
    fresh = throttle.attempt_for("iemand", "192.0.2.1")
    with pytest.raises(ApiError) as refused:
        throttle.admit(db, fresh, NOW)
    assert refused.value.status == 429
    assert "te veel mislukte aanmeldpogingen binnen" in refused.value.detail
    # One failure leaks out every GLOBAL_LEAK_SECONDS.
    later = NOW + dt.timedelta(seconds=throttle.GLOBAL_LEAK_SECONDS)
    throttle.admit(db, fresh, later)
    with pytest.raises(ApiError):
        throttle.admit(db, throttle.attempt_for("nog-iemand", "192.0.2.2"), later)


def test_concurrent_attempts_on_the_database_admit_exactly_the_free_ones(db: Database) -> None:
    attempt = throttle.attempt_for("slachtoffer", "198.51.100.7")
    start = threading.Barrier(30)

    def one(_: int) -> bool:
        start.wait(30)
        try:
            throttle.admit(db, attempt, NOW)
        except ApiError:
            return False
        return True

    with ThreadPoolExecutor(30) as pool:
        admitted = list(pool.map(one, range(30)))
    assert admitted.count(True) == throttle.PAIR.free


def test_ipv6_sources_count_per_64_prefix() -> None:
    assert throttle.source_of("2001:db8:1:2:aaaa::1") == throttle.source_of("2001:db8:1:2:ffff::9")
    assert throttle.source_of("2001:db8:1:3::1") != throttle.source_of("2001:db8:1:2::1")
    assert throttle.source_of("::ffff:192.0.2.4") == "192.0.2.4"
    assert throttle.source_of(None) == "onbekend"
