"""Fixtures for central's tests: a real central process per module (or per test), and enrolled devices."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from central.database import Database
from tests.helpers.central import CentralServer, Crew, central_server, fresh_database

__all__ = ["central_server"]


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh central database at the schema's head, for calling central's functions in-process; each test
    runs on SQLite and on PostgreSQL (skipped without WORKBENCH_TEST_PG_URL)."""
    with fresh_database(request.param, tmp_path) as database:
        yield database


@pytest.fixture(scope="module")
def server(central: CentralServer) -> CentralServer:
    """The module's central (tests/conftest.py); tests keep apart by using their own users and teams."""
    return central


@pytest.fixture
def crew(server: CentralServer) -> Iterator[Crew]:
    made = Crew(server)
    try:
        yield made
    finally:
        made.close()
