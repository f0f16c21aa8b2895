"""Auto-lock after idle minutes and on Ctrl+L: windows covered, key out of memory, same place on unlock."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from ui.tasks import TaskRunner
from workbench.workspace import Workspace

ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                      QEvent.Type.Wheel, QEvent.Type.TouchBegin})


class LockController(QObject):
    """Watches for activity and locks the workspace when the handler walks away.

    Signals:
        locking(): about to lock; editors save what they hold now (they are still connected).
        locked(): the workspace is closed and every window is covered.
        unlocked(): a new workspace is attached; views continue where they were.
    """

    locking = Signal()
    locked = Signal()
    unlocked = Signal()

    def __init__(self, runner: TaskRunner, *, idle_minutes: Callable[[], int],
                 reopen: Callable[[str], Workspace], monotonic: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._idle_minutes = idle_minutes
        self._reopen = reopen
        self._monotonic = monotonic
        self._last_activity = monotonic()
        self.is_locked = False
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.check_idle)
        self._timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def add_shortcut(self, window: QWidget) -> None:
        shortcut = QShortcut(QKeySequence("Ctrl+L"), window)
        shortcut.setContext(shortcut.context().ApplicationShortcut)
        shortcut.activated.connect(self.lock)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and not self.is_locked:
            self._last_activity = self._monotonic()
        return False

    def check_idle(self) -> None:
        if self.is_locked:
            return
        if self._monotonic() - self._last_activity >= self._idle_minutes() * 60:
            self.lock()

    def lock(self) -> None:
        if self.is_locked:
            return
        self.locking.emit()
        self._runner.wait_idle()
        ws = self._runner.detach()
        if ws is not None:
            ws.close()
        self.is_locked = True
        self.locked.emit()

    def unlock(self, passphrase: str) -> None:
        """Reopen with the passphrase; raises UserError (wrong passphrase) and stays locked then."""
        ws = self._reopen(passphrase)
        self._runner.attach(ws)
        self.is_locked = False
        self._last_activity = self._monotonic()
        self.unlocked.emit()
