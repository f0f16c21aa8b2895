"""A list page's search line: it searches once typing pauses, Down goes to the list, its clear button is named."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QToolButton

from workbench.i18n import _

DEBOUNCE_MS = 150


class SearchBox(QLineEdit):
    """What to type is in the placeholder; "&Zoeken:" is its label (`label`, to put before it).

    Attributes:
        label: the "Zoeken:" label whose mnemonic goes to this box.

    Signals:
        typing_paused(): search what is typed now; down_pressed(): the handler goes down to the results.
    """

    typing_paused = Signal()
    down_pressed = Signal()

    def __init__(self, name: str, *, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setPlaceholderText(_("Zoek op naam, zaaknummer of wat er is verteld"))
        self.setClearButtonEnabled(True)
        for button in self.findChildren(QToolButton):  # the clear button Qt adds
            button.setAccessibleName(_("Zoekterm wissen"))
        self.label = QLabel(_("&Zoeken:"))
        self.label.setBuddy(self)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(debounce_ms)
        self._pause.timeout.connect(self.typing_paused)
        self.textChanged.connect(lambda _text: self._pause.start())

    def waiting(self) -> bool:
        """Typed text is waiting for the pause: what is shown is not its search yet."""
        return self._pause.isActive()

    def stop_waiting(self) -> None:
        """The search of what is typed runs now (Enter came first): no second one when the pause ends."""
        self._pause.stop()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)
