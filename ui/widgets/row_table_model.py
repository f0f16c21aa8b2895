"""A thin table model over a tuple of frozen dataclass rows, one column per text function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

WARNING_COLOUR = QColor("#a4221b")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """A column: its title and how a row becomes text in it.

    Attributes:
        sort_key: what the column sorts on (default: its text, without case); rows whose key is None go last
            in either direction ("no date" is never the earliest nor the latest).
        warn: cells for which it returns True are drawn bold in the warning colour (their text says why too).
        tip: the cell's tooltip (default: its text); header_tip: the header's tooltip.
        align_right: numbers line up on the right.
    """

    title: str
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None
    warn: Callable[[Any], bool] | None = None
    tip: Callable[[Any], str] | None = None
    header_tip: str = ""
    align_right: bool = False

    def key(self, row: Any) -> Any:
        return self.sort_key(row) if self.sort_key is not None else self.text(row).casefold()


_NUMBER_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class RowTableModel(QAbstractTableModel):
    """Rows are plain data from a service; the model turns them into text, sorts and narrows them (pattern 6).

    The one sortable table model of the window: every list page uses it (directly or as a subclass that only
    adds its own cell contents or a faster filter). Sorting and narrowing rebuild `_view`, a list of positions
    into the cached rows, so Qt asks `data` only for the rows on screen.

    Attributes:
        columns: the columns, left to right.
        warn: rows for which it returns True are drawn in the warning colour (their text says why too).
    """

    def __init__(self, columns: Sequence[Column], *, warn: Callable[[Any], bool] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.warn = warn
        self._all: list[Any] = []
        self._order: list[int] = []  # every position, in sort order
        self._view: list[int] = []  # the positions that pass the filter, in sort order
        self._sort: tuple[int, Qt.SortOrder] | None = None  # None: the order the service gave
        self._accepts: Callable[[Any], bool] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # -- rows ----------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace the rows (after loading or a change); the sort order and filter stay."""
        self.beginResetModel()
        self._all = list(rows)
        self._rows_replaced()
        self._order = self._sorted()
        self._view = self._filtered(self._order)
        self.endResetModel()

    def _rows_replaced(self) -> None:
        """Subclasses rebuild per-row caches here (called inside the reset, before sorting)."""

    def filter_rows(self, accepts: Callable[[Any], bool] | None) -> None:
        """Show only rows for which `accepts` is True (None: all rows)."""
        self.beginResetModel()
        self._accepts = accepts
        self._view = self._filtered(self._order)
        self.endResetModel()

    def _filtered(self, order: list[int]) -> list[int]:
        if self._accepts is None:
            return list(order)
        rows, accepts = self._all, self._accepts
        return [i for i in order if accepts(rows[i])]

    def row_at(self, row: int) -> Any:
        return self._all[self._view[row]]

    def rows(self) -> tuple[Any, ...]:
        """The rows shown, in the order shown."""
        return tuple(self._all[i] for i in self._view)

    def total(self) -> int:
        """How many rows there are, shown or hidden by the filter (empty state: nothing, or all filtered out)."""
        return len(self._all)

    # -- sorting -------------------------------------------------------------------------------

    def sort_key(self, column: int) -> Callable[[int], Any]:
        """The key of the row at a position (subclasses with per-position caches override this)."""
        col, rows = self.columns[column], self._all
        return lambda i: col.key(rows[i])

    def tie_key(self) -> Callable[[int], Any] | None:
        """Equal values keep this order in either direction (None: the service's order)."""
        return None

    def _sorted(self) -> list[int]:
        positions = list(range(len(self._all)))
        if self._sort is None:
            return positions
        column, order = self._sort
        tie = self.tie_key()
        if tie is not None:
            positions.sort(key=tie)
        key = self.sort_key(column)
        keys = [key(i) for i in range(len(self._all))]  # by position
        with_value = [i for i in positions if keys[i] is not None]
        without = [i for i in positions if keys[i] is None]
        # Stable (also with reverse=True): equal values keep the tie order, whichever direction.
        with_value.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        return with_value + without

    def sort_order(self) -> tuple[int, Qt.SortOrder] | None:
        return self._sort

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        kept_positions = [self._view[i.row()] if i.isValid() and i.row() < len(self._view) else -1 for i in kept]
        self._sort = (column, order)
        self._order = self._sorted()
        self._view = self._filtered(self._order)
        row_of = {pos: n for n, pos in enumerate(self._view)} if kept else {}
        moved = [self.index(row_of[pos], i.column()) if pos in row_of else QModelIndex()
                 for pos, i in zip(kept_positions, kept, strict=True)]
        self.changePersistentIndexList(kept, moved)
        self.layoutChanged.emit()

    # -- Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._view)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._view):
            return None
        row = self._all[self._view[index.row()]]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.tip(row) if column.tip is not None else column.text(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return _NUMBER_ALIGN
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole):
            if column.warn is not None and column.warn(row):
                return WARNING_COLOUR if role == Qt.ItemDataRole.ForegroundRole else self._bold
            if role == Qt.ItemDataRole.ForegroundRole and self.warn is not None and self.warn(row):
                return WARNING_COLOUR
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole and column.header_tip:
            return column.header_tip
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return _NUMBER_ALIGN
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def date_text(day: Any) -> str:
    """A date as dd-mm-jjjj, or "" for none."""
    return day.strftime("%d-%m-%Y") if day else ""


def table_view(model: RowTableModel, name: str, *, stretch: int | None = 0) -> QTableView:
    """A read-only table of whole rows, one selected at a time; column `stretch` (the text) takes the spare room
    (None: no column does, as for a table of figures).

    Call `fit_columns(view)` after loading: the other columns then fit their contents, within reason.
    """
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)  # Tab leaves the table, arrows move within it
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setMinimumHeight(view.fontMetrics().lineSpacing() * 7)  # a few rows stay visible at any font size
    return view


def make_sortable(view: QTableView, *, column: int = -1,
                  order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
    """A click on a header sorts on that column; until then the rows keep `column`'s order (-1: the service's
    order, such as best match first or newest first)."""
    header = view.horizontalHeader()
    header.setSortIndicator(column, order)
    header.setSortIndicatorClearable(True)
    header.setHighlightSections(False)
    view.setSortingEnabled(True)


def fit_columns(view: QTableView, *, max_chars: int = 24) -> None:
    """Fit the columns to their contents, none wider than `max_chars` (the tooltip has the whole text).

    In a table that wraps, a column is never narrower than its header or its longest word: its cells wrap at
    spaces onto more lines instead (a reference or a date is never broken or cut off).
    """
    view.resizeColumnsToContents()
    widest = view.fontMetrics().averageCharWidth() * max_chars
    header = view.horizontalHeader()
    for column in range(header.count()):
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
            continue
        width = min(header.sectionSize(column), widest)
        if view.wordWrap():
            width = max(width, header.sectionSizeHint(column), _longest_word(view, column))
        header.resizeSection(column, width)


def _longest_word(view: QTableView, column: int, *, rows: int = 200) -> int:
    """The width of the longest word in a column's first rows, with the cell's margins."""
    model, metrics = view.model(), view.fontMetrics()
    words = (word for row in range(min(rows, model.rowCount()))
             for word in str(model.index(row, column).data(Qt.ItemDataRole.DisplayRole) or "").split())
    return max((metrics.horizontalAdvance(word) for word in words), default=0) + 12


def current_row(view: QTableView) -> Any:
    """The row under the table's current index, or None."""
    index = view.currentIndex()
    return index.data(ROW_ROLE) if index.isValid() else None
