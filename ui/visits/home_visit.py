"""The home visit page: what the parent tells, who is there, and what is agreed, saved as it is typed."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.context import UiContext
from ui.errors import show_error
from ui.operations import mutate, query
from ui.visits.agreements_editor import AgreementRow
from ui.visits.autosave import DraftAutosaver, DraftContent
from ui.visits.visit_form import VisitForm
from workbench.errors import ValidationError
from workbench.i18n import _, ngettext
from workbench.local_time import clock_text, local_day
from workbench.visits.service import VisitDraftInfo, VisitOutcome

if TYPE_CHECKING:
    from workbench.workspace import UnitOfWork, Workspace

_ITEM_FIELD = re.compile(r"^items\[(\d+)\]\.(\w+)$")
STYLE = """
#visitHeader { font-weight: bold; }
#visitSubtle, #saveStatus, #agreementHead, #agreementsEmpty { color: #4a5561; }
#agreementError, #visitMessage { color: #a4221b; }
#visitSection { font-weight: bold; }
#visitRule { color: #c9d0d6; }
"""


@dataclass(frozen=True)
class _Opened:
    draft: VisitDraftInfo
    parent_name: str


class HomeVisitPage(QWidget):
    """A full-window capture mode for one visit; either starts a draft for `case_id` or resumes `draft_id`.

    Attributes:
        keeps_escape: Escape must not drop a visit in progress.
        returns_to_case: the case shown when the visit ends (finished, for later, thrown away or left).
        autosaver: writes the draft (timer, focus changes, locking, closing).
        location, present, topics, text, agreements: the fields, in tab order.
        finish_button, later_button, discard_button: how the visit ends.
        discard_prompt: the open "Bezoek weggooien?" question, if any.
    """

    keeps_escape = True

    def __init__(self, ctx: UiContext, *, case_id: str | None = None, draft_id: str | None = None) -> None:
        super().__init__()
        if (case_id is None) == (draft_id is None):
            raise ValueError("HomeVisitPage needs exactly one of case_id and draft_id")
        self.ctx = ctx
        self.case_id = case_id
        self._closed = False
        self._opened = False
        self.discard_prompt: QMessageBox | None = None
        self.setObjectName("homeVisit")
        self.setAccessibleName(_("Huisbezoek"))
        self.setStyleSheet(STYLE)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self._build()
        self._shortcuts()
        self.autosaver = DraftAutosaver(
            ctx.runner, content=self.content, watch=self, interval_seconds=int(ctx.settings.get("autosave_seconds")),
            lock=getattr(ctx.nav, "lock", None),  # the main window's LockController; absent in bare tests
            parent=self)
        self.form.changed.connect(self.autosaver.mark_dirty)
        self._finishing = False
        self.autosaver.status_changed.connect(self.save_status.setText)
        self._update_tab_order()
        lock = getattr(ctx.nav, "lock", None)
        if lock is not None:
            lock.locking.connect(self._remember_focus)
            lock.unlocked.connect(self._restore_focus)
        self._focus_before_lock: QWidget | None = None
        if case_id is not None:
            cid = case_id
            mutate(self, ctx.runner, lambda ws, uow: self._open(ws, uow, ws.visits.start(uow, cid))) \
                .on_success(self._on_opened).on_failure(self._on_open_failed).run()
        elif draft_id is not None:
            did = draft_id
            query(self, ctx.runner, lambda ws, uow: self._open(ws, uow, ws.visits.get(uow, did))) \
                .on_success(self._on_opened).on_failure(self._on_open_failed).run()

    # -- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 16, 32, 12)
        outer.setSpacing(8)
        top = QHBoxLayout()
        self.header = QLabel(_("Huisbezoek"))
        self.header.setObjectName("visitHeader")
        self.header.setWordWrap(True)
        header_font = QFont(self.font())
        header_font.setPointSizeF(header_font.pointSizeF() * 1.35)
        self.header.setFont(header_font)
        self.header.setAccessibleName(_("Huisbezoek bij"))
        self.save_status = QLabel(_("Nog niet opgeslagen"))
        self.save_status.setObjectName("saveStatus")
        self.save_status.setAccessibleName(_("Opslagstatus"))
        top.addWidget(self.header, 1)
        top.addWidget(self.save_status, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(top)
        self.started = QLabel("")
        self.started.setObjectName("visitSubtle")
        self.started.setAccessibleName(_("Begintijd"))
        self.started.setWordWrap(True)
        outer.addWidget(self.started)

        self.form = VisitForm(today=self.ctx.today)
        self.location, self.present, self.topics = self.form.location, self.form.present, self.form.topics
        self.text, self.agreements = self.form.text, self.form.agreements
        # At a large font the fields need more room than the screen has: they scroll, the buttons stay.
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.form)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.scroll_area, 1)

        self.message = QLabel("")
        self.message.setObjectName("visitMessage")
        self.message.setAccessibleName(_("Melding"))
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setObjectName("visitRule")
        outer.addWidget(rule)
        buttons = QHBoxLayout()
        self.discard_button = QPushButton(_("Bezoek weggooien…"))
        self.discard_button.setAccessibleName(_("Bezoek weggooien"))
        self.later_button = QPushButton(_("Later verder (Ctrl+W)"))
        self.later_button.setAccessibleName(_("Later verder"))
        self.finish_button = QPushButton(_("Bezoek afronden (Alt+A)"))
        self.finish_button.setAccessibleName(_("Bezoek afronden"))
        self.finish_button.setDefault(True)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.finish_button)
        outer.addLayout(buttons)
        self.discard_button.clicked.connect(self.ask_discard)
        self.later_button.clicked.connect(self.later)
        self.finish_button.clicked.connect(self.finish)
        self.agreements.rows_changed.connect(self._update_tab_order)
        self.agreements.rows_changed.connect(self._show_focus)
        self.setEnabled(False)  # until the draft is started or loaded

    def _shortcuts(self) -> None:
        for keys, slot, what in (("Ctrl+Return", self.add_agreement, "Huisbezoek: nieuwe afspraak"),
                                 ("Ctrl+Enter", self.add_agreement, "Huisbezoek: nieuwe afspraak"),
                                 ("Ctrl+S", self.save_now, "Huisbezoek: nu opslaan"),
                                 ("Alt+A", self.finish, "Huisbezoek afronden"),
                                 ("Ctrl+W", self.later, "Huisbezoek: later verder")):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setWhatsThis(what)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _update_tab_order(self) -> None:
        chain = [*self.form.focus_chain(), self.finish_button, self.later_button, self.discard_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _show_focus(self) -> None:
        self.scroll_area.ensureWidgetVisible(self.agreements.add_button)
        focus = self.focusWidget()
        if focus is not None and self.form.isAncestorOf(focus):
            self.scroll_area.ensureWidgetVisible(focus)

    # -- opening -------------------------------------------------------------------------------

    @staticmethod
    def _open(ws: Workspace, uow: UnitOfWork, draft: VisitDraftInfo) -> _Opened:
        case = ws.cases.get(uow, draft.case_id)
        parent = ws.parents.get(uow, case.parent_id, case_id=case.id)
        return _Opened(draft, parent.name.display)

    def _on_opened(self, opened: _Opened) -> None:
        draft = opened.draft
        self.case_id = draft.case_id
        self._opened = True
        self.header.setText(_("Huisbezoek — {reference} — {name}").format(
            reference=draft.case_reference, name=opened.parent_name))
        when = clock_text(draft.started_at)
        if local_day(draft.started_at) != self.ctx.today():
            when = f"{local_day(draft.started_at):%d-%m-%Y}, {when}"
        self.started.setText(_("Begonnen om {when}  ·  Ctrl+Enter: nieuwe afspraak  ·  Ctrl+S: nu opslaan")
                             .format(when=when))
        self.form.fill(draft)
        self.setEnabled(True)
        self.save_status.setText(_("Opgeslagen om {time}").format(
            time=clock_text(draft.saved_at, seconds=True)))
        self.autosaver.attach(draft.id)
        target = self.form.first_field()
        # The window focuses the page when it pushes it; the proxy hands that on to the right field.
        self.setFocusProxy(target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def returns_to_case(self) -> str | None:
        """The case the window shows when this visit ends or is left; None when the visit never opened."""
        return self.case_id if self._opened else None

    def _on_open_failed(self, exc: BaseException) -> None:
        self._close()
        show_error(self.window(), exc)
        # Not at once: with an inline runner this runs inside __init__, before the window has pushed the page.
        QTimer.singleShot(0, self, self.ctx.nav.back)

    def _remember_focus(self) -> None:
        self._focus_before_lock = self.focusWidget()

    def _restore_focus(self) -> None:
        widget, self._focus_before_lock = self._focus_before_lock, None
        if widget is not None and self.isVisible():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- editing -------------------------------------------------------------------------------

    def content(self) -> DraftContent:
        return self.form.content()

    def add_agreement(self) -> None:
        self.agreements.add_row()

    def save_now(self) -> None:
        self.autosaver.save_now(force=True)

    # -- ending --------------------------------------------------------------------------------

    def finish(self) -> None:
        """Save what is on screen and end the visit in one unit of work: entry, actions, commitments."""
        draft_id = self.autosaver.draft_id
        if self._closed or self._finishing or draft_id is None:
            return
        self._clear_messages()
        bad = self.agreements.check_dates()
        if bad is not None:
            self._show_message(_("Het bezoek is nog niet afgerond: een datum klopt niet. Kijk bij de afspraak."))
            bad.due.line.setFocus()
            return
        lines = [row for row, _item in self.agreements.items()]
        content = self.content()

        def work(ws: Workspace, uow: UnitOfWork) -> VisitOutcome:
            ws.visits.save(uow, draft_id, **content.save_arguments())
            return ws.visits.finish(uow, draft_id)

        self._finishing = self.autosaver.paused = True
        mutate(self, self.ctx.runner, work).on_success(self._on_finished) \
            .on_failure(lambda exc: self._on_finish_failed(exc, lines)).run()

    def _on_finished(self, outcome: VisitOutcome) -> None:
        self._close()
        actions, commitments = len(outcome.action_ids), len(outcome.commitment_ids)
        self._tell(_("Huisbezoek afgerond en in de zaak gezet, met {a} en {c}.").format(
            a=ngettext("{n} actie", "{n} acties", actions).format(n=actions),
            c=ngettext("{n} toezegging", "{n} toezeggingen", commitments).format(n=commitments)))
        self.ctx.nav.back()

    def _on_finish_failed(self, exc: BaseException, lines: list[AgreementRow]) -> None:
        self._finishing = self.autosaver.paused = False
        self.autosaver.mark_dirty()  # the failed unit of work also rolled back its save
        self.autosaver.save_now()
        if not isinstance(exc, ValidationError):
            show_error(self.window(), exc)
            return
        match = _ITEM_FIELD.match(exc.field or "")
        if match and int(match.group(1)) < len(lines):
            row = lines[int(match.group(1))]
            target = row.show_error(exc.text(), match.group(2))
            self.scroll_area.ensureWidgetVisible(row.error)
            self._show_message(_("Het bezoek is nog niet afgerond. Kijk bij de afspraak met de melding."))
            target.setFocus()
        elif exc.field == "text":
            self._show_message(_("Het bezoek is nog niet afgerond."))
            self.form.show_text_problem(exc.text())
        else:
            self._show_message(exc.text())

    def later(self) -> None:
        """Keep the draft and go back; it is offered again at start-up and can be resumed."""
        if self._closed:
            return
        self.autosaver.flush()
        self._close()
        self._tell(_("Het huisbezoek is bewaard. U kunt later verder gaan."))
        self.ctx.nav.back()

    def ask_discard(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, _("Bezoek weggooien?"),
                          _("Alles wat u bij dit bezoek hebt opgeschreven, wordt verwijderd: het verslag en de "
                            "afspraken. Dit kunt u niet ongedaan maken."), QMessageBox.StandardButton.NoButton, self)
        throw = box.addButton(_("Weggooien"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_("Niet weggooien"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAccessibleName(_("Bezoek weggooien?"))
        throw.clicked.connect(self.discard)
        self.discard_prompt = box
        box.open()

    def discard(self) -> None:
        draft_id = self.autosaver.draft_id
        if self._closed or self._finishing:
            return
        if draft_id is None:
            self._close()
            self.ctx.nav.back()
            return
        self._finishing = self.autosaver.paused = True
        mutate(self, self.ctx.runner, lambda ws, uow: ws.visits.discard(uow, draft_id)) \
            .on_success(self._after_discard).on_failure(self._on_discard_failed).run()

    def _after_discard(self, _none: None) -> None:
        self._close()
        self._tell(_("Het huisbezoek is weggegooid."))
        self.ctx.nav.back()

    def _on_discard_failed(self, exc: BaseException) -> None:
        self._finishing = self.autosaver.paused = False
        show_error(self.window(), exc)

    def before_close(self) -> None:
        """The main window is closing or switching pages: everything on screen goes into the store now."""
        if not self._closed:
            self.autosaver.flush()

    def hideEvent(self, event: QHideEvent) -> None:
        # Alt+Left leaves the page without before_close; hiding still writes what is on screen.
        if not self._closed:
            self.autosaver.save_now()
        super().hideEvent(event)

    # -- helpers -------------------------------------------------------------------------------

    def _close(self) -> None:
        self._closed = True
        self.autosaver.stop()

    def _clear_messages(self) -> None:
        self.form.clear_problems()
        self.message.hide()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _tell(self, text: str) -> None:
        """A short confirmation in the main window's status bar; it outlives this page."""
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 10_000)
