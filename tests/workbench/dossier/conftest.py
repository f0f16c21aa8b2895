"""A second, empty store (another device) to import dossiers into."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TEMPLATE_KEY
from tests.helpers.factories import FixedClock, seed_local_user
from workbench.bookkeeping import open_store
from workbench.store.engine import open_engine
from workbench.store.unit_of_work import Actor, Store


@pytest.fixture
def other_clock() -> FixedClock:
    # Later than the source's clock, so a row that kept its source timestamps is easy to tell apart.
    return FixedClock(dt.datetime(2027, 2, 14, 13, 0, tzinfo=dt.UTC))


@pytest.fixture
def other_store(store_template: Path, tmp_path: Path, other_clock: FixedClock) -> Iterator[Store]:
    path = tmp_path / "other" / "store.db"
    path.parent.mkdir()
    shutil.copyfile(store_template, path)
    s = open_store(open_engine(path, TEMPLATE_KEY), other_clock)
    yield s
    s.close()


@pytest.fixture
def other_actor(other_store: Store) -> Actor:
    return seed_local_user(other_store, username="pzb-laptop-2")
