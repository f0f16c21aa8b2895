"""The handover summary a new handler reads first: open actions and promises, letters, the whole story."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.operations import mutate, query
from ui.tasks import TaskRunner
from ui.widgets.row_table_model import ROW_ROLE, Column, RowTableModel, current_row, fit_columns, table_view
from ui.widgets.screen_fit import fit_to_screen
from ui.widgets.text_style import WARNING as WARNING_HEX
from ui.widgets.text_style import bold
from workbench.caseload.handover import HandoverItem, HandoverSummary
from workbench.caseload.service import CaseloadService
from workbench.errors import NotFound
from workbench.i18n import _, ngettext
from workbench.letters.templates import load_template
from workbench.sync.client import handover_read


def _day(day: dt.date | None) -> str:
    return "geen datum" if day is None else f"{day:%d-%m-%Y}"


def letter_title(template_id: str) -> str:
    """The letter's title as handlers know it; the id when the template is not shipped (any more)."""
    try:
        return load_template(template_id).title
    except NotFound:
        return template_id


def _items(title: str, items: Sequence[HandoverItem], empty: str) -> str:
    if not items:
        return f"<h3>{escape(title)}</h3><p>{escape(empty)}</p>"
    rows = "".join(
        f"<tr><td>{escape(i.description)}</td><td>{escape(i.who)}</td><td>"
        + (f'<b style="color:{WARNING_HEX}">⚠ {_day(i.due_on)}, te laat</b>' if i.overdue else _day(i.due_on))
        + "</td></tr>" for i in items)
    return (f"<h3>{escape(title)} ({len(items)})</h3><table cellspacing='0' cellpadding='4' width='100%'>"
            f"<tr><th align='left'>Wat</th><th align='left'>Wie</th><th align='left'>Uiterlijk</th></tr>"
            f"{rows}</table>")


def summary_html(summary: HandoverSummary) -> str:
    """The summary as one document: the to-dos first (they are what the new handler must keep), the story last."""
    late = sum(1 for i in (*summary.actions, *summary.commitments) if i.overdue)
    who = f"Zaakbehandelaar nu: {summary.handler_name}"
    if summary.previous_handler:
        who += f" · eerder: {summary.previous_handler}"
    parts = [f"<h2>Overdracht van zaak {escape(summary.reference)} — {escape(summary.parent_name)}</h2>",
             f"<p>Fase: {escape(summary.phase)} · {escape(who)}</p>"]
    if late:
        parts.append(f'<p><b style="color:{WARNING_HEX}">⚠ Let op: {late} '
                     f'{"afspraak is" if late == 1 else "afspraken zijn"} over de datum.</b></p>')
    parts.append(_items("Open acties", summary.actions, "Geen open acties."))
    parts.append(_items("Lopende toezeggingen", summary.commitments, "Geen lopende toezeggingen."))
    if summary.letters:
        rows = "".join(f"<tr><td>{escape(letter_title(t))}</td><td>{escape(s)}</td><td>{_day(d)}</td></tr>"
                       for t, s, d in summary.letters)
        parts.append(f"<h3>Brieven ({len(summary.letters)})</h3><table cellspacing='0' cellpadding='4' "
                     f"width='100%'><tr><th align='left'>Brief</th><th align='left'>Status</th>"
                     f"<th align='left'>Laatst gewijzigd</th></tr>{rows}</table>")
    else:
        parts.append("<h3>Brieven</h3><p>Geen brieven.</p>")
    parts.append(f"<h3>Het verhaal van de ouder, nieuwste eerst ({len(summary.story)})</h3>")
    parts.extend(f"<p><b>{_day(day)} · {escape(kind)}</b><br>{escape(text).replace(chr(10), '<br>')}</p>"
                 for day, kind, text in summary.story)
    if not summary.story:
        parts.append("<p>Er staat nog niets in het verhaal.</p>")
    return "".join(parts)


class HandoverDialog(QDialog):
    """Shows one HandoverSummary; "Gelezen" closes it and says so (the caller records the acknowledgement).

    Attributes:
        text: the summary, read-only and scrollable with the keyboard.

    Signals:
        acknowledged(str): the handler pressed "Gelezen" for this case id.
    """

    acknowledged = Signal(str)

    def __init__(self, summary: HandoverSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = summary
        title = f"Overdracht van zaak {summary.reference}"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.text = QTextBrowser()
        self.text.setAccessibleName(_("Overdrachtssamenvatting"))
        self.text.setOpenLinks(False)
        self.text.setHtml(summary_html(summary))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Gelezen"))
        ok.setAccessibleName(_("Gelezen"))
        buttons.accepted.connect(self._on_read)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        fit_to_screen(self, QSize(metrics.averageCharWidth() * 100, metrics.lineSpacing() * 36))
        self.setFocusProxy(self.text)

    def _on_read(self) -> None:
        self.acknowledged.emit(self.summary.case_id)
        self.accept()


def open_handover(runner: TaskRunner, case_id: str, parent: QWidget,
                  on_open: Callable[[HandoverDialog], None] | None = None) -> None:
    """Fetch the summary on the DB thread, then show it (the new handler opens a handed-over case with it)."""
    service = CaseloadService()

    def show(summary: HandoverSummary) -> None:
        dialog = HandoverDialog(summary, parent)
        if on_open is not None:
            on_open(dialog)
        dialog.open()

    query(parent, runner, lambda _ws, uow: service.handover(uow, case_id)).on_success(show).run()


def handed_over_title(n: int) -> str:
    """"1 zaak aan u overgedragen" / "N zaken aan u overgedragen"."""
    return ngettext("{n} zaak aan u overgedragen", "{n} zaken aan u overgedragen", n).format(n=n)


def handover_model(parent: QObject | None = None) -> RowTableModel:
    """One row per handed-over case: open actions, live promises and story entries, as its summary counts them."""
    columns = (Column(_("Zaak"), lambda s: s.reference), Column(_("Ouder"), lambda s: s.parent_name),
               Column(_("Acties"), lambda s: str(len(s.actions))),
               Column(_("Toezeggingen"), lambda s: str(len(s.commitments))),
               Column(_("Verhaal"), lambda s: str(len(s.story))))
    return RowTableModel(columns, warn=lambda s: any(i.overdue for i in (*s.actions, *s.commitments)),
                         parent=parent)


class HandoverListDialog(QDialog):
    """Every case handed to this user since the last look, on one non-modal page: a list with counts, and the
    selected case's whole summary beside it. The window stays usable while it is open.

    Attributes:
        heading: "N zaken aan u overgedragen"; model, table: the cases; text: the selected case's summary.

    Signals:
        acknowledged(list): "Gelezen" was pressed for these case ids; open_case(str): "Zaak openen".
    """

    acknowledged = Signal(list)
    open_case = Signal(str)

    def __init__(self, summaries: Sequence[HandoverSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.summaries = tuple(summaries)
        title = handed_over_title(len(self.summaries))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.heading = bold(QLabel(title))
        self.heading.setAccessibleName(title)
        intro = QLabel(_("Een collega of teamleider heeft deze zaken aan u toegewezen. Kies een zaak om te lezen "
                         "wat er loopt: open acties, toezeggingen, brieven en het hele verhaal."))
        intro.setWordWrap(True)
        self.model = handover_model(self)
        self.model.set_rows(self.summaries)
        self.table = table_view(self.model, _("Overgedragen zaken"), stretch=1)
        self.table.selectionModel().currentChanged.connect(self._on_current)
        self.text = QTextBrowser()
        self.text.setAccessibleName(_("Overdrachtssamenvatting"))
        self.text.setOpenLinks(False)
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton(_("Zaak &openen"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setAccessibleName(_("Gekozen zaak openen"))
        self.open_button.clicked.connect(self._on_open)
        self.read_button = buttons.addButton(_("Alles &gelezen"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.read_button.setAccessibleName(_("Alles gelezen"))
        self.read_button.clicked.connect(self._on_read)
        later = buttons.addButton(_("&Later lezen"), QDialogButtonBox.ButtonRole.RejectRole)
        later.setAccessibleName(_("Later lezen"))
        later.clicked.connect(self.reject)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.text)
        splitter.setSizes([500, 600])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        fit_columns(self.table)
        metrics = self.fontMetrics()
        fit_to_screen(self, QSize(metrics.averageCharWidth() * 170, metrics.lineSpacing() * 36))
        self.setFocusProxy(self.table)
        if self.summaries:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        summary: HandoverSummary | None = current.data(ROW_ROLE) if current.isValid() else None
        self.text.setHtml(summary_html(summary) if summary is not None else "")

    def _on_open(self) -> None:
        summary: HandoverSummary | None = current_row(self.table)
        if summary is not None:
            self.open_case.emit(summary.case_id)

    def _on_read(self) -> None:
        self.acknowledged.emit([s.case_id for s in self.summaries])
        self.accept()


def _read_all(uow: Any, case_ids: list[str]) -> None:
    for case_id in case_ids:
        handover_read(uow, case_id)


def offer_handovers(runner: TaskRunner, parent: QWidget, shown: Callable[[HandoverListDialog], None],
                    open_case: Callable[[str], None], *, current: HandoverListDialog | None = None) -> None:
    """After a sync: when cases were handed to this user, show them all on one non-modal page (none: nothing).

    An open page is replaced by one that lists every waiting case, so a second sync never stacks a second page.
    """
    service = CaseloadService()

    def show(summaries: list[HandoverSummary]) -> None:
        listed = tuple(s.case_id for s in current.summaries) if current is not None and isValid(current) else None
        if not summaries or listed == tuple(s.case_id for s in summaries):
            return
        if current is not None and isValid(current):
            current.close()
        dialog = HandoverListDialog(summaries, parent)
        dialog.acknowledged.connect(lambda ids: mutate(parent, runner, lambda _ws, uow: _read_all(uow, ids)).run())
        dialog.open_case.connect(open_case)
        shown(dialog)
        dialog.show()

    # Looked for after every sync, unasked: a problem here is not the user's to solve.
    query(parent, runner, lambda _ws, uow: service.waiting_handovers(uow)).on_success(show).quietly().run()
