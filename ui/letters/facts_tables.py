"""A small editable table of fact rows with add and remove buttons: hardship periods and earlier payments.

A column may be a choice (a combo box of code -> Dutch name); the other cells are typed text, checked by the core
when the facts are built (CaseFacts), which names the row's field on an error.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QTableWidgetItem

from ui.widgets.editable_rows import EditableRows
from workbench.i18n import _


class FactRows(EditableRows):
    """A titled table; `choices` makes column 0 a combo box (code -> Dutch name)."""

    def __init__(self, title: str, columns: tuple[str, ...], *, what: str, description: str,
                 choices: dict[str, str] | None = None) -> None:
        super().__init__(list(columns), add_text=_("{what} toevoegen").format(what=what),
                         remove_text=_("{what} verwijderen").format(what=what))
        self.choices = choices or {}
        self.columns = columns
        label = QLabel(title)
        self.table.setAccessibleName(title)
        self.table.setAccessibleDescription(description)
        self.table.setFixedHeight(self.table.fontMetrics().lineSpacing() * 7)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setMinimumSectionSize(self.table.fontMetrics().horizontalAdvance("00-00-0000")
                                                            + 24)
        label.setBuddy(self.table)
        self.add_button.setAccessibleName(_("{what} toevoegen").format(what=what))
        self.remove_button.setAccessibleName(_("Gekozen {what} verwijderen").format(what=what.lower()))
        self.column.insertWidget(0, label)

    def add_row(self, values: tuple[str, ...] = ()) -> None:
        """A new row, filled with `values` (for a choice column: the code)."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col in range(self.table.columnCount()):
            text = values[col] if col < len(values) else ""
            if col == 0 and self.choices:
                combo = QComboBox()
                combo.setAccessibleName(self.columns[0])
                for code, name in self.choices.items():
                    combo.addItem(name, code)
                combo.setCurrentIndex(max(0, combo.findData(text)))
                combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
                self.table.setCellWidget(row, 0, combo)
                self.table.setColumnWidth(0, max(self.table.columnWidth(0), combo.sizeHint().width()))
            else:
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.setCurrentCell(row, 1 if self.choices else 0)
        self.changed.emit()

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.table.setRowCount(0)
        for values in rows:
            self.add_row(values)

    def rows(self) -> tuple[tuple[str, ...], ...]:
        """Every row that holds something typed (a choice alone is not typing), as texts; a choice as its code."""
        out: list[tuple[str, ...]] = []
        for r in range(self.table.rowCount()):
            cells = [self.cell_text(r, c) for c in range(self.table.columnCount())]
            typed = cells[1:] if self.choices else cells
            if any(typed):
                out.append(tuple(cells))
        return tuple(out)

    def select(self, row: int, column: int) -> None:
        """Make a cell current (the row of a message), when that row exists."""
        if 0 <= row < self.table.rowCount():
            self.table.setCurrentCell(row, column)
            self.table.setFocus()
