"""The Historie tab: who did what with this case, and when (the audit log, read-only)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QPushButton, QVBoxLayout

from ui.audit.history_model import history_model
from ui.cases.case_tab import CaseTab, Work
from ui.context import UiContext
from ui.widgets.list_page import ListArea
from ui.widgets.row_table_model import fit_columns
from ui.widgets.text_style import SUBTLE, tint
from workbench.audit.service import AuditEventInfo
from workbench.changes import Changes
from workbench.i18n import _, ngettext


class HistoryTab(CaseTab):
    """The newest audit events about the case; reading them is not itself logged.

    Views and BSN reveals change no records, so they announce no Changes: the tab also reloads each time it
    is shown, and the case view asks it to after a reveal.

    Attributes:
        list_area: the table and its controls, as on every list page; model, table, empty_state: its.
        reload_button: loads them again.
        hide_views: "Inzage verbergen", on at first: leaves out who only looked, so the changes stand out.
    """

    def __init__(self, ctx: UiContext, case_id: str) -> None:
        super().__init__(ctx, case_id)
        self.setAccessibleName(_("Historie"))
        # A case tab cannot also be a ListPage: it owns the list pages' list area (table, empty state, rows of
        # controls) and keeps the case tabs' own loading.
        self.list_area = ListArea(history_model(me=ctx.user_id), name=_("Historie van de zaak"), stretch=4, empty="")
        area = self.list_area
        self.model, self.table, self.empty_state = area.model, area.table, area.empty_state
        self.summary = self.list_area.count_label
        tint(self.summary, SUBTLE)
        self.summary.setWordWrap(True)
        self.reload_button = QPushButton(_("Opnieuw &laden"))
        self.reload_button.setAccessibleName(_("Historie opnieuw laden"))
        self.reload_button.clicked.connect(self.reload)
        self.hide_views = QCheckBox(_("Inza&ge verbergen"))
        self.hide_views.setAccessibleName(_("Inzage verbergen"))
        self.hide_views.setToolTip(_("Laat alleen wijzigingen en andere handelingen zien, niet wie de zaak bekeek"))
        self.hide_views.setChecked(True)
        self.hide_views.toggled.connect(self.reload)
        self.list_area.top.addWidget(self.summary, 1)
        self.list_area.top.addWidget(self.hide_views)
        self.list_area.top.addWidget(self.reload_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        column.addWidget(self.list_area)
        self.list_area.controls_first(self.hide_views, self.reload_button)
        self.setFocusProxy(self.table)

    def fetch_job(self) -> Work:
        case_id, views = self.case_id, not self.hide_views.isChecked()
        return lambda ws, uow: ws.audit.for_case(uow, case_id, views=views)

    def show_data(self, data: Any) -> None:
        events: list[AuditEventInfo] = data
        # The views are left out by the service, not the model: the sentence says which emptiness this is.
        self.empty_state.set_texts(empty=_(
            "Nog niets gewijzigd aan deze zaak. Zet ‘Inzage verbergen’ uit om ook te zien wie de zaak bekeek.")
            if self.hide_views.isChecked() else
            _("Nog niets vastgelegd over deze zaak. Zodra iemand de zaak bekijkt of wijzigt, staat dat hier."))
        self.model.set_rows(events)
        fit_columns(self.table, max_chars=30)
        count = ngettext("{n} gebeurtenis", "{n} gebeurtenissen", len(events)).format(n=len(events))
        hidden = _(" (inzage verborgen)") if self.hide_views.isChecked() else ""
        self.summary.setText(count + hidden + _(", nieuwste bovenaan. Wie iets bekijkt of wijzigt, wordt hier "
                                                "vastgelegd."))

    def touched_by(self, changes: Changes) -> bool:
        return self.case_id in changes.case_ids or changes.touches("parent")
