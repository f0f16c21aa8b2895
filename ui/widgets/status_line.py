"""What just happened, said on the window's status line: the page it happened on may change or reload next."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QWidget

SHOWN_MS = 20_000  # long enough to read after a dialog closes; the next message replaces it anyway


def tell(widget: QWidget, text: str) -> None:
    """Show `text` on the status line of the window `widget` is in (nothing when it is in none)."""
    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, SHOWN_MS)
