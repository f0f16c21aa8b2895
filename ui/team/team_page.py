"""The Team page: the handlers' figures with what needs attention, filters, charts, drill-down and exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton

from ui.context import UiContext
from ui.errors import message_for, show_error
from ui.operations import mutate, query
from ui.team.cases_dialog import CasesDialog, drill_title
from ui.team.team_charts import TeamCharts
from ui.team.team_model import (
    ATTENTION,
    FIGURE_ROLE,
    FIGURES_ROLE,
    OPEN,
    WARNING_SIGN,
    TeamModel,
    needs_attention,
    plain_title,
)
from ui.widgets.list_page import Fetch, ListPage
from ui.widgets.text_style import SUBTLE, WARNING, bold, tint
from workbench.caseload.service import CaseloadService
from workbench.caseload.types import Figures, TeamFigures
from workbench.errors import UserError
from workbench.i18n import _, ngettext

if TYPE_CHECKING:
    from workbench.workspace import UnitOfWork

REFRESH_ON = frozenset({"case", "action", "commitment", "story_entry", "letter", "user"})
ExportKind = Literal["pdf", "csv"]
EXPORTS = {"pdf": ("teamrapport.pdf", "PDF-bestanden (*.pdf)", "Rapport"),
           "csv": ("teamcijfers.csv", "CSV-bestanden (*.csv)", "Cijfers")}


def write_export(path: Path, data: bytes) -> Path:
    """Write the export; a full disk or a read-only folder is the person's environment, said in Dutch."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UserError(f"Het bestand {path.name} kon niet worden opgeslagen ({exc.strerror or 'schrijffout'}). "
                        "Kies een andere map.") from None
    return path


class TeamPage(ListPage):
    """A team lead's view of the team (a list page above its charts). Enter on a figure lists the cases behind it.

    Attributes:
        model, table: the figures; as_of: the team, the day and who needs attention (the page's count line).
        charts: for the team or the handler of the current row; splitter: the list above the charts.
        attention_box, handler_box: the filters; message: what went wrong or what was saved.
        cases_dialog: the open drill-down (None when none).

    Signals:
        figures_shown(): fresh figures are on screen; charts_shown(): the charts show the current row.
        export_saved(str): a report or CSV was written to this path.
    """

    figures_shown = Signal()
    charts_shown = Signal()
    export_saved = Signal(str)
    model: TeamModel

    def __init__(self, ctx: UiContext, *, service: CaseloadService | None = None) -> None:
        # The team row is always there once figures are in; empty means they have not come (yet).
        super().__init__(ctx, TeamModel(), name=_("Cijfers per behandelaar"), stretch=None, refresh_on=REFRESH_ON,
                         empty=_("Nog geen cijfers van het team. Ze komen binnen bij de synchronisatie met de "
                                 "centrale."))
        self.service = service or CaseloadService()  # stateless: queries in the unit of work it is given
        self.setAccessibleName(_("Team"))
        self.cases_dialog: CasesDialog | None = None
        self.stale = True  # loads when first shown
        self._chart_for: str | bool | None = False  # the handler the charts show (False: none yet)
        self._build()
        self.rows_shown.connect(self.figures_shown)

    def _build(self) -> None:
        title = bold(QLabel(_("Team")))
        self.as_of = self.count_label
        self.as_of.setAccessibleName(_("Stand van de cijfers"))
        tint(self.as_of, SUBTLE)
        self.attention_box = QCheckBox(_("Alleen wat &aandacht vraagt"))
        self.attention_box.setAccessibleName(_("Alleen wat aandacht vraagt"))
        self.handler_box = QComboBox()
        self.handler_box.setAccessibleName(_("Behandelaar"))
        self.handler_box.view().setAccessibleName(_("Keuzes voor behandelaar"))
        self.handler_box.addItem(_("Alle behandelaars"), None)
        handler_label = QLabel(_("&Behandelaar:"))
        handler_label.setBuddy(self.handler_box)
        self.drill_button = self._button("Zaken achter dit &cijfer…", "Zaken achter het gekozen cijfer",
                                         lambda: self.drill(self.table.currentIndex()))
        self.pdf_button = self._button("Rapport opslaan (&PDF)…", "Rapport opslaan als PDF",
                                       lambda: self.ask_export("pdf"))
        self.csv_button = self._button("Cijfers opslaan (C&SV)…", "Cijfers opslaan als CSV",
                                       lambda: self.ask_export("csv"))
        self.reload_button = self._button("Ver&nieuwen (F5)", "Cijfers vernieuwen", self.reload)
        QShortcut(QKeySequence("F5"), self, self.reload, Qt.ShortcutContext.WidgetWithChildrenShortcut).setWhatsThis(
            _("Team: cijfers vernieuwen"))
        self.message = QLabel("")
        self.message.setAccessibleName(_("Melding"))
        self.message.setWordWrap(True)
        self.message.hide()
        self.detail = QLabel("")
        self.detail.setAccessibleName(_("Aandacht voor de gekozen regel"))
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Cells, not rows: every figure can be drilled into, so the arrows go from figure to figure.
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.charts = TeamCharts()

        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addWidget(self.as_of, 1)
        heading.addWidget(self.pdf_button)
        heading.addWidget(self.csv_button)
        self.top.addWidget(self.attention_box)
        self.top.addSpacing(16)
        self.top.addWidget(handler_label)
        self.top.addWidget(self.handler_box)
        self.top.addStretch(1)
        self.top.addWidget(self.drill_button)
        self.top.addWidget(self.reload_button)
        self.page_layout.insertLayout(0, heading)
        self.list_area.column.insertWidget(1, self.message)  # under the filters, above the figures
        self.bottom.addWidget(self.detail, 1)
        self.splitter = self.place_beside(self.charts, orientation=Qt.Orientation.Vertical)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.controls_first(self.attention_box, self.handler_box, self.drill_button, self.pdf_button,
                            self.csv_button, self.reload_button)
        self.setFocusProxy(self.table)

        self.attention_box.toggled.connect(lambda _on: self._apply_filter())
        self.handler_box.currentIndexChanged.connect(lambda _n: self._apply_filter())
        self.table.activated.connect(self.drill)
        self.table.selectionModel().currentChanged.connect(lambda now, _before: self._on_current(now))

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    # -- loading -------------------------------------------------------------------------------

    def fetch_job(self) -> Fetch:
        today, service = self.ctx.today(), self.service
        return lambda _ws, uow: service.team(uow, today=today)

    def load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.say(message_for(exc)[1], warning=True)
        else:
            show_error(self, exc)

    def show_data(self, data: Any) -> None:
        figures: TeamFigures = data
        current = self.table.currentIndex()
        keep = (current.data(FIGURES_ROLE).handler_id, current.column()) if current.isValid() else (None, OPEN)
        self.model.set_figures(figures)
        self._fill_handlers(figures.handlers)
        self.as_of.setText(_("{team} · stand {day} · {attention}").format(
            team=figures.team.name, day=f"{figures.as_of:%d-%m-%Y}", attention=self._attention_text(figures)))
        self._size_columns()
        self._select(*keep)
        self._fit_splitter()  # after the detail line says what the current row needs

    def _attention_text(self, figures: TeamFigures) -> str:
        n = sum(1 for f in figures.handlers if needs_attention(f, figures.as_of))
        if n == 0:
            return _("niemand vraagt nu aandacht")
        return ngettext("{n} behandelaar vraagt aandacht", "{n} behandelaars vragen aandacht", n).format(n=n)

    def _fill_handlers(self, handlers: Sequence[Figures]) -> None:
        chosen = self.handler_box.currentData()
        self.handler_box.blockSignals(True)
        self.handler_box.clear()
        self.handler_box.addItem(_("Alle behandelaars"), None)
        for f in sorted(handlers, key=lambda h: h.name.casefold()):
            self.handler_box.addItem(f.name, f.handler_id)
        index = self.handler_box.findData(chosen) if chosen is not None else 0
        self.handler_box.setCurrentIndex(max(index, 0))
        self.handler_box.blockSignals(False)
        if chosen is not None and index < 0:
            self._apply_filter()

    def _size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + metrics.height() // 2 + 4)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):  # a little air: a name never touches the next figure
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 4)
        # The attention words are long; the whole list is in the tooltip and in the detail line. A name is read
        # whole unless it is very long.
        for column, chars in ((0, 40), (ATTENTION, 28)):
            widest = metrics.averageCharWidth() * chars
            if self.table.columnWidth(column) > widest:
                self.table.setColumnWidth(column, widest)

    def _fit_splitter(self) -> None:
        """The table takes the height of its rows (up to half the page); the charts get the rest. The list
        area's filters, message and detail line come on top of the table's own height."""
        metrics, width = self.table.fontMetrics(), max(self.list_area.width(), self.width() // 2)
        spacing = max(self.list_area.column.spacing(), 0)
        around = self.top.sizeHint().height() + self.detail.heightForWidth(width) + 3 * spacing
        if self.message.isVisible():
            around += self.message.heightForWidth(width) + spacing
        rows = self.table.verticalHeader().length() + self.table.horizontalHeader().height() + metrics.lineSpacing()
        extra = self.table.horizontalScrollBar().sizeHint().height() + 2 * self.table.frameWidth() + 12
        wanted = min(rows + extra, max(self.height() // 2, metrics.lineSpacing() * 10)) + around
        total = sum(self.splitter.sizes())
        if total > wanted:
            self.splitter.setSizes([wanted, total - wanted])

    def _apply_filter(self) -> None:
        handler_id = self.handler_box.currentData()
        column = self.table.currentIndex().column() if self.table.currentIndex().isValid() else OPEN
        self.model.set_filter(attention_only=self.attention_box.isChecked(), handler_id=handler_id)
        self._select(handler_id, column)

    def _select(self, handler_id: str | None, column: int) -> None:
        row = self.model.row_of(handler_id)
        self.table.setCurrentIndex(self.model.index(max(row, 0), column))

    # -- charts --------------------------------------------------------------------------------

    def _on_current(self, index: QModelIndex) -> None:
        figure = self.model.data(index, FIGURE_ROLE) if index.isValid() else None
        self.drill_button.setEnabled(figure is not None)
        figures = self.model.data(index, FIGURES_ROLE) if index.isValid() else None
        self.show_detail(figures if isinstance(figures, Figures) else None)
        if isinstance(figures, Figures) and figures.handler_id != self._chart_for:
            self.show_charts(figures)

    def show_detail(self, figures: Figures | None) -> None:
        """Every attention line of the current row in full: the table's column has room for the first only."""
        if figures is None:
            self.detail.clear()
            return
        self.detail.setText(_("{sign} {name}: {signals}").format(sign=WARNING_SIGN, name=figures.name,
                                                                  signals="; ".join(figures.signals))
                            if figures.signals
                            else _("{name}: niets dat nu aandacht vraagt.").format(name=figures.name))
        tint(self.detail, WARNING if figures.signals else SUBTLE)

    def show_charts(self, figures: Figures) -> None:
        """Charts of the team or one handler: phases come with the figures; ages and the series are fetched."""
        self._chart_for = figures.handler_id
        who = figures.name
        self.charts.set_title(who)
        self.charts.show_phases(figures.by_phase)
        handler_id, today, service = figures.handler_id, self.model.today, self.service

        def fetch(_ws: object, uow: UnitOfWork) -> tuple[list[int], list[tuple[dt.date, float | None]]]:
            return (service.open_case_ages(uow, handler_id=handler_id, today=today),
                    service.reliability_series(uow, handler_id=handler_id, today=today))

        def show(result: tuple[list[int], list[tuple[dt.date, float | None]]]) -> None:
            if self._chart_for != handler_id:
                return  # the person moved on while it loaded
            ages, series = result
            self.charts.show_ages(ages)
            self.charts.show_reliability(series)
            self.charts_shown.emit()

        query(self, self.ctx.runner, fetch).on_success(show).on_failure(self.load_failed).run()

    # -- drill-down ----------------------------------------------------------------------------

    def drill(self, index: QModelIndex) -> None:
        """The cases behind the figure under `index` (nothing for a column without cases behind it)."""
        figure = self.model.data(index, FIGURE_ROLE) if index.isValid() else None
        if figure is None:
            return
        figures: Figures = self.model.data(index, FIGURES_ROLE)
        title = drill_title(plain_title(index.column()), figures.name, self.model.today)
        handlers = [(f.handler_id, f.name) for f in self.model.handlers() if f.handler_id is not None]
        dialog = CasesDialog(self.ctx, self.service, title=title, figure=figure, handler_id=figures.handler_id,
                             handlers=handlers, parent=self)
        dialog.case_reassigned.connect(lambda _case_id: self.reload())
        self.cases_dialog = dialog
        dialog.open()

    # -- exports -------------------------------------------------------------------------------

    def ask_export(self, kind: ExportKind) -> None:
        suggested, pattern, what = EXPORTS[kind]
        name, _filter = QFileDialog.getSaveFileName(self, f"{what} opslaan", str(Path.home() / suggested), pattern)
        if name:
            self.save_export(kind, Path(name))

    def save_export(self, kind: ExportKind, path: Path) -> None:
        """Make the report or CSV (the export is audited in the same unit of work) and write it to `path`."""
        today, service = self.ctx.today(), self.service
        mutate(self, self.ctx.runner,
               lambda _ws, uow: write_export(path, service.export_report(uow, kind=kind, today=today))) \
            .on_success(self._on_saved).run()

    def _on_saved(self, path: object) -> None:
        self.say(_("Opgeslagen in {path}.").format(path=path))
        self.export_saved.emit(str(path))

    def say(self, text: str, *, warning: bool = False) -> None:
        self.message.setText(text)
        tint(self.message, WARNING if warning else SUBTLE)
        self.message.show()
