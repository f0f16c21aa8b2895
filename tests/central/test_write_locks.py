"""Central's write locks on PostgreSQL: a device's own writes wait only for that device, every other write for all."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from central.database import Database
from tests.helpers.central import PG_ENV, PostgresDatabase

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason="needs PostgreSQL (WORKBENCH_TEST_PG_URL)")


@pytest.fixture
def db() -> Iterator[Database]:
    fresh = PostgresDatabase(os.environ[PG_ENV])
    database = Database(fresh.url)
    try:
        yield database
    finally:
        database.dispose()
        fresh.drop()


def _waits_while(db: Database, held: dict[str, str | None], asked: dict[str, str | None]) -> bool:
    """Whether a write asked as `asked` waits while one as `held` is open."""
    inside, release, done = threading.Event(), threading.Event(), threading.Event()

    def holder() -> None:
        with db.write(**held) as session:  # type: ignore[arg-type]
            session.execute(text("SELECT 1"))
            inside.set()
            release.wait(10)

    def asker() -> None:
        with db.write(**asked) as session:  # type: ignore[arg-type]
            session.execute(text("SELECT 1"))
        done.set()

    first = threading.Thread(target=holder)
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=asker)
    second.start()
    waited = not done.wait(1.0)
    release.set()
    first.join(10)
    second.join(10)
    assert done.is_set()
    return waited


def test_one_devices_trail_does_not_wait_for_a_push_or_another_device(db: Database) -> None:
    assert not _waits_while(db, {}, {"device_only": "dev-a"})
    assert not _waits_while(db, {"device_only": "dev-b"}, {"device_only": "dev-a"})


def test_the_same_device_waits_for_itself_and_a_push_waits_for_a_push(db: Database) -> None:
    assert _waits_while(db, {"device_only": "dev-a"}, {"device_only": "dev-a"})
    assert _waits_while(db, {}, {})
