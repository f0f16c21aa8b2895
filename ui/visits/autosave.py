"""Autosave of a home visit draft: on a timer, on every focus change, before locking and before closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from ui.errors import log_bug
from ui.lock import LockController
from ui.operations import mutate
from ui.tasks import TaskRunner
from workbench.errors import UserError
from workbench.i18n import _
from workbench.local_time import clock_text
from workbench.visits.service import VisitItem


@dataclass(frozen=True)
class DraftContent:
    """What is on screen, copied on the GUI thread so the DB thread never touches a widget."""

    location: str = ""
    present: str = ""
    topics: tuple[str, ...] = ()
    text: str = ""
    items: tuple[VisitItem, ...] = field(default_factory=tuple)

    def save_arguments(self) -> dict[str, Any]:
        return {"location": self.location, "present": self.present, "topics": list(self.topics),
                "text": self.text, "items": list(self.items)}


class DraftAutosaver(QObject):
    """Writes the draft whenever it changed, through operations (so on the DB thread).

    A crash or a flat battery loses at most the last `interval` seconds, and nothing typed before the
    focus last moved.

    Attributes:
        timer: the periodic save; tests shorten it or call `on_timer` directly.
        draft_id: the draft being written; None until the store has started it.
        paused: True while the page is ending the visit (a save queued behind the end would find no draft).

    Signals:
        saved(object): this DraftContent is now in the store.
        status_changed(str): the quiet line for the page ("Opgeslagen om 14:32:05").
    """

    saved = Signal(object)
    status_changed = Signal(str)

    def __init__(self, runner: TaskRunner, *, content: Callable[[], DraftContent], watch: QWidget,
                 interval_seconds: int, lock: LockController | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._content = content
        self._watch = watch
        self._lock = lock
        self._dirty = False
        self._stopped = False
        self._reported_bug = False
        self.draft_id: str | None = None
        self.paused = False
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, interval_seconds) * 1000)
        self.timer.timeout.connect(self.on_timer)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.on_focus_changed)
        if lock is not None:
            lock.locking.connect(self.on_locking)

    # -- state ---------------------------------------------------------------------------------

    def attach(self, draft_id: str) -> None:
        """The store has the draft now; anything typed while it was being started is written at once."""
        self.draft_id = draft_id
        if not self._stopped:
            self.timer.start()
            self.save_now()

    def mark_dirty(self) -> None:
        self._dirty = True

    @property
    def dirty(self) -> bool:
        return self._dirty

    def stop(self) -> None:
        """The visit was finished, discarded or left: no more saves from this page."""
        if self._stopped:
            return
        self._stopped = True
        self.timer.stop()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self.on_focus_changed)
        if self._lock is not None:
            self._lock.locking.disconnect(self.on_locking)

    # -- saving --------------------------------------------------------------------------------

    def save_now(self, *, force: bool = False) -> bool:
        """Queue a save of what is on screen if it changed; returns whether one was queued."""
        if self._stopped or self.paused or self.draft_id is None or not (self._dirty or force):
            return False
        if self._lock is not None and self._lock.is_locked:
            return False
        content = self._content()
        draft_id = self.draft_id
        self._dirty = False
        # The page may leave before its last save returns: then the answer goes nowhere.
        mutate(self, self._runner, lambda ws, uow: ws.visits.save(uow, draft_id, **content.save_arguments())) \
            .on_success(lambda _none: self._on_saved(content)).on_failure(self._on_failed).run()
        return True

    def flush(self) -> None:
        """Save and wait until it is in the store (before locking, leaving or closing)."""
        self.save_now()
        self._runner.wait_idle()

    def _on_saved(self, content: DraftContent) -> None:
        now = clock_text(dt.datetime.now(dt.UTC), seconds=True)
        self.status_changed.emit(_("Opgeslagen om {time}").format(time=now))
        self.saved.emit(content)

    def _on_failed(self, exc: BaseException) -> None:
        # Keep what is on screen marked unsaved: the next tick or focus change tries again.
        self._dirty = True
        if isinstance(exc, UserError):
            self.status_changed.emit(_("Nog niet opgeslagen: {reason}").format(reason=exc.text()))
            return
        if not self._reported_bug:  # logged once; a dialog every few seconds would stop the visit
            self._reported_bug = True
            log_bug(exc)
        self.status_changed.emit(_("Nog niet opgeslagen; de Zaakwerkbank probeert het opnieuw."))

    # -- triggers ------------------------------------------------------------------------------

    def on_timer(self) -> None:
        self.save_now()

    def on_focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if old is not None and (old is self._watch or self._watch.isAncestorOf(old)):
            self.save_now()

    def on_locking(self) -> None:
        # Synchronous on purpose: once `locking` returns, the key leaves memory.
        self.flush()
