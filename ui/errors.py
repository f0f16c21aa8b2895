"""The one place that turns exceptions into messages: expected problems in Dutch, bugs with a reference."""

from __future__ import annotations

import logging
import sys
import traceback
import uuid
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.errors import UserError

log = logging.getLogger("zaakwerkbank.bugs")


def bug_reference() -> str:
    return uuid.uuid4().hex[:8].upper()


def log_bug(exc: BaseException) -> str:
    """Log a bug without values (they may hold personal data): type, file and line of each frame."""
    ref = bug_reference()
    frames = traceback.extract_tb(exc.__traceback__)
    where = " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames))
    log.error("bug %s: %s at %s", ref, type(exc).__name__, where)
    return ref


def message_for(exc: BaseException) -> tuple[str, str]:
    """(title, text) for a dialog; a bug's text never holds its message or traceback."""
    if isinstance(exc, UserError):
        return "Let op", exc.text()
    ref = log_bug(exc)
    return ("Er ging iets mis", "Er ging iets mis in de Zaakwerkbank. Uw werk is opgeslagen tot de laatste "
            f"handeling. Meld dit bij de servicedesk met referentie {ref}.")


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    title, text = message_for(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(title)
    box.open()


def report_unhandled(exc: BaseException) -> None:
    show_error(None, exc)


def install_excepthook() -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        report_unhandled(exc)

    sys.excepthook = hook
