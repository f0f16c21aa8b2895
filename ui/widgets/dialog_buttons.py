"""A dialog's confirming button and Annuleren, in Dutch and named for the screen reader, as every dialog has them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialogButtonBox

from workbench.i18n import _

OK, CANCEL = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel


def confirm_or_cancel(confirm: str, *, accepted: Callable[[], None], rejected: Callable[[], None],
                      name: str | None = None) -> QDialogButtonBox:
    """OK reads `confirm` (its accessible name is `name`, else `confirm` without its "&"), Cancel "Annuleren".

    The confirming button is `buttons.button(OK)`; Enter presses it, Escape presses Annuleren.
    """
    buttons = QDialogButtonBox(OK | CANCEL)
    ok = buttons.button(OK)
    ok.setText(confirm)
    ok.setAccessibleName(name or confirm.replace("&", ""))
    cancel = buttons.button(CANCEL)
    cancel.setText(_("Annuleren"))
    cancel.setAccessibleName(_("Annuleren"))
    buttons.accepted.connect(accepted)
    buttons.rejected.connect(rejected)
    return buttons
