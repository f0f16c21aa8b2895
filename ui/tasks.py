"""TaskRunner: all store work on one DB worker thread; results and errors come back on the GUI thread."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from workbench.changes import Changes
from workbench.progress import CancelToken, Progress
from workbench.workspace import UnitOfWork, Workspace

log = logging.getLogger(__name__)
T = TypeVar("T")
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _ThrottledProgress:
    """A ProgressSink for the worker thread: keeps only the newest value; the GUI polls it."""

    def __init__(self) -> None:
        self.latest: Progress | None = None

    def report(self, progress: Progress) -> None:
        self.latest = progress


class TaskRunner(QObject):
    """Runs store work off the GUI thread, one job at a time, in submission order.

    Signals:
        changes_applied(Changes): a mutation touched these entities; models refresh if they care.
        busy_changed(bool): a job started or the queue ran empty.
        progress(object): the newest Progress of a long task, at most ten times a second.
    """

    changes_applied = Signal(object)
    busy_changed = Signal(bool)
    progress = Signal(object)
    _finished = Signal(int, object, object)

    def __init__(self, *, inline: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._inline = inline
        self._workspace: Workspace | None = None
        self._executor = None if inline else ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
        self._ids = itertools.count()
        self._pending: dict[int, tuple[Done | None, Failed | None]] = {}
        self._finished.connect(self._on_finished)

    # -- workspace ---------------------------------------------------------------------------

    def attach(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def detach(self) -> Workspace | None:
        ws, self._workspace = self._workspace, None
        return ws

    @property
    def workspace(self) -> Workspace | None:
        return self._workspace

    # -- running -----------------------------------------------------------------------------

    def run(self, work: Callable[[Workspace, UnitOfWork], T], *, done: Callable[[T], None] | None = None,
            failed: Failed | None = None) -> None:
        """One unit of work (one user action), committed on success; `Changes` are announced.

        `work(ws, uow)` runs on the DB thread: it calls services and returns plain data, never widgets.
        """
        def job(ws: Workspace) -> tuple[T, Changes]:
            return ws.run(lambda uow: work(ws, uow))

        self._submit(job, done, failed, announce=True)

    def run_long(self, work: Callable[[Workspace, UnitOfWork, _ThrottledProgress, CancelToken], T], *,
                 cancel: CancelToken, done: Callable[[T], None] | None = None,
                 failed: Failed | None = None) -> None:
        """A long task with progress and cancel (export, import), in one unit of work; `Changes` are announced."""
        sink = _ThrottledProgress()
        timer = QTimer(self)
        timer.setInterval(100)
        timer.timeout.connect(self._report_progress(sink))
        timer.start()

        def finish_timer(_: Any = None) -> None:
            timer.stop()
            timer.deleteLater()

        def on_done(result: T) -> None:
            finish_timer()
            if done:
                done(result)

        def on_failed(exc: BaseException) -> None:
            finish_timer()
            if failed:
                failed(exc)

        def job(ws: Workspace) -> tuple[T, Changes]:
            return ws.run(lambda uow: work(ws, uow, sink, cancel))

        self._submit(job, on_done, on_failed, announce=True)

    def _report_progress(self, sink: _ThrottledProgress) -> Callable[[], None]:
        def report() -> None:
            if sink.latest is not None:
                self.progress.emit(sink.latest)
        return report

    def _submit(self, job: Callable[[Workspace], tuple[Any, Changes | None]], done: Done | None,
                failed: Failed | None, *, announce: bool) -> None:
        ws = self._workspace
        if ws is None:
            if failed:
                from workbench.errors import UserError
                failed(UserError("De Zaakwerkbank is vergrendeld."))
            return
        job_id = next(self._ids)
        self._pending[job_id] = (done, failed)
        if not self._pending.keys() - {job_id}:
            self.busy_changed.emit(True)

        def call() -> None:
            try:
                result, changes = job(ws)
            except BaseException as exc:  # delivered to the GUI thread, never lost in the worker
                self._finished.emit(job_id, None, exc)
                return
            self._finished.emit(job_id, (result, changes if announce else None), None)

        if self._executor is None:
            call()
        else:
            self._executor.submit(call)

    @Slot(int, object, object)
    def _on_finished(self, job_id: int, payload: Any, exc: BaseException | None) -> None:
        done, failed = self._pending.pop(job_id, (None, None))
        if not self._pending:
            self.busy_changed.emit(False)
        if exc is not None:
            if failed:
                failed(exc)
            else:
                from ui.errors import report_unhandled
                report_unhandled(exc)
            return
        result, changes = payload
        if done:
            done(result)
        if changes is not None and not changes.empty:
            self.changes_applied.emit(changes)

    def wait_idle(self) -> None:
        """Block until every submitted job has run (used before locking and in tests)."""
        if self._executor is not None:
            self._executor.submit(lambda: None).result()

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
