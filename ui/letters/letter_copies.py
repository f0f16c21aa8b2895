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

from ui.operations import mutate, query
from ui.tasks import TaskRunner
from workbench.i18n import _
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
    dialog.setWindowTitle(_("Brief afdrukken"))
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
        query(self._parent, self._runner, lambda _ws, uow: copies.copy_of(uow, letter_id)) \
            .on_success(self._save).run()

    def print(self, letter_id: str) -> None:
        query(self._parent, self._runner, lambda _ws, uow: copies.copy_of(uow, letter_id)) \
            .on_success(self._print).run()

    def _save(self, copy: LetterCopy) -> None:
        path = self.choose_file(self._parent, copy.file_name)
        if not path:
            return
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")

        def write(uow: UnitOfWork) -> Path:
            copies.write_copy(target, copy.pdf)  # owner-only (0600): the copy is not encrypted
            copies.record_copy(uow, copy, how="pdf")
            return target

        mutate(self._parent, self._runner, lambda _ws, uow: write(uow)).on_success(lambda p: self._said(
            f"Kopie opgeslagen als {p.name}" + ("" if copy.issued else " (concept)")
            + f". {copies.NOT_ENCRYPTED}")).run()

    def _print(self, copy: LetterCopy) -> None:
        if not self.print_pdf(self._parent, copy.pdf):
            return
        mutate(self._parent, self._runner, lambda _ws, uow: copies.record_copy(uow, copy, how="print")) \
            .on_success(lambda _r: self._said("De brief is naar de printer gestuurd.")).run()
