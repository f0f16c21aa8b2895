"""Fixtures for central's tests: a real central process per module (or per test), and enrolled devices."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.central import CentralServer, Crew, central_server

__all__ = ["central_server"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralServer]:
    """One central shared by a test module; tests keep apart by using their own users and teams."""
    running = CentralServer(Path(tmp_path_factory.mktemp("central"))).start()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def crew(server: CentralServer) -> Iterator[Crew]:
    made = Crew(server)
    try:
        yield made
    finally:
        made.close()
