"""Export and import of a dossier as long background tasks with a progress dialog and a working Cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from ui.errors import show_error
from ui.operations import long_mutate
from ui.tasks import TaskRunner
from workbench.dossier.export import dumps, export_case, write_export
from workbench.dossier.importer import ImportSummary, import_dossier, load_file
from workbench.i18n import _
from workbench.progress import CancelToken, Progress
from workbench.workspace import UnitOfWork, Workspace


class DossierTransfer:
    """Runs one export or import at a time; the window stays responsive and Cancel keeps nothing.

    Attributes:
        dialog: the progress dialog of the running task (None when idle).
        finished: called with a Dutch sentence when a task ends well (tests and the status bar use it).
    """

    def __init__(self, runner: TaskRunner, parent: QWidget, finished: Callable[[str], None]) -> None:
        self._runner = runner
        self._parent = parent
        self._finished = finished
        self.dialog: QProgressDialog | None = None
        self.cancel: CancelToken | None = None
        runner.progress.connect(self._on_progress)

    def _start(self, title: str) -> CancelToken:
        cancel = CancelToken()
        dialog = QProgressDialog(title, _("Annuleren"), 0, 0, self._parent)
        dialog.setWindowTitle(title)
        dialog.setAccessibleName(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.canceled.connect(cancel.cancel)
        self.dialog, self.cancel = dialog, cancel
        return cancel

    def _end(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
        self.dialog = None

    def _on_progress(self, progress: Progress) -> None:
        if self.dialog is not None and progress.total:
            self.dialog.setMaximum(progress.total)
            self.dialog.setValue(progress.done)
            self.dialog.setLabelText(progress.label or self.dialog.labelText())

    def _failed(self, exc: BaseException) -> None:
        self._end()
        show_error(self._parent, exc)

    # -- export --------------------------------------------------------------------------------

    def ask_export(self, case_id: str) -> None:
        name, _filter = QFileDialog.getSaveFileName(self._parent, _("Dossier exporteren"), "dossier.json",
                                                    "JSON (*.json)")
        if name:
            self.export_to(case_id, Path(name))

    def export_to(self, case_id: str, path: Path, *, cancel: CancelToken | None = None) -> None:
        token = cancel or self._start(_("Dossier exporteren"))

        def work(_ws: Workspace, uow: UnitOfWork, _sink: Any, tok: CancelToken) -> Path:
            data = export_case(uow, case_id)
            tok.check()
            write_export(path, dumps(data) + "\n")
            return path

        def done(written: Path) -> None:
            self._end()
            self._finished(_("Dossier geëxporteerd naar {name}. Let op: dit bestand is niet versleuteld.")
                           .format(name=written.name))

        long_mutate(self._parent, self._runner, work, cancel=token).on_success(done).on_failure(self._failed).run()

    # -- import --------------------------------------------------------------------------------

    def ask_import(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self._parent, _("Dossier importeren"), "", "JSON (*.json)")
        if not name:
            return
        answer = QMessageBox.question(self._parent, _("Dossier importeren"),
                                      _("Het dossier in {name} inlezen op dit apparaat?").format(name=Path(name).name))
        if answer == QMessageBox.StandardButton.Yes:
            self.import_from(Path(name))

    def import_from(self, path: Path, *, cancel: CancelToken | None = None) -> None:
        token = cancel or self._start(_("Dossier importeren"))

        def work(_ws: Workspace, uow: UnitOfWork, sink: Any, tok: CancelToken) -> ImportSummary:
            return import_dossier(uow, load_file(path), progress=sink, cancel=tok)

        def done(summary: ImportSummary) -> None:
            self._end()
            self._finished(_("Dossier ingelezen: {summary}").format(summary=summary))

        long_mutate(self._parent, self._runner, work, cancel=token).on_success(done).on_failure(self._failed).run()
