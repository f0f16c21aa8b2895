"""Unique names for the device-side sync tests, which share one central per module (tests/conftest.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest


@pytest.fixture
def unique() -> Callable[[str], str]:
    """A user or team name no other test on the shared central uses."""
    tag = uuid.uuid4().hex[:6]
    return lambda name: f"{name}-{tag}"
