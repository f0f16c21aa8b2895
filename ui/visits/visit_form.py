"""The fields of a home visit: where, who, the topics, what the parent tells, and the agreements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ui.visits.agreements_editor import AgreementsEditor
from ui.visits.autosave import DraftContent
from workbench.i18n import _
from workbench.visits.service import TOPICS, VisitDraftInfo


def _section(title: str, buddy: QWidget | None = None) -> QLabel:
    label = QLabel(title)
    label.setObjectName("visitSection")
    if buddy is not None:
        label.setBuddy(buddy)
    return label


class VisitForm(QWidget):
    """Everything the handler fills in; knows nothing of the store (the page saves `content()`).

    Attributes:
        location, present, topics, text, agreements: the fields, in tab order.
        text_message: a problem with the report, shown under it.

    Signals:
        changed(): the handler changed something (not emitted while a draft is being filled in).
    """

    changed = Signal()

    def __init__(self, *, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        body = QHBoxLayout()
        body.setSpacing(24)
        body.addWidget(self._side_column())
        body.addLayout(self._text_column(), 1)
        outer.addLayout(body, 1)
        outer.addSpacing(4)
        outer.addWidget(_section(_("Afspraken")))
        self.agreements = AgreementsEditor(today=today)
        outer.addWidget(self.agreements)
        for signal in (self.location.textChanged, self.present.textChanged, self.text.textChanged,
                       self.agreements.changed, *(box.toggled for box in self.topics.values())):
            signal.connect(self._on_changed)

    def _side_column(self) -> QWidget:
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(6)
        self.location = QLineEdit()
        self.location.setAccessibleName(_("Waar"))
        self.location.setPlaceholderText(_("Bijvoorbeeld: thuis, keukentafel"))
        self.present = QLineEdit()
        self.present.setAccessibleName(_("Aanwezig"))
        self.present.setPlaceholderText(_("Wie zijn er bij?"))
        for title, field in ((_("&Waar"), self.location), (_("Aa&nwezig"), self.present)):
            side.addWidget(_section(title, field))
            side.addWidget(field)
            side.addSpacing(8)
        side.addWidget(_section(_("Besproken onderwerpen")))
        self.topics: dict[str, QCheckBox] = {}
        for code, label_text in TOPICS.items():
            box = QCheckBox(_(label_text))
            box.setAccessibleName(_("Onderwerp: {topic}").format(topic=_(label_text)))
            self.topics[code] = box
            side.addWidget(box)
        side.addStretch(1)
        column = QWidget()
        column.setLayout(side)
        # Wide enough for the longest topic, and no wider: at a large font the report keeps its room.
        width = self.fontMetrics().horizontalAdvance("x") * 32
        column.setFixedWidth(min(max(width, 260), 400))
        return column

    def _text_column(self) -> QVBoxLayout:
        main = QVBoxLayout()
        main.setSpacing(6)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(_("Wat vertelt de ouder?"))
        self.text.setTabChangesFocus(True)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.text.setFont(font)
        self.text.setPlaceholderText(_("Schrijf hier in de woorden van de ouder wat er verteld wordt."))
        self.text.setMinimumHeight(self.text.fontMetrics().lineSpacing() * 8)
        main.addWidget(_section(_("Wat vertelt de &ouder?"), self.text))
        main.addWidget(self.text, 1)
        self.text_message = QLabel("")
        self.text_message.setObjectName("visitMessage")
        self.text_message.setAccessibleName(_("Melding bij het verslag"))
        self.text_message.setWordWrap(True)
        self.text_message.hide()
        main.addWidget(self.text_message)
        return main

    # -- data ----------------------------------------------------------------------------------

    def _on_changed(self) -> None:
        if not self._filling:
            self.changed.emit()

    def content(self) -> DraftContent:
        return DraftContent(
            location=self.location.text(), present=self.present.text(),
            topics=tuple(code for code, box in self.topics.items() if box.isChecked()),
            text=self.text.toPlainText(), items=tuple(item for _row, item in self.agreements.items()))

    def fill(self, draft: VisitDraftInfo) -> None:
        """Show a saved draft exactly as it was; filling in is not a change."""
        self._filling = True
        try:
            self.location.setText(draft.location)
            self.present.setText(draft.present)
            for code, box in self.topics.items():
                box.setChecked(code in draft.topics)
            self.text.setPlainText(draft.text)
            self.agreements.set_items(draft.items)
        finally:
            self._filling = False

    def first_field(self) -> QWidget:
        """Where typing continues: the report once something is written, else the first field."""
        if self.text.toPlainText() or self.location.text():
            self.text.moveCursor(self.text.textCursor().MoveOperation.End)
            return self.text
        return self.location

    def focus_chain(self) -> list[QWidget]:
        return [self.location, self.present, *self.topics.values(), self.text, *self.agreements.focus_chain()]

    def show_text_problem(self, text: str) -> None:
        self.text_message.setText(text)
        self.text_message.show()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_problems(self) -> None:
        self.agreements.clear_errors()
        self.text_message.hide()
