"""Auto-lock after idle minutes and on Ctrl+L: windows covered, key out of memory, input inert, same place on unlock."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from ui.tasks import TaskRunner
from workbench.i18n import _
from workbench.workspace import Workspace

ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                      QEvent.Type.Wheel, QEvent.Type.TouchBegin})
# Input that reaches nothing but the lock cover while locked: no key, click or drop acts under the lock.
INERT_WHILE_LOCKED = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.Shortcut, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel, QEvent.Type.ContextMenu,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.DragEnter,
    QEvent.Type.DragMove, QEvent.Type.Drop, QEvent.Type.InputMethod, QEvent.Type.ToolTip, QEvent.Type.WhatsThis})


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
        self._covers: list[QWidget] = []
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
        shortcut.setWhatsThis(_("Vergrendelen"))
        shortcut.activated.connect(self.lock)

    def let_through(self, cover: QWidget) -> None:
        """While locked, `cover` and its children are the only widgets that get keys and clicks."""
        self._covers.append(cover)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self.is_locked:
            if kind in ACTIVITY:
                self._last_activity = self._monotonic()
            return False
        if kind != QEvent.Type.ShortcutOverride and kind not in INERT_WHILE_LOCKED:
            return False
        self._covers = [c for c in self._covers if isValid(c)]
        if not any(c.isVisible() for c in self._covers):
            return False  # no cover shows (a closed window's controller in tests): nothing of ours to guard
        if kind == QEvent.Type.ShortcutOverride:
            # Accepted override: no shortcut fires (Escape, Ctrl+1, Ctrl+L...); the key goes to the focused widget.
            event.accept()
            return True
        if isinstance(watched, QWidget):
            return not any(c is watched or c.isAncestorOf(watched) for c in self._covers)
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
