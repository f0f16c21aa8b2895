"""The Brieven tab of a case view: the letters panel of that case."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.context import UiContext
from ui.letters.letters_panel import LettersPanel
from workbench.i18n import _


class LettersTab(QWidget):
    """Holds the LettersPanel of one case and loads it when shown.

    Attributes:
        panel: the letters panel.
    """

    def __init__(self, ctx: UiContext, case_id: str) -> None:
        super().__init__()
        self.setAccessibleName(_("Brieven"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.panel = LettersPanel(ctx, case_id)
        layout.addWidget(self.panel)
        self.setFocusProxy(self.panel)

    @property
    def message(self) -> QLabel:
        """The sentence shown while the case has no letters (focusable, so a screen reader reads it)."""
        return self.panel.message

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        holder = self.parentWidget()
        if holder is not None and self.width() < holder.contentsRect().width():
            # Built while being shown, before the holder's layout gave this tab its size: take it now, so
            # the first frame is not squeezed into the default 640 pixels.
            self.setGeometry(holder.contentsRect())
        self.panel.ensure_loaded()
