"""Leaving with typed text that is not saved: Bewaren voor later, Weggooien or Blijven (the default, and Escape)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.i18n import _


def ask_unsaved(parent: QWidget, text: str, *, comes_back: str, keep: Callable[[], None],
                drop: Callable[[], None]) -> QMessageBox:
    """Open (non-modal) the question `text`; `comes_back` says where kept text returns. Blijven does nothing.

    Returns the open box (tests answer it).
    """
    box = QMessageBox(QMessageBox.Icon.Question, _("Niet opgeslagen"), text, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setAccessibleName(_("Niet opgeslagen"))
    box.setInformativeText(comes_back)
    kept = box.addButton(_("&Bewaren voor later"), QMessageBox.ButtonRole.AcceptRole)
    dropped = box.addButton(_("&Weggooien"), QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton(_("B&lijven"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)

    def answer(button: object) -> None:
        if button is kept:
            keep()
        elif button is dropped:
            drop()

    box.buttonClicked.connect(answer)
    box.open()
    return box
