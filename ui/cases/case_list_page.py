"""The "Mijn zaken" page: every case on the device in a table, narrowed by search and quick filters."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton

from ui.cases.case_list_model import (
    PARENT,
    PARENT_SAMPLE,
    REFERENCE,
    WIDTH_SAMPLES,
    CaseFilter,
    CaseListModel,
    words_of,
)
from ui.context import UiContext
from ui.errors import show_error
from ui.operations import query
from ui.widgets.list_page import ListPage
from ui.widgets.search_box import SearchBox
from workbench.cases.phases import PHASES
from workbench.cases.service import CaseRow
from workbench.i18n import _, ngettext
from workbench.search.service import CaseHit

SEARCH_LIMIT = 200
# Names and references are matched in the table itself; the store's full-text search is asked only from
# three letters on, because one or two letters match most of the store and cost far more than they find.
MIN_SEARCH_CHARS = 3
# What looks like (the start of) a case reference is matched in the table too, and completely; the store's
# search would rank every case whose reference starts with UHT: 90 ms at 50,000 cases for "UHT" alone.
REFERENCE_TYPED = re.compile(r"^\s*uht([\s\-]*\d)*[\s\-]*$", re.IGNORECASE)
REFRESH_ON = frozenset({"case", "story_entry", "action", "commitment", "commitment_status_change", "parent"})


def count_text(n: int) -> str:
    """A count the Dutch way: 50.000."""
    return f"{n:,}".replace(",", ".")


FIRST_PAGE = 200


class CaseListPage(ListPage):
    """Search box, quick filters and the case table; Enter or a double click opens the case.

    Attributes:
        model: the cases and the current filter.
        stale: a change touched the cases while the page was hidden; it reloads when shown.

    Signals:
        list_updated(): the rows or the filter changed and the table and count show the result.
    """

    list_updated = Signal()
    model: CaseListModel

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, CaseListModel(), name=_("Zaken"), stretch=PARENT, refresh_on=REFRESH_ON,
                         empty=_("Er staan nog geen zaken op dit apparaat. Zaken komen binnen bij de "
                                 "synchronisatie met de centrale."),
                         filtered=_("Geen zaak past bij de zoekterm en de filters. Wis de zoekterm of zet een "
                                    "filter uit om weer zaken te zien."))
        self._search_generation = 0
        self._shown_generation = 0
        self._enter_pending = False
        self._words: tuple[str, ...] = ()
        self._hits: frozenset[str] | None = None
        self._capped = False
        self._loaded = False
        self._build()
        self.reload()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.filter_box = SearchBox(_("Zoek in zaken"))
        self.phase_box = QComboBox()
        self.phase_box.setAccessibleName(_("Fase"))
        self.phase_box.view().setAccessibleName(_("Fasen"))
        self.phase_box.addItem(_("Alle fasen"), None)
        for code, label in PHASES.items():
            self.phase_box.addItem(label, code)
        phase_label = QLabel(_("F&ase:"))
        phase_label.setBuddy(self.phase_box)
        self.urgent_box = QCheckBox(_("Alleen &urgent"))
        self.urgent_box.setAccessibleName(_("Alleen urgent"))
        self.urgent_box.setToolTip(_("Alleen zaken met dreigende huisuitzetting, afsluiting van energie of beslag"))
        self.overdue_box = QCheckBox(_("Met a&chterstand"))
        self.overdue_box.setAccessibleName(_("Met achterstand"))
        self.overdue_box.setToolTip(_("Alleen zaken met een actie of toezegging die te laat is"))
        self.silent_box = QCheckBox()
        self.silent_box.setAccessibleName(_("Geen contact"))
        self._label_silent_box()
        self.count_label = QLabel(_("Zaken laden…"))
        self.count_label.setAccessibleName(_("Aantal zaken"))

        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        # Fixed rows: Qt then never measures 50,000 rows to lay the table out.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(REFERENCE, Qt.SortOrder.AscendingOrder)
        self._parent_min_width = 0
        self._size_columns()
        header.sectionResized.connect(self._on_section_resized)
        self.table.viewport().installEventFilter(self)

        self.open_button = QPushButton(_("Zaak &openen"))
        self.open_button.setAccessibleName(_("Zaak openen"))
        self.visit_button = QPushButton(_("&Huisbezoek starten"))
        self.visit_button.setAccessibleName(_("Huisbezoek starten"))

        top = self.top
        top.addWidget(self.filter_box.label)
        top.addWidget(self.filter_box, 1)
        top.addSpacing(12)
        top.addWidget(phase_label)
        top.addWidget(self.phase_box)
        quick = QHBoxLayout()
        for box in (self.urgent_box, self.overdue_box, self.silent_box):
            quick.addWidget(box)
            quick.addSpacing(8)
        quick.addStretch(1)
        quick.addWidget(self.count_label)
        self.bottom.addStretch(1)
        self.bottom.addWidget(self.open_button)
        self.bottom.addWidget(self.visit_button)
        self.list_area.column.insertLayout(1, quick)
        self.setFocusProxy(self.filter_box)
        self.controls_first(self.filter_box, self.phase_box, self.urgent_box, self.overdue_box, self.silent_box)

        self.filter_box.typing_paused.connect(self.run_search)
        self.filter_box.down_pressed.connect(self.focus_table)
        self.filter_box.returnPressed.connect(self.on_filter_return)
        self.phase_box.currentIndexChanged.connect(self.apply_filter)
        for box in (self.urgent_box, self.overdue_box, self.silent_box):
            box.toggled.connect(self.apply_filter)
        self.table.activated.connect(self.open_current)
        self.table.selectionModel().currentRowChanged.connect(lambda _now, _before: self._update_buttons())
        self.model.modelReset.connect(lambda: self._update_buttons())
        self.open_button.clicked.connect(lambda: self.open_current())
        self.visit_button.clicked.connect(self.start_visit)
        # A window shortcut: Qt ignores it while this page is hidden behind another page or a case.
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_filter).setWhatsThis(
            _("Zoekveld in de zakenlijst"))
        self._update_buttons()

    def _no_contact_days(self) -> int:
        return int(self.ctx.settings.get("no_contact_days"))

    def _label_silent_box(self) -> None:
        days = self._no_contact_days()
        self.silent_box.setText(_("Geen contact sinds {days}+ &dagen").format(days=days))
        self.silent_box.setToolTip(_("Alleen zaken waarin {days} dagen of langer geen contact is vastgelegd")
                                   .format(days=days))

    def _size_columns(self) -> None:
        """Widths from the font, so the table also fits at a large font size (never measured over all rows)."""
        metrics = self.table.fontMetrics()
        header_metrics = self.table.horizontalHeader().fontMetrics()
        padding = metrics.horizontalAdvance("M") + 4
        for column, sample in WIDTH_SAMPLES.items():
            # The header also needs room for the sort arrow; a two-line header for its longest line.
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            title_width = max(header_metrics.horizontalAdvance(line) for line in title.splitlines())
            width = max(metrics.horizontalAdvance(sample), title_width + header_metrics.horizontalAdvance("MM"))
            self.table.setColumnWidth(column, width + padding)
        self._parent_min_width = metrics.horizontalAdvance(PARENT_SAMPLE) + padding
        self.table.horizontalHeader().setMinimumSectionSize(metrics.horizontalAdvance("M" * 4))
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + metrics.height() // 2 + 4)
        self._fit_parent_column()

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != PARENT:
            self._fit_parent_column()

    def _fit_parent_column(self) -> None:
        """The parent's name takes the room the other columns leave, but never less than a long name.

        (Qt's Stretch mode would squeeze it to nothing at a large font, and the name is what handlers read.)
        """
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(header.count()) if c != PARENT)
        room = self.table.viewport().width() - others
        header.resizeSection(PARENT, max(self._parent_min_width, room))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._size_columns()

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        self.stale = False
        if not self._loaded:
            # The first rows show within milliseconds; the whole caseload follows on the DB thread.
            query(self, self.ctx.runner, lambda ws, uow: ws.cases.list_rows(uow, limit=FIRST_PAGE)) \
                .on_success(self._on_first_page).run()
        query(self, self.ctx.runner, lambda ws, uow: ws.cases.list_rows(uow)).on_success(self._on_rows).run()

    def _on_first_page(self, rows: list[CaseRow]) -> None:
        if self._loaded:
            return
        self.model.no_contact_days = self._no_contact_days()
        self.model.set_rows(rows, today=self.ctx.today())
        self.count_label.setText(_("Eerste {n} zaken; de rest wordt geladen…").format(n=len(rows)))

    def _on_rows(self, rows: list[CaseRow]) -> None:
        current = self.current_case_id()
        self.model.no_contact_days = self._no_contact_days()
        self.model.set_rows(rows, today=self.ctx.today())
        self._loaded = True
        if self._words:
            self.run_search()  # the story may now hold (or no longer hold) what was typed
        self._after_update(current)

    def showEvent(self, event: QShowEvent) -> None:
        if self._no_contact_days() != self.model.no_contact_days:
            self._label_silent_box()
            self.stale = True
        super().showEvent(event)  # reloads when stale

    # -- narrowing -----------------------------------------------------------------------------

    def run_search(self) -> None:
        """Search what was typed (when typing pauses, or at once on Enter), then narrow the table to it."""
        self.filter_box.stop_waiting()
        self._search_generation += 1
        generation = self._search_generation
        text = self.filter_box.text()
        words = words_of(text)
        if not words or max(len(w) for w in words) < MIN_SEARCH_CHARS or REFERENCE_TYPED.match(text):
            self._on_hits(generation, words, None)
            return
        query(self, self.ctx.runner, lambda ws, uow: ws.search.cases(uow, text, limit=SEARCH_LIMIT)) \
            .on_success(lambda hits: self._on_hits(generation, words, hits)) \
            .on_failure(lambda exc: self._on_search_failed(generation, exc)).run()

    def _on_hits(self, generation: int, words: tuple[str, ...], hits: list[CaseHit] | None) -> None:
        if generation != self._search_generation:
            return  # the handler typed on; a newer search is under way
        self._shown_generation = generation
        self._words = words
        self._hits = None if hits is None else frozenset(h.case_id for h in hits)
        self._capped = hits is not None and len(hits) >= SEARCH_LIMIT
        self.apply_filter()
        if self._enter_pending:
            self._enter_pending = False
            self._open_or_enter_list()

    def _on_search_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._search_generation:
            self._shown_generation = generation
            self._enter_pending = False
        show_error(self, exc)

    def current_filter(self) -> CaseFilter:
        return CaseFilter(
            words=self._words,
            case_ids=self._hits,
            phase=self.phase_box.currentData(),
            urgent_only=self.urgent_box.isChecked(),
            overdue_only=self.overdue_box.isChecked(),
            no_contact_days=self._no_contact_days() if self.silent_box.isChecked() else None,
        )

    def apply_filter(self) -> None:
        current = self.current_case_id()
        self.model.set_filter(self.current_filter())
        self._after_update(current)

    def _after_update(self, keep_case_id: str | None) -> None:
        row = self.model.row_of(keep_case_id) if keep_case_id else -1
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._update_count()
        self._update_buttons()
        self.list_updated.emit()

    def _update_count(self) -> None:
        if not self._loaded:
            return
        shown, total = self.model.rowCount(), self.model.total()
        if total == 0:
            text = _("Er staan nog geen zaken op dit apparaat.")
        elif shown == 0:
            text = ngettext("0 van {total} zaak. Pas de zoekterm of de filters aan.",
                            "0 van {total} zaken. Pas de zoekterm of de filters aan.", total).format(
                total=count_text(total))
        else:
            text = ngettext("{shown} van {total} zaak", "{shown} van {total} zaken", total).format(
                shown=count_text(shown), total=count_text(total))
        if self._capped:
            text += _(" · mogelijk niet alle treffers uit het verhaal: typ meer woorden")
        self.count_label.setText(text)

    # -- keyboard and opening ------------------------------------------------------------------

    def focus_filter(self) -> None:
        self.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_box.selectAll()

    def focus_table(self) -> None:
        if self.model.rowCount() == 0:
            return
        if not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_parent_column()
        return super().eventFilter(watched, event)

    def on_filter_return(self) -> None:
        """Enter in the search box: open the case when just one is left, else go to the list.

        Typed quickly, Enter can come before the search: then it waits for the search's result.
        """
        if self.filter_box.waiting() or self._shown_generation != self._search_generation:
            self._enter_pending = True
            if self.filter_box.waiting():
                self.run_search()
            return
        self._open_or_enter_list()

    def _open_or_enter_list(self) -> None:
        if self.model.rowCount() == 1:
            self.ctx.nav.open_case(self.model.case_id_at(0))
        else:
            self.focus_table()

    def current_case_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.case_id_at(index.row()) if index.isValid() else None

    def open_current(self, index: QModelIndex | None = None) -> None:
        """Open the case of `index` (Enter or a double click in the table), else the chosen one."""
        case_id = self.current_case_id()
        if index is not None and index.isValid():
            case_id = self.model.case_id_at(index.row())
        if case_id:
            self.ctx.nav.open_case(case_id)

    def start_visit(self) -> None:
        case_id = self.current_case_id()
        if case_id:
            self.ctx.nav.start_visit(case_id)

    def _update_buttons(self) -> None:
        chosen = self.current_case_id()
        for button in (self.open_button, self.visit_button):
            button.setEnabled(chosen is not None)
        reference = self.model.row_at(self.table.currentIndex().row()).reference if chosen else ""
        self.visit_button.setToolTip(_("Huisbezoek starten bij zaak {reference}").format(reference=reference) if chosen
                                     else _("Kies eerst een zaak in de lijst"))
