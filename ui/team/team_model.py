"""The Team page's table: one row per handler under a bold team row; what needs attention says so in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from ui.widgets.row_table_model import WARNING_COLOUR, Column, RowTableModel
from workbench.caseload.terms import RELIABILITY_MIN_DUE, RELIABILITY_SIGNAL, REVIEW_WAIT_DAYS, STALE_SYNC_DAYS
from workbench.caseload.types import (
    FIGURE_ACTIONS_OVERDUE,
    FIGURE_COMMITMENTS_OPEN,
    FIGURE_COMMITMENTS_OVERDUE,
    FIGURE_IN_REVIEW,
    FIGURE_NEAR_TERM,
    FIGURE_NO_CONTACT,
    FIGURE_OBJECTION_RUNNING,
    FIGURE_OPEN,
    FIGURE_PAST_TERM,
    FIGURE_URGENT,
    DeviceFreshness,
    Figures,
    TeamFigures,
)
from workbench.i18n import ngettext
from workbench.local_time import local_day

Index = QModelIndex | QPersistentModelIndex
FIGURES_ROLE = Qt.ItemDataRole.UserRole
FIGURE_ROLE = Qt.ItemDataRole.UserRole + 1
WARNING_SIGN = "⚠"


def days_text(days: int) -> str:
    return "1 dag" if days == 1 else f"{days} dagen"


def sync_age_text(moment: dt.datetime | None, today: dt.date) -> str:
    """When a device last synced, as a person says it: "vandaag", "gisteren", "3 dagen geleden", "nooit"."""
    if moment is None:
        return "nooit"
    days = (today - local_day(moment)).days
    if days <= 0:
        return "vandaag"
    return "gisteren" if days == 1 else f"{days} dagen geleden"


def stalest(devices: Sequence[DeviceFreshness]) -> DeviceFreshness | None:
    """The device whose data is oldest (one that never synced first): it decides how fresh a row is."""
    if not devices:
        return None
    return min(devices, key=lambda d: (d.last_sync_at is not None,
                                       d.last_sync_at or dt.datetime.min.replace(tzinfo=dt.UTC)))


def sync_days(devices: Sequence[DeviceFreshness], today: dt.date) -> int | None:
    """Days since the stalest device synced; None when a device never synced or there are none."""
    device = stalest(devices)
    if device is None or device.last_sync_at is None:
        return None
    return (today - local_day(device.last_sync_at)).days


def percentage(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def _sync_text(f: Figures, today: dt.date) -> str:
    device = stalest(f.devices)
    return "geen apparaat" if device is None else sync_age_text(device.last_sync_at, today)


def _sync_sort(f: Figures, today: dt.date) -> int:
    """Days since the stalest device synced; a device that never synced sorts as the stalest of all."""
    if stalest(f.devices) is None:
        return -1
    days = sync_days(f.devices, today)
    return 10**6 if days is None else days


def _sync_warning(f: Figures, today: dt.date) -> str | None:
    device = stalest(f.devices)
    if device is None:
        return None
    if device.last_sync_at is None:
        return f"Apparaat {device.device_name} heeft nog nooit gesynchroniseerd"
    days = sync_days(f.devices, today)
    if days is not None and days > STALE_SYNC_DAYS:
        return f"Apparaat {device.device_name} is {days_text(days)} niet gesynchroniseerd"
    return None


def _count_warning(value: Callable[[Figures], int], words: Callable[[int], str]) -> Callable[..., str | None]:
    return lambda f, _today: words(value(f)) if value(f) > 0 else None


def _contact_text(f: Figures) -> str:
    if f.days_since_contact_median is None:
        return "–"
    return f"{round(f.days_since_contact_median)} / {f.days_since_contact_max}"


def _reliability_text(f: Figures) -> str:
    if f.promise_reliability is None:
        return "–"
    return percentage(f.promise_reliability)


def _first_date_text(f: Figures, _today: dt.date) -> str:
    if f.promises_kept_first_date is None:
        return "–"
    return percentage(f.promises_kept_first_date)


def _reliability_warning(f: Figures, _today: dt.date) -> str | None:
    if (f.promise_reliability is not None and f.promise_reliability < RELIABILITY_SIGNAL
            and f.promises_due_90d >= RELIABILITY_MIN_DUE):
        return (f"Minder dan {percentage(RELIABILITY_SIGNAL)} van de toezeggingen van de laatste 90 dagen "
                "op tijd nagekomen")
    return None


def _review_text(f: Figures) -> str:
    if not f.letters_in_review:
        return "0"
    return f"{f.letters_in_review} (oudste {days_text(f.oldest_review_days or 0)})"


def _review_warning(f: Figures, _today: dt.date) -> str | None:
    if f.oldest_review_days is not None and f.oldest_review_days > REVIEW_WAIT_DAYS:
        return f"Een brief wacht al {days_text(f.oldest_review_days)} op controle"
    return None


def _no_warning(_f: Figures, _today: dt.date) -> str | None:
    return None


def _plural(one: str, many: str) -> Callable[[int], str]:
    return lambda n: ngettext(one, many, n).format(n=n)


@dataclass(frozen=True)
class TeamColumn:
    """A column: header, its definition (header tooltip), text, sort value, drill-down figure, warning.

    Attributes:
        figure: the `FIGURE_*` name behind the cell (None: nothing to drill into).
        warning: the reason, in Dutch, why the cell needs attention; None when it does not.
    """

    title: str
    definition: str
    text: Callable[[Figures, dt.date], str]
    value: Callable[[Figures, dt.date], Any]
    figure: str | None = None
    warning: Callable[[Figures, dt.date], str | None] = _no_warning


def _count(title: str, definition: str, field: str, figure: str | None,
           warning: Callable[[int], str] | None = None) -> TeamColumn:
    def get(f: Figures) -> int:
        return int(getattr(f, field))

    return TeamColumn(title, definition, lambda f, _t: str(get(f)), lambda f, _t: get(f), figure,
                      _count_warning(get, warning) if warning else _no_warning)


COLUMNS: tuple[TeamColumn, ...] = (
    TeamColumn("Behandelaar", "De behandelaar, of het hele team (bovenste regel)",
               lambda f, _t: f.name, lambda f, _t: f.name.casefold()),
    TeamColumn("Aandacht", "Wat aandacht vraagt, in woorden", lambda f, _t: "; ".join(f.signals),
               lambda f, _t: -len(f.signals)),
    _count("Open", "Open zaken", "open_cases", FIGURE_OPEN),
    _count("Urgent", "Open zaken met een urgentie (huisuitzetting, afsluiting, beslag)", "urgent", FIGURE_URGENT),
    TeamColumn("Laatste\nsync", "Wanneer het apparaat dat het langst niet synchroniseerde dat deed",
               _sync_text, lambda f, t: _sync_sort(f, t),
               warning=_sync_warning),
    _count("Toezeggingen\nte laat", "Open toezeggingen over hun datum", "commitments_overdue",
           FIGURE_COMMITMENTS_OVERDUE, _plural("1 toezegging te laat", "{n} toezeggingen te laat")),
    TeamColumn("Op tijd\nnagekomen", "Toezeggingen van de laatste 90 dagen die op of voor hun datum zijn nagekomen",
               lambda f, _t: _reliability_text(f),
               lambda f, _t: -1.0 if f.promise_reliability is None else f.promise_reliability,
               warning=_reliability_warning),
    TeamColumn("Op eerste\ndatum", "Toezeggingen van de laatste 90 dagen die op of voor de eerst beloofde datum zijn "
               "nagekomen; een nieuwe afspraak verschuift die datum niet",
               _first_date_text,
               lambda f, _t: -1.0 if f.promises_kept_first_date is None else f.promises_kept_first_date),
    _count("Acties\nte laat", "Acties over hun datum", "actions_overdue", FIGURE_ACTIONS_OVERDUE,
           _plural("1 actie te laat", "{n} acties te laat")),
    _count("Termijn\nverstreken", "Zaken voorbij hun wettelijke beslistermijn", "decisions_past_term",
           FIGURE_PAST_TERM, _plural("1 beslistermijn verstreken", "{n} beslistermijnen verstreken")),
    _count("Termijn\nbijna om", "Zaken waarvan de beslistermijn binnenkort verstrijkt", "decisions_near_term",
           FIGURE_NEAR_TERM),
    _count("Bezwaar-\ntermijn loopt", "Besluiten waarvan de bezwaartermijn nog loopt", "objection_terms_running",
           FIGURE_OBJECTION_RUNNING),
    TeamColumn("Dagen zonder\ncontact", "Dagen sinds het laatste contact met de ouder: mediaan / langst",
               lambda f, _t: _contact_text(f), lambda f, _t: f.days_since_contact_max or 0, FIGURE_NO_CONTACT,
               _count_warning(lambda f: f.no_recent_contact,
                              _plural("1 zaak zonder recent contact", "{n} zaken zonder recent contact"))),
    _count("Toezeggingen\nopen", "Toezeggingen die nog open staan", "commitments_open", FIGURE_COMMITMENTS_OPEN),
    TeamColumn("Brieven ter\ncontrole", "Brieven die op controle wachten, en hoe lang de oudste al wacht",
               lambda f, _t: _review_text(f), lambda f, _t: (f.letters_in_review, f.oldest_review_days or 0),
               FIGURE_IN_REVIEW, _review_warning),
    TeamColumn("Wachtende\nwijzigingen", "Wijzigingen die nog op de apparaten wachten (bij hun laatste melding)",
               lambda f, _t: str(sum(d.pending_changes for d in f.devices)),
               lambda f, _t: sum(d.pending_changes for d in f.devices)),
    TeamColumn("Conflicten", "Open conflicten op de apparaten (bij hun laatste melding)",
               lambda f, _t: str(sum(d.open_conflicts for d in f.devices)),
               lambda f, _t: sum(d.open_conflicts for d in f.devices),
               warning=_count_warning(lambda f: sum(d.open_conflicts for d in f.devices),
                                      _plural("1 open conflict", "{n} open conflicten"))),
)
NAME, ATTENTION, OPEN = 0, 1, 2
SYNC = next(n for n, c in enumerate(COLUMNS) if c.text is _sync_text)


def plain_title(column: int) -> str:
    """A column's header on one line (the header itself wraps in two)."""
    title = COLUMNS[column].title
    return title.replace("-\n", "").replace("\n", " ")


def needs_attention(figures: Figures, today: dt.date) -> bool:
    """Signals from the service, or any cell the table marks."""
    return bool(figures.signals) or any(c.warning(figures, today) for c in COLUMNS)


def device_lines(figures: Figures, today: dt.date) -> str:
    """Each device of a row in words (the freshness tooltip)."""
    return "\n".join(f"{d.device_name}: {sync_age_text(d.last_sync_at, today)}, "
                     + ngettext("{n} wachtende wijziging", "{n} wachtende wijzigingen", d.pending_changes).format(
                         n=d.pending_changes) + ", "
                     + ngettext("{n} conflict", "{n} conflicten", d.open_conflicts).format(n=d.open_conflicts)
                     for d in figures.devices) or "Geen apparaat bekend"


class TeamModel(RowTableModel):
    """The team row first (bold, always shown), then the handlers that pass the filters, sorted by the one
    table model.

    Attributes:
        today: the day the figures are as of (sync ages count from it).
        attention_only: show only handlers that need attention; handler_id: show only this handler (None: all).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([Column(c.title, str, header_tip=c.definition) for c in COLUMNS], parent=parent)
        self.today = dt.date.today()
        self.attention_only = False
        self.handler_id: str | None = None
        self._has_team = False
        self._sort = (NAME, Qt.SortOrder.AscendingOrder)
        self._accepts = self._shown

    def set_figures(self, figures: TeamFigures) -> None:
        self.today = figures.as_of
        self._has_team = figures.team is not None
        self.set_rows(([figures.team] if figures.team is not None else []) + list(figures.handlers))

    def set_filter(self, *, attention_only: bool, handler_id: str | None) -> None:
        self.attention_only, self.handler_id = attention_only, handler_id
        self.filter_rows(self._shown)

    def _shown(self, figures: Figures) -> bool:
        if figures.handler_id is None:
            return True  # the team row
        return ((self.handler_id is None or figures.handler_id == self.handler_id)
                and (not self.attention_only or needs_attention(figures, self.today)))

    def handlers(self) -> tuple[Figures, ...]:
        return tuple(self._all[1:] if self._has_team else self._all)

    def figures_at(self, row: int) -> Figures:
        figures: Figures = self.row_at(row)
        return figures

    def row_of(self, handler_id: str | None) -> int:
        """The row showing this handler (None: the team row), or -1."""
        return next((n for n, f in enumerate(self.rows()) if f.handler_id == handler_id), -1)

    def sort_key(self, column: int) -> Callable[[int], Any]:
        rows, value = self._all, COLUMNS[column].value
        return lambda i: value(rows[i], self.today)

    def _sorted(self) -> list[int]:
        order = super()._sorted()
        if self._has_team and order:  # the team row stays on top, whichever way the handlers are sorted
            order.remove(0)
            order.insert(0, 0)
        return order

    # -- Qt model ------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        figures, column = self.figures_at(index.row()), COLUMNS[index.column()]
        warning = column.warning(figures, self.today)
        if role == Qt.ItemDataRole.DisplayRole:
            text = column.text(figures, self.today)
            if index.column() == NAME and figures.signals:
                return f"{WARNING_SIGN} {text}"
            return f"{WARNING_SIGN} {text}" if warning else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(figures, index.column(), warning)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = column.text(figures, self.today)
            return f"{plain_title(index.column())}: {text}" + (f", let op: {warning}" if warning else "")
        if role == Qt.ItemDataRole.ForegroundRole and (warning or (index.column() == ATTENTION and figures.signals)):
            return WARNING_COLOUR
        if role == Qt.ItemDataRole.FontRole and (figures.handler_id is None or warning):
            return self._bold
        if role == FIGURES_ROLE:
            return figures
        if role == FIGURE_ROLE:
            return column.figure
        return None

    def _tooltip(self, figures: Figures, column: int, warning: str | None) -> str:
        if column == ATTENTION:
            return "\n".join(figures.signals) or "Niets bijzonders"
        if column == SYNC:
            return device_lines(figures, self.today)
        parts = [COLUMNS[column].definition]
        if COLUMNS[column].warning is _reliability_warning and figures.promise_reliability is not None:
            parts.append(f"{figures.promises_kept_on_time_90d} van de {figures.promises_due_90d} op tijd")
        if COLUMNS[column].text is _first_date_text and figures.promises_kept_first_date is not None:
            parts.append(f"{figures.promises_kept_first_date_90d} van de {figures.promises_first_due_90d} "
                         "op de eerste datum")
        if warning:
            parts.append(f"Let op: {warning}")
        if COLUMNS[column].figure is not None:
            parts.append("Enter: de zaken achter dit cijfer")
        return "\n".join(parts)
