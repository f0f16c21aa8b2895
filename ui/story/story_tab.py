"""The Verhaal tab: the story as a timeline (newest first), its detail, confirming, and adding an entry."""

from __future__ import annotations

import html
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.cases.case_tab import CaseTab, Work
from ui.context import UiContext
from ui.story.story_model import ENTRY_ROLE, StoryDelegate, StoryModel, heading, present_text
from ui.widgets.editor_draft import DraftBar, EditorDraftKeeper, saved_when
from ui.widgets.field_errors import FieldErrors, add_field, message_line, name_choices
from ui.widgets.text_style import SUBTLE, tint
from workbench.drafts.service import EditorDraftInfo
from workbench.i18n import _, ngettext
from workbench.story.service import KINDS, StoryEntryInfo

if TYPE_CHECKING:
    from workbench.workspace import UnitOfWork, Workspace


class StoryTab(CaseTab):
    """The case's story; reading it is audited by the service, once per load.

    The whole timeline is fetched once per change and filtered here: choosing a kind costs no round trip, and
    the overview's "last contacts" come from the same fetch.

    Attributes:
        all_entries: the whole timeline, newest first.
        kind_filter: "Alle soorten" or one kind.
        model, list: the timeline.
        detail: the whole selected entry.
        confirm_button: marks the selected entry as confirmed by the parent.
        kind, location, present, text, save_button: the new-entry form, in tab order.
        errors: the form's messages at its fields.
        draft: keeps the new entry's text in the store until it is saved; draft_bar says when it came back.
    """

    entities = frozenset({"story_entry"})

    def __init__(self, ctx: UiContext, case_id: str) -> None:
        super().__init__(ctx, case_id)
        self.setAccessibleName(_("Verhaal"))
        self._select_id: str | None = None
        self.all_entries: tuple[StoryEntryInfo, ...] = ()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_timeline())
        splitter.addWidget(self._build_form())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(splitter)
        for first, second in pairwise((self.kind_filter, self.list, self.detail, self.confirm_button, self.kind,
                                       self.location, self.present, self.text, self.save_button)):
            QWidget.setTabOrder(first, second)
        self.setFocusProxy(self.list)
        self.draft = EditorDraftKeeper(ctx.runner, kind="story_entry", target_id=case_id, case_id=case_id,
                                       content=self.draft_content, watch=self.form_group,
                                       lock=getattr(ctx.nav, "lock", None), parent=self)
        for signal in (self.kind.currentIndexChanged, self.location.textChanged, self.present.textChanged,
                       self.text.textChanged):
            signal.connect(lambda *_args: self.draft.mark_dirty())
        self.draft_bar.discard_requested.connect(self.discard_draft)
        self.draft_bar.restore_requested.connect(self._restore_offered)
        self._offered: EditorDraftInfo | None = None  # the case view fetches the draft with the timeline

    def _build_timeline(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 6, 0)
        top = QHBoxLayout()
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName(_("Toon soort contact"))
        name_choices(self.kind_filter)
        self.kind_filter.addItem(_("Alle soorten"), None)
        for code, label in KINDS.items():
            self.kind_filter.addItem(label, code)
        self.kind_filter.currentIndexChanged.connect(lambda _n: self._show_entries())
        filter_label = QLabel(_("&Filter:"))
        filter_label.setBuddy(self.kind_filter)
        self.count = QLabel("")
        tint(self.count, SUBTLE)
        top.addWidget(filter_label)
        top.addWidget(self.kind_filter)
        top.addStretch(1)
        top.addWidget(self.count)
        column.addLayout(top)

        self.model = StoryModel(self, today=self.ctx.today)
        self.list = QListView()
        self.list.setAccessibleName(_("Verhaal, nieuwste eerst"))
        self.list.setModel(self.model)
        self.list.setItemDelegate(StoryDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        # Lay rows out in batches: the first screenful paints at once, the rest follows while idle.
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(40)
        self.list.selectionModel().currentChanged.connect(self._on_current_changed)
        self.empty = QLabel(_("Er staat nog niets in het verhaal van deze zaak."))
        tint(self.empty, SUBTLE)
        self.empty.hide()

        self.detail = QTextBrowser()
        self.detail.setAccessibleName(_("Gekozen verslag"))
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText(_("Kies een verslag om het helemaal te lezen."))
        self.confirm_button = QPushButton(_("Markeer als &bevestigd"))
        self.confirm_button.setAccessibleName(_("Markeer als bevestigd door de ouder"))
        self.confirm_button.setToolTip(
            _("De ouder heeft gezegd dat dit verslag klopt: telefonisch, per mail of met een handtekening (Alt+B). "
            "Geen reactie is geen bevestiging."))
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self.confirm_current)
        lower = QWidget()
        lower_column = QVBoxLayout(lower)
        lower_column.setContentsMargins(0, 0, 0, 0)
        lower_column.addWidget(self.detail, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.confirm_button)
        lower_column.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.list)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([3000, 1000])  # the timeline gets most of the height; the split keeps this ratio
        column.addWidget(self.empty)
        column.addWidget(split, 1)
        return box

    def _build_form(self) -> QWidget:
        group = QGroupBox(_("Nieuw verslag"))
        group.setAccessibleName(_("Nieuw verslag"))
        self.form_group = group
        form = QFormLayout(group)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.draft_bar = DraftBar(_("Niet-opgeslagen verslag"))
        form.addRow(self.draft_bar)
        self.form_message = message_line()
        self.errors = FieldErrors(general=self.form_message)
        self.kind = QComboBox()
        for code, label in KINDS.items():
            self.kind.addItem(label, code)
        self.location = QLineEdit()
        self.location.setPlaceholderText(_("Bijvoorbeeld: thuis, keukentafel"))
        self.present = QLineEdit()
        self.present.setPlaceholderText(_("Wie waren erbij?"))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(_("Wat heeft de ouder verteld? Wat is besproken?"))
        self.text.setTabChangesFocus(True)  # Tab goes on to Opslaan; the report needs no tab characters
        self.text.setMinimumHeight(120)
        add_field(form, "Soort &contact", self.kind, errors=self.errors, fields="kind")
        add_field(form, "&Waar", self.location, errors=self.errors, fields="location")
        add_field(form, "Aa&nwezig", self.present, errors=self.errors, fields="present")
        add_field(form, "Ve&rslag", self.text, errors=self.errors, fields="text")
        self.text.setAccessibleName(_("Verslag"))
        hint = QLabel(_("Ctrl+Z maakt ongedaan, Ctrl+Enter slaat op."))
        tint(hint, SUBTLE)
        hint.setWordWrap(True)
        self.save_button = QPushButton(_("&Opslaan"))
        self.save_button.setAccessibleName(_("Verslag opslaan"))
        self.save_button.clicked.connect(self.save_entry)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        form.addRow(self.form_message)
        form.addRow(hint)
        form.addRow(buttons)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(key), group)
            shortcut.setWhatsThis(_("Verhaal: verslag opslaan"))
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save_entry)
        return group

    # -- loading -------------------------------------------------------------------------------

    def fetch_job(self) -> Work:
        case_id = self.case_id
        return lambda ws, uow: tuple(ws.story.timeline(uow, case_id))

    def show_data(self, data: Any) -> None:
        self.all_entries = data
        self._show_entries()

    def _show_entries(self) -> None:
        kind = self.kind_filter.currentData()
        entries = [e for e in self.all_entries if e.kind == kind] if kind else self.all_entries
        keep = self._select_id or self._current_id()
        self.model.set_entries(entries)
        self.empty.setVisible(not entries)
        self.count.setText(ngettext("{n} verslag", "{n} verslagen", len(entries)).format(n=len(entries))
                           + (_(" ({kind})").format(kind=KINDS[kind].lower()) if kind else ""))
        row = self.model.row_of(keep) if keep else -1
        self._select_id = None
        if row >= 0:
            index = self.model.index(row, 0)
            self.list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.list.scrollTo(index)
        else:
            self._show_entry(None)

    def _current_id(self) -> str | None:
        entry = self.current_entry()
        return entry.id if entry else None

    def current_entry(self) -> StoryEntryInfo | None:
        index = self.list.currentIndex()
        return index.data(ENTRY_ROLE) if index.isValid() else None

    def editors(self) -> tuple[QWidget, ...]:
        return (self.form_group,)

    def refresh_enabled(self) -> None:
        entry = self.current_entry()
        self.confirm_button.setEnabled(self.editable and entry is not None and not entry.confirmed_by_parent)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_entry(current.data(ENTRY_ROLE) if current.isValid() else None)

    def _show_entry(self, entry: StoryEntryInfo | None) -> None:
        self.confirm_button.setEnabled(self.editable and entry is not None and not entry.confirmed_by_parent)
        if entry is None:
            self.detail.clear()
            return
        parts = [f"<p><b>{html.escape(heading(entry))}</b></p>"]
        if entry.present:
            parts.append(f"<p>{html.escape(present_text(entry))}</p>")
        parts.append("".join(f"<p>{html.escape(p)}</p>" for p in entry.text.split("\n") if p.strip()))
        parts.append(f"<p><i>{html.escape(self.model.confirmation(entry)[0])}</i></p>")
        self.detail.setHtml("".join(parts))

    # -- changing ------------------------------------------------------------------------------

    def confirm_current(self) -> None:
        entry = self.current_entry()
        if entry is None or entry.confirmed_by_parent:
            return
        entry_id = entry.id
        self._select_id = entry_id
        self.mutate("confirm", lambda ws, uow: ws.story.confirm(uow, entry_id))

    @property
    def form_dirty(self) -> bool:
        return bool(self.text.toPlainText().strip() or self.location.text().strip() or self.present.text().strip())

    def save_entry(self) -> None:
        case_id, kind = self.case_id, self.kind.currentData()
        text, location, present = self.text.toPlainText(), self.location.text(), self.present.text()

        def work(ws: Workspace, uow: UnitOfWork) -> StoryEntryInfo:
            entry = ws.story.add(uow, case_id, kind=kind, text=text, location=location, present=present)
            ws.drafts.discard(uow, "story_entry", case_id)  # one unit of work: saved, or still a draft
            return entry

        self.mutate("add", work, done=self._on_saved, errors=self.errors)

    def _on_saved(self, entry: StoryEntryInfo) -> None:
        self._select_id = entry.id
        self.draft.forget()
        self._clear_form()
        self.kind.setFocus()

    def _clear_form(self) -> None:
        with self.draft.quiet():
            self.location.clear()
            self.present.clear()
            self.text.clear()
        self.draft_bar.hide()
        self._offered = None

    # -- the draft -----------------------------------------------------------------------------

    def draft_content(self) -> dict[str, Any]:
        return {"kind": self.kind.currentData() if self.form_dirty else "", "location": self.location.text(),
                "present": self.present.text(), "text": self.text.toPlainText()}

    def offer_draft(self, info: EditorDraftInfo | None) -> None:
        """A report typed earlier and never saved comes back into the empty form, with a line that says so."""
        if info is None:
            return
        when = saved_when(info.saved_at, self.ctx.today())
        if self.form_dirty:  # typed while the draft was being fetched: never overwrite, let the handler choose
            self._offered = info
            self.draft_bar.offer(_("Er is een niet-opgeslagen verslag van {when}.").format(when=when), restore=True)
            return
        self._fill(info.content)
        self.draft_bar.offer(_("Niet-opgeslagen verslag van {when} is teruggezet. Sla het op of gooi het weg.")
                             .format(when=when), restore=False)

    def _restore_offered(self) -> None:
        if self._offered is not None:
            self._fill(self._offered.content)
            self.draft.mark_dirty()
            self._offered = None
        self.draft_bar.restore_button.hide()

    def _fill(self, content: dict[str, Any]) -> None:
        with self.draft.quiet():
            index = self.kind.findData(content.get("kind"))
            if index >= 0:
                self.kind.setCurrentIndex(index)
            self.location.setText(str(content.get("location", "")))
            self.present.setText(str(content.get("present", "")))
            self.text.setPlainText(str(content.get("text", "")))

    def discard_draft(self) -> None:
        """The handler throws the unsaved report away: the form empties and the draft goes."""
        self._clear_form()
        self.draft.discard()
