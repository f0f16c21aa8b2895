"""Shared fixtures: a migrated encrypted store per test (copied from one template), a fixed clock."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.central import CentralServer
from tests.helpers.factories import FixedClock, seed_local_user
from workbench.bookkeeping import open_store
from workbench.store.engine import checkpoint, open_engine, random_key
from workbench.store.migrations import upgrade_to_head
from workbench.store.unit_of_work import Actor, Store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TEMPLATE_KEY = random_key()


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "store.db"
    engine = open_engine(path, TEMPLATE_KEY)
    upgrade_to_head(engine)
    checkpoint(engine)
    engine.dispose()
    return path


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 11, 29, 9, 30, tzinfo=dt.UTC))


@pytest.fixture
def store(store_template: Path, tmp_path: Path, clock: FixedClock) -> Iterator[Store]:
    path = tmp_path / "store.db"
    shutil.copyfile(store_template, path)
    s = open_store(open_engine(path, TEMPLATE_KEY), clock)
    yield s
    s.close()


@pytest.fixture
def actor(store: Store) -> Actor:
    return seed_local_user(store)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Any test that uses Qt (qapp, qtbot or a window) is a `gui` test; the core suite can run without them."""
    for item in items:
        if {"qapp", "qtbot", "window"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralServer]:
    """One central on loopback shared by a test module (PostgreSQL when WORKBENCH_TEST_PG_URL is set)."""
    running = CentralServer(Path(tmp_path_factory.mktemp("central"))).start()
    try:
        yield running
    finally:
        running.close()
