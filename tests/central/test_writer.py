"""Pushes through central's writer process (central.writer): applied there with the answers the worker would give,
refusals in Dutch, callers without the key turned away, and a worker whose writer is gone losing no push."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import tempfile
import time
from collections.abc import Iterator
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from central import writer
from central.accounts import Principal
from central.database import Database
from central.errors import OTHER_DEVICE, ApiError
from central.models import Record
from tests.central.test_push_statements import _handler, _new_cases
from tests.central.test_serving import serving_processes
from tests.central.wire import new_id, open_case
from tests.helpers.central import CentralServer, Crew
from workbench.sync.protocol import PushRequest

NOW = dt.datetime.now(dt.UTC)


class WriterProcess:
    """A writer process on ``db`` as `central serve` starts one, its address short enough for a Unix socket."""

    def __init__(self, db: Database) -> None:
        self.folder = tempfile.mkdtemp(prefix="w-")
        self.address, self.key = os.path.join(self.folder, "writer.sock"), os.urandom(32)
        self.process = multiprocessing.get_context("spawn").Process(
            target=writer.serve, args=(self.address, self.key, db.url), daemon=True)
        self.process.start()
        deadline = time.monotonic() + 60
        while not os.path.exists(self.address):
            assert self.process.is_alive() and time.monotonic() < deadline, "the writer did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.kill()
        self.process.join()


@pytest.fixture
def writer_process(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[WriterProcess]:
    started = WriterProcess(db)
    monkeypatch.setattr(writer, "_writer", None)  # restored after the test: this process had no writer before
    writer.attach(started.address, started.key)
    try:
        yield started
    finally:
        started.stop()


def _two_cases(user: Principal) -> PushRequest:
    changes, _ = _new_cases(user, 2)
    return PushRequest.model_validate({"device_id": user.device_id, "changes": changes})


def _not_here(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("applied in the worker, not in the writer")


def _rows(db: Database, request: PushRequest) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Record).where(
            Record.row_id.in_([c.row_id for c in request.changes]))) or 0)


def test_a_push_is_applied_in_the_writer_and_answered_as_in_the_worker(
        db: Database, writer_process: WriterProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    anna = _handler()
    request = _two_cases(anna)
    with monkeypatch.context() as here:
        here.setattr(writer.pushing, "push", _not_here)
        first = writer.push(db, anna, request, NOW)
        again = writer.push(db, anna, request, NOW)  # a replay: central's first answers, nothing applied twice
        with pytest.raises(ApiError) as refused:
            writer.push(db, anna, request.model_copy(update={"device_id": new_id()}), NOW)
    assert [r.status for r in first.results] == ["applied"] * 6
    assert again == first and _rows(db, request) == 6
    assert (refused.value.status, refused.value.detail) == (403, OTHER_DEVICE)
    with pytest.raises(AuthenticationError):
        Client(writer_process.address, family="AF_UNIX", authkey=b"not the key").close()


def test_a_worker_whose_writer_is_gone_applies_its_pushes_itself_and_loses_none(
        db: Database, writer_process: WriterProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    anna = _handler()
    before, after = _two_cases(anna), _two_cases(anna)
    with monkeypatch.context() as here:
        here.setattr(writer.pushing, "push", _not_here)
        sent = writer.push(db, anna, before, NOW)
    writer_process.stop()
    assert [r.status for r in writer.push(db, anna, after, NOW).results] == ["applied"] * 6
    assert writer.push(db, anna, before, NOW) == sent  # known to central: the first answers
    assert _rows(db, before) == _rows(db, after) == 6


def _writer_pid(server: CentralServer) -> int:
    assert server.process is not None
    workers, found = serving_processes(server.process.pid, server.port)
    assert len(workers) == 2 and len(found) == 1, (workers, found)
    return found[0]


def test_central_serve_restarts_a_writer_that_died_and_no_push_is_lost(tmp_path: Path) -> None:
    server = CentralServer(tmp_path / "w", workers=2, db_url=f"sqlite:///{tmp_path / 'c.db'}").start()
    crew = Crew(server)
    try:
        handler = crew.device()
        first = _writer_pid(server)
        before = [open_case(handler)[0] for _ in range(3)]
        os.kill(first, signal.SIGKILL)
        after = [open_case(handler)[0] for _ in range(3)]  # the workers apply these themselves meanwhile
        deadline = time.monotonic() + 30
        while (second := _writer_pid_or_none(server)) in (None, first):
            assert time.monotonic() < deadline, "no new writer"
            time.sleep(0.2)
        later = [open_case(handler)[0] for _ in range(3)]
        lead = crew.device("team_lead")
        changes, _, _ = lead.pull_all()
        cases = {c["row_id"] for c in changes if c["entity"] == "case"}
        assert set(before + after + later) <= cases and second != first
        assert "central writer ended" in server.log_path.read_text()
    finally:
        crew.close()
        server.close()


def _writer_pid_or_none(server: CentralServer) -> int | None:
    try:
        return _writer_pid(server)
    except AssertionError:
        return None
