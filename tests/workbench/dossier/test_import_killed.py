"""SIGKILL in the middle of a 10,000-entry import: the store opens, is intact, and holds all or none of it."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from tests.conftest import TEMPLATE_KEY
from tests.helpers.dossier_import_child import KEY_ENV
from tests.helpers.dossiers import rich_case, with_story
from tests.helpers.factories import FixedClock, seed_local_user
from workbench.audit import chain
from workbench.bookkeeping import open_store
from workbench.dossier.export import dumps, export_case
from workbench.models import StoryEntry
from workbench.store.engine import open_engine
from workbench.store.unit_of_work import Actor, Store

REPO = Path(__file__).resolve().parents[3]
STORY = 10_000
KILL_AFTER = 3_000
TIMEOUT = 120.0

pytestmark = pytest.mark.slow


@pytest.fixture
def dossier_file(store: Store, actor: Actor, clock: FixedClock, tmp_path: Path) -> tuple[Path, int]:
    case_id = rich_case(store, actor, clock)
    with store.unit_of_work(actor) as uow:
        data = with_story(export_case(uow, case_id), STORY, text_size=1_000)
    path = tmp_path / "dossier.json"
    path.write_text(dumps(data), encoding="utf-8")
    return path, len(data["story"])


@pytest.fixture
def target(store_template: Path, tmp_path: Path, clock: FixedClock) -> tuple[Path, Actor]:
    """A store copy with its own user, closed again: the child process is its only writer."""
    path = tmp_path / "target" / "store.db"
    path.parent.mkdir()
    shutil.copyfile(store_template, path)
    s = open_store(open_engine(path, TEMPLATE_KEY), clock)
    actor = seed_local_user(s, username="ontvanger")
    s.close()
    return path, actor


def _start(store_path: Path, dossier: Path, actor: Actor) -> tuple[subprocess.Popen[str], queue.Queue[str]]:
    env = {**os.environ, KEY_ENV: TEMPLATE_KEY.hex(), "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.dossier_import_child", str(store_path), str(dossier),
         actor.user_id, actor.device_id],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.put(line.strip())
        lines.put("eof")

    threading.Thread(target=pump, daemon=True).start()
    return child, lines


def _next(lines: queue.Queue[str], child: subprocess.Popen[str]) -> str:
    try:
        line = lines.get(timeout=TIMEOUT)
    except queue.Empty:
        child.kill()
        raise AssertionError("the import child stopped reporting") from None
    if line == "eof":
        assert child.stderr is not None
        raise AssertionError(f"the import child ended early: {child.wait()} {child.stderr.read()}")
    return line


def _check(path: Path) -> tuple[int, chain.ChainReport]:
    """Open the store as the app would, check both integrity pragmas, count the story entries."""
    engine: Engine = open_engine(path, TEMPLATE_KEY)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
            assert conn.execute(text("PRAGMA cipher_integrity_check")).all() == []
            stories = int(conn.execute(select(func.count()).select_from(StoryEntry)).scalar_one())
        with Session(engine) as session:
            report = chain.verify(session)
    finally:
        engine.dispose()
    return stories, report


def test_killed_mid_import_leaves_no_trace(dossier_file: tuple[Path, int], target: tuple[Path, Actor]) -> None:
    dossier, _ = dossier_file
    store_path, actor = target
    wal = Path(f"{store_path}-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    child, lines = _start(store_path, dossier, actor)
    while True:
        done = int(_next(lines, child).split()[1])
        if done >= KILL_AFTER:
            break
    wal_at_kill = wal.stat().st_size if wal.exists() else 0
    print(f"\nkilled after {done} rows; WAL {wal_before} -> {wal_at_kill} bytes")
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=TIMEOUT) == -signal.SIGKILL
    # The uncommitted rows did reach the disk (the WAL grew): the crash had something to get wrong.
    assert wal_at_kill > wal_before

    stories, report = _check(store_path)
    assert stories == 0
    assert report.ok


def test_the_same_import_left_to_finish_keeps_everything(
        dossier_file: tuple[Path, int], target: tuple[Path, Actor]) -> None:
    dossier, count = dossier_file
    store_path, actor = target
    child, lines = _start(store_path, dossier, actor)
    while not _next(lines, child).startswith("done"):
        pass
    assert child.wait(timeout=TIMEOUT) == 0
    stories, report = _check(store_path)
    assert stories == count == STORY + 3
    assert report.ok and report.checked > STORY
