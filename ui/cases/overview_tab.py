"""The Overzicht tab: who the parent is, the case's phase, tracks and urgency, what is next, last contacts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.cases.bsn_field import BsnField
from ui.cases.case_tab import CaseTab, Work
from ui.cases.overview_sections import (
    DetailsForm,
    Section,
    action_lines,
    bullets,
    commitment_lines,
    consent_lines,
    contact_lines,
    day,
    payment_lines,
    person,
    phase_lines,
    track_lines,
)
from ui.cases.parent_editor import ParentEditor
from ui.context import UiContext
from ui.operations import mutate
from ui.widgets.editor_draft import DraftBar, saved_when
from ui.widgets.text_style import WARNING
from workbench.cases.phases import URGENCY_FLAGS
from workbench.cases.service import CaseDetail
from workbench.changes import Changes
from workbench.consent.service import ConsentInfo
from workbench.drafts.service import EditorDraftInfo
from workbench.errors import UserError
from workbench.i18n import _
from workbench.parties.service import CHANNELS, ParentDetail
from workbench.payments.service import PaymentInfo
from workbench.plans.service import ActionInfo, CommitmentInfo
from workbench.plans.vocabulary import COMMITMENT_LIVE
from workbench.policy.debt_pause import DebtPause, debt_pause
from workbench.story.service import StoryEntryInfo

if TYPE_CHECKING:
    from workbench.workspace import UnitOfWork, Workspace

URGENCY_TITLES = {"urgent_eviction": "Dreigende huis&uitzetting", "urgent_energy": "Afsluiting &energie",
                  "urgent_garnishment": "Bes&lag"}
PARENT_KEYS = ("Naam", "Roepnaam", "Geboren", "Adres", "Telefoon", "E-mail", "Voorkeur", "Taal of tolk")
NEXT_ACTIONS = 5
LAST_CONTACTS = 3


@dataclass(frozen=True)
class CaseOverview:
    """What the overview and the case header show, fetched in one unit of work.

    The last contacts are not here: they come from the story tab's fetch (reading a long story twice on
    opening a case costs as much as everything else together).
    """

    case: CaseDetail
    parent: ParentDetail
    next_actions: tuple[ActionInfo, ...]
    open_commitments: tuple[CommitmentInfo, ...]
    payments: tuple[PaymentInfo, ...] = ()
    pause: DebtPause | None = None
    parent_draft: EditorDraftInfo | None = None  # the parent's details changed earlier and never saved
    consents: tuple[ConsentInfo, ...] = ()  # newest first, withdrawn ones too: checked before sharing


def _pause(ws: Workspace, uow: UnitOfWork, case_id: str) -> DebtPause | None:
    """The pause for private debts, or None; a payment from before the policy tables begin shows no pause."""
    try:
        found = ws.payments.catshuis_payment(uow, case_id)
        return debt_pause(found.paid_on) if found is not None else None
    except UserError:
        return None


def fetch_overview(ws: Workspace, uow: UnitOfWork, case_id: str) -> CaseOverview:
    case = ws.cases.get(uow, case_id)
    parent = ws.parents.get(uow, case.parent_id, case_id=case_id)
    plan = ws.plans.plan_for_case(uow, case_id)
    actions = [a for d in plan.domains for n in d.needs for a in n.actions] + list(plan.loose_actions)
    open_actions = sorted((a for a in actions if a.status == "open"),
                          key=lambda a: (a.due_on is None, a.due_on or dt.date.max))
    live = tuple(c for c in plan.commitments if c.status in COMMITMENT_LIVE)
    return CaseOverview(case, parent, tuple(open_actions[:NEXT_ACTIONS]), live,
                        tuple(ws.payments.list_for_case(uow, case_id)), _pause(ws, uow, case_id),
                        ws.drafts.get(uow, "parent", parent.id), ws.consent.for_case(uow, case_id).consents)


class OverviewTab(CaseTab):
    """The case at a glance; the parent's details are edited in place.

    Attributes:
        data: the CaseOverview shown.
        who: the parent's details as text; bsn: the masked BSN; edit_button opens the editor.
        editor: the ParentEditor (hidden unless editing).
        urgency: flag -> its check box (saves when toggled).

    Signals:
        bsn_revealed(): an audited BSN reveal happened.
    """

    bsn_revealed = Signal()
    entities = frozenset({"case", "phase_change", "case_track", "parent", "child", "ex_partner", "need", "action",
                          "commitment", "commitment_status_change", "payment", "consent"})

    def __init__(self, ctx: UiContext, case_id: str, *, reveal_seconds: float = 30) -> None:
        super().__init__(ctx, case_id)
        self.setAccessibleName(_("Overzicht"))
        self.data: CaseOverview | None = None
        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(12)
        self._grid = grid
        self._columns = (QWidget(), QWidget())
        left, right = (QVBoxLayout(column) for column in self._columns)
        for column in (left, right):
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(12)
        self._arrange(two_columns=True)

        parent_box, parent_column = self._group(_("Ouder"))
        self.safety = QLabel("")
        self.safety.setWordWrap(True)
        self.safety.setStyleSheet(f"border: 1px solid {WARNING}; color: {WARNING}; padding: 6px;")
        self.safety.hide()
        self.who = DetailsForm(PARENT_KEYS)
        self.who.setAccessibleName(_("Gegevens van de ouder"))
        self.bsn = BsnField(ctx, case_id, reveal_seconds=reveal_seconds)
        self.bsn.revealed.connect(self.bsn_revealed)
        self.edit_button = QPushButton(_("Gegevens &wijzigen"))
        self.edit_button.setAccessibleName(_("Gegevens van de ouder wijzigen"))
        self.edit_button.clicked.connect(self.start_editing)
        self._editor: ParentEditor | None = None  # built on first use: most visits to a case only read
        self.summary = QWidget()
        summary_column = QVBoxLayout(self.summary)
        summary_column.setContentsMargins(0, 0, 0, 0)
        self.parent_draft_bar = DraftBar(_("Niet-opgeslagen wijzigingen in de gegevens van de ouder"))
        self.parent_draft_bar.restore_requested.connect(self.start_editing)
        self.parent_draft_bar.discard_requested.connect(self._discard_parent_draft)
        self._draft_checked = False
        for widget in (self.parent_draft_bar, self.safety, self.who, self.bsn):
            summary_column.addWidget(widget)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.edit_button)
        edit_row.addStretch(1)
        summary_column.addLayout(edit_row)
        parent_column.addWidget(self.summary)
        self._parent_column = parent_column
        left.addWidget(parent_box)
        self.children_text = self._section(left, _("Kinderen"))
        self.ex_partners_text = self._section(left, _("Ex-partners"))
        self.contacts_text = self._section(left, _("Laatste contacten"))
        self.contacts_text.set_lines([], empty=_("Verhaal wordt geladen…"))

        # What needs doing comes first on the right; the phase history is long and read less often.
        urgency_box, urgency_column = self._group(_("Urgentie"))
        self.urgency: dict[str, QCheckBox] = {}
        for flag, label in URGENCY_FLAGS.items():
            box = QCheckBox(URGENCY_TITLES.get(flag, label))
            box.setAccessibleName(_("Urgent: {label}").format(label=label))
            box.clicked.connect(lambda checked, f=flag: self.set_urgency(f, checked))
            urgency_column.addWidget(box)
            self.urgency[flag] = box
        right.addWidget(urgency_box)
        self.actions_text = self._section(right, _("Volgende acties"))
        self.commitments_text = self._section(right, _("Open toezeggingen"))
        self.payments_text = self._section(right, _("Betalingen"))
        self.consents_text = self._section(right, _("Toestemmingen"))  # looked at before sharing anything
        self.phase_text = self._section(right, _("Fase"))
        self.tracks_text = self._section(right, _("Parallelle sporen"))
        left.addStretch(1)
        right.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setFocusProxy(self.edit_button)

    def _arrange(self, *, two_columns: bool) -> None:
        """Two columns side by side, or one under the other when a large font leaves too little room."""
        for column in self._columns:
            self._grid.removeWidget(column)
        left, right = self._columns
        self._grid.addWidget(left, 0, 0, Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(right, *((0, 1) if two_columns else (1, 0)), Qt.AlignmentFlag.AlignTop)
        self._grid.setColumnStretch(1, 1 if two_columns else 0)
        self._grid.setColumnStretch(0, 1)
        self._two_columns = two_columns

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # About 45 characters per column keeps the lines readable; below that, one column.
        two = self.width() >= self.fontMetrics().averageCharWidth() * 100
        if two != self._two_columns:
            self._arrange(two_columns=two)

    def _group(self, title: str) -> tuple[QGroupBox, QVBoxLayout]:
        box = QGroupBox(title)
        box.setAccessibleName(title)
        return box, QVBoxLayout(box)

    def _section(self, column: QVBoxLayout, title: str) -> Section:
        section = Section(title)
        column.addWidget(section)
        return section

    # -- loading -------------------------------------------------------------------------------

    def fetch_job(self) -> Work:
        case_id = self.case_id
        return lambda ws, uow: fetch_overview(ws, uow, case_id)

    def touched_by(self, changes: Changes) -> bool:
        # A parent's records carry no case id: any change to a parent may be this case's parent.
        return super().touched_by(changes) or any(changes.touches(e) for e in ("parent", "child", "ex_partner"))

    def show_data(self, data: Any) -> None:
        self.data = data
        case, parent = data.case, data.parent
        self._show_parent(parent)
        if not self._draft_checked:  # offered once, when the case opens
            self._draft_checked = True
            self._offer_parent_draft(data.parent_draft)
        self.children_text.set_lines(bullets([person(c) for c in parent.children]),
                                     empty=_("Geen kinderen vastgelegd."))
        self.ex_partners_text.set_lines(bullets([person(p) for p in parent.ex_partners]),
                                        empty=_("Geen ex-partners vastgelegd."))
        self.phase_text.set_lines(phase_lines(case, self.ctx.today()), empty="")
        self.tracks_text.set_lines(track_lines(case.tracks), empty=_("Geen parallelle sporen."))
        for flag, box in self.urgency.items():
            box.setChecked(flag in case.urgency)
        self.actions_text.set_lines(action_lines(data.next_actions), empty=_("Geen open acties."))
        self.commitments_text.set_lines(commitment_lines(data.open_commitments), empty=_("Geen open toezeggingen."))
        self.payments_text.set_lines(payment_lines(data.payments, data.pause, parent.children),
                                     empty=_("Nog geen betalingen vastgelegd."))
        self.consents_text.set_lines(consent_lines(data.consents),
                                     empty=_("Geen toestemming vastgelegd: deel niets zonder andere grondslag."))

    def show_contacts(self, story: tuple[StoryEntryInfo, ...]) -> None:
        """The newest entries of the story (newest first), as the story tab fetched it."""
        self.contacts_text.set_lines(contact_lines(story[:LAST_CONTACTS]), empty=_("Nog geen contacten vastgelegd."))

    def _show_parent(self, parent: ParentDetail) -> None:
        address = " ".join(p for p in (parent.street, parent.house_number) if p)
        place = " ".join(p for p in (parent.postcode, parent.city) if p)
        self.who.set_values({
            "Naam": parent.name.formal, "Roepnaam": parent.name.display,
            "Geboren": day(parent.birth_date) or _("onbekend"),
            "Adres": ", ".join(p for p in (address, place) if p) or _("onbekend"),
            "Telefoon": parent.phone or "—", "E-mail": parent.email or "—",
            "Voorkeur": CHANNELS.get(parent.preferred_channel, parent.preferred_channel),
            "Taal of tolk": parent.language_need or _("Nederlands, geen tolk nodig")})
        self.safety.setText(_("Let op, veiligheid: {notes}").format(notes=parent.safety_notes))
        self.safety.setVisible(bool(parent.safety_notes.strip()))
        self.bsn.set_parent(parent)

    # -- changing ------------------------------------------------------------------------------

    def editors(self) -> tuple[QWidget, ...]:
        return (self.edit_button, self.parent_draft_bar, *self.urgency.values())

    def refresh_enabled(self) -> None:
        if not self.editable and self.editing:
            self.stop_editing()

    def set_urgency(self, flag: str, checked: bool) -> None:
        case_id = self.case_id
        self.mutate(f"urgency:{flag}", lambda ws, uow: ws.cases.set_urgency(uow, case_id, **{flag: checked}),
                    failed=lambda _exc: self.reload())  # the box shows what is stored again

    @property
    def editor(self) -> ParentEditor:
        if self._editor is None:
            self._editor = ParentEditor(self.ctx, case_id=self.case_id)
            self._editor.hide()
            self._editor.saved.connect(lambda _detail: self.stop_editing())
            self._editor.closed.connect(self.stop_editing)
            self._parent_column.addWidget(self._editor)
        return self._editor

    def start_editing(self) -> None:
        if self.data is None:
            return
        self.summary.hide()
        self.parent_draft_bar.hide()
        self.editor.show()
        self.editor.edit(self.data.parent)  # brings earlier unsaved changes back itself

    def stop_editing(self) -> None:
        if self._editor is not None:
            self._editor.hide()
        self.summary.show()
        self.edit_button.setFocus()

    def _offer_parent_draft(self, info: EditorDraftInfo | None) -> None:
        if info is None or self.editing:
            return
        when = saved_when(info.saved_at, self.ctx.today())
        self.parent_draft_bar.offer(
            _("Er zijn niet-opgeslagen wijzigingen in de gegevens van de ouder van {when}.").format(when=when),
            restore=True)

    def _discard_parent_draft(self) -> None:
        self.parent_draft_bar.hide()
        if self.data is not None:
            parent_id = self.data.parent.id
            mutate(self, self.ctx.runner, lambda ws, uow: ws.drafts.discard(uow, "parent", parent_id)).quietly().run()

    @property
    def has_editor(self) -> bool:
        return self._editor is not None

    @property
    def editing(self) -> bool:
        return self._editor is not None and not self._editor.isHidden()

