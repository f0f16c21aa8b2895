"""Due actions and commitments as a table model; overdue lines say so in words and in colour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt

from ui.widgets.row_table_model import Column, RowTableModel
from workbench.i18n import _, ngettext
from workbench.plans.service import DueItem
from workbench.plans.vocabulary import ACTION_STATUSES, COMMITMENT_STATUSES

CASE_ID_ROLE = Qt.ItemDataRole.UserRole
KIND, CASE, PARENT, DESCRIPTION, WHO, DUE, STATUS = range(7)
WARNING = "⚠"


def status_label(item: DueItem) -> str:
    labels = COMMITMENT_STATUSES if item.kind == "commitment" else ACTION_STATUSES
    return labels.get(item.status, item.status)


def days_text(days: int) -> str:
    return ngettext("{n} dag", "{n} dagen", days).format(n=days)


def one_line(text: str) -> str:
    return " ".join(text.split())


class DueModel(RowTableModel):
    """The items the plan service returned (earliest first until the handler sorts on another column), each
    with the parent's name, so the handler sees whom a line is about without opening the case.

    Attributes:
        today: the day "over n dagen" and "n dagen te laat" are counted from.
        names: the parent's name per case id.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        self.today = dt.date.today()
        self.names: dict[str, str] = {}
        def late(item: DueItem) -> bool:
            return item.overdue

        super().__init__((
            Column(_("Soort"), lambda i: i.kind_label, sort_key=lambda i: (i.kind_label, i.due_on)),
            Column(_("Zaak"), lambda i: i.case_reference, sort_key=lambda i: (i.case_reference, i.due_on)),
            Column(_("Ouder"), self.parent_name, sort_key=lambda i: (self.parent_name(i).casefold(), i.due_on)),
            Column(_("Omschrijving"), lambda i: one_line(i.description), tip=lambda i: i.description),
            Column(_("Wie"), lambda i: i.who, sort_key=lambda i: (i.who.casefold(), i.due_on)),
            Column(_("Uiterlijk"), self._due_text, sort_key=lambda i: (i.due_on, i.case_reference), warn=late,
                   tip=self._days_tip),
            Column(_("Status"), self._status_text, sort_key=lambda i: (not i.overdue, status_label(i), i.due_on),
                   warn=late, tip=self._days_tip),
        ), parent=parent)
        self._sort = (DUE, Qt.SortOrder.AscendingOrder)

    def set_items(self, items: Sequence[DueItem], *, today: dt.date, names: Mapping[str, str] | None = None) -> None:
        self.today = today
        self.names = dict(names or {})
        self.set_rows(items)

    def item_at(self, row: int) -> DueItem:
        item: DueItem = self.row_at(row)
        return item

    def overdue_count(self) -> int:
        return sum(1 for item in self.rows() if item.overdue)

    def parent_name(self, item: DueItem) -> str:
        return self.names.get(item.case_id, "")

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == CASE_ID_ROLE and index.isValid() and index.row() < self.rowCount():
            return self.item_at(index.row()).case_id
        return super().data(index, role)

    def _due_text(self, item: DueItem) -> str:
        day = item.due_on.strftime("%d-%m-%Y")
        return f"{WARNING} {day}" if item.overdue else day

    def _status_text(self, item: DueItem) -> str:
        return _("Te laat · {status}").format(status=status_label(item)) if item.overdue else status_label(item)

    def _days_tip(self, item: DueItem) -> str:
        days = (item.due_on - self.today).days
        if days < 0:
            return _("{days} te laat").format(days=days_text(-days))
        return _("Vandaag") if days == 0 else _("Over {days}").format(days=days_text(days))
