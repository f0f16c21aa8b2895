"""The case view: a header (reference, parent, phase, urgency) over six tabs, pushed on the main window's stack."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.audit.history_tab import HistoryTab
from ui.cases.case_tab import CaseTab
from ui.cases.letters_tab import LettersTab
from ui.cases.overview_tab import CaseOverview, OverviewTab
from ui.consent.consent_tab import ConsentTab
from ui.context import UiContext
from ui.errors import show_error
from ui.operations import query
from ui.plans.plan_tab import PlanTab
from ui.story.story_tab import StoryTab
from ui.widgets.editor_draft import EditorDraftKeeper
from ui.widgets.text_style import SUBTLE, tint
from ui.widgets.unsaved_prompt import ask_unsaved
from workbench.cases.phases import URGENCY_FLAGS
from workbench.i18n import N_, _

READ_ONLY = N_("Alleen lezen: deze zaak hoort bij een andere zaakbehandelaar. U kunt alles bekijken, maar niets "
               "wijzigen; laat de zaak zo nodig eerst aan u overdragen.")
BADGE = ("QLabel { color: #7a1712; background: #fdecea; border: 1px solid #a4221b; border-radius: 3px;"
         " padding: 2px 6px; }")


class LazyTab(QWidget):
    """A tab's place until it is first shown: building every tab up front would double the time to open a case.

    Attributes:
        tab: the real tab once built, else None.
    """

    def __init__(self, name: str, build: Callable[[], QWidget]) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self._build = build
        self.tab: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def built(self) -> QWidget:
        if self.tab is None:
            self.tab = self._build()
            self._layout.addWidget(self.tab)
            self.tab.show()  # a layout shows a new child only on the next event-loop turn: too late for focus
            self.setFocusProxy(self.tab)
        return self.tab


class CaseView(QWidget):
    """One case. The overview and the story are built and loaded at once; the other tabs when first shown.

    Attributes:
        case_id: the case shown.
        reference, parent_name, phase: the header's texts; urgency: what is urgent, in words (hidden if nothing).
        visit_button, back_button: start a home visit; go back (Escape or Alt+Left too).
        tabs: overview, story, plan, consent, letters, history (Alt+1 .. Alt+6, Ctrl+Tab).
    """

    def __init__(self, ctx: UiContext, case_id: str, *, reveal_seconds: float = 30) -> None:
        super().__init__()
        self.ctx = ctx
        self.case_id = case_id
        self.setObjectName("caseView")
        self.setAccessibleName(_("Zaak"))

        self.reference = QLabel(_("Zaak wordt geopend…"))
        self.reference.setAccessibleName(_("Zaaknummer"))
        self.parent_name = QLabel("")
        self.parent_name.setAccessibleName(_("Ouder"))
        self.phase = QLabel("")
        self.phase.setAccessibleName(_("Fase"))
        tint(self.phase, SUBTLE)
        self.visit_button = QPushButton(_("&Huisbezoek starten"))
        self.visit_button.setAccessibleName(_("Huisbezoek starten"))
        self.visit_button.setToolTip(_("Opent het huisbezoek op het hele scherm; het wordt steeds opgeslagen."))
        self.visit_button.clicked.connect(lambda: ctx.nav.start_visit(case_id))
        self.back_button = QPushButton(_("&Terug"))
        self.back_button.setAccessibleName(_("Terug"))
        self.back_button.setToolTip(_("Terug naar de vorige pagina (Esc of Alt+Links)"))
        self.back_button.clicked.connect(ctx.nav.back)

        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(self.reference)
        top.addWidget(self.parent_name)
        top.addStretch(1)
        top.addWidget(self.visit_button)
        top.addWidget(self.back_button)
        # One badge on its own line, not one per flag beside the phase: three flags at a large font must
        # not widen the window.
        self.urgency = QLabel("")
        self.urgency.setAccessibleName(_("Urgentie"))
        self.urgency.setStyleSheet(BADGE)
        self.urgency.hide()
        # A team lead sees the team's cases; only the handler who holds a case can change it (the core and
        # central refuse): the editors are disabled, and this note says why.
        self.read_only = QLabel(_(READ_ONLY))
        self.read_only.setAccessibleName(_("Alleen lezen"))
        self.read_only.setWordWrap(True)
        self.read_only.setStyleSheet(BADGE)
        self.read_only.hide()
        self._read_only_note: str | None = None
        badge_row = QHBoxLayout()
        badge_row.addWidget(self.urgency)
        badge_row.addWidget(self.read_only, 1)  # the note takes the width, not a narrow column
        badge_row.addStretch(0)

        self.overview = OverviewTab(ctx, case_id, reveal_seconds=reveal_seconds)
        self.story = StoryTab(ctx, case_id)
        self._lazy = {"plan": LazyTab(_("Plan"), lambda: self._ready(PlanTab(ctx, case_id))),
                      "consent": LazyTab(_("Toestemming"), lambda: self._ready(ConsentTab(ctx, case_id))),
                      "letters": LazyTab(_("Brieven"), lambda: self._ready(LettersTab(ctx, case_id))),
                      "history": LazyTab(_("Historie"), lambda: HistoryTab(ctx, case_id))}
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Onderdelen van de zaak"))
        self.tabs.setDocumentMode(True)
        titles = (_("Overzicht"), _("Verhaal"), _("Plan"), _("Toestemming"), _("Brieven"), _("Historie"))
        for n, (tab, title) in enumerate(zip(self.tab_widgets(), titles, strict=True), start=1):
            self.tabs.addTab(tab, title)
            self.tabs.setTabToolTip(n - 1, _("{title} (Alt+{n})").format(title=title, n=n))
            self._shortcut(f"Alt+{n}", partial(self.show_tab, n - 1), _("Tabblad {title}").format(title=title))
        # Ctrl+Tab is QTabWidget's own; Ctrl+PgDown/PgUp as in browsers and office programs.
        for key, step, what in (("Ctrl+PgDown", 1, _("Volgend tabblad")), ("Ctrl+PgUp", -1, _("Vorig tabblad"))):
            self._shortcut(key, partial(self.step_tab, step), what)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.overview.data_loaded.connect(self._show_header)
        self.story.data_loaded.connect(self.overview.show_contacts)
        self.overview.bsn_revealed.connect(self._on_bsn_revealed)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 8)
        outer.setSpacing(6)
        outer.addLayout(top)
        outer.addWidget(self.phase)
        outer.addLayout(badge_row)
        outer.addWidget(self.tabs, 1)
        self._apply_fonts()
        self.setFocusProxy(self.tabs)
        # One unit of work for both tabs shown first: opening a case is the most frequent action.
        overview_job, story_job = self.overview.fetch_job(), self.story.fetch_job()
        query(self, ctx.runner, lambda ws, uow: (overview_job(ws, uow), story_job(ws, uow),
                                                 ws.drafts.get(uow, "story_entry", case_id))) \
            .on_success(self._on_opened).on_failure(self._on_open_failed).run()

    def _shortcut(self, key: str, slot: Callable[[], None], what: str) -> None:
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setWhatsThis(what)  # the F1 list shows it
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    def _on_open_failed(self, exc: BaseException) -> None:
        self.reference.setText(_("Deze zaak kon niet worden geopend"))
        show_error(self, exc)

    def _on_opened(self, data: tuple[Any, Any, Any]) -> None:
        self.overview.show_loaded(data[0])
        self.story.show_loaded(data[1])
        self.story.offer_draft(data[2])

    def tab_widgets(self) -> tuple[QWidget, ...]:
        """The pages of `tabs`, in order (a LazyTab stands in for a tab not built yet)."""
        return (self.overview, self.story, *self._lazy.values())

    @property
    def plan(self) -> PlanTab:
        return self._lazy["plan"].built()  # type: ignore[return-value]

    @property
    def consent(self) -> ConsentTab:
        return self._lazy["consent"].built()  # type: ignore[return-value]

    @property
    def letters(self) -> LettersTab:
        return self._lazy["letters"].built()  # type: ignore[return-value]

    @property
    def history(self) -> HistoryTab:
        return self._lazy["history"].built()  # type: ignore[return-value]

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.tabs.currentWidget().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def step_tab(self, step: int) -> None:
        self.show_tab((self.tabs.currentIndex() + step) % self.tabs.count())

    def _on_tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        tab = page.built() if isinstance(page, LazyTab) else page
        if isinstance(tab, HistoryTab):
            tab.reload()  # views and reveals announce no changes: always fresh when looked at
        elif isinstance(tab, CaseTab):
            tab.ensure_loaded()

    def _on_bsn_revealed(self) -> None:
        history = self._lazy["history"].tab
        if isinstance(history, HistoryTab):
            history.reload_if_loaded()

    def _show_header(self, data: CaseOverview) -> None:
        case, parent = data.case, data.parent
        self.reference.setText(case.reference)
        self.parent_name.setText(parent.name.display)
        self.phase.setText(_("Fase: {phase}, sinds {since}").format(phase=case.phase_label,
                                                                       since=f"{case.phase_since:%d-%m-%Y}"))
        flags = [URGENCY_FLAGS[flag] for flag in case.urgency]
        self.urgency.setText(_("Urgent: ") + ", ".join(f.lower() if n else f for n, f in enumerate(flags)))
        self.urgency.setVisible(bool(flags))
        self._set_read_only(_(READ_ONLY) if case.handler_id != self.ctx.user_id else None)

    def _set_read_only(self, note: str | None) -> None:
        """Every editor of every tab built so far is disabled while the case is read-only; later tabs on build."""
        self._read_only_note = note
        self.read_only.setVisible(note is not None)
        self.visit_button.setEnabled(note is None)
        for tab in self.case_tabs():
            tab.set_read_only(note)

    def case_tabs(self) -> list[CaseTab]:
        """The tabs built so far that show and change the case (the letters tab holds its panel)."""
        built = [lazy.tab for lazy in self._lazy.values() if lazy.tab is not None]
        tabs = [self.overview, self.story, *built]
        return [tab.panel if isinstance(tab, LettersTab) else tab for tab in tabs
                if isinstance(tab, CaseTab | LettersTab)]

    def _ready(self, tab: QWidget) -> QWidget:
        """A tab built after the case was shown starts read-only too when the case is."""
        inner = tab.panel if isinstance(tab, LettersTab) else tab
        if isinstance(inner, CaseTab) and self._read_only_note is not None:
            inner.set_read_only(self._read_only_note)
        return tab

    def _apply_fonts(self) -> None:
        """Header sizes follow the application font, so a larger system font enlarges them too."""
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        self.reference.setFont(big)
        name = QFont(self.font())
        name.setPointSizeF(name.pointSizeF() * 1.3)
        self.parent_name.setFont(name)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._apply_fonts()
        super().changeEvent(event)

    # -- leaving -------------------------------------------------------------------------------

    def unsaved(self) -> list[str]:
        """What was typed here and not saved, in words ("een nieuw verslag"); empty when nothing."""
        what = []
        if self.story.form_dirty:
            what.append(_("een nieuw verslag"))
        if self.overview.editing and self.overview.editor.dirty:
            what.append(_("wijzigingen in de gegevens van de ouder"))
        return what

    def leave(self, go: Callable[[], None]) -> None:
        """Leave the case by calling `go`, after asking what to do with typed text that is not saved."""
        what = self.unsaved()
        if not what:
            go()
            return
        def keep() -> None:
            if isValid(self):
                go()

        def drop() -> None:
            if isValid(self):
                self.discard_drafts()
                go()

        self.leave_prompt = ask_unsaved(
            self, _("U heeft {what} getypt dat nog niet is opgeslagen. Wat wilt u ermee doen?").format(
                what=_(" en ").join(what)),
            comes_back=_("Bewaren voor later: u krijgt het terug als u de zaak weer opent."), keep=keep, drop=drop)

    def discard_drafts(self) -> None:
        if self.story.form_dirty:
            self.story.discard_draft()
        if self.overview.editing and self.overview.editor.dirty:
            self.overview.editor.cancel()

    def before_close(self) -> None:
        """The case is closed (Terug, another page, the window closes): typed text goes into the store now."""
        for keeper in self.findChildren(EditorDraftKeeper):  # the story, the parent editor, an open letter
            keeper.stop()

    @property
    def keeps_escape(self) -> bool:
        """Escape must not drop typed but unsaved parent details or a half-written report."""
        return (self.overview.editing and self.overview.editor.dirty) or self.story.form_dirty
