"""The list-page base: a count, a sortable table over a RowTableModel with an empty state, and reloading on Changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

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


class ListArea(QWidget):
    """The part of a list every list shares: `top` (filters and the count), the sortable table with its empty
    state, `bottom` (buttons), one above the other in `column`.

    A ListPage owns one; a widget that cannot be a ListPage (a case tab) owns one too, so every list looks,
    sorts and says "empty" the same way.

    Attributes:
        model, table, empty_state, count_label; top, bottom: rows of controls above and below the table;
        column: the layout holding them, for an extra row (insert it) or a panel under the table (add it).
    """

    def __init__(self, model: RowTableModel, *, name: str, stretch: int | None, empty: str,
                 filtered: str = "") -> None:
        super().__init__()
        self.model = model
        model.setParent(self)
        self.table: QTableView = table_view(model, name, stretch=stretch)
        make_sortable(self.table)
        self.empty_state = EmptyState(self.table, model, empty=empty, filtered=filtered)
        self.count_label = QLabel("")
        self.top = QHBoxLayout()
        self.bottom = QHBoxLayout()
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addLayout(self.top)
        self.column.addWidget(self.table, 1)
        self.column.addLayout(self.bottom)

    def controls_first(self, *controls: QWidget) -> None:
        """The controls above the table come first in the Tab order and take the first focus (the table is
        made before them, so Qt would put it first)."""
        for first, second in zip(controls, (*controls[1:], self.table), strict=True):
            QWidget.setTabOrder(first, second)


class ListPage(QWidget):
    """What every list page shares: a ListArea (`list_area`: top, table, bottom), data through `query`, and
    reloading when a Changes touches `refresh_on` (later, if hidden).

    The list area fills the page, or `place_beside` puts it in a splitter next to a panel about the current
    row (the letter under review, the charts of a handler).

    Subclasses give `fetch_job()` (what to read on the DB thread) and `show_data(data)`; `load_failed(exc)`
    may say a problem on the page instead of in a dialog.

    Attributes:
        list_area; model, table, empty_state, count_label, top, bottom: the list area's.
        stale: something changed while the page was hidden; it reloads when shown.
        loaded: data has been shown at least once.
        reload_on_show: reload each time the page is shown (its data also arrives by sync, which announces
            no Changes to the page).

    Signals:
        rows_shown(): fresh rows are on screen.
    """

    rows_shown = Signal()
    reload_on_show = False

    def __init__(self, ctx: UiContext, model: RowTableModel, *, name: str, stretch: int | None,
                 refresh_on: frozenset[str], empty: str, filtered: str = "") -> None:
        super().__init__()
        self.ctx = ctx
        self.refresh_on = refresh_on
        self.stale = False
        self.loaded = False
        self.list_area = ListArea(model, name=name, stretch=stretch, empty=empty, filtered=filtered)
        area = self.list_area
        self.model, self.table, self.empty_state = area.model, area.table, area.empty_state
        self.count_label, self.top, self.bottom = area.count_label, area.top, area.bottom
        self.page_layout = QVBoxLayout(self)
        self.page_layout.addWidget(area, 1)
        ctx.runner.changes_applied.connect(self.on_changes)

    def controls_first(self, *controls: QWidget) -> None:
        self.list_area.controls_first(*controls)

    def place_beside(self, panel: QWidget, *, orientation: Qt.Orientation = Qt.Orientation.Horizontal,
                     sizes: tuple[int, int] | None = None) -> QSplitter:
        """Put the list area and `panel` in a splitter (list first) that takes the list area's place."""
        splitter = QSplitter(orientation)
        splitter.setChildrenCollapsible(False)
        index = self.page_layout.indexOf(self.list_area)
        self.page_layout.insertWidget(index, splitter, 1)
        splitter.addWidget(self.list_area)  # out of the page layout, into the splitter
        splitter.addWidget(panel)
        if sizes is not None:
            splitter.setSizes(list(sizes))
        return splitter

    def fetch_job(self) -> Fetch:
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    def load_failed(self, exc: BaseException) -> None:
        """Say on the page why reading failed. Only called when a page overrides it; otherwise the failure
        shows as every operation's does (ui/operations.py)."""
        raise exc

    def reload(self) -> None:
        self.stale = False
        operation = query(self, self.ctx.runner, self.fetch_job()).on_success(self._on_data)
        if type(self).load_failed is not ListPage.load_failed:
            operation.on_failure(self.load_failed)
        operation.run()

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
        if self.stale or self.reload_on_show:
            self.reload()
