"""The notice after a sync in which central had forgotten changes: what the device sent again, what it kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.i18n import _
from workbench.sync.engine import SyncReport
from workbench.sync.epoch import explain


def show_central_restored(parent: QWidget, report: SyncReport) -> QMessageBox | None:
    """A non-modal message when central was restored or missed changes; None after an ordinary sync."""
    text = explain(report)
    if not text:
        return None
    box = QMessageBox(QMessageBox.Icon.Information, _("De centrale was teruggezet"), text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("central_restored_notice")
    box.setWindowModality(Qt.WindowModality.NonModal)  # the handler can keep working; it stays until read
    box.show()
    return box
