"""The list-page base: a count, a sortable table over a RowTableModel with an empty state, and reloading on Changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from ui.context import UiContext
from ui.operations import query
from ui.widgets.row_table_model import RowTableModel, make_sortable, table_view
from workbench.changes import Changes
from workbench.workspace import UnitOfWork, Workspace

Fetch = Callable[[Workspace, UnitOfWork], Any]


class EmptyState(QLabel):
    """A plain sentence in an empty table, saying why it is empty: nothing there yet, or a filter hides it all.

    It sits on the table's viewport (the headers stay, and so does the focus); a screen reader hears it as the
    table's description.

    Attributes:
        empty: said when there are no rows at all; filtered: when rows exist but the filter hides every one.
    """

    def __init__(self, view: QAbstractItemView, model: RowTableModel, *, empty: str, filtered: str = "") -> None:
        super().__init__(view.viewport())
        self.view, self.model = view, model
        self.empty, self.filtered = empty, filtered or empty
        self.setObjectName("empty_state")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("color: palette(placeholder-text); padding: 16px;")
        view.viewport().installEventFilter(self)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.refresh)
        self.refresh()

    def set_texts(self, *, empty: str | None = None, filtered: str | None = None) -> None:
        if empty is not None:
            self.empty = empty
        if filtered is not None:
            self.filtered = filtered
        self.refresh()

    def refresh(self, *_args: Any) -> None:
        shown = self.model.rowCount() == 0
        text = (self.empty if self.model.total() == 0 else self.filtered) if shown else ""
        self.setText(text)
        self.view.setAccessibleDescription(text)
        self.setVisible(shown)
        self._fit()

    def _fit(self) -> None:
        self.setGeometry(self.view.viewport().rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return False


class ListPage(QWidget):
    """What every list page shares: `top` (filters and the count), the table with its empty state, `bottom`
    (buttons); data through `query`, reloading when a Changes touches `refresh_on` (later, if hidden).

    Subclasses give `fetch_job()` (what to read on the DB thread) and `show_data(data)`.

    Attributes:
        model, table, empty_state, count_label; top, bottom: rows of controls above and below the table.
        stale: something changed while the page was hidden; it reloads when shown.

    Signals:
        rows_shown(): fresh rows are on screen.
    """

    rows_shown = Signal()

    def __init__(self, ctx: UiContext, model: RowTableModel, *, name: str, stretch: int,
                 refresh_on: frozenset[str], empty: str, filtered: str = "") -> None:
        super().__init__()
        self.ctx = ctx
        self.model = model
        model.setParent(self)
        self.refresh_on = refresh_on
        self.stale = False
        self.loaded = False
        self.table: QTableView = table_view(model, name, stretch=stretch)
        make_sortable(self.table)
        self.empty_state = EmptyState(self.table, model, empty=empty, filtered=filtered)
        self.count_label = QLabel("")
        self.top = QHBoxLayout()
        self.bottom = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.top)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.bottom)
        ctx.runner.changes_applied.connect(self.on_changes)

    def controls_first(self, *controls: QWidget) -> None:
        """The controls above the table come first in the Tab order and take the first focus (the table is
        made before them, so Qt would put it first)."""
        for first, second in zip(controls, (*controls[1:], self.table), strict=True):
            QWidget.setTabOrder(first, second)

    def fetch_job(self) -> Fetch:
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        self.stale = False
        query(self, self.ctx.runner, self.fetch_job()).on_success(self._on_data).run()

    def _on_data(self, data: Any) -> None:
        self.loaded = True
        self.show_data(data)
        self.rows_shown.emit()

    def on_changes(self, changes: Changes) -> None:
        if not any(changes.touches(entity) for entity in self.refresh_on):
            return
        if self.isVisible():
            self.reload()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.reload()
