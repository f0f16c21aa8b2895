"""The base of every case-view tab: load through operations, reload when its data changed, mutate safely."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from ui.context import UiContext
from ui.errors import show_error
from ui.operations import mutate, query
from ui.widgets.field_errors import FieldErrors
from workbench.changes import Changes
from workbench.errors import ValidationError

if TYPE_CHECKING:
    from workbench.workspace import UnitOfWork, Workspace

Work = Callable[["Workspace", "UnitOfWork"], Any]


class CaseTab(QWidget):
    """One tab of a case: its data comes from `fetch` on the DB thread and is shown by `show_data`.

    Subclasses set `entities` (the kinds of record whose change makes the tab stale), implement
    `fetch_job` (returns work for the DB thread that touches no widget) and `show_data` (GUI thread).

    Attributes:
        loaded: data has been shown at least once (before that a change does not load the tab).
        case_id: the case shown.

    Signals:
        data_loaded(object): fresh data is on screen.
    """

    data_loaded = Signal(object)
    entities: frozenset[str] = frozenset()

    def __init__(self, ctx: UiContext, case_id: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.case_id = case_id
        self.loaded = False
        self._loading = False
        self._busy: set[str] = set()
        self.read_only_note: str | None = None  # why this user may only read the case; None: they may change it
        ctx.runner.changes_applied.connect(self.on_changes)

    # -- read-only -----------------------------------------------------------------------------

    @property
    def editable(self) -> bool:
        return self.read_only_note is None

    def editors(self) -> tuple[QWidget, ...]:
        """The forms and buttons that change the case and are not tied to a selection."""
        return ()

    def set_read_only(self, note: str | None) -> None:
        """Disable every editor when `note` says why the case is read-only (the core would refuse at save)."""
        self.read_only_note = note
        for widget in self.editors():
            widget.setEnabled(note is None)
        self.refresh_enabled()

    def refresh_enabled(self) -> None:
        """Decide again what the selection allows; subclasses include `editable` in that decision."""

    # -- loading -------------------------------------------------------------------------------

    def fetch_job(self) -> Work:
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    def ensure_loaded(self) -> None:
        if not self.loaded and not self._loading:
            self.reload()

    def reload(self) -> None:
        self._loading = True
        query(self, self.ctx.runner, self.fetch_job()).on_success(self._on_loaded) \
            .on_failure(self._on_load_failed).run()

    def reload_if_loaded(self) -> None:
        if self.loaded:
            self.reload()

    def show_loaded(self, data: Any) -> None:
        """Show data fetched for this tab by someone else (the case view fetches two tabs in one go)."""
        self._on_loaded(data)

    def _on_loaded(self, data: Any) -> None:
        self._loading = False
        self.loaded = True
        self.show_data(data)
        self.data_loaded.emit(data)

    def _on_load_failed(self, exc: BaseException) -> None:
        self._loading = False
        show_error(self, exc)

    def touched_by(self, changes: Changes) -> bool:
        return self.case_id in changes.case_ids and any(changes.touches(e) for e in self.entities)

    def on_changes(self, changes: Changes) -> None:
        if isValid(self) and self.loaded and self.touched_by(changes):
            self.reload()

    # -- changing ------------------------------------------------------------------------------

    def mutate(self, key: str, work: Work, *, done: Callable[[Any], None] | None = None,
               errors: FieldErrors | None = None,
               failed: Callable[[BaseException], None] | None = None) -> None:
        """Run one change; a ValidationError goes to its field in `errors`, other problems to a dialog.

        `key` names the form: a second press while its change is still running is ignored.
        """
        if key in self._busy:
            return
        self._busy.add(key)
        if errors is not None:
            errors.clear()

        def on_done(result: Any) -> None:
            self._busy.discard(key)
            if done is not None:
                done(result)

        def on_failed(exc: BaseException) -> None:
            self._busy.discard(key)
            if failed is not None:
                failed(exc)
            if errors is not None and isinstance(exc, ValidationError) and errors.show(exc):
                return
            show_error(self, exc)

        mutate(self, self.ctx.runner, work).on_success(on_done).on_failure(on_failed).run()
