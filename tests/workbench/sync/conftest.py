"""A real central for the device-side sync tests, shared per module; tests keep apart by unique user names."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.central import CentralServer


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralServer]:
    running = CentralServer(Path(tmp_path_factory.mktemp("central"))).start()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def unique() -> Callable[[str], str]:
    """A user or team name no other test on the shared central uses."""
    tag = uuid.uuid4().hex[:6]
    return lambda name: f"{name}-{tag}"
