"""Fixtures for central's tests: a real central process per module (or per test), and enrolled devices."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.central import CentralServer, Crew, central_server

__all__ = ["central_server"]


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
