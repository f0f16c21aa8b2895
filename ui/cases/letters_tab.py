"""The Brieven tab: a place holder until the letters feature lists a case's letters and decisions here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.widgets.text_style import SUBTLE, tint

EMPTY = "Brieven en beschikkingen komen hier. Deze zaak heeft nog geen brieven."


class LettersTab(QWidget):
    """Says calmly that there are no letters yet.

    Attributes:
        message: the sentence shown (focusable, so a screen reader reads it when the tab is opened).
    """

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Brieven")
        self.message = QLabel(EMPTY)
        self.message.setAccessibleName("Brieven")
        self.message.setAccessibleDescription(EMPTY)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        tint(self.message, SUBTLE)
        self.message.setContentsMargins(24, 24, 24, 24)
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(self.message)
        column.addStretch(2)
        self.setFocusProxy(self.message)
