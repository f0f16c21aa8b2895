"""The "Zoeken" page: a search box over every case and its story; Enter opens the chosen case."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QTableView

from ui.context import UiContext
from ui.errors import show_error
from ui.operations import query
from ui.search.search_model import PARENT, SearchModel
from ui.widgets.list_page import ListPage
from ui.widgets.row_table_model import fit_columns
from ui.widgets.search_box import SearchBox
from workbench.i18n import _, ngettext
from workbench.search.service import CaseHit
from workbench.workspace import UnitOfWork, Workspace

SEARCH_LIMIT = 200


def hint() -> str:
    return _("Typ een naam, een zaaknummer of woorden uit het verhaal.")


@dataclass(frozen=True)
class _Found:
    typed: str
    hits: list[CaseHit]
    names: dict[str, str]


def _search(ws: Workspace, uow: UnitOfWork, typed: str) -> _Found:
    hits = ws.search.cases(uow, typed, limit=SEARCH_LIMIT)
    return _Found(typed, hits, ws.cases.parent_names(uow, [hit.case_id for hit in hits]))


class SearchPage(ListPage):
    """Search as the handler types (after a short pause); Down goes to the results, Enter opens one.

    Attributes:
        model: the results shown; results: their table (best match first until a header is clicked).

    Signals:
        results_shown(): the results of the newest search are on screen.
    """

    results_shown = Signal()
    model: SearchModel

    def __init__(self, ctx: UiContext) -> None:
        # Results follow what is typed, not Changes: a search shows the store as it was when it ran.
        super().__init__(ctx, SearchModel(), name=_("Gevonden zaken"), stretch=PARENT, refresh_on=frozenset(),
                         empty=hint())
        self.results: QTableView = self.table
        self._generation = 0
        self._searching = False
        self._open_pending = False
        self._build()

    def _build(self) -> None:
        self.search_box = SearchBox(_("Zoeken in alle zaken"))
        self.status_label = self.count_label
        self.status_label.setText(hint())
        self.status_label.setAccessibleName(_("Zoekresultaat"))
        self.status_label.setWordWrap(True)
        self.results.setStyleSheet("QTableView::item { padding: 5px 4px; }")  # lines packed tight are hard to read

        self.top.addWidget(self.search_box.label)
        self.top.addWidget(self.search_box, 1)
        self.list_area.column.insertWidget(1, self.status_label)  # under the box, above the results
        self.setFocusProxy(self.search_box)
        self.controls_first(self.search_box)

        self.search_box.typing_paused.connect(self.run_search)
        self.search_box.down_pressed.connect(self._down_to_results)
        self.search_box.returnPressed.connect(self.on_return)
        self.results.activated.connect(self.on_activated)

    # -- searching -----------------------------------------------------------------------------

    def run_search(self) -> None:
        """Search what is typed (when typing pauses, or at once on Enter)."""
        self.search_box.stop_waiting()
        self._generation += 1
        generation = self._generation
        typed = self.search_box.text()
        if not typed.strip():
            self._show(generation, _Found(typed, [], {}))
            return
        self._searching = True
        query(self, self.ctx.runner, lambda ws, uow: _search(ws, uow, typed)) \
            .on_success(lambda found: self._show(generation, found)) \
            .on_failure(lambda exc: self._on_failed(generation, exc)).run()

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._searching = self._open_pending = False
        show_error(self, exc)

    def _show(self, generation: int, found: _Found) -> None:
        if generation != self._generation:
            return  # an older search; the newer one is on its way
        self._searching = False
        self.model.set_hits(found.hits, found.names)
        fit_columns(self.results, max_chars=30)
        n, typed = len(found.hits), found.typed.strip()
        if not typed:
            text = hint()
        elif n == 0:
            text = _("Geen zaken gevonden voor ‘{typed}’. Probeer een ander woord.").format(typed=typed)
        elif n >= SEARCH_LIMIT:
            text = _("Veel zaken gevonden; hieronder de eerste {n}. Typ meer woorden om te verfijnen.").format(
                n=SEARCH_LIMIT)
        else:
            text = ngettext("{n} zaak gevonden", "{n} zaken gevonden", n).format(n=n)
        self.empty_state.set_texts(empty=text)
        self.status_label.setText(text)
        if n:
            self.results.setCurrentIndex(self.model.index(0, 0))
        self.results_shown.emit()
        if self._open_pending:
            self._open_pending = False
            self.open_current()

    # -- keyboard and opening ------------------------------------------------------------------

    def _down_to_results(self) -> None:
        if self.model.rowCount():
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)

    def on_return(self) -> None:
        """Enter in the search box opens the chosen (at first: the best) result, once the search is done."""
        if self.search_box.waiting() or self._searching:
            self._open_pending = True
            if self.search_box.waiting():
                self.run_search()
            return
        self.open_current()

    def open_current(self) -> None:
        index = self.results.currentIndex()
        if index.isValid():
            self.ctx.nav.open_case(self.model.case_id_at(index.row()))

    def on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.ctx.nav.open_case(self.model.case_id_at(index.row()))
