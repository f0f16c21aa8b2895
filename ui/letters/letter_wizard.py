"""Nieuwe brief: choose a template, fill in its fields beside a live PDF preview, save it as a concept."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import UiContext
from ui.errors import show_error
from ui.letters.draft_preview import DEBOUNCE_MS, DraftInput, DraftPreview, case_facts
from ui.letters.facts_form import FactsForm, scheme_for
from ui.letters.letter_form import LetterForm
from ui.letters.story_picker import StoryPicker
from ui.letters.template_chooser import TemplateChooser
from ui.letters.wizard_draft import WizardDraft
from ui.operations import mutate, query
from ui.widgets.screen_fit import fit_to_screen
from ui.widgets.text_style import bold
from workbench.errors import UserError, ValidationError
from workbench.i18n import _, ngettext
from workbench.letters import queries, story_source
from workbench.letters.case_defaults import case_defaults
from workbench.letters.earlier_payments import earlier_payments
from workbench.letters.queries import DraftValues
from workbench.letters.templates import Template, load_template
from workbench.policy.engine import Assessment
from workbench.policy.facts import CaseFacts, EarlierPayment

if TYPE_CHECKING:
    from workbench.workspace import UnitOfWork, Workspace


class LetterWizard(QDialog):
    """Two steps in one window. The preview is rendered on the DB thread, at most one at a time, once typing
    pauses; a beschikking's amounts come from the facts form through the policy engine.

    Attributes:
        chooser: the template list (step 1); form, facts: the fields (step 2); preview: the PDF and the check.
        story: picks a home visit or story entries that fill a gespreksverslag or a beschikking's facts.
        next_button, back_button, save_button, cancel_button: the dialog's buttons.
        letter_id: the letter being edited (None for a new one).

    Signals:
        saved(object): the LetterInfo of the saved concept.
        preview_shown(): a fresh preview (or the reason there is none) is on screen.
    """

    saved = Signal(object)
    preview_shown = Signal()

    def __init__(self, ctx: UiContext, case_id: str, *, parent: QWidget | None = None,
                 draft: DraftValues | None = None, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.ctx, self.case_id = ctx, case_id
        self.letter_id = draft.id if draft else None
        self._draft_child = draft.child_id if draft else None
        title = "Brief bewerken" if draft else "Nieuwe brief"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.template: Template | None = None
        self.form: LetterForm | None = None
        self.facts: FactsForm | None = None
        self.story: StoryPicker | None = None
        # The story entries the letter was filled from; None: not (re)chosen in this window, keep what is stored.
        self.story_entry_ids: list[str] | None = None
        self.preview = DraftPreview(ctx.runner, self._draft_input, debounce_ms=debounce_ms)
        self.preview.assessed.connect(self._on_assessed)
        self.preview.refused.connect(self._on_preview_refused)
        self.preview.shown.connect(self.preview_shown)

        self.chooser = TemplateChooser()
        self.chooser.activated.connect(self.go_next)
        self.steps = QStackedWidget()
        self.steps.addWidget(self.chooser)
        self.steps.addWidget(self._fill_step())
        self.back_button = QPushButton(_("V&orige"))
        self.back_button.setAccessibleName(_("Vorige stap: sjabloon kiezen"))
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton(_("&Volgende"))
        self.next_button.setAccessibleName(_("Volgende stap: brief invullen"))
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.go_next)
        self.save_button = QPushButton(_("Opslaan als &concept"))
        self.save_button.setAccessibleName(_("Opslaan als concept"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(_("Annuleren"))
        self.cancel_button.setAccessibleName(_("Annuleren zonder op te slaan"))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (self.next_button, self.save_button, self.cancel_button):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        self.drafts = WizardDraft(self)  # what is typed here is kept until saved (see wizard_draft.py)
        column.addWidget(self.drafts.bar)
        column.addWidget(self.steps, 1)
        column.addLayout(buttons)
        fit_to_screen(self, QSize(1200, 820))
        if draft is None:
            self._show_step(0)
        else:
            self._start_fill(load_template(draft.template_id), draft.values, draft.facts)

    # -- step 2: the fields and the preview ----------------------------------------------------------

    def _fill_step(self) -> QWidget:
        self.heading = bold(QLabel(""))
        self.fields_area = QScrollArea()
        self.fields_area.setWidgetResizable(True)
        self.fields_area.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.fields_area)
        self.splitter.addWidget(self.preview)
        self.splitter.setSizes([620, 580])
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(self.heading)
        column.addWidget(self.splitter, 1)
        return page

    def _start_fill(self, template: Template, values: dict[str, Any] | None, facts: CaseFacts | None = None) -> None:
        self.template = template
        # Derived fields (terms, deadlines, amounts) are computed for the date the letter is sent: never typed.
        # A letter to a child takes the child's name, birth date and aanhef from the child record.
        hidden = queries.CONSENT_FIELDS | queries.derived_fields(template)
        if template.addressee_role == "child":
            hidden |= queries.CHILD_FIELDS
        self.form = LetterForm(template, today=self.ctx.today, hidden=hidden, fixed=frozenset())
        self.form.changed.connect(self.preview.schedule)
        holder = QWidget()
        column = QVBoxLayout(holder)
        self.story, self.story_entry_ids = None, None
        if template.id in story_source.STORY_TEMPLATES:
            self.story = StoryPicker(template.id)
            self.story.visit_chosen.connect(self.fill_from_visit)
            self.story.entries_chosen.connect(self.fill_from_entries)
            column.addWidget(self.story)
            self._load_story()
        column.addWidget(self.form)
        self.facts = None
        if any(spec.derived == "assessment" for spec in template.fields):  # amounts computed from facts
            self.facts = FactsForm(scheme_for(template.id))
            self.facts.changed.connect(self.preview.schedule)
            column.addWidget(self.facts)
            if facts is not None:
                self.facts.set_facts(facts)
            elif self.facts.payments is not None:
                self._fill_earlier_payments(self.facts)
            if self.facts.child is not None:
                case_id, chosen = self.case_id, self._draft_child
                query(self, self.ctx.runner, lambda _ws, uow: queries.case_children(uow, case_id)) \
                    .on_success(lambda found: self._on_children(found, chosen)).run()
        column.addStretch(1)
        old = self.fields_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.fields_area.setWidget(holder)
        self.heading.setText(_("Stap 2 van 2: {title} invullen").format(title=template.title))
        self._show_step(1)
        if values is not None:
            self.form.set_values(values)
            self.drafts.filled()
            self.preview.schedule()
        else:
            case_id = self.case_id
            query(self, self.ctx.runner, lambda _ws, uow: case_defaults(uow, case_id, template)) \
                .on_success(self._on_defaults).run()
        first = next(iter(self.form.editors.values()), None)
        if first is not None:
            first.setFocus()

    def _fill_earlier_payments(self, form: FactsForm) -> None:
        """A new letter starts from the payments recorded on the case (the payments register)."""
        case_id = self.case_id

        def fill(found: tuple[EarlierPayment, ...]) -> None:
            if self.facts is form:
                form.set_earlier_payments(found)

        query(self, self.ctx.runner, lambda _ws, uow: earlier_payments(uow, case_id)).on_success(fill).run()

    def _on_children(self, children: list[Any], chosen: str | None) -> None:
        if self.facts is not None:
            self.facts.set_children(children, chosen=chosen)

    def _on_defaults(self, values: dict[str, Any]) -> None:
        if self.form is not None:
            self.form.set_values(values)
            self.drafts.filled()
        self.preview.schedule()

    # -- the story ---------------------------------------------------------------------------------

    def _load_story(self) -> None:
        case_id, letter_id = self.case_id, self.letter_id

        def job(_ws: Workspace, uow: UnitOfWork) -> tuple[list[story_source.StoryChoice], tuple[str, ...]]:
            ticked = story_source.letter_story_entry_ids(uow, letter_id) if letter_id else ()
            return story_source.story_choices(uow, case_id), ticked

        query(self, self.ctx.runner, job).on_success(self._on_story).run()

    def _on_story(self, result: tuple[list[story_source.StoryChoice], tuple[str, ...]]) -> None:
        if self.story is not None:
            self.story.set_choices(*result)

    def fill_from_visit(self, visit_id: str) -> None:
        """Fill the gespreksverslag from one finished home visit (its story entry)."""
        case_id = self.case_id
        self._fill(lambda _ws, uow: story_source.conversation_values(uow, case_id, visit_entry_id=visit_id),
                   [visit_id])

    def fill_from_entries(self, entry_ids: list[str]) -> None:
        """Fill the story fields from the ticked entries, in time order."""
        if self.template is None:
            return
        case_id, template_id = self.case_id, self.template.id
        self._fill(lambda _ws, uow: story_source.fill_values(uow, case_id, template_id=template_id,
                                                             entry_ids=entry_ids), entry_ids)

    def _fill(self, work: Callable[[Workspace, UnitOfWork], dict[str, Any]], entry_ids: list[str]) -> None:
        def done(values: dict[str, Any]) -> None:
            if self.form is None or self.story is None:
                return
            self.form.set_values(values)
            self.story_entry_ids = list(entry_ids)
            self.story.tick(entry_ids)
            count = len(entry_ids)
            self.story.show_message(ngettext("Ingevuld uit {n} verslag.", "Ingevuld uit {n} verslagen.", count)
                                    .format(n=count) + " Controleer de tekst en pas hem aan waar nodig.")
            self.preview.schedule()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError) and self.story is not None:
                self.story.show_message(exc.text(), warning=True)
                return
            self._on_failed(exc)

        query(self, self.ctx.runner, work).on_success(done).on_failure(failed).run()

    def _show_step(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        editing = self.letter_id is not None
        self.back_button.setVisible(step == 1 and not editing)
        self.next_button.setVisible(step == 0)
        self.save_button.setVisible(step == 1)
        self.next_button.setDefault(step == 0)
        if step == 0:
            self.chooser.templates.setFocus()

    def go_next(self) -> None:
        template_id = self.chooser.current_id()
        if self.steps.currentIndex() == 0 and template_id is not None:
            self._start_fill(load_template(template_id), None)

    def go_back(self) -> None:
        self.preview.stop()
        self._show_step(0)

    # -- preview -------------------------------------------------------------------------------

    def _draft_input(self) -> DraftInput | None:
        if self.template is None or self.form is None:
            return None
        return DraftInput(self.case_id, self.template.id, self.form.values(),
                          self.facts.facts_input() if self.facts is not None else None,
                          self.facts.child_id() if self.facts is not None else None)

    def _on_assessed(self, assessment: Assessment | None) -> None:
        if self.facts is not None:
            self.facts.show_assessment(assessment)

    def _on_preview_refused(self, exc: UserError) -> None:
        if self.facts is not None and isinstance(exc, ValidationError):
            self.facts.show_error(exc, select=False)

    # -- saving --------------------------------------------------------------------------------

    def save(self) -> None:
        draft = self._draft_input()
        if draft is None or self.form is None:
            return
        self.save_button.setEnabled(False)
        self.form.errors.clear()
        letter_id, story_ids, draft_target = self.letter_id, self.story_entry_ids, self.drafts.target

        def job(ws: Workspace, uow: UnitOfWork) -> Any:
            found = case_facts(draft.facts, uow)
            ws.drafts.discard(uow, "letter", draft_target)  # one unit of work: saved, or still a draft
            if letter_id is None:
                return ws.letters.create_draft(uow, draft.case_id, template_id=draft.template_id,
                                               values=draft.values, facts=found, story_entry_ids=story_ids,
                                               child_id=draft.child_id)
            return ws.letters.update_draft(uow, letter_id, values=draft.values, facts=found,
                                           story_entry_ids=story_ids)

        mutate(self, self.ctx.runner, job).on_success(self._on_saved).on_failure(self._on_save_failed).run()

    def _on_saved(self, info: Any) -> None:
        self.save_button.setEnabled(True)
        self.preview.stop()
        self.drafts.saved()
        self.saved.emit(info)
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, UserError) and exc.field and self.form is not None:
            error = exc if isinstance(exc, ValidationError) else ValidationError(exc.text(), field=exc.field)
            if self.form.show_error(error) or (self.facts is not None and self.facts.show_error(error)):
                return
        self._on_failed(exc)

    def _on_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def reject(self) -> None:
        self.drafts.leave(super().reject)  # asks first when typed values are not saved

    def done(self, result: int) -> None:
        self.preview.stop()
        super().done(result)
