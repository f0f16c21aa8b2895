"""F1: an overlay listing every keyboard shortcut, so the workbench can be used without a mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from workbench.i18n import N_, _

SHORTCUTS: list[tuple[str, str]] = [
    ("F1", N_("Deze hulp tonen of sluiten")),
    ("Ctrl+1", N_("Mijn zaken")),
    ("Ctrl+2", N_("Acties & toezeggingen")),
    ("Ctrl+3", N_("Zoeken")),
    ("Ctrl+4", N_("Te beoordelen: brieven van collega's goedkeuren of afkeuren")),
    ("Ctrl+6", N_("Team: cijfers per behandelaar (alleen voor teamleiders)")),
    ("Enter / F5", N_("Team: de zaken achter het gekozen cijfer / cijfers vernieuwen")),
    ("Alt+C / Alt+V", N_("Team: zaken achter het cijfer / gekozen zaak overdragen")),
    ("Ctrl+F", N_("Zoekveld in de zakenlijst")),
    ("Enter", N_("Geselecteerde zaak openen")),
    ("Alt+Links / Esc", N_("Terug")),
    ("Ctrl+Tab", N_("Volgend tabblad in een zaak")),
    ("Alt+1 … Alt+6", N_("Tabblad in een zaak kiezen")),
    ("Alt+N / Alt+O", N_("Brieven: nieuwe brief / gekozen brief openen")),
    ("Ctrl+Z / Ctrl+Shift+Z", N_("Ongedaan maken / opnieuw")),
    ("Ctrl+L", N_("Vergrendelen")),
    ("Ctrl+,", N_("Instellingen")),
    ("Ctrl+I / Ctrl+E", N_("Dossier importeren / dossier van de open zaak exporteren")),
    ("Ctrl+Enter", N_("Huisbezoek: nieuwe afspraak")),
    ("Ctrl+S", N_("Huisbezoek: nu opslaan")),
    ("Alt+A", N_("Huisbezoek afronden")),
    ("Ctrl+W", N_("Huisbezoek: later verder")),
]


class HelpOverlay(QWidget):
    """Covers the window with the shortcut list; F1 or Escape closes it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#helpOverlay { background: #f4f6f8; }")
        self.setAccessibleName(_("Sneltoetsen"))
        layout = QVBoxLayout(self)
        title = QLabel(_("Sneltoetsen"))
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        layout.addWidget(title)
        self.table = QTableWidget(len(SHORTCUTS), 2)
        self.table.setAccessibleName(_("Lijst met sneltoetsen"))
        self.table.setHorizontalHeaderLabels([_("Toets"), _("Wat het doet")])
        for row, (keys, what) in enumerate(SHORTCUTS):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(_(what)))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        layout.addWidget(QLabel(_("Druk op F1 of Esc om deze hulp te sluiten.")))
        self.hide()

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.table.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F1):
            self.hide()
            return
        super().keyPressEvent(event)
