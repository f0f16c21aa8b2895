"""Crash-safe drafts for any free-text editor: written within a second of typing, on focus loss, before locking
and closing; offered again, with a line that says so, when the editor comes back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget
from shiboken6 import isValid

from ui.errors import log_bug
from ui.lock import LockController
from ui.operations import mutate, query
from ui.tasks import TaskRunner
from workbench.drafts.service import EditorDraftInfo
from workbench.errors import UserError
from workbench.i18n import _
from workbench.local_time import clock_text, local_day, moment_text

Content = dict[str, Any]
DELAY_MS = 1000  # after the first unsaved key: a crash loses at most a second, and no write is made per key


def saved_when(moment: dt.datetime, today: dt.date) -> str:
    """`vandaag 14:32` or `03-12-2026 14:32`, in Dutch time."""
    if local_day(moment) == today:
        return _("vandaag {time}").format(time=clock_text(moment))
    return moment_text(moment)


class EditorDraftKeeper(QObject):
    """Keeps one editor's typed content as a draft in the store, through operations (so on the DB thread).

    The editor calls `mark_dirty` on every change and `forget` once its content is saved for real (the
    service that saves it should discard the draft in the same unit of work). While `quiet()` is active,
    changes are the editor filling itself and are not typing.

    Attributes:
        kind, target_id, case_id: which draft (see workbench/drafts/service.py).
        timer: runs from the first unsaved change to its write; tests call `flush` instead of waiting.

    Signals:
        saved(object): this content is now in the store (None: the blank editor removed the draft).
    """

    saved = Signal(object)

    def __init__(self, runner: TaskRunner, *, kind: str, target_id: str, content: Callable[[], Content],
                 watch: QWidget, case_id: str | None = None, lock: LockController | None = None,
                 delay_ms: int = DELAY_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.kind, self.target_id, self.case_id = kind, target_id, case_id
        self._content = content
        self._watch = watch
        self._lock = lock
        self._dirty = False
        self._quiet = 0
        self._stopped = False
        self._reported_bug = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.save_now)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        if lock is not None:
            lock.locking.connect(self.flush)

    @property
    def dirty(self) -> bool:
        return self._dirty

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Changes made inside are the editor filling itself (loading, restoring), not typing."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def mark_dirty(self) -> None:
        if self._quiet or self._stopped:
            return
        self._dirty = True
        if not self.timer.isActive():  # not restarted per key: steady typing is written every second too
            self.timer.start()

    def save_now(self) -> bool:
        """Queue a write of what is on screen if it changed since the last one; returns whether one was queued."""
        if self._stopped or not self._dirty or (self._lock is not None and self._lock.is_locked):
            return False
        self.timer.stop()
        content = self._content()
        kind, target, case_id = self.kind, self.target_id, self.case_id
        self._dirty = False
        mutate(self, self._runner, lambda ws, uow: ws.drafts.save(uow, kind, target, content, case_id=case_id)) \
            .on_success(self.saved.emit).on_failure(self._on_failed).run()
        return True

    def flush(self) -> None:
        """Write and wait until it is in the store (before locking, leaving or closing)."""
        if self.save_now():
            self._runner.wait_idle()

    def forget(self) -> None:
        """The content was saved for real (its draft discarded in that unit of work): nothing left to write."""
        self._dirty = False
        self.timer.stop()

    def discard(self) -> None:
        """The handler threw the typed content away: the draft goes too."""
        self.forget()
        kind, target = self.kind, self.target_id
        mutate(self, self._runner, lambda ws, uow: ws.drafts.discard(uow, kind, target)).quietly().run()

    def fetch(self, done: Callable[[EditorDraftInfo | None], None]) -> None:
        """The stored draft, if any, for the editor to offer again."""
        kind, target = self.kind, self.target_id
        query(self, self._runner, lambda ws, uow: ws.drafts.get(uow, kind, target)).on_success(done).quietly().run()

    def stop(self) -> None:
        """The editor is going away: write what is left, then no more saves."""
        if self._stopped:
            return
        self.flush()
        self._stopped = True
        self.timer.stop()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._on_focus_changed)
        if self._lock is not None:
            self._lock.locking.disconnect(self.flush)

    def _on_failed(self, exc: BaseException) -> None:
        self._dirty = True  # the next change or focus move tries again
        if not isinstance(exc, UserError) and not self._reported_bug:
            self._reported_bug = True
            log_bug(exc)

    def _on_focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if old is not None and isValid(self._watch) and (old is self._watch or self._watch.isAncestorOf(old)):
            self.save_now()


class DraftBar(QFrame):
    """The line above an editor that says a draft came back: "… van vandaag 14:32 is teruggezet. [Weggooien]".

    Attributes:
        message: the text; restore_button (hidden unless the editor must be opened first); discard_button.

    Signals:
        restore_requested(), discard_requested().
    """

    restore_requested = Signal()
    discard_requested = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftBar")
        self.setAccessibleName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # Palette, not a style sheet: it is built with every case view, and style sheets cost time to open.
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#fff4d6"))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#3d2c00"))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(name)
        self.restore_button = QPushButton(_("Terugzetten"))
        self.restore_button.setAccessibleName(_("Niet-opgeslagen tekst terugzetten"))
        self.restore_button.clicked.connect(lambda: self.restore_requested.emit())
        self.discard_button = QPushButton(_("Weggooien"))
        self.discard_button.setAccessibleName(_("Niet-opgeslagen tekst weggooien"))
        self.discard_button.clicked.connect(lambda: self.discard_requested.emit())
        row.addWidget(self.message, 1)
        row.addWidget(self.restore_button)
        row.addWidget(self.discard_button)
        self.hide()

    def offer(self, text: str, *, restore: bool) -> None:
        self.message.setText(text)
        self.restore_button.setVisible(restore)
        self.show()
