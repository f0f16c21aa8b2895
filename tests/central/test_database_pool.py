"""Central's PostgreSQL pool: a connection that sat idle is checked before use, one in use moments ago is not."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from central import database
from central.database import Database
from tests.helpers.central import PG_ENV, PostgresDatabase, _libpq

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason="needs PostgreSQL (WORKBENCH_TEST_PG_URL)")


@pytest.fixture
def pg() -> Iterator[tuple[Database, PostgresDatabase]]:
    fresh = PostgresDatabase(os.environ[PG_ENV])
    db = Database(fresh.url)
    try:
        yield db, fresh
    finally:
        db.dispose()
        fresh.drop()


def _backend_pids(db: Database) -> set[int]:
    with db.connect() as conn:
        return {int(pid) for pid in conn.scalars(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))}


def _end_sessions(fresh: PostgresDatabase, pids: set[int]) -> None:
    import psycopg

    with psycopg.connect(_libpq(fresh.url), autocommit=True) as conn:
        for pid in pids:
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def _read_and_write(db: Database) -> None:
    with db.read() as session:
        assert session.execute(text("SELECT 1")).scalar() == 1
    with db.write() as session:
        assert session.execute(text("SELECT 2")).scalar() == 2
    with db.connect() as conn:
        assert conn.execute(text("SELECT 3")).scalar() == 3


def test_idle_connections_dropped_by_the_server_are_replaced_before_use(
        pg: tuple[Database, PostgresDatabase], monkeypatch: pytest.MonkeyPatch) -> None:
    db, fresh = pg
    _read_and_write(db)
    pooled = _backend_pids(db)
    monkeypatch.setattr(database, "IDLE_PING_S", 0.0)  # every pooled connection counts as idle now
    _end_sessions(fresh, pooled)  # as a restarted server or a firewall would
    _read_and_write(db)  # no error: the dead connections were noticed at checkout and replaced
    assert not (_backend_pids(db) & pooled)


def test_a_single_read_runs_without_a_transaction_around_it(pg: tuple[Database, PostgresDatabase]) -> None:
    db, _ = pg
    with db.connect() as conn:
        # AUTOCOMMIT: no BEGIN/ROLLBACK round trips for authentication's one select.
        assert conn.execute(text("SELECT now() = statement_timestamp()")).scalar() is True


def test_a_statement_stays_prepared_across_reads(pg: tuple[Database, PostgresDatabase]) -> None:
    """psycopg forgets a connection's prepared statements at a rollback; a read ends with a commit instead, so the
    statements every sync sends are parsed once per connection, not once per request."""
    db, _ = pg
    for n in range(3):
        with db.read() as session:
            assert session.execute(text("SELECT CAST(:n AS integer) + 1001"), {"n": n}).scalar() == 1001 + n
    with db.read() as session:
        prepared = session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("+ 1001" in statement for statement in prepared), prepared


def test_a_read_cannot_write_and_a_write_after_it_can(pg: tuple[Database, PostgresDatabase]) -> None:
    db, _ = pg
    with db.write() as session:
        session.execute(text("CREATE TABLE probe (n integer)"))
    with pytest.raises(DBAPIError, match="read-only"), db.read() as session:
        session.execute(text("INSERT INTO probe VALUES (1)"))
    with db.write() as session:  # the same pooled connection, no longer read-only
        session.execute(text("INSERT INTO probe VALUES (2)"))
    with db.read() as session:
        assert session.scalars(text("SELECT n FROM probe")).all() == [2]
