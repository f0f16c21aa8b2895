"""Search results as a list model: one line per case, saying where the words were found."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from workbench.search.service import CaseHit

Index = QModelIndex | QPersistentModelIndex
CASE_ID_ROLE = Qt.ItemDataRole.UserRole
FOUND_IN = {"case": "naam/zaaknummer", "story": "verhaal"}


def hit_text(hit: CaseHit, name: str) -> str:
    """UHT-2024-000123 — Fatima Bakker — gevonden in: verhaal"""
    parts = [hit.reference, name, f"gevonden in: {FOUND_IN.get(hit.via, hit.via)}"]
    return " — ".join(part for part in parts if part)


class SearchModel(QAbstractListModel):
    """The hits the search service returned, best first, with the parent's name for each."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: tuple[CaseHit, ...] = ()
        self._names: dict[str, str] = {}

    def set_hits(self, hits: Sequence[CaseHit], names: Mapping[str, str]) -> None:
        self.beginResetModel()
        self._hits = tuple(hits)
        self._names = dict(names)
        self.endResetModel()

    def case_id_at(self, row: int) -> str:
        return self._hits[row].case_id

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return hit_text(hit, self._names.get(hit.case_id, ""))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Zaak {hit.reference} openen met Enter of dubbelklik"
        if role == CASE_ID_ROLE:
            return hit.case_id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
