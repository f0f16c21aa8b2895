"""A PDF shown in the window with QtPdf: the letter as the parent will see it, page after page."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.widgets.text_style import SUBTLE, WARNING, tint
from workbench.i18n import _


class PdfPreview(QWidget):
    """A status line over a scrolling view of every page, fitted to the width.

    Attributes:
        document: the QPdfDocument shown; view: the QPdfView (arrows and Page Up/Down scroll it).
        status: what the preview shows or why it shows nothing new.
        pdf: the bytes shown now (b"" when none).
    """

    def __init__(self, name: str = "Voorbeeld van de brief") -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.status = QLabel("")
        self.status.setAccessibleName(_("Toestand van het voorbeeld"))
        self.status.setWordWrap(True)
        tint(self.status, SUBTLE)
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setAccessibleName(name)
        self.view.setAccessibleDescription(_("Pijltjestoetsen en Page Up/Page Down bladeren door de brief."))
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.setStyleSheet("QPdfView { background: #8a939c; }")
        self._buffer: QBuffer | None = None
        self.pdf = b""
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.status)
        column.addWidget(self.view, 1)
        self.setFocusProxy(self.view)

    def show_pdf(self, pdf: bytes, status: str = "") -> None:
        """Show `pdf`; the previous buffer is kept until the document has let go of it."""
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer, self.pdf = buffer, pdf
        self.set_status(status)

    def clear(self, status: str = "") -> None:
        self.document.close()
        self.pdf = b""
        self.set_status(status)

    def set_status(self, text: str, *, warning: bool = False) -> None:
        self.status.setText(text)
        tint(self.status, WARNING if warning else SUBTLE)
        self.status.setVisible(bool(text))

    def page_count(self) -> int:
        return self.document.pageCount()
