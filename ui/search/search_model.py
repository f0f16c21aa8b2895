"""Search results as a table model: one line per case, its parent and where the words were found."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt

from ui.widgets.row_table_model import Column, RowTableModel
from workbench.i18n import N_, _
from workbench.search.service import CaseHit

CASE_ID_ROLE = Qt.ItemDataRole.UserRole
FOUND_IN = {"case": N_("naam/zaaknummer"), "story": N_("verhaal")}
REFERENCE, PARENT, WHERE = range(3)


@dataclass(frozen=True)
class SearchLine:
    """A hit with the parent's name, as one row."""

    hit: CaseHit
    name: str


def found_in(hit: CaseHit) -> str:
    return _(FOUND_IN[hit.via]) if hit.via in FOUND_IN else hit.via


def hit_text(hit: CaseHit, name: str) -> str:
    """UHT-2024-000123 — Fatima Bakker — gevonden in: verhaal (what a screen reader says for the row)"""
    parts = [hit.reference, name, _("gevonden in: {where}").format(where=found_in(hit))]
    return " — ".join(part for part in parts if part)


class SearchModel(RowTableModel):
    """The hits the search service returned, best first until the handler sorts on a column."""

    def __init__(self, parent: QObject | None = None) -> None:
        def tip(line: SearchLine) -> str:
            return _("Zaak {reference} openen met Enter of dubbelklik").format(reference=line.hit.reference)

        super().__init__((
            Column(_("Zaaknummer"), lambda line: line.hit.reference, tip=tip),
            Column(_("Ouder"), lambda line: line.name, tip=tip),
            Column(_("Gevonden in"), lambda line: found_in(line.hit), tip=tip),
        ), parent=parent)

    def set_hits(self, hits: Sequence[CaseHit], names: Mapping[str, str]) -> None:
        self.set_rows([SearchLine(hit, names.get(hit.case_id, "")) for hit in hits])

    def case_id_at(self, row: int) -> str:
        line: SearchLine = self.row_at(row)
        return line.hit.case_id

    def line(self, row: int) -> str:
        found: SearchLine = self.row_at(row)
        return hit_text(found.hit, found.name)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < self.rowCount():
            if role == CASE_ID_ROLE:
                return self.case_id_at(index.row())
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self.line(index.row())
        return super().data(index, role)
