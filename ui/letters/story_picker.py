"""Uit het verhaal: choose a finished home visit or tick story entries to fill a letter; the fields stay editable."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from ui.widgets.text_style import SUBTLE, WARNING, tint
from workbench.i18n import _
from workbench.letters.story_source import GESPREKSVERSLAG, StoryChoice

LIST_ROWS = 6


def choice_text(choice: StoryChoice) -> str:
    """One line per entry: date, kind and the first words (the place too, for a home visit)."""
    where = f" · {choice.location}" if choice.location and choice.is_visit else ""
    return f"{choice.occurred_on:%d-%m-%Y} · {choice.kind_label}{where} · {choice.first_words}"


class StoryPicker(QGroupBox):
    """Choose what a letter tells from the case's story. It only fills the form; the handler edits on.

    A gespreksverslag can start from one finished home visit (the visit list) or from ticked entries; a
    beschikking's "Wat er is gebeurd" from ticked entries.

    Attributes:
        visits, visit_button: the finished home visits and "Vul in uit dit huisbezoek" (gespreksverslag only).
        entries, entries_button: the story, newest first, with a tick box per entry, and "Vul in met gekozen".
        message: what was filled, or why not.

    Signals:
        visit_chosen(str): fill from this home visit's story entry.
        entries_chosen(list): fill from these ticked story entries.
    """

    visit_chosen = Signal(str)
    entries_chosen = Signal(list)

    def __init__(self, template_id: str) -> None:
        conversation = template_id == GESPREKSVERSLAG
        title = "Uit het verhaal" if conversation else "Wat er is gebeurd: uit het verhaal"
        super().__init__(title)
        self.setAccessibleName(title)
        column = QVBoxLayout(self)
        intro = QLabel(_("Kies een afgerond huisbezoek of vink verslagen aan. Daarmee worden de datum, de plaats, "
                       "wie er waren en het verslag ingevuld. U kunt alles daarna nog aanpassen.")
                       if conversation else
                       _("Vink de verslagen aan waarmee u wilt beginnen. Ze komen op volgorde van datum in het veld "
                       "'Wat er is gebeurd'. U kunt de tekst daarna nog aanpassen."))
        intro.setWordWrap(True)
        tint(intro, SUBTLE)
        column.addWidget(intro)

        self.visits = QComboBox()
        self.visits.setAccessibleName(_("Afgerond huisbezoek"))
        self.visit_button = QPushButton(_("Vul in uit dit &huisbezoek"))
        self.visit_button.setAccessibleName(_("Vul de brief in uit het gekozen huisbezoek"))
        self.visit_button.clicked.connect(self._on_visit)
        visit_row = QHBoxLayout()
        visit_label = QLabel(_("Huisbezoek:"))
        visit_label.setBuddy(self.visits)
        visit_row.addWidget(visit_label)
        visit_row.addWidget(self.visits, 1)
        visit_row.addWidget(self.visit_button)
        if conversation:
            column.addLayout(visit_row)
        else:
            for widget in (visit_label, self.visits, self.visit_button):
                widget.hide()

        self.entries = QListWidget()
        self.entries.setAccessibleName(_("Verslagen uit het verhaal, nieuwste eerst; vink aan met de spatiebalk"))
        self.entries.setMinimumHeight(self.entries.fontMetrics().lineSpacing() * LIST_ROWS)
        self.entries.setMaximumHeight(self.entries.fontMetrics().lineSpacing() * (LIST_ROWS + 4))
        self.entries.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.entries.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.entries.setUniformItemSizes(True)
        self.entries.itemChanged.connect(lambda _item: self._update_buttons())
        self.entries_button = QPushButton(_("Vul in met &gekozen verslagen"))
        self.entries_button.setAccessibleName(_("Vul de brief in met de aangevinkte verslagen"))
        self.entries_button.clicked.connect(self._on_entries)
        column.addWidget(self.entries)
        row = QHBoxLayout()
        self.message = QLabel("")
        self.message.setAccessibleName(_("Uit het verhaal: melding"))
        self.message.setWordWrap(True)
        row.addWidget(self.message, 1)
        row.addWidget(self.entries_button)
        column.addLayout(row)
        self.set_choices([], ())

    def set_choices(self, choices: Sequence[StoryChoice], checked: Sequence[str]) -> None:
        """The case's story, with the entries the letter was filled from ticked."""
        self.visits.clear()
        self.entries.blockSignals(True)
        self.entries.clear()
        ticked = set(checked)
        for choice in choices:
            if choice.is_visit:
                self.visits.addItem(f"{choice.occurred_on:%d-%m-%Y}" + (f" · {choice.location}" if choice.location
                                                                        else ""), choice.id)
            item = QListWidgetItem(choice_text(choice))
            item.setToolTip(choice_text(choice))
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if choice.id in ticked else Qt.CheckState.Unchecked)
            self.entries.addItem(item)
        self.entries.blockSignals(False)
        if not self.visits.count():
            self.visits.addItem(_("Nog geen afgerond huisbezoek"), None)
        # Said while the story is empty (and while it loads); entries that arrive take the message away.
        self.show_message("" if choices else _("Er staat nog niets in het verhaal van deze zaak."))
        self._update_buttons()

    def checked_ids(self) -> list[str]:
        return [self.entries.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.entries.count())
                if self.entries.item(n).checkState() == Qt.CheckState.Checked]

    def tick(self, entry_ids: Sequence[str]) -> None:
        """Tick exactly these entries (after a home visit was chosen, its entry)."""
        wanted = set(entry_ids)
        for n in range(self.entries.count()):
            item = self.entries.item(n)
            state = Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted else Qt.CheckState.Unchecked
            item.setCheckState(state)

    def show_message(self, text: str, *, warning: bool = False) -> None:
        self.message.setText(text)
        tint(self.message, WARNING if warning else SUBTLE)

    def _update_buttons(self) -> None:
        self.visit_button.setEnabled(self.visits.currentData() is not None)
        self.entries_button.setEnabled(bool(self.checked_ids()))

    def _on_visit(self) -> None:
        visit_id = self.visits.currentData()
        if visit_id is not None:
            self.visit_chosen.emit(visit_id)

    def _on_entries(self) -> None:
        ids = self.checked_ids()
        if ids:
            self.entries_chosen.emit(ids)
