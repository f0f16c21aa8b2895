"""Text colours and weight for labels: set through palette and font, which is cheap enough for dozens of labels."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel, QWidget

WARNING = "#a4221b"
SUBTLE = "#4a5561"


def tint(widget: QWidget, colour: str) -> None:
    """Text colour through the palette: far cheaper than a style sheet on each of dozens of labels."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    widget.setPalette(palette)


def bold(label: QLabel) -> QLabel:
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label
