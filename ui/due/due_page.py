"""The "Acties & toezeggingen" page: everything due across the handler's own open cases, up to a horizon."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel, QPushButton

from ui.context import UiContext
from ui.due.due_model import CASE, DESCRIPTION, DUE, KIND, PARENT, STATUS, WHO, DueModel
from ui.widgets.list_page import Fetch, ListPage
from workbench.i18n import N_, _, ngettext
from workbench.plans.service import DueItem

REFRESH_ON = frozenset({"case", "parent", "action", "commitment", "commitment_status_change"})
_WIDTH_SAMPLES = {KIND: "Toezegging", CASE: "UHT-2024-000000", PARENT: "Charlotte van Egisheim",
                  DESCRIPTION: "Bij de backoffice nagaan of de stukken binnen zijn", WHO: "Andere partner: Humanitas",
                  DUE: "⚠ 00-00-0000", STATUS: "Te laat · Opnieuw afgesproken"}
HORIZONS = (("overdue", N_("Te laat")), ("week", N_("Deze week")), ("month", N_("Komende 30 dagen")))


def horizon_end(horizon: str, today: dt.date) -> dt.date:
    """The last due date shown; overdue items are always shown."""
    if horizon == "overdue":
        return today - dt.timedelta(days=1)
    if horizon == "week":
        return today + dt.timedelta(days=6 - today.weekday())  # up to and including Sunday
    return today + dt.timedelta(days=30)


@dataclass(frozen=True)
class _Due:
    items: list[DueItem]
    names: dict[str, str]
    today: dt.date


class DuePage(ListPage):
    """A horizon to choose and the due items of the handler's cases; Enter opens the item's case.

    Attributes:
        model: the items shown.

    Signals:
        items_shown(): fresh items are on screen.
    """

    items_shown = Signal()
    model: DueModel

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, DueModel(), name=_("Acties en toezeggingen"), stretch=DESCRIPTION,
                         refresh_on=REFRESH_ON,
                         empty=_("Niets te doen in deze periode: er is geen open actie of toezegging die dan "
                                 "afloopt. Kies hierboven een langere periode om verder vooruit te kijken."))
        self._build()
        self.reload()

    def _build(self) -> None:
        self.horizon_box = QComboBox()
        self.horizon_box.setAccessibleName(_("Periode"))
        self.horizon_box.view().setAccessibleName(_("Perioden"))
        for key, label in HORIZONS:
            self.horizon_box.addItem(_(label), key)
        self.horizon_box.setCurrentIndex(1)
        horizon_label = QLabel(_("&Periode:"))
        horizon_label.setBuddy(self.horizon_box)
        self.count_label.setText(_("Laden…"))
        self.count_label.setAccessibleName(_("Aantal acties en toezeggingen"))

        self.table.setWordWrap(True)  # a long description or owner wraps instead of being cut off
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # the status takes what is left; the description keeps its room
        header.setSortIndicator(DUE, Qt.SortOrder.AscendingOrder)
        self._size_columns()

        self.open_button = QPushButton(_("Zaak &openen"))
        self.open_button.setAccessibleName(_("Zaak openen"))
        self.open_button.setEnabled(False)

        self.top.addWidget(horizon_label)
        self.top.addWidget(self.horizon_box)
        self.top.addSpacing(16)
        self.top.addWidget(self.count_label, 1)
        self.bottom.addStretch(1)
        self.bottom.addWidget(self.open_button)
        self.setFocusProxy(self.horizon_box)
        self.controls_first(self.horizon_box)

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

    def fetch_job(self) -> Fetch:
        today = self.ctx.today()
        until = horizon_end(self.horizon(), today)
        user_id = self.ctx.user_id

        def job(ws: Any, uow: Any) -> _Due:
            items = ws.plans.due_items(uow, handler_id=user_id, until=until)
            return _Due(items, ws.cases.parent_names(uow, sorted({i.case_id for i in items})), today)
        return job

    def show_data(self, data: Any) -> None:
        due: _Due = data
        self.model.set_items(due.items, today=due.today, names=due.names)
        late, total = self.model.overdue_count(), self.model.rowCount()
        if total == 0:
            text = _("Niets te doen in deze periode.")
        else:
            what = ngettext("{n} actie of toezegging", "{n} acties en toezeggingen", total).format(n=total)
            text = _("{what}, waarvan {late} te laat").format(what=what, late=late) if late else what
        self.count_label.setText(text)
        self.items_shown.emit()

    def on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.ctx.nav.open_case(self.model.item_at(index.row()).case_id)
