"""The Conflicten page: both values of every field that was changed here and elsewhere; the handler chooses.

Below them, the rows from central this device could not take in ("In quarantaine"): what, why and since when.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import UiContext
from ui.operations import mutate, query
from ui.widgets.editor_draft import EditorDraftKeeper, saved_when
from workbench.changes import Changes
from workbench.drafts.service import EditorDraftInfo
from workbench.i18n import _
from workbench.sync.conflicts import KEEP_LOCAL, KEEP_SERVER, ConflictInfo

if TYPE_CHECKING:
    from workbench.sync.quarantine import QuarantineInfo
    from workbench.workspace import UnitOfWork, Workspace

ENTITY_NAMES = {
    "parent": "Ouder", "child": "Kind", "ex_partner": "Ex-partner", "case": "Zaak", "case_track": "Spoor",
    "story_entry": "Verhaal", "need": "Behoefte", "action": "Actie", "commitment": "Toezegging",
    "consent": "Toestemming", "letter": "Brief",
}
FIELD_NAMES = {
    "city": "Woonplaats", "street": "Straat", "house_number": "Huisnummer", "postcode": "Postcode",
    "phone": "Telefoon", "email": "E-mail", "achternaam": "Achternaam", "voornamen": "Voornamen",
    "description": "Omschrijving", "due_on": "Datum", "status": "Status", "phase": "Fase", "urgent": "Urgent",
    "owner_name": "Wie", "text": "Tekst",
}
COLUMNS = ("Ouder en zaak", "Onderdeel", "Veld", "Op dit apparaat", "Bij de centrale", "Toelichting")


def quarantine_columns() -> tuple[str, ...]:
    return (_("Ouder en zaak"), _("Onderdeel"), _("Veld"), _("Waarom"), _("Sinds"))


def shown(value: Any) -> str:
    if value is None:
        return "(leeg)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


class ConflictsPage(QWidget):
    """Open conflicts as a table; each choice is an ordinary change that syncs to every device.

    Signals:
        conflicts_shown(int): the number of open conflicts now on screen.
    """

    conflicts_shown = Signal(int)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.conflicts: list[ConflictInfo] = []
        self.intro = QLabel(_("Hier staan gegevens die op dit apparaat én elders zijn gewijzigd. Beide waarden zijn "
                            "bewaard. Kies per regel welke waarde klopt; uw keuze gaat mee bij de volgende "
                            "synchronisatie."))
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName(_("Conflicten"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.keep_local = QPushButton(_("Waarde van dit &apparaat houden"))
        self.keep_server = QPushButton(_("Waarde van de &centrale nemen"))
        self.edit = QPushButton(_("&Eigen waarde…"))
        for button in (self.keep_local, self.keep_server, self.edit):
            button.setAccessibleName(button.text().replace("&", ""))
            button.setEnabled(False)
        self.empty = QLabel(_("Er zijn geen conflicten."))
        self.empty.setAccessibleName(_("Geen conflicten"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.keep_local, self.keep_server, self.edit):
            buttons.addWidget(button)
        self.quarantined: list[QuarantineInfo] = []
        self.quarantine_title = QLabel(_("In quarantaine"))
        title_font = self.quarantine_title.font()
        title_font.setBold(True)
        self.quarantine_title.setFont(title_font)
        self.quarantine_intro = QLabel(_(
            "Deze gegevens kwamen van de centrale, maar passen niet op dit apparaat. Ze zijn apart gezet, zodat de "
            "rest van de synchronisatie gewoon doorgaat. U hoeft zelf niets te herstellen. Meld het bij "
            "functioneel beheer en noem het onderdeel en de reden. Zodra de centrale een goede versie stuurt, "
            "verdwijnt de regel vanzelf."))
        self.quarantine_intro.setWordWrap(True)
        self.quarantine_table = QTableWidget(0, len(quarantine_columns()))
        self.quarantine_table.setHorizontalHeaderLabels(quarantine_columns())
        self.quarantine_table.setAccessibleName(_("In quarantaine"))
        self.quarantine_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.quarantine_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.quarantine_table.setTabKeyNavigation(False)
        self.quarantine_table.setWordWrap(True)
        self.quarantine_table.verticalHeader().hide()
        self.quarantine_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.quarantine_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.quarantine_table.horizontalHeader().setStretchLastSection(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        for widget in (self.quarantine_title, self.quarantine_intro):
            layout.addWidget(widget)
        layout.addWidget(self.quarantine_table, 1)
        self.setFocusProxy(self.table)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.keep_local.clicked.connect(lambda: self.resolve(KEEP_LOCAL))
        self.keep_server.clicked.connect(lambda: self.resolve(KEEP_SERVER))
        self.edit.clicked.connect(self.edit_value)
        ctx.runner.changes_applied.connect(self.on_changes)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    def on_changes(self, changes: Changes) -> None:
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        def work(ws: Workspace, uow: UnitOfWork) -> tuple[list[ConflictInfo], list[QuarantineInfo]]:
            return ws.conflicts.open_conflicts(uow), ws.conflicts.quarantined(uow)

        query(self, self.ctx.runner, work).on_success(self._show_all).run()

    def _show_all(self, found: tuple[list[ConflictInfo], list[QuarantineInfo]]) -> None:
        conflicts, quarantined = found
        self._show_quarantine(quarantined)
        self._show(conflicts)

    def _show_quarantine(self, rows: list[QuarantineInfo]) -> None:
        self.quarantined = rows
        self.quarantine_table.setRowCount(len(rows))
        today = self.ctx.today()
        for row, q in enumerate(rows):
            cells = (q.where or _("(niet op dit apparaat)"), ENTITY_NAMES.get(q.entity, q.entity),
                     FIELD_NAMES.get(q.field or "", q.field or _("(onbekend)")), q.reason,
                     saved_when(q.quarantined_at, today))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, q.id)
                self.quarantine_table.setItem(row, column, item)
        self.quarantine_table.resizeRowsToContents()
        for widget in (self.quarantine_title, self.quarantine_intro, self.quarantine_table):
            widget.setVisible(bool(rows))

    def _show(self, conflicts: list[ConflictInfo]) -> None:
        self.conflicts = conflicts
        self.table.setRowCount(len(conflicts))
        for row, c in enumerate(conflicts):
            cells = (c.where or "(niet meer op dit apparaat)", ENTITY_NAMES.get(c.entity, c.entity),
                     FIELD_NAMES.get(c.field, c.field), shown(c.local_value),
                     "(geweigerd)" if c.reason else shown(c.server_value), c.reason or "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.table.setItem(row, column, item)
        self.empty.setVisible(not conflicts)
        self.table.setVisible(bool(conflicts))
        self._selection_changed()
        self.conflicts_shown.emit(len(conflicts))

    def current(self) -> ConflictInfo | None:
        row = self.table.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) and self.table.selectedItems() else None

    def _selection_changed(self) -> None:
        chosen = self.current()
        for button in (self.keep_local, self.keep_server, self.edit):
            button.setEnabled(chosen is not None)

    def resolve(self, choice: str, value: Any = None, chosen: ConflictInfo | None = None) -> None:
        chosen = chosen or self.current()
        if chosen is None:
            return
        conflict_id = chosen.id

        def work(ws: Workspace, uow: UnitOfWork) -> Any:
            ws.drafts.discard(uow, "conflict", conflict_id)  # a value typed for it is no longer needed
            return ws.conflicts.resolve(uow, conflict_id, choice=choice, value=value)

        mutate(self, self.ctx.runner, work).on_success(lambda _r: self.reload()).run()

    def edit_value(self) -> None:
        """Type a value of one's own; what is typed is kept as a draft until the conflict is resolved."""
        chosen = self.current()
        if chosen is None:
            return
        label = FIELD_NAMES.get(chosen.field, chosen.field) + ":"
        start = shown(chosen.local_value)
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_("Eigen waarde"))
        dialog.setAccessibleName(_("Eigen waarde"))
        dialog.setLabelText(label)
        if chosen.field == "text" or len(start) > 80:  # a story text needs room, and Enter for a new line
            dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        dialog.setTextValue(start)
        keeper = EditorDraftKeeper(
            self.ctx.runner, kind="conflict", target_id=chosen.id, watch=dialog, parent=dialog,
            content=lambda: {"value": dialog.textValue()} if dialog.textValue() != start else {},
            lock=getattr(self.ctx.nav, "lock", None))
        dialog.textValueChanged.connect(lambda _text: keeper.mark_dirty())

        def restore(info: EditorDraftInfo | None) -> None:
            if info is not None and isinstance(info.content.get("value"), str):
                with keeper.quiet():
                    dialog.setTextValue(info.content["value"])
                when = saved_when(info.saved_at, self.ctx.today())
                dialog.setLabelText(label + "\n" + _("(niet-opgeslagen tekst van {when} is teruggezet)").format(
                    when=when))

        def accepted() -> None:
            keeper.forget()
            self.resolve("edit", dialog.textValue(), chosen)

        keeper.fetch(restore)
        dialog.accepted.connect(accepted)
        dialog.rejected.connect(keeper.stop)  # Annuleren keeps the typed value for next time
        self.edit_dialog = dialog
        dialog.open()
