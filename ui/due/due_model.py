"""Due actions and commitments as a table model; overdue lines say so in words and in colour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ui.widgets.row_table_model import WARNING_COLOUR
from workbench.plans.service import DueItem
from workbench.plans.vocabulary import ACTION_STATUSES, COMMITMENT_STATUSES

Index = QModelIndex | QPersistentModelIndex
CASE_ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Soort", "Zaak", "Omschrijving", "Wie", "Uiterlijk", "Status")
KIND, CASE, DESCRIPTION, WHO, DUE, STATUS = range(len(COLUMNS))
WARNING = "⚠"


def status_label(item: DueItem) -> str:
    labels = COMMITMENT_STATUSES if item.kind == "commitment" else ACTION_STATUSES
    return labels.get(item.status, item.status)


def days_text(days: int) -> str:
    return "1 dag" if days == 1 else f"{days} dagen"


def one_line(text: str) -> str:
    return " ".join(text.split())


_SORT_KEYS: dict[int, Callable[[DueItem], Any]] = {
    KIND: lambda i: (i.kind_label, i.due_on),
    CASE: lambda i: (i.case_reference, i.due_on),
    DESCRIPTION: lambda i: one_line(i.description).casefold(),
    WHO: lambda i: (i.who.casefold(), i.due_on),
    DUE: lambda i: (i.due_on, i.case_reference),
    STATUS: lambda i: (not i.overdue, status_label(i), i.due_on),
}


class DueModel(QAbstractTableModel):
    """The items the plan service returned (earliest first until the handler sorts on another column).

    Attributes:
        today: the day "over n dagen" and "n dagen te laat" are counted from.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.today = dt.date.today()
        self._items: list[DueItem] = []
        self._sort: tuple[int, Qt.SortOrder] = (DUE, Qt.SortOrder.AscendingOrder)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_items(self, items: Sequence[DueItem], *, today: dt.date) -> None:
        self.beginResetModel()
        self.today = today
        self._items = self._sorted(items, *self._sort)
        self.endResetModel()

    def item_at(self, row: int) -> DueItem:
        return self._items[row]

    def overdue_count(self) -> int:
        return sum(1 for item in self._items if item.overdue)

    def _sorted(self, items: Sequence[DueItem], column: int, order: Qt.SortOrder) -> list[DueItem]:
        return sorted(items, key=_SORT_KEYS[column], reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        kept_items = [self._items[i.row()] if i.isValid() else None for i in kept]
        self._sort = (column, order)
        self._items = self._sorted(self._items, column, order)
        row_of = {id(item): n for n, item in enumerate(self._items)}
        moved = [self.index(row_of[id(item)], i.column()) if item is not None else QModelIndex()
                 for item, i in zip(kept_items, kept, strict=True)]
        self.changePersistentIndexList(kept, moved)
        self.layoutChanged.emit()

    # -- Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item, column = self._items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._tooltip(item, column) or self._text(item, column)
        if role == CASE_ID_ROLE:
            return item.case_id
        if item.overdue and column in (DUE, STATUS):
            if role == Qt.ItemDataRole.ForegroundRole:
                return WARNING_COLOUR
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
        return None

    def _text(self, item: DueItem, column: int) -> str:
        if column == KIND:
            return item.kind_label
        if column == CASE:
            return item.case_reference
        if column == DESCRIPTION:
            return one_line(item.description)
        if column == WHO:
            return item.who
        if column == DUE:
            day = item.due_on.strftime("%d-%m-%Y")
            return f"{WARNING} {day}" if item.overdue else day
        if column == STATUS:
            return f"Te laat · {status_label(item)}" if item.overdue else status_label(item)
        return ""

    def _tooltip(self, item: DueItem, column: int) -> str:
        if column == DESCRIPTION:
            return item.description
        if column in (DUE, STATUS):
            days = (item.due_on - self.today).days
            if days < 0:
                return f"{days_text(-days)} te laat"
            return "Vandaag" if days == 0 else f"Over {days_text(days)}"
        return ""
