"""The "Acties & toezeggingen" page: everything due across the handler's own open cases, up to a horizon."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.context import UiContext
from ui.due.due_model import CASE, DESCRIPTION, DUE, KIND, STATUS, WHO, DueModel
from ui.errors import show_error
from workbench.changes import Changes
from workbench.i18n import _
from workbench.plans.service import DueItem

REFRESH_ON = frozenset({"case", "action", "commitment", "commitment_status_change"})
_WIDTH_SAMPLES = {KIND: "Toezegging", CASE: "UHT-2024-000000",
                  DESCRIPTION: "Bij de backoffice nagaan of de stukken binnen zijn", WHO: "Andere partner: Humanitas",
                  DUE: "⚠ 00-00-0000", STATUS: "Te laat · Opnieuw afgesproken"}
HORIZONS = (("overdue", "Te laat"), ("week", "Deze week"), ("month", "Komende 30 dagen"))


def horizon_end(horizon: str, today: dt.date) -> dt.date:
    """The last due date shown; overdue items are always shown."""
    if horizon == "overdue":
        return today - dt.timedelta(days=1)
    if horizon == "week":
        return today + dt.timedelta(days=6 - today.weekday())  # up to and including Sunday
    return today + dt.timedelta(days=30)


class DuePage(QWidget):
    """A horizon to choose and the due items of the handler's cases; Enter opens the item's case.

    Attributes:
        model: the items shown.
        stale: something changed while the page was hidden; it reloads when shown.

    Signals:
        items_shown(): fresh items are on screen.
    """

    items_shown = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.model = DueModel(self)
        self.stale = False
        self._build()
        ctx.runner.changes_applied.connect(self.on_changes)
        self.reload()

    def _build(self) -> None:
        self.horizon_box = QComboBox()
        self.horizon_box.setAccessibleName(_("Periode"))
        self.horizon_box.view().setAccessibleName(_("Perioden"))
        for key, label in HORIZONS:
            self.horizon_box.addItem(label, key)
        self.horizon_box.setCurrentIndex(1)
        horizon_label = QLabel(_("&Periode:"))
        horizon_label.setBuddy(self.horizon_box)
        self.count_label = QLabel(_("Laden…"))
        self.count_label.setAccessibleName(_("Aantal acties en toezeggingen"))

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Acties en toezeggingen"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)  # a long description or owner wraps instead of being cut off
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the status takes what is left; the description keeps its room
        header.setHighlightSections(False)
        header.setSortIndicator(DUE, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self._size_columns()

        self.open_button = QPushButton(_("Zaak &openen"))
        self.open_button.setAccessibleName(_("Zaak openen"))
        self.open_button.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(horizon_label)
        top.addWidget(self.horizon_box)
        top.addSpacing(16)
        top.addWidget(self.count_label, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.setFocusProxy(self.horizon_box)

        self.horizon_box.currentIndexChanged.connect(lambda _n: self.reload())
        self.table.activated.connect(self.on_activated)
        self.table.selectionModel().currentRowChanged.connect(
            lambda now, _before: self.open_button.setEnabled(now.isValid()))
        self.model.modelReset.connect(lambda: self.open_button.setEnabled(self.table.currentIndex().isValid()))
        self.open_button.clicked.connect(lambda: self.on_activated(self.table.currentIndex()))

    def _size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        pad = metrics.horizontalAdvance("MM") + 4
        for column, sample in _WIDTH_SAMPLES.items():
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + pad)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + metrics.height() // 2 + 4)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._size_columns()

    # -- loading -------------------------------------------------------------------------------

    def horizon(self) -> str:
        return str(self.horizon_box.currentData())

    def reload(self) -> None:
        self.stale = False
        today = self.ctx.today()
        until = horizon_end(self.horizon(), today)
        user_id = self.ctx.user_id
        self.ctx.runner.run(lambda ws, uow: ws.plans.due_items(uow, handler_id=user_id, until=until),
                            done=lambda items: self._show(items, today), failed=lambda exc: show_error(self, exc))

    def _show(self, items: list[DueItem], today: dt.date) -> None:
        self.model.set_items(items, today=today)
        late, total = self.model.overdue_count(), self.model.rowCount()
        if total == 0:
            text = "Niets te doen in deze periode."
        else:
            what = "1 actie of toezegging" if total == 1 else f"{total} acties en toezeggingen"
            text = f"{what}, waarvan {late} te laat" if late else what
        self.count_label.setText(text)
        self.items_shown.emit()

    def on_changes(self, changes: Changes) -> None:
        if not any(changes.touches(entity) for entity in REFRESH_ON):
            return
        if self.isVisible():
            self.reload()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.reload()

    def on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.ctx.nav.open_case(self.model.item_at(index.row()).case_id)
