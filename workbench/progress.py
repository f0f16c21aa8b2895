"""Progress values, a cancel token and the sink protocol long tasks report to (Qt-free)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol

from workbench.errors import UserError


@dataclass(frozen=True)
class Progress:
    """How far a long task is: `done` of `total` units, with a short Dutch label."""

    done: int
    total: int
    label: str = ""


class ProgressSink(Protocol):
    def report(self, progress: Progress) -> None: ...


class NoProgress:
    """A sink that ignores reports (for scripts and tests)."""

    def report(self, progress: Progress) -> None:
        return None


class Cancelled(UserError):
    """The user cancelled a long task; nothing of it was kept."""

    def __init__(self) -> None:
        super().__init__("De taak is afgebroken; er is niets opgeslagen.")


class CancelToken:
    """Set from any thread; long tasks call `check()` between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()
