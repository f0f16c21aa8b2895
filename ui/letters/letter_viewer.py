"""A letter that can no longer be edited, shown as its PDF (the stored one once it was sent)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from ui.errors import show_error
from ui.letters.pdf_preview import PdfPreview
from ui.operations import query
from ui.tasks import TaskRunner
from ui.widgets.screen_fit import fit_to_screen
from workbench.i18n import _


class LetterViewer(QDialog):
    """Read-only: the preview (audited as a view by the core) and a close button.

    Attributes:
        preview: the PDF; close_button: closes (Escape too).
    """

    def __init__(self, parent: QWidget, runner: TaskRunner, *, letter_id: str, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.preview = PdfPreview()
        self.preview.set_status(_("Brief wordt geladen…"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(_("Sluiten"))
        self.close_button.setAccessibleName(_("Sluiten"))
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.preview, 1)
        column.addWidget(buttons)
        fit_to_screen(self, QSize(760, 900))
        self.setFocusProxy(self.preview)
        query(self, runner, lambda ws, uow: ws.letters.preview(uow, letter_id)) \
            .on_success(self._on_pdf).on_failure(self._on_failed).run()

    def _on_pdf(self, pdf: bytes) -> None:
        self.preview.show_pdf(pdf)

    def _on_failed(self, exc: BaseException) -> None:
        self.preview.set_status(_("De brief kon niet worden getoond."), warning=True)
        show_error(self, exc)
