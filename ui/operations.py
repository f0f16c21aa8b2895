"""The one way a page runs work: `mutate(...)`/`query(...)` on the DB thread, the answer back on the GUI thread.

As Anki's CollectionOp/QueryOp: the builder names the effect, the page names what happens next.

    mutate(self, ctx.runner, lambda ws, uow: ws.letters.reject(uow, letter_id, comment=text)) \\
        .on_success(lambda info: ...).run()

- The work runs in one unit of work on the window's DB thread (ui/tasks.py). The core's unit of work collects the
  `Changes` and the runner announces them once; a page never announces Changes itself.
- Callbacks run only while `parent` is alive: a page or dialog closed meanwhile gets no callback (the one
  "widget still alive" guard of the window).
- An error is shown once, the way ui/errors.py shows errors, unless the page handles it with `on_failure`.
  A bug that arrives after the page closed is still logged (with a reference), never lost.
- A long action with progress and cancel (a dossier's export or import) is `long_mutate(..., cancel=token)`.
- Upkeep the user did not ask for and cannot act on (a thrown-away draft removed, a look for waiting handovers
  after a sync) says so with `quietly()`: its refusals are not shown, its bugs are still logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from ui.errors import log_bug, show_error
from ui.tasks import TaskRunner
from workbench.errors import UserError
from workbench.progress import CancelToken, ProgressSink
from workbench.workspace import UnitOfWork, Workspace

T = TypeVar("T")
Work = Callable[[Workspace, UnitOfWork], T]
LongWork = Callable[[Workspace, UnitOfWork, ProgressSink, CancelToken], T]
Submit = Callable[[Callable[[T], None], Callable[[BaseException], None]], None]


def alive(obj: QObject | None) -> bool:
    """The widget (or other Qt object) still exists on the C++ side (Qt deletes closed dialogs and replaced
    pages)."""
    return obj is not None and bool(isValid(obj))


class Operation(Generic[T]):
    """A piece of store work for one page: what runs on the DB thread, and what the page does with the answer.

    Attributes:
        parent: the page, dialog or page helper that asked; callbacks only run while it is alive.
        kind: "mutate" (a user action that writes) or "query" (reading).
        quiet: failures are not shown (see `quietly`).
    """

    def __init__(self, parent: QObject, submit: Submit[T], *, kind: str) -> None:
        """`submit(done, failed)` hands the work to the runner; `mutate`/`query`/`long_mutate` build it."""
        self.parent = parent
        self.kind = kind
        self.quiet = False
        self._submit = submit
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[BaseException], Any] | None = None

    def on_success(self, callback: Callable[[T], Any]) -> Operation[T]:
        self._success = callback
        return self

    def on_failure(self, callback: Callable[[BaseException], Any]) -> Operation[T]:
        """Handle the error here (a message under a field, say) instead of the standard dialog."""
        self._failure = callback
        return self

    def quietly(self) -> Operation[T]:
        """Show no failure: for upkeep the user did not ask for and cannot act on (removing a draft that was
        thrown away, looking for waiting handovers after a sync). A bug is still logged, never lost."""
        self.quiet = True
        return self

    def run(self) -> None:
        self._submit(self._on_done, self._on_failed)

    def _on_done(self, result: T) -> None:
        if self._success is not None and alive(self.parent):
            self._success(result)

    def _on_failed(self, exc: BaseException) -> None:
        if self.quiet or not alive(self.parent):
            if not isinstance(exc, UserError):
                log_bug(exc)  # nobody to tell, but a bug is never lost
            return
        if self._failure is not None:
            self._failure(exc)
        else:
            show_error(self.parent if isinstance(self.parent, QWidget) else None, exc)


def mutate(parent: QObject, runner: TaskRunner, work: Work[T]) -> Operation[T]:
    """A user action that writes (save, approve, close a case); the core announces what it touched."""
    return Operation(parent, lambda done, failed: runner.run(work, done=done, failed=failed), kind="mutate")


def long_mutate(parent: QObject, runner: TaskRunner, work: LongWork[T], *, cancel: CancelToken) -> Operation[T]:
    """A long user action with progress (the runner's `progress` signal) and `cancel` (a dossier's export or
    import); one unit of work, so a cancel keeps nothing."""
    return Operation(parent, lambda done, failed: runner.run_long(work, cancel=cancel, done=done, failed=failed),
                     kind="mutate")


def query(parent: QObject, runner: TaskRunner, work: Work[T]) -> Operation[T]:
    """Reading for a page (rows, a preview, a case); nothing to announce."""
    return Operation(parent, lambda done, failed: runner.run(work, done=done, failed=failed), kind="query")


def guarded(parent: QObject, callback: Callable[[T], Any]) -> Callable[[T], None]:
    """`callback`, called only while `parent` is alive: for answers that do not come through an Operation
    (the sync thread's)."""
    def call(value: T) -> None:
        if alive(parent):
            callback(value)
    return call
