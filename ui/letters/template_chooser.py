"""Step 1 of a new letter: the templates, each with its kind, and what the chosen one is about."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ui.letters.letter_models import KIND
from ui.widgets.text_style import SUBTLE, bold, tint
from workbench.i18n import _
from workbench.letters.templates import list_templates, load_template


class TemplateChooser(QWidget):
    """The template list (the first one current) over a line about the current template.

    Attributes:
        templates: the list (an item's UserRole is its template id); description: subject and version.

    Signals:
        activated(): the handler chose the current template (Enter or a double click).
    """

    activated = Signal()

    def __init__(self) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        heading = bold(QLabel(_("Stap 1 van 2: kies een sjabloon")))
        self.templates = QListWidget()
        self.templates.setAccessibleName(_("Sjablonen"))
        for template in list_templates():
            item = QListWidgetItem(f"{template.title}  ·  {KIND.get(template.kind, template.kind)}")
            item.setData(Qt.ItemDataRole.UserRole, template.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{template.title}, {KIND.get(template.kind, '')}")
            self.templates.addItem(item)
        self.templates.setCurrentRow(0)
        self.templates.itemActivated.connect(lambda _item: self.activated.emit())
        self.templates.currentItemChanged.connect(lambda item, _prev: self._describe(item))
        self.description = QLabel("")
        self.description.setAccessibleName(_("Over dit sjabloon"))
        self.description.setWordWrap(True)
        tint(self.description, SUBTLE)
        column.addWidget(heading)
        column.addWidget(self.templates, 1)
        column.addWidget(self.description)
        self._describe(self.templates.currentItem())

    def current_id(self) -> str | None:
        item = self.templates.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _describe(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        template = load_template(item.data(Qt.ItemDataRole.UserRole))
        extra = (" De bedragen komen uit de berekening met de beleidsregels; een collega controleert de beschikking."
                 if template.kind == "beschikking" else "")
        self.description.setText(_("Onderwerp: {subject}. Versie {version}.").format(
            subject=template.subject, version=template.version) + extra)
