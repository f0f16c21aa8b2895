"""Kopie opslaan als PDF and Afdrukken: the copy comes from the core, leaves the device here, and is audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
from shiboken6 import isValid

from ui.errors import show_error
from ui.tasks import TaskRunner
from workbench.letters import copies
from workbench.letters.copies import LetterCopy

if TYPE_CHECKING:
    from workbench.workspace import UnitOfWork

ChooseFile = Callable[[QWidget, str], str | None]
PrintPdf = Callable[[QWidget, bytes], bool]


def ask_file(parent: QWidget, suggested: str) -> str | None:
    """The save dialog; None when the handler cancels."""
    path, _filter = QFileDialog.getSaveFileName(parent, "Kopie opslaan als PDF", str(Path.home() / suggested),
                                                "PDF-bestanden (*.pdf)")
    return path or None


def print_document(printer: QPrinter, pdf: bytes) -> int:
    """Draw every page of `pdf` on `printer` at its resolution; returns the number of pages printed."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    painter = QPainter()
    if document.pageCount() == 0 or not painter.begin(printer):
        return 0
    try:
        dpi = printer.resolution()
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            target = painter.viewport()
            image = document.render(page, size)
            scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), scaled), image)
    finally:
        painter.end()
    return document.pageCount()


def ask_and_print(parent: QWidget, pdf: bytes) -> bool:
    """The print dialog, then the pages; False when the handler cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName("Brief")
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Brief afdrukken")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return print_document(printer, pdf) > 0


class LetterCopier:
    """Saves or prints a copy of one letter and records it in the audit log once it was made.

    Attributes:
        choose_file, print_pdf: the dialogs; tests put fakes here.
    """

    def __init__(self, parent: QWidget, runner: TaskRunner, *, said: Callable[[str], None]) -> None:
        self._parent, self._runner, self._said = parent, runner, said
        self.choose_file: ChooseFile = ask_file
        self.print_pdf: PrintPdf = ask_and_print

    def save(self, letter_id: str) -> None:
        self._runner.run(lambda _ws, uow: copies.copy_of(uow, letter_id), done=self._guard(self._save),
                         failed=self._guard(self._failed))

    def print(self, letter_id: str) -> None:
        self._runner.run(lambda _ws, uow: copies.copy_of(uow, letter_id), done=self._guard(self._print),
                         failed=self._guard(self._failed))

    def _save(self, copy: LetterCopy) -> None:
        path = self.choose_file(self._parent, copy.file_name)
        if not path:
            return
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")

        def write(uow: UnitOfWork) -> Path:
            copies.write_copy(target, copy.pdf)  # owner-only (0600): the copy is not encrypted
            copies.record_copy(uow, copy, how="pdf")
            return target

        self._runner.run(lambda _ws, uow: write(uow), done=self._guard(lambda p: self._said(
            f"Kopie opgeslagen als {p.name}" + ("" if copy.issued else " (concept)")
            + f". {copies.NOT_ENCRYPTED}")),
                         failed=self._guard(self._failed))

    def _print(self, copy: LetterCopy) -> None:
        if not self.print_pdf(self._parent, copy.pdf):
            return
        self._runner.run(lambda _ws, uow: copies.record_copy(uow, copy, how="print"),
                         done=self._guard(lambda _r: self._said("De brief is naar de printer gestuurd.")),
                         failed=self._guard(self._failed))

    def _failed(self, exc: BaseException) -> None:
        show_error(self._parent, exc)

    def _guard(self, slot: Callable[[object], None]) -> Callable[[object], None]:
        def call(value: object) -> None:
            if isValid(self._parent):
                slot(value)
        return call
