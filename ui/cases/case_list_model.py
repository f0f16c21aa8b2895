"""The case list as a table model: a cache of service rows and a filtered, sorted view of their positions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from ui.widgets.row_table_model import WARNING_COLOUR, Column, RowTableModel
from workbench.cases.phases import PHASES, URGENCY_FLAGS
from workbench.cases.service import CaseRow
from workbench.i18n import ngettext
from workbench.local_time import local_day

Index = QModelIndex | QPersistentModelIndex
CASE_ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Zaaknummer", "Ouder", "Fase", "Urgent", "Volgende actie", "Laatste contact", "Toezeggingen open",
           "Te laat")
REFERENCE, PARENT, PHASE, URGENT, NEXT_ACTION, LAST_CONTACT, OPEN_COMMITMENTS, LATE = range(len(COLUMNS))
COLUMN_TIPS = ("Het nummer van de zaak", "De ouder om wie het gaat", "De fase waarin de zaak nu is",
               "Dreigende huisuitzetting, afsluiting van energie of beslag",
               "Wanneer de eerstvolgende open actie klaar moet zijn; ⚠ betekent te laat",
               "Wanneer er voor het laatst contact was; ⚠ betekent: lang geleden",
               "Toezeggingen aan de ouder die nog open staan", "Toezeggingen aan de ouder die te laat zijn")
# Texts that set the column widths (a column fits its header and a typical value); the parent's name takes
# the room that is left, but never less than this name.
WIDTH_SAMPLES = {REFERENCE: "UHT-2024-000000", PHASE: "Definitieve beschikking", URGENT: "Huisuitzetting",
                 NEXT_ACTION: "⚠ 00-00-0000", LAST_CONTACT: "⚠ 00-00-0000", OPEN_COMMITMENTS: "000", LATE: "⚠ 000"}
PARENT_SAMPLE = "Charlotte van Egisheim"
# The longest header on two lines: otherwise a column of small numbers is as wide as a name.
_HEADER_LINES = {OPEN_COMMITMENTS: "Toezeggingen\nopen"}
URGENCY_SHORT = {"urgent_eviction": "Huisuitzetting", "urgent_energy": "Energie", "urgent_garnishment": "Beslag"}
WARNING = "⚠"
_PHASE_ORDER = {code: n for n, code in enumerate(PHASES)}
_URGENCY_ORDER = {code: n for n, code in enumerate(URGENCY_FLAGS)}
_NUMBER_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_WORD = re.compile(r"\w+", re.UNICODE)
_NEVER = 1_000_000
CLOSED = "afgesloten"  # "days since contact" for a case without any contact: longer than any setting


@dataclass(frozen=True)
class CaseFilter:
    """What the handler narrowed the list to; every part must hold for a case to show.

    Attributes:
        words: what the handler typed, split into words; a case whose reference and parent's name hold
            every word (anywhere) passes, and so does every case in `case_ids`.
        case_ids: the search hits (names, references and the story), or None for no search.
        phase: a code of `PHASES`, or None for all phases.
        no_contact_days: only open cases without contact for at least this many days (or never), or None.
    """

    words: tuple[str, ...] = ()
    case_ids: frozenset[str] | None = None
    phase: str | None = None
    urgent_only: bool = False
    overdue_only: bool = False
    no_contact_days: int | None = None


def words_of(typed: str) -> tuple[str, ...]:
    """The words in what was typed, compared without case (as the search service splits them)."""
    return tuple(_WORD.findall(typed.casefold()))


def date_text(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


def days_text(days: int) -> str:
    return "1 dag" if days == 1 else f"{days} dagen"


class CaseListModel(RowTableModel):
    """Thin over `CaseRow`s (pattern 6): the one table model's sorting, with a faster filter of its own.

    Tens of thousands of cases stay smooth because a filter or sort only rebuilds the view, a list of row
    positions, and Qt asks `data` for the few rows on screen; no per-row Qt objects exist.

    Attributes:
        today: the day "overdue" and "days since contact" are measured against.
        no_contact_days: from this many days without contact a case is marked (the `no_contact_days` setting).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([Column(title, str) for title in COLUMNS], parent=parent)
        self.today = dt.date.today()
        self.no_contact_days = 30
        self._overdue: list[bool] = []
        self._silent_days: list[int] = []
        self._haystacks: list[str] = []
        self._position: dict[str, int] = {}
        self._filter = CaseFilter()
        self._sort = (REFERENCE, Qt.SortOrder.AscendingOrder)

    # -- loading and narrowing -----------------------------------------------------------------

    def set_rows(self, rows: Sequence[CaseRow], *, today: dt.date | None = None) -> None:
        """Replace the cache (after loading or a change); the filter and sort order stay."""
        if today is not None:
            self.today = today
        super().set_rows(rows)

    def _rows_replaced(self) -> None:
        today, rows = self.today, self._all
        self._overdue = [r.overdue_commitments > 0 or (r.next_action_due is not None and r.next_action_due < today)
                         for r in rows]
        # A closed case needs no contact: it is never "silent", so it neither shows the mark nor passes that filter.
        self._silent_days = [-1 if r.phase == CLOSED else _NEVER if r.last_contact is None
                             else (today - local_day(r.last_contact)).days for r in rows]
        self._haystacks = [f"{r.reference} {r.parent_name}".casefold() for r in rows]
        self._position = {r.case_id: n for n, r in enumerate(rows)}

    def set_filter(self, case_filter: CaseFilter) -> None:
        self.beginResetModel()
        self._filter = case_filter
        self._view = self._filtered(self._order)
        self.endResetModel()

    @property
    def case_filter(self) -> CaseFilter:
        return self._filter

    def case_id_at(self, row: int) -> str:
        case: CaseRow = self.row_at(row)
        return case.case_id

    def row_of(self, case_id: str) -> int:
        """The view row showing this case, or -1 when it is filtered out or unknown."""
        pos = self._position.get(case_id)
        try:
            return -1 if pos is None else self._view.index(pos)
        except ValueError:
            return -1

    def _filtered(self, order: list[int]) -> list[int]:
        f, rows = self._filter, self._all
        view = order
        if f.words or f.case_ids is not None:
            # One plain comprehension per word: a generator per row would cost more than the whole filter.
            hay = self._haystacks
            matched = view if f.words else []
            for word in f.words:
                matched = [i for i in matched if word in hay[i]]
            hits = {self._position[c] for c in f.case_ids or () if c in self._position}
            if hits:
                hits.update(matched)
                view = [i for i in view if i in hits]
            else:
                view = matched
        if f.phase is not None:
            view = [i for i in view if rows[i].phase == f.phase]
        if f.urgent_only:
            view = [i for i in view if rows[i].urgency]
        if f.overdue_only:
            overdue = self._overdue
            view = [i for i in view if overdue[i]]
        if f.no_contact_days is not None:
            silent, limit = self._silent_days, f.no_contact_days
            view = [i for i in view if silent[i] >= limit]
        return view if view is not order else list(order)

    # -- sorting -------------------------------------------------------------------------------

    def tie_key(self) -> Callable[[int], Any]:
        rows = self._all
        return lambda i: rows[i].reference

    def sort_key(self, column: int) -> Callable[[int], Any]:
        """None (no urgency, no action, no contact) sorts last in either direction (the base model's rule);
        equal values stay in reference order."""
        rows = self._all
        keys: dict[int, Callable[[int], Any]] = {
            REFERENCE: lambda i: rows[i].reference,
            PARENT: lambda i: (rows[i].parent_name.casefold(), rows[i].reference),
            PHASE: lambda i: (_PHASE_ORDER.get(rows[i].phase, len(_PHASE_ORDER)), rows[i].reference),
            URGENT: lambda i: ((-len(rows[i].urgency), [_URGENCY_ORDER[u] for u in rows[i].urgency])
                               if rows[i].urgency else None),
            NEXT_ACTION: lambda i: rows[i].next_action_due,
            LAST_CONTACT: lambda i: rows[i].last_contact,
            OPEN_COMMITMENTS: lambda i: rows[i].open_commitments,
            LATE: lambda i: rows[i].overdue_commitments,
        }
        return keys[column]

    # -- Qt model ------------------------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _HEADER_LINES.get(section, COLUMNS[section])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (OPEN_COMMITMENTS, LATE):
            return _NUMBER_ALIGN
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._view):
            return None
        pos = self._view[index.row()]
        row, column = self._all[pos], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, pos, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, pos, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._tooltip(row, pos, column) or self._text(row, pos, column)
        if role == CASE_ID_ROLE:
            return row.case_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (OPEN_COMMITMENTS, LATE):
            return _NUMBER_ALIGN
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole) and self._warns(row, pos, column):
            return WARNING_COLOUR if role == Qt.ItemDataRole.ForegroundRole else self._bold
        return None

    # -- cell contents -------------------------------------------------------------------------

    def _action_late(self, row: CaseRow) -> bool:
        return row.next_action_due is not None and row.next_action_due < self.today

    def _silent_too_long(self, pos: int) -> bool:
        return self._silent_days[pos] >= self.no_contact_days

    def _warns(self, row: CaseRow, pos: int, column: int) -> bool:
        """Overdue work is dark red and bold; a long silence only gets the ⚠ (red everywhere says nothing)."""
        if column == NEXT_ACTION:
            return self._action_late(row)
        if column == LATE:
            return row.overdue_commitments > 0
        return False

    def _text(self, row: CaseRow, pos: int, column: int) -> str:
        if column == REFERENCE:
            return row.reference
        if column == PARENT:
            return row.parent_name
        if column == PHASE:
            return PHASES.get(row.phase, row.phase)
        if column == URGENT:
            return ", ".join(URGENCY_SHORT.get(u, u) for u in row.urgency)
        if column == NEXT_ACTION:
            day = date_text(row.next_action_due)
            return f"{WARNING} {day}" if self._action_late(row) else day
        if column == LAST_CONTACT:
            day = local_day(row.last_contact).strftime("%d-%m-%Y") if row.last_contact else "Nog geen"
            return f"{WARNING} {day}" if self._silent_too_long(pos) else day
        if column == OPEN_COMMITMENTS:
            return str(row.open_commitments)
        if column == LATE:
            return f"{WARNING} {row.overdue_commitments}" if row.overdue_commitments else "0"
        return ""

    def _tooltip(self, row: CaseRow, pos: int, column: int) -> str:
        if column == URGENT:
            return ", ".join(URGENCY_FLAGS.get(u, u) for u in row.urgency) or "Niet urgent"
        if column == NEXT_ACTION:
            if row.next_action_due is None:
                return "Geen open actie met een datum"
            late = (self.today - row.next_action_due).days
            if late > 0:
                return f"Te laat: de actie moest uiterlijk {date_text(row.next_action_due)} ({days_text(late)} geleden)"
            return f"Volgende actie uiterlijk {date_text(row.next_action_due)}"
        if column == LAST_CONTACT:
            if row.last_contact is None:
                return "Nog geen contact vastgelegd"
            days = (self.today - local_day(row.last_contact)).days
            ago = "Vandaag contact gehad" if days == 0 else f"{days_text(days)} geleden"
            return f"Lang geen contact: {ago}" if self._silent_too_long(pos) else ago
        if column == OPEN_COMMITMENTS:
            n = row.open_commitments
            return ngettext("{n} toezegging nog open", "{n} toezeggingen nog open", n).format(n=n)
        if column == LATE:
            n = row.overdue_commitments
            return ngettext("{n} toezegging te laat", "{n} toezeggingen te laat", n).format(n=n) if n else \
                "Geen toezegging te laat"
        return ""
