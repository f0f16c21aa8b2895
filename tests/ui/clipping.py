"""Find text the window cuts off: labels, buttons, check boxes and table headers narrower than their words."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QHeaderView, QLabel, QTabBar, QTableView, QWidget


def _plain(text: str) -> str:
    """The text as drawn: a mnemonic '&' is not drawn, '&&' is one '&'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.width() > 0


def clipped_texts(root: QWidget) -> list[str]:
    """Every visible text under `root` that does not fit its widget, as "kind 'text' (needs N, has M px)"."""
    found: list[str] = []
    for label in root.findChildren(QLabel):
        text = _plain(label.text())
        if not text or not _shown(label, root) or label.wordWrap() or label.textFormat() == 1 or "<" in text:
            continue
        metrics = label.fontMetrics()
        need = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
        has = label.contentsRect().width() - 2 * label.margin() - label.indent() if label.indent() > 0 else \
            label.contentsRect().width() - 2 * label.margin()
        if need > has + 1:
            found.append(f"label {text!r} (needs {need}, has {has} px)")
    for button in root.findChildren(QAbstractButton):
        if not button.text() or not _shown(button, root):
            continue
        if button.sizeHint().width() > button.width() + 1:
            found.append(f"button {button.text()!r} (needs {button.sizeHint().width()}, has {button.width()} px)")
    for header in root.findChildren(QHeaderView):
        if header.orientation().name != "Horizontal" or not _shown(header, root) or header.model() is None:
            continue
        model = header.model()
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            title = str(model.headerData(section, header.orientation()) or "")
            lines = title.split("\n")
            need = max(header.fontMetrics().horizontalAdvance(line) for line in lines) + 8
            if need > header.sectionSize(section) + 1:
                found.append(f"header {title!r} (needs {need}, has {header.sectionSize(section)} px)")
    for bar in root.findChildren(QTabBar):
        if not _shown(bar, root):
            continue
        for tab in range(bar.count()):
            need = bar.fontMetrics().horizontalAdvance(_plain(bar.tabText(tab)))
            if need > bar.tabRect(tab).width():
                found.append(f"tab {bar.tabText(tab)!r}")
    found.extend(_clipped_cells(root))
    return found


def _clipped_cells(root: QWidget, rows: int = 25) -> list[str]:
    """Cells of the first rows whose text is cut off: a status, date, name or number must always be readable.

    In a table that does not wrap, the column that stretches (the free text, whose tooltip has the whole of
    it) may end in "…". In a table that wraps, every cell must fit: no word wider than its column (Qt would
    break it anywhere) and every line within the row's height.
    """
    found: list[str] = []
    for view in root.findChildren(QTableView):
        model = view.model()
        if model is None or not _shown(view, root):
            continue
        header = view.horizontalHeader()
        for column in range(model.columnCount()):
            if header.isSectionHidden(column) or (
                    not view.wordWrap() and header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch):
                continue
            for row in range(min(rows, model.rowCount())):
                text = str(model.index(row, column).data(Qt.ItemDataRole.DisplayRole) or "")
                need = _cell_needs(view, column, text)
                if text and (need[0] > view.columnWidth(column) or need[1] > view.rowHeight(row)):
                    found.append(f"cell {text!r} in {view.accessibleName() or 'table'} (needs {need[0]} x "
                                 f"{need[1]}, has {view.columnWidth(column)} x {view.rowHeight(row)} px)")
                    break
    return found


def _cell_needs(view: QTableView, column: int, text: str) -> tuple[int, int]:
    """The width and height a cell's text needs: on one line, or (wrapping) its widest word and its lines."""
    metrics, pad = view.fontMetrics(), 10
    if not text:
        return 0, 0
    if not view.wordWrap():
        return metrics.horizontalAdvance(text) + pad, 0
    widest = max(metrics.horizontalAdvance(word) for line in text.split("\n") for word in line.split() or [""])
    lines = metrics.boundingRect(QRect(0, 0, max(view.columnWidth(column) - pad, 1), 1 << 20),
                                 int(Qt.TextFlag.TextWordWrap), text)
    return widest + pad, lines.height()
