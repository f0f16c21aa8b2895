"""The cases behind one figure of the Team page; from here a case opens, or goes to another handler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.context import UiContext
from ui.errors import show_error
from ui.operations import query
from ui.team.reassign_dialog import ReassignDialog
from ui.widgets.row_table_model import Column, RowTableModel, current_row, fit_columns, table_view
from ui.widgets.text_style import SUBTLE, tint
from workbench.caseload.service import CaseloadService
from workbench.caseload.types import CaseRef
from workbench.errors import UserError
from workbench.i18n import _, ngettext

CASE_COLUMNS = (Column("Zaak", lambda c: c.reference), Column("Ouder", lambda c: c.parent_name),
                Column("Behandelaar", lambda c: c.handler_name), Column("Waarom in deze lijst", lambda c: c.detail))
HANDLER_COLUMN = 2


def cases_count_text(n: int) -> str:
    return _("Geen zaken") if n == 0 else ngettext("{n} zaak", "{n} zaken", n).format(n=n)


class CasesDialog(QDialog):
    """A list of `CaseRef`s loaded through the runner. Enter opens the case; "Overdragen…" reassigns it.

    Attributes:
        model, table: the cases; count: how many; reassign_dialog: the open reassignment (None when none).

    Signals:
        cases_shown(int): the list was loaded with this many cases.
        case_reassigned(str): a case went to another handler (the page reloads its figures).
    """

    cases_shown = Signal(int)
    case_reassigned = Signal(str)

    def __init__(self, ctx: UiContext, service: CaseloadService, *, title: str, figure: str, handler_id: str | None,
                 handlers: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = service
        self.figure = figure
        self.handler_id = handler_id
        self.handlers = tuple(handlers)
        self.reassign_dialog: ReassignDialog | None = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        heading = QLabel(title)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        self.count = QLabel(_("Laden…"))
        self.count.setAccessibleName(_("Aantal zaken"))
        tint(self.count, SUBTLE)
        self.model = RowTableModel(CASE_COLUMNS, parent=self)
        self.table = table_view(self.model, _("Zaken achter het cijfer"), stretch=3)
        self.open_button = self._button(_("Zaak &openen"), _("Gekozen zaak openen"), self.open_current)
        self.open_button.setDefault(True)
        self.reassign_button = self._button(_("Zaak o&verdragen…"), _("Gekozen zaak overdragen aan een ander"),
                                            self.reassign_current)
        self.close_button = self._button(_("&Sluiten"), _("Sluiten"), self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.reassign_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.activated.connect(lambda _index: self.open_current())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()
        self.setMinimumSize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().lineSpacing() * 26)
        self.setFocusProxy(self.table)
        self.reload()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def reload(self) -> None:
        figure, handler_id, today, service = self.figure, self.handler_id, self.ctx.today(), self.service
        query(self, self.ctx.runner, lambda _ws, uow: service.cases_behind(
            uow, figure=figure, handler_id=handler_id, today=today)).on_success(self._show).run()

    def _show(self, cases: list[CaseRef]) -> None:
        rows: list[CaseRef] = list(cases)
        self.model.set_rows(rows)
        # One handler's list: their name in every row says nothing.
        self.table.setColumnHidden(HANDLER_COLUMN, self.handler_id is not None)
        fit_columns(self.table, max_chars=30)
        self.count.setText(cases_count_text(len(rows)))
        if rows:
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.cases_shown.emit(len(rows))

    def _update_buttons(self) -> None:
        chosen = current_row(self.table) is not None
        self.open_button.setEnabled(chosen)
        self.reassign_button.setEnabled(chosen and len(self.handlers) > 1)

    def current(self) -> CaseRef | None:
        row = current_row(self.table)
        return row if isinstance(row, CaseRef) else None

    def open_current(self) -> None:
        case = self.current()
        if case is None:
            return
        self.accept()
        self.ctx.nav.open_case(case.case_id)

    def reassign_current(self) -> None:
        case = self.current()
        if case is None:
            return
        ws, sync = self.ctx.runner.workspace, self.ctx.sync
        if ws is None or sync is None:  # locked, or a window without a central connection
            show_error(self, UserError(_("Overdragen kan alleen met verbinding met de centrale.")))
            return
        dialog = ReassignDialog(sync=sync, workspace=ws, case=case, handlers=self.handlers, parent=self)
        dialog.reassigned.connect(lambda case_id, _to: self._on_reassigned(case_id))
        self.reassign_dialog = dialog
        dialog.open()

    def _on_reassigned(self, case_id: str) -> None:
        self.case_reassigned.emit(case_id)
        self.reload()


def drill_title(column_title: str, who: str, today: dt.date) -> str:
    return f"{column_title} — {who} (stand {today:%d-%m-%Y})"
