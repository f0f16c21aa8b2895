"""Models of the plan tab: the tree of life domains, needs and actions, and the table of commitments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ui.widgets.row_table_model import WARNING_COLOUR, Column, RowTableModel, date_text
from workbench.i18n import ngettext
from workbench.plans.service import ActionInfo, CasePlan, CommitmentInfo, NeedPlan
from workbench.plans.vocabulary import owner_text

NODE_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
LOOSE = "Acties zonder behoefte"


@dataclass(eq=False)
class PlanNode:
    """A row in the tree: kind is "domain", "need" or "action"; `item` is the service's data for it."""

    kind: str
    label: str
    item: Any
    parent: PlanNode | None
    row: int
    children: list[PlanNode] = field(default_factory=list)

    def add(self, kind: str, label: str, item: Any) -> PlanNode:
        child = PlanNode(kind, label, item, self, len(self.children))
        self.children.append(child)
        return child


def action_status(action: ActionInfo) -> str:
    if action.overdue:
        return f"Te laat (uiterlijk {date_text(action.due_on)})"
    if action.status == "done" and action.done_on:
        return f"Gedaan op {date_text(action.done_on)}"
    return action.status_label


def action_owner(action: ActionInfo) -> str:
    return owner_text(action.owner_label, action.owner_name)


class PlanTreeModel(QAbstractItemModel):
    """Every configured life domain (also empty ones) with its needs and their actions; columns are text."""

    COLUMNS = ("Omschrijving", "Wie", "Uiterlijk", "Status")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = PlanNode("root", "", None, None, 0)

    def set_plan(self, plan: CasePlan) -> None:
        self.beginResetModel()
        root = PlanNode("root", "", None, None, 0)
        for domain in plan.domains:
            node = root.add("domain", domain.label, domain)
            for need in domain.needs:
                self._add_need(node, need)
        if plan.loose_actions:
            node = root.add("domain", LOOSE, None)
            for action in plan.loose_actions:
                node.add("action", action.description, action)
        self._root = root
        self.endResetModel()

    @staticmethod
    def _add_need(domain: PlanNode, need: NeedPlan) -> None:
        node = domain.add("need", need.need.description, need)
        for action in need.actions:
            node.add("action", action.description, action)

    def node(self, index: Index) -> PlanNode:
        node: PlanNode = index.internalPointer() if index.isValid() else self._root
        return node

    def needs(self) -> list[NeedPlan]:
        return [n.item for d in self._root.children for n in d.children if n.kind == "need"]

    # -- Qt ------------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(self.COLUMNS) or (parent.isValid() and parent.column() != 0):
            return QModelIndex()
        node = self.node(parent)
        if not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: Index | None = None) -> Any:
        if index is None:
            return super().parent()
        if not index.isValid():
            return QModelIndex()
        up = self.node(index).parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(node, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and self._overdue(node):
            return WARNING_COLOUR
        if role == Qt.ItemDataRole.FontRole and node.kind == "domain":
            font = QFont()
            font.setBold(True)
            return font
        if role == NODE_ROLE:
            return node
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.COLUMNS)):
            return self.COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    @staticmethod
    def _overdue(node: PlanNode) -> bool:
        return node.kind in ("need", "action") and bool(node.item.overdue)

    @staticmethod
    def _text(node: PlanNode, column: int) -> str:
        if node.kind == "domain":
            count = len(node.children)
            status = "nog niets" if not count else (
                ngettext("{n} actie", "{n} acties", count) if node.label == LOOSE
                else ngettext("{n} behoefte", "{n} behoeften", count)).format(n=count)
            return (node.label, "", "", status)[column]
        if node.kind == "need":
            need: NeedPlan = node.item
            status = need.need.status_label + (" — actie te laat" if need.overdue else "")
            return (need.need.description, "", "", status)[column]
        action: ActionInfo = node.item
        return (action.description, action_owner(action), date_text(action.due_on), action_status(action))[column]


def commitment_status(item: CommitmentInfo) -> str:
    if item.overdue:
        return f"{item.status_label} — te laat"
    if item.resolved_on:
        return f"{item.status_label} op {date_text(item.resolved_on)}"
    return item.status_label


def last_note(item: CommitmentInfo) -> str:
    """The note of the newest status change after the promise itself (why broken, what was renegotiated)."""
    return next((step.note for step in reversed(item.history[1:]) if step.note), "")


def date_history(item: CommitmentInfo | None) -> str:
    """The promise's dates in words: who keeps it, the date first promised and every date since."""
    if item is None:
        return ""
    dates = [item.first_due_on] + [s.due_on for s in item.history if s.to_status == "renegotiated" and s.due_on]
    who = f"Wie doet het: {item.owner_label}. "
    if len(dates) == 1:
        return who + f"Beloofd voor {date_text(item.first_due_on)}; niet verzet."
    return who + f"Eerst beloofd voor {date_text(item.first_due_on)}; {item.times_moved}× verzet: " + \
        " → ".join(date_text(d) for d in dates) + "."


def commitment_model(parent: QObject | None = None) -> RowTableModel:
    """Commitments, soonest due first; overdue ones say "te laat" and are drawn in the warning colour."""
    columns = (Column("Toezegging", lambda c: c.description), Column("Wie", lambda c: c.owner_label),
               Column("Toegezegd door", lambda c: c.promised_by),
               Column("Op", lambda c: date_text(c.promised_on)), Column("Uiterlijk", lambda c: date_text(c.due_on)),
               Column("Status", commitment_status), Column("Toelichting", last_note))
    return RowTableModel(columns, warn=lambda c: c.overdue, parent=parent)
