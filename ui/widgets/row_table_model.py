"""A thin table model over a tuple of frozen dataclass rows, one column per text function."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

WARNING_COLOUR = QColor("#a4221b")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """A column: its Dutch title and how a row becomes text in it."""

    title: str
    text: Callable[[Any], str]


class RowTableModel(QAbstractTableModel):
    """Rows are plain data from a service; the model only turns them into text (pattern 6: thin models).

    Attributes:
        columns: the columns, left to right.
        warn: rows for which it returns True are drawn in the warning colour (their text says why too).
    """

    def __init__(self, columns: Sequence[Column], *, warn: Callable[[Any], bool] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.warn = warn
        self._rows: tuple[Any, ...] = ()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rows(self) -> tuple[Any, ...]:
        return self._rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.columns[index.column()].text(row)
        if role == Qt.ItemDataRole.ForegroundRole and self.warn is not None and self.warn(row):
            return WARNING_COLOUR
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.columns)):
            return self.columns[section].title
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def date_text(day: Any) -> str:
    """A date as dd-mm-jjjj, or "" for none."""
    return day.strftime("%d-%m-%Y") if day else ""


def table_view(model: RowTableModel, name: str, *, stretch: int = 0) -> QTableView:
    """A read-only table of whole rows, one selected at a time; column `stretch` (the text) takes the spare room.

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
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setMinimumHeight(view.fontMetrics().lineSpacing() * 7)  # a few rows stay visible at any font size
    return view


def fit_columns(view: QTableView, *, max_chars: int = 24) -> None:
    """Fit the columns to their contents, none wider than `max_chars` (the tooltip has the whole text)."""
    view.resizeColumnsToContents()
    widest = view.fontMetrics().averageCharWidth() * max_chars
    header = view.horizontalHeader()
    for column in range(header.count()):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch and header.sectionSize(column) > widest:
            header.resizeSection(column, widest)


def current_row(view: QTableView) -> Any:
    """The row under the table's current index, or None."""
    index = view.currentIndex()
    return index.data(ROW_ROLE) if index.isValid() else None
