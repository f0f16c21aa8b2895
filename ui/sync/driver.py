"""SyncDriver: runs sync off the GUI thread on a timer and on demand, backing off while central is away."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from workbench.changes import Changes
from workbench.errors import UserError
from workbench.sync import client
from workbench.sync.engine import SyncReport
from workbench.sync.revocation import DeviceErased
from workbench.sync.transport import CentralRefused, CentralUnreachable, Transport
from workbench.workspace import Workspace

log = logging.getLogger(__name__)
INTERVAL_S = 60
BACKOFF_S = (15, 30, 60, 120, 300, 900)


class _NotEnrolled(Exception):
    """This device has no central to sync with (yet)."""


class SyncDriver(QObject):
    """One sync at a time on its own thread, which owns every network call (network waits never block the DB
    worker or the window).

    Signals:
        state_changed(str, str): ("online" | "offline" | "syncing" | "not_enrolled" | "revoked", Dutch detail).
        synced(object): a SyncReport after a successful run.
        device_erased(str): central revoked this device and its profile was erased; the Dutch reason. The driver
            stops for good.
        changes_arrived(object): Changes touched by the run, for views to refresh.
    """

    state_changed = Signal(str, str)
    synced = Signal(object)
    changes_arrived = Signal(object)
    device_erased = Signal(str)
    _done = Signal(object, object)
    _answered = Signal(object, object, object)

    def __init__(self, *, interval_s: int = INTERVAL_S,
                 transport_factory: Callable[[Workspace], Transport] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace: Workspace | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync")
        self._running: Future[SyncReport] | None = None
        self._failures = 0
        self._interval_ms = interval_s * 1000
        self._factory = transport_factory or client.transport_for
        self.last_success: dt.datetime | None = None
        self.state = "not_enrolled"
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._done.connect(self._on_done)
        self._answered.connect(self._on_answered)

    def attach(self, workspace: Workspace) -> None:
        """Start syncing for an unlocked workspace (the first run starts at once)."""
        self._workspace = workspace
        self._failures = 0
        self._timer.start(0)

    def detach(self) -> None:
        """Lock or quit: no new run starts; a running one finishes its current batch and stops."""
        self._workspace = None
        self._timer.stop()

    def shutdown(self) -> None:
        self.detach()
        self._executor.shutdown(wait=True, cancel_futures=True)

    @property
    def busy(self) -> bool:
        return self._running is not None and not self._running.done()

    @Slot()
    def sync_now(self) -> None:
        ws = self._workspace
        if ws is None or self.busy:
            return
        self._set_state("syncing", "Bezig met synchroniseren…")

        def job() -> SyncReport:
            # The server address comes from the store and the token from the keyring: both may block, so
            # they are read here on the sync thread, never on the GUI thread.
            try:
                transport = self._factory(ws)
            except UserError as exc:
                raise _NotEnrolled(exc.text()) from None
            try:
                return client.sync(ws, transport=transport)
            finally:
                transport.close()

        future = self._executor.submit(job)
        self._running = future
        future.add_done_callback(lambda f: self._done.emit(f, ws))

    def reassign(self, ws: Workspace, *, case_id: str, handler_id: str, reason: str,
                 done: Callable[[SyncReport], None], failed: Callable[[BaseException], None]) -> None:
        """A team lead hands a case over: central first, then a sync, both on this thread (never the DB thread,
        so no page waits behind the network). It queues behind a running sync; `done`/`failed` run on the GUI
        thread, and what the sync touched is announced like any sync's."""
        def job() -> SyncReport:
            return client.reassign(ws, case_id, handler_id, reason)

        def on_done(report: SyncReport) -> None:
            self.changes_arrived.emit(Changes(frozenset(report.touched_entities | {"case"}),
                                              frozenset(report.touched_cases | {case_id})))
            done(report)

        future = self._executor.submit(job)
        future.add_done_callback(lambda f: self._answered.emit(f, on_done, failed))

    @Slot(object, object, object)
    def _on_answered(self, future: Future[SyncReport], done: Callable[[SyncReport], None],
                     failed: Callable[[BaseException], None]) -> None:
        exc = future.exception()
        if exc is None:
            done(future.result())
        else:
            failed(exc)
            if isinstance(exc, DeviceErased):
                self.detach()
                self._set_state("revoked", exc.text())
                self.device_erased.emit(exc.text())

    def _set_state(self, state: str, detail: str) -> None:
        self.state = state
        self.state_changed.emit(state, detail)

    @Slot(object, object)
    def _on_done(self, future: Future[SyncReport], ws: Workspace) -> None:
        self._running = None
        exc = future.exception()
        if exc is None:
            report = future.result()
            self._failures = 0
            self.last_success = dt.datetime.now(dt.UTC)
            self._set_state("online", "")
            self.synced.emit(report)
            self.changes_arrived.emit(Changes(frozenset(report.touched_entities), frozenset(report.touched_cases)))
            delay_ms = self._interval_ms
        elif isinstance(exc, _NotEnrolled):
            self._set_state("not_enrolled", str(exc))
            return  # nothing to retry until the device is enrolled
        elif isinstance(exc, DeviceErased):
            self.detach()
            self._set_state("revoked", exc.text())
            self.device_erased.emit(exc.text())
            return
        else:
            self._failures += 1
            delay_ms = BACKOFF_S[min(self._failures, len(BACKOFF_S)) - 1] * 1000
            if isinstance(exc, CentralRefused | CentralUnreachable | UserError):
                detail = exc.text()
            else:  # a bug: the type only, never values (they may hold personal data)
                log.error("sync failed: %s", type(exc).__name__)
                detail = "Synchroniseren mislukte door een interne fout; het wordt later opnieuw geprobeerd."
            self._set_state("offline", detail)
        if self._workspace is ws:
            self._timer.start(delay_ms)
