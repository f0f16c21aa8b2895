"""A draft letter's live preview: its PDF and the letter check, rendered on the DB thread once typing pauses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.errors import show_error
from ui.letters.facts_form import FactsInput
from ui.letters.findings_view import FindingsView
from ui.letters.pdf_preview import PdfPreview
from ui.operations import query
from ui.tasks import TaskRunner
from workbench.clock import today
from workbench.errors import UserError
from workbench.i18n import _
from workbench.letters import queries
from workbench.letters.letter_check import Finding
from workbench.policy.engine import Assessment, compute
from workbench.policy.facts import CaseFacts

if TYPE_CHECKING:
    from workbench.workspace import UnitOfWork, Workspace

DEBOUNCE_MS = 400


def case_facts(facts: FactsInput | None, uow: UnitOfWork) -> CaseFacts | None:
    """The typed facts as of today (the date the letter is sent), on the DB thread."""
    return None if facts is None else facts.to_facts(today(uow.clock))


@dataclass(frozen=True)
class DraftInput:
    """What the form holds now: what a preview (or a save) is made of."""

    case_id: str
    template_id: str
    values: dict[str, Any]
    facts: FactsInput | None
    child_id: str | None


class DraftPreview(QWidget):
    """The PDF over what the check found. At most one render runs at a time; a change while it runs renders
    once more afterwards.

    Attributes:
        pdf: the letter as the parent will see it; findings: what the letter check found.

    Signals:
        assessed(object): the amounts computed from the facts (an Assessment, or None without facts).
        refused(object): the UserError why the preview could not be made (it stays as it was).
        shown(): a fresh preview, or the reason there is none, is on screen.
    """

    assessed = Signal(object)
    refused = Signal(object)
    shown = Signal()

    def __init__(self, runner: TaskRunner, draft: Callable[[], DraftInput | None], *,
                 debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__()
        self._runner, self._draft = runner, draft
        self._rendering = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.render_now)
        self.pdf = PdfPreview()
        self.findings = FindingsView()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.pdf, 1)
        column.addWidget(self.findings)

    def schedule(self) -> None:
        """Render once typing pauses."""
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def render_now(self) -> None:
        """Render what the form holds now; a change while rendering renders once more afterwards."""
        draft = self._draft()
        if draft is None:
            return
        if self._rendering:
            self._again = True
            return
        self._rendering, self._again = True, False

        def job(_ws: Workspace, uow: UnitOfWork) -> tuple[Assessment | None, bytes, list[Finding]]:
            found = case_facts(draft.facts, uow)
            assessment = None if found is None else compute(found)
            pdf = queries.draft_preview(uow, draft.case_id, template_id=draft.template_id, values=draft.values,
                                        facts=found, child_id=draft.child_id)
            return assessment, pdf, queries.draft_findings(uow, draft.case_id, template_id=draft.template_id,
                                                           values=draft.values, facts=found,
                                                           child_id=draft.child_id)

        self.pdf.set_status(_("Voorbeeld wordt bijgewerkt…"))
        query(self, self._runner, job).on_success(self._on_rendered).on_failure(self._on_failed).run()

    def _done(self) -> None:
        self._rendering = False
        if self._again:
            self.schedule()
        self.shown.emit()

    def _on_rendered(self, result: tuple[Assessment | None, bytes, list[Finding]]) -> None:
        assessment, pdf, findings = result
        self.assessed.emit(assessment)
        self.findings.show_findings(findings)
        self.pdf.show_pdf(pdf, "Voorbeeld met de gegevens van nu (CONCEPT).")
        self._done()

    def _on_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            self._done()
            show_error(self, exc)
            return
        self.refused.emit(exc)
        self.pdf.set_status(_("Het voorbeeld is nog niet bijgewerkt: {reason}").format(reason=exc.text()),
                            warning=True)
        self._done()
