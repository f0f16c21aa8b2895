"""A table whose rows are typed in place, with add and remove buttons under it; every edit says `changed`."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHBoxLayout, QPushButton, QTableWidget, QVBoxLayout, QWidget


class EditableRows(QWidget):
    """The table (edited on any trigger; Tab leaves it for the buttons) over "add" and "remove" buttons.

    Subclasses give `add_row()` (the add button calls it without arguments) and read the cells with
    `cell_text`; a cell may hold a combo box, whose current data is its value.

    Attributes:
        table, add_button, remove_button; column: the layout, for a label above the table (insert it at 0).

    Signals:
        changed(): a row was added, removed or edited.
    """

    changed = Signal()

    def __init__(self, headers: list[str], *, add_text: str, remove_text: str) -> None:
        super().__init__()
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = QPushButton(remove_text)
        self.remove_button.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addWidget(self.table)
        self.column.addLayout(buttons)

    def add_row(self) -> None:
        raise NotImplementedError

    def remove_row(self) -> None:
        """Remove the current row (none current: nothing)."""
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def cell_text(self, row: int, column: int) -> str:
        """A typed cell's text without surrounding spaces, or a combo box's current data."""
        choice = self.table.cellWidget(row, column)
        if isinstance(choice, QComboBox):
            return str(choice.currentData())
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""
