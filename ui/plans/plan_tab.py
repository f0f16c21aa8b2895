"""The Plan tab: needs and actions per life domain, commitments with their status, and the add forms."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSplitter, QTreeView, QVBoxLayout, QWidget

from ui.cases.case_tab import CaseTab, Work
from ui.context import UiContext
from ui.plans.plan_forms import ActionChange, ActionForm, CommitmentChange, CommitmentForm, NeedForm, PlanForm
from ui.plans.plan_models import NODE_ROLE, PlanNode, PlanTreeModel, commitment_model, date_history
from ui.widgets.row_table_model import ROW_ROLE, current_row, fit_columns, table_view
from ui.widgets.side_by_side import SideBySide
from ui.widgets.text_style import bold
from workbench.i18n import _
from workbench.plans.service import ActionInfo, CasePlan, CommitmentInfo
from workbench.plans.vocabulary import COMMITMENT_LIVE


def _pane(heading: str, items: QWidget, change: QWidget) -> QWidget:
    """A heading, the list (taking the height) and the changes to its current item, one above the other."""
    pane = QWidget()
    column = QVBoxLayout(pane)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(bold(QLabel(heading)))
    column.addWidget(items, 1)
    column.addWidget(change)
    return pane


class PlanTab(CaseTab):
    """The case's plan; every change goes through `ws.plans` and the tab reloads from what was stored.

    Attributes:
        tree_model, tree: life domains > needs > actions.
        action_change: done / new date for the selected action.
        commitments_model, commitments: the commitments table.
        commitment_change: kept / broken / renegotiated for the selected commitment.
        need_form, action_form, commitment_form: adding.
    """

    entities = frozenset({"need", "action", "commitment", "commitment_status_change"})

    def __init__(self, ctx: UiContext, case_id: str) -> None:
        super().__init__(ctx, case_id)
        self.setAccessibleName(_("Plan"))
        self._keep_action: str | None = None
        self._keep_commitment: str | None = None

        self.tree_model = PlanTreeModel(self)
        self.tree = QTreeView()
        self.tree.setAccessibleName(_("Leefgebieden, behoeften en acties"))
        self.tree.setModel(self.tree_model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)  # a long need or action wraps in its column instead of being cut off
        self.tree.setMinimumHeight(self.tree.fontMetrics().lineSpacing() * 8)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            self.tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        self.action_change = ActionChange(ctx.today)
        self.action_change.set_enabled_for(False)
        self.action_change.done_requested.connect(self.complete_action)
        self.action_change.reschedule_requested.connect(self.reschedule_action)

        self.commitments_model = commitment_model(self)
        self.commitments = table_view(self.commitments_model, "Toezeggingen")
        self.commitments.setWordWrap(True)
        self.commitments.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.commitments.selectionModel().currentChanged.connect(self._on_commitment_current)
        self.commitment_change = CommitmentChange(ctx.today)
        self.commitment_change.set_enabled_for(False)
        self.commitment_change.keep_requested.connect(self.keep_commitment)
        self.commitment_change.break_requested.connect(self.break_commitment)
        self.commitment_change.renegotiate_requested.connect(self.renegotiate_commitment)

        self.need_form = NeedForm()
        self.action_form = ActionForm(ctx.today)
        self.commitment_form = CommitmentForm(ctx.today)
        for key, form in (("need", self.need_form), ("action", self.action_form),
                          ("commitment", self.commitment_form)):
            form.submitted.connect(lambda k=key, f=form: self._add(k, f))

        lists = QSplitter(Qt.Orientation.Vertical)
        lists.setChildrenCollapsible(False)
        lists.addWidget(_pane("Leefgebieden, behoeften en acties", self.tree, self.action_change))
        lists.addWidget(_pane("Toezeggingen aan de ouder", self.commitments, self.commitment_change))
        lists.setStretchFactor(0, 3)
        lists.setStretchFactor(1, 2)

        forms = QWidget()
        forms_column = QVBoxLayout(forms)
        forms_column.setContentsMargins(0, 0, 0, 0)
        for form in (self.need_form, self.action_form, self.commitment_form):
            forms_column.addWidget(form)
        forms_column.addStretch(1)
        self.page = SideBySide(lists, forms, stretch=(2, 1))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self.page)
        chain = [self.tree, self.action_change.done_button, self.action_change.new_date.line,
                 self.action_change.reschedule_button, self.commitments, self.commitment_change.note,
                 self.commitment_change.new_date.line, self.commitment_change.keep_button,
                 self.commitment_change.break_button, self.commitment_change.renegotiate_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.tree)

    # -- loading -------------------------------------------------------------------------------

    def fetch_job(self) -> Work:
        case_id = self.case_id
        return lambda ws, uow: ws.plans.plan_for_case(uow, case_id)

    def show_data(self, data: Any) -> None:
        plan: CasePlan = data
        keep_action = self._keep_action or self._selected_action_id()
        current = current_row(self.commitments)
        keep_commitment = self._keep_commitment or (current.id if current else None)
        self._keep_action = self._keep_commitment = None
        self.tree_model.set_plan(plan)
        self.tree.expandAll()
        self.action_form.set_needs(self.tree_model.needs())
        self.commitments_model.set_rows(plan.commitments)
        fit_columns(self.commitments, max_chars=18)
        self._select_in_tree(keep_action)
        rows = self.commitments_model.rows()
        row = next((n for n, c in enumerate(rows) if c.id == keep_commitment), -1)
        if row >= 0:
            self.commitments.setCurrentIndex(self.commitments_model.index(row, 0))
        self._on_tree_current(self.tree.currentIndex(), QModelIndex())
        self._on_commitment_current(self.commitments.currentIndex(), QModelIndex())

    def _select_in_tree(self, action_id: str | None) -> None:
        if action_id is None:
            return
        pending = [self.tree_model.index(r, 0) for r in range(self.tree_model.rowCount())]
        while pending:
            index = pending.pop(0)
            node: PlanNode = index.data(NODE_ROLE)
            if node.kind == "action" and node.item.id == action_id:
                self.tree.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.tree.scrollTo(index)
                return
            pending += [self.tree_model.index(r, 0, index) for r in range(self.tree_model.rowCount(index))]

    def _selected_action_id(self) -> str | None:
        action = self.selected_action()
        return action.id if action else None

    def selected_node(self) -> PlanNode | None:
        index = self.tree.currentIndex()
        return index.data(NODE_ROLE) if index.isValid() else None

    def selected_action(self) -> ActionInfo | None:
        node = self.selected_node()
        return node.item if node is not None and node.kind == "action" else None

    def selected_commitment(self) -> CommitmentInfo | None:
        return current_row(self.commitments)  # type: ignore[no-any-return]

    def editors(self) -> tuple[QWidget, ...]:
        return (self.need_form, self.action_form, self.commitment_form)

    def refresh_enabled(self) -> None:
        self._on_tree_current(self.tree.currentIndex(), QModelIndex())
        self._on_commitment_current(self.commitments.currentIndex(), QModelIndex())

    def _on_tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node: PlanNode | None = current.data(NODE_ROLE) if current.isValid() else None
        action = node.item if node is not None and node.kind == "action" else None
        self.action_change.set_enabled_for(self.editable and action is not None and action.status == "open")
        # Adding follows the selection: a need goes to the chosen domain, an action to the chosen need.
        if node is not None and node.kind == "domain" and node.item is not None:
            self.need_form.select_domain(node.item.code)
        elif node is not None and node.kind == "need":
            self.need_form.select_domain(node.item.need.life_domain)
            self.action_form.select_need(node.item.need.id)

    def _on_commitment_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item: CommitmentInfo | None = current.data(ROW_ROLE) if current.isValid() else None
        self.commitment_change.set_enabled_for(self.editable and item is not None and item.status in COMMITMENT_LIVE)
        self.commitment_change.history.setText(date_history(item))

    # -- changing ------------------------------------------------------------------------------

    def _add(self, key: str, form: PlanForm) -> None:
        self.mutate(key, form.work(self.case_id), done=lambda _info: form.reset(), errors=form.errors)

    def complete_action(self) -> None:
        action = self.selected_action()
        if action is None:
            return
        action_id = self._keep_action = action.id
        self.mutate("action_change", lambda ws, uow: ws.plans.complete_action(uow, action_id),
                    errors=self.action_change.errors)

    def reschedule_action(self) -> None:
        action = self.selected_action()
        if action is None:
            return
        action_id, due = action.id, self.action_change.new_date.text()
        self._keep_action = action_id
        self.mutate("action_change", lambda ws, uow: ws.plans.reschedule_action(uow, action_id, due_on=due),
                    done=lambda _info: self.action_change.new_date.set_date(None),
                    errors=self.action_change.errors)

    def _change_commitment(self, work: Any) -> None:
        item = self.selected_commitment()
        if item is None:
            return
        self._keep_commitment = item.id
        commitment_id, panel = item.id, self.commitment_change
        note, new_due = panel.note.text(), panel.new_date.text()
        self.mutate("commitment_change", lambda ws, uow: work(ws, uow, commitment_id, note, new_due),
                    done=lambda _info: panel.reset(), errors=panel.errors)

    def keep_commitment(self) -> None:
        self._change_commitment(lambda ws, uow, cid, _note, _due: ws.plans.keep(uow, cid))

    def break_commitment(self) -> None:
        self._change_commitment(lambda ws, uow, cid, note, _due: ws.plans.break_commitment(uow, cid, note=note))

    def renegotiate_commitment(self) -> None:
        self._change_commitment(
            lambda ws, uow, cid, note, due: ws.plans.renegotiate(uow, cid, new_due_on=due, note=note))
