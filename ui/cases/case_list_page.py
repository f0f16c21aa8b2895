"""The "Mijn zaken" page: every case on the device in a table, narrowed by search and quick filters."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

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
from workbench.cases.phases import PHASES
from workbench.cases.service import CaseRow
from workbench.changes import Changes
from workbench.search.service import CaseHit

DEBOUNCE_MS = 150
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


class CaseListPage(QWidget):
    """Search box, quick filters and the case table; Enter or a double click opens the case.

    Attributes:
        model: the cases and the current filter.
        stale: a change touched the cases while the page was hidden; it reloads when shown.

    Signals:
        list_updated(): the rows or the filter changed and the table and count show the result.
    """

    list_updated = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.model = CaseListModel(self)
        self.stale = False
        self._search_generation = 0
        self._shown_generation = 0
        self._enter_pending = False
        self._words: tuple[str, ...] = ()
        self._hits: frozenset[str] | None = None
        self._capped = False
        self._loaded = False
        self._build()
        ctx.runner.changes_applied.connect(self.on_changes)
        self.reload()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.filter_box = QLineEdit()
        self.filter_box.setAccessibleName("Zoek in zaken")
        self.filter_box.setPlaceholderText("Zoek op naam, zaaknummer of wat er is verteld")
        self.filter_box.setClearButtonEnabled(True)
        for button in self.filter_box.findChildren(QToolButton):  # the clear button Qt adds
            button.setAccessibleName("Zoekterm wissen")
        self.filter_box.installEventFilter(self)
        search_label = QLabel("&Zoeken:")
        search_label.setBuddy(self.filter_box)
        self.phase_box = QComboBox()
        self.phase_box.setAccessibleName("Fase")
        self.phase_box.view().setAccessibleName("Fasen")
        self.phase_box.addItem("Alle fasen", None)
        for code, label in PHASES.items():
            self.phase_box.addItem(label, code)
        phase_label = QLabel("F&ase:")
        phase_label.setBuddy(self.phase_box)
        self.urgent_box = QCheckBox("Alleen &urgent")
        self.urgent_box.setAccessibleName("Alleen urgent")
        self.urgent_box.setToolTip("Alleen zaken met dreigende huisuitzetting, afsluiting van energie of beslag")
        self.overdue_box = QCheckBox("Met a&chterstand")
        self.overdue_box.setAccessibleName("Met achterstand")
        self.overdue_box.setToolTip("Alleen zaken met een actie of toezegging die te laat is")
        self.silent_box = QCheckBox()
        self.silent_box.setAccessibleName("Geen contact")
        self._label_silent_box()
        self.count_label = QLabel("Zaken laden…")
        self.count_label.setAccessibleName("Aantal zaken")

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Zaken")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move within it
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        # Fixed rows: Qt then never measures 50,000 rows to lay the table out.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setSortIndicator(REFERENCE, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self._parent_min_width = 0
        self._size_columns()
        header.sectionResized.connect(self._on_section_resized)
        self.table.viewport().installEventFilter(self)

        self.open_button = QPushButton("Zaak &openen")
        self.open_button.setAccessibleName("Zaak openen")
        self.visit_button = QPushButton("&Huisbezoek starten")
        self.visit_button.setAccessibleName("Huisbezoek starten")

        top = QHBoxLayout()
        top.addWidget(search_label)
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
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.visit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(quick)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.setFocusProxy(self.filter_box)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_search)
        self.filter_box.textChanged.connect(lambda _text: self._debounce.start())
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
            "Zoekveld in de zakenlijst")
        self._update_buttons()

    def _no_contact_days(self) -> int:
        return int(self.ctx.settings.get("no_contact_days"))

    def _label_silent_box(self) -> None:
        days = self._no_contact_days()
        self.silent_box.setText(f"Geen contact sinds {days}+ &dagen")
        self.silent_box.setToolTip(f"Alleen zaken waarin {days} dagen of langer geen contact is vastgelegd")

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
            self.ctx.runner.run(lambda ws, uow: ws.cases.list_rows(uow, limit=FIRST_PAGE),
                                done=self._on_first_page, failed=self._on_failed)
        self.ctx.runner.run(lambda ws, uow: ws.cases.list_rows(uow), done=self._on_rows, failed=self._on_failed)

    def _on_first_page(self, rows: list[CaseRow]) -> None:
        if self._loaded:
            return
        self.model.no_contact_days = self._no_contact_days()
        self.model.set_rows(rows, today=self.ctx.today())
        self.count_label.setText(f"Eerste {len(rows)} zaken; de rest wordt geladen…")

    def _on_rows(self, rows: list[CaseRow]) -> None:
        current = self.current_case_id()
        self.model.no_contact_days = self._no_contact_days()
        self.model.set_rows(rows, today=self.ctx.today())
        self._loaded = True
        if self._words:
            self.run_search()  # the story may now hold (or no longer hold) what was typed
        self._after_update(current)

    def on_changes(self, changes: Changes) -> None:
        if not any(changes.touches(entity) for entity in REFRESH_ON):
            return
        if self.isVisible():
            self.reload()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._no_contact_days() != self.model.no_contact_days:
            self._label_silent_box()
            self.stale = True
        if self.stale:
            self.reload()

    def _on_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    # -- narrowing -----------------------------------------------------------------------------

    def run_search(self) -> None:
        """The debounce target: search what was typed, then narrow the table to it."""
        self._debounce.stop()
        self._search_generation += 1
        generation = self._search_generation
        text = self.filter_box.text()
        words = words_of(text)
        if not words or max(len(w) for w in words) < MIN_SEARCH_CHARS or REFERENCE_TYPED.match(text):
            self._on_hits(generation, words, None)
            return
        self.ctx.runner.run(lambda ws, uow: ws.search.cases(uow, text, limit=SEARCH_LIMIT),
                            done=lambda hits: self._on_hits(generation, words, hits),
                            failed=lambda exc: self._on_search_failed(generation, exc))

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
            text = "Er staan nog geen zaken op dit apparaat."
        elif shown == 0:
            text = f"0 van {count_text(total)} zaken. Pas de zoekterm of de filters aan."
        else:
            text = f"{count_text(shown)} van {count_text(total)} zaken"
        if self._capped:
            text += " · mogelijk niet alle treffers uit het verhaal: typ meer woorden"
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
        if (watched is self.filter_box and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down):
            self.focus_table()
            return True
        return super().eventFilter(watched, event)

    def on_filter_return(self) -> None:
        """Enter in the search box: open the case when just one is left, else go to the list.

        Typed quickly, Enter can come before the search: then it waits for the search's result.
        """
        if self._debounce.isActive() or self._shown_generation != self._search_generation:
            self._enter_pending = True
            if self._debounce.isActive():
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
        self.visit_button.setToolTip(f"Huisbezoek starten bij zaak {reference}" if chosen
                                     else "Kies eerst een zaak in de lijst")
