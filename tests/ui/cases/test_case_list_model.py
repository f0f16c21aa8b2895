"""The case list model: filters, sorting, what each cell says (and how overdue shows), speed on 50,000 rows."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from ui.cases.case_list_model import (
    CASE_ID_ROLE,
    LAST_CONTACT,
    LATE,
    NEXT_ACTION,
    OPEN_COMMITMENTS,
    PARENT,
    PHASE,
    REFERENCE,
    URGENT,
    CaseFilter,
    CaseListModel,
    words_of,
)
from ui.widgets.row_table_model import WARNING_COLOUR
from workbench.cases.phases import PHASES, URGENCY_FLAGS
from workbench.cases.service import CaseRow
from workbench.clock import SystemClock, today
from workbench.workspace import Workspace

TODAY = dt.date(2025, 3, 10)
NOON = dt.time(12, tzinfo=dt.UTC)
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def row(n: int, *, name: str = "Anna Jansen", phase: str = "aangemeld", urgency: tuple[str, ...] = (),
        next_due: dt.date | None = None, contact_days: int | None = 3, open_: int = 0, late: int = 0) -> CaseRow:
    contact = None if contact_days is None else dt.datetime.combine(TODAY - dt.timedelta(days=contact_days), NOON)
    return CaseRow(f"id-{n}", f"UHT-2024-{n:06d}", name, phase, urgency, next_due, contact, open_, late)


ROWS = [
    row(3, name="Bram de Vries", phase="bezwaar", urgency=("urgent_energy",), next_due=TODAY + dt.timedelta(5),
        open_=2),
    row(1, name="anna Jansen", next_due=TODAY - dt.timedelta(2), contact_days=45, open_=1, late=1),
    row(2, name="Chris Bakker", phase="bezwaar", urgency=("urgent_eviction", "urgent_garnishment"),
        contact_days=None),
    row(4, name="Dewi Jansen-Ouwerkerk", phase="nazorg", next_due=TODAY, contact_days=30, open_=3),
    row(5, name="Eva Smit", phase="afgesloten", contact_days=400),
]


def loaded(rows: list[CaseRow] = ROWS) -> CaseListModel:
    model = CaseListModel()
    model.set_rows(rows, today=TODAY)
    return model


def column(model: CaseListModel, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> list[Any]:
    return [model.index(r, col).data(role) for r in range(model.rowCount())]


def refs(model: CaseListModel) -> list[str]:
    return [r[-1] for r in column(model, REFERENCE)]


def test_model_passes_the_qt_model_tester_loaded_filtered_and_sorted(qtmodeltester, workspace: Workspace) -> None:
    rows, _changes = workspace.run(lambda uow: workspace.cases.list_rows(uow))
    model = CaseListModel()
    model.set_rows(rows, today=today(SystemClock()))
    qtmodeltester.check(model)
    model.set_filter(CaseFilter(phase=rows[0].phase, words=words_of("uht")))
    qtmodeltester.check(model)
    model.sort(PARENT, DESC)
    qtmodeltester.check(model)
    assert model.rowCount() >= 1
    model.set_filter(CaseFilter(case_ids=frozenset()))
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_rows_show_in_reference_order_with_dutch_texts() -> None:
    model = loaded()
    assert refs(model) == ["1", "2", "3", "4", "5"]
    assert column(model, PARENT) == ["anna Jansen", "Chris Bakker", "Bram de Vries", "Dewi Jansen-Ouwerkerk",
                                     "Eva Smit"]
    assert column(model, PHASE) == ["Aangemeld", "Bezwaar", "Bezwaar", "Nazorg", "Afgesloten"]
    assert column(model, URGENT) == ["", "Huisuitzetting, Beslag", "Energie", "", ""]
    assert column(model, URGENT, Qt.ItemDataRole.ToolTipRole)[1] == "Dreigende huisuitzetting, Beslag"
    assert column(model, NEXT_ACTION) == ["⚠ 08-03-2025", "", "15-03-2025", "10-03-2025", ""]
    assert column(model, OPEN_COMMITMENTS) == ["1", "0", "2", "3", "0"]
    assert column(model, LATE) == ["⚠ 1", "0", "0", "0", "0"]
    assert column(model, REFERENCE, CASE_ID_ROLE) == ["id-1", "id-2", "id-3", "id-4", "id-5"]
    assert model.headerData(NEXT_ACTION, Qt.Orientation.Horizontal) == "Volgende actie"


def test_last_contact_shows_the_date_and_the_days_in_the_tooltip_and_marks_long_silence() -> None:
    model = loaded()
    assert column(model, LAST_CONTACT) == ["⚠ 24-01-2025", "⚠ Nog geen", "07-03-2025", "⚠ 08-02-2025",
                                           "04-02-2024"]  # a closed case needs no contact
    tips = column(model, LAST_CONTACT, Qt.ItemDataRole.ToolTipRole)
    assert tips == ["Lang geen contact: 45 dagen geleden", "Nog geen contact vastgelegd", "3 dagen geleden",
                    "Lang geen contact: 30 dagen geleden", "400 dagen geleden"]
    # The mark is the sign and the words; red and bold stay for work that is late.
    assert column(model, LAST_CONTACT, Qt.ItemDataRole.ForegroundRole) == [None] * 5
    model.no_contact_days = 60
    assert column(model, LAST_CONTACT)[0] == "24-01-2025"


def test_overdue_cells_are_dark_red_bold_and_say_so_in_words() -> None:
    model = loaded()
    late_action, late_count = model.index(0, NEXT_ACTION), model.index(0, LATE)
    for index in (late_action, late_count):
        assert index.data().startswith("⚠")
        assert index.data(Qt.ItemDataRole.ForegroundRole) == WARNING_COLOUR
        font = index.data(Qt.ItemDataRole.FontRole)
        assert isinstance(font, QFont) and font.bold()
    assert "Te laat" in late_action.data(Qt.ItemDataRole.ToolTipRole)
    assert "2 dagen geleden" in late_action.data(Qt.ItemDataRole.AccessibleTextRole)
    assert late_count.data(Qt.ItemDataRole.AccessibleTextRole) == "1 toezegging te laat"
    on_time = model.index(2, NEXT_ACTION)
    assert on_time.data(Qt.ItemDataRole.ForegroundRole) is None
    assert on_time.data(Qt.ItemDataRole.FontRole) is None
    numbers = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert model.index(0, OPEN_COMMITMENTS).data(Qt.ItemDataRole.TextAlignmentRole) == numbers
    assert model.index(0, PARENT).data(Qt.ItemDataRole.TextAlignmentRole) is None


def test_quick_filters_and_words_narrow_the_view() -> None:
    model = loaded()
    model.set_filter(CaseFilter(phase="bezwaar"))
    assert refs(model) == ["2", "3"]
    model.set_filter(CaseFilter(urgent_only=True))
    assert refs(model) == ["2", "3"]
    model.set_filter(CaseFilter(overdue_only=True))
    assert refs(model) == ["1"]  # an action due today is not late yet
    model.set_filter(CaseFilter(no_contact_days=30))
    assert refs(model) == ["1", "2", "4"]  # never contacted counts as silent; closed cases do not
    model.set_filter(CaseFilter(words=words_of("JANSEN")))
    assert refs(model) == ["1", "4"]
    model.set_filter(CaseFilter(words=words_of("jansen ouwer")))
    assert refs(model) == ["4"]
    model.set_filter(CaseFilter(words=words_of("2024-000003")))
    assert refs(model) == ["3"]
    # Search hits (the story) count too, next to names and references.
    model.set_filter(CaseFilter(words=words_of("huurachterstand"), case_ids=frozenset({"id-2"})))
    assert refs(model) == ["2"]
    model.set_filter(CaseFilter(case_ids=frozenset({"id-4", "id-1"})))
    assert refs(model) == ["1", "4"]
    model.set_filter(CaseFilter(phase="bezwaar", urgent_only=True, no_contact_days=30))
    assert refs(model) == ["2"]
    model.set_filter(CaseFilter())
    assert model.rowCount() == model.total() == 5


def test_sorting_every_column_keeps_cases_without_a_value_last() -> None:
    model = loaded()
    model.sort(PARENT, ASC)
    assert refs(model) == ["1", "3", "2", "4", "5"]  # anna, Bram, Chris, Dewi, Eva: case does not matter
    model.sort(PHASE, ASC)
    assert refs(model) == ["1", "2", "3", "4", "5"]  # process order, not the alphabet
    model.sort(NEXT_ACTION, ASC)
    assert refs(model) == ["1", "4", "3", "2", "5"]
    model.sort(NEXT_ACTION, DESC)
    assert refs(model) == ["3", "4", "1", "2", "5"]
    model.sort(LAST_CONTACT, ASC)
    assert refs(model) == ["5", "1", "4", "3", "2"]
    model.sort(URGENT, ASC)
    assert refs(model) == ["2", "3", "1", "4", "5"]
    model.sort(OPEN_COMMITMENTS, DESC)
    assert refs(model) == ["4", "3", "1", "2", "5"]
    model.sort(LATE, DESC)
    assert refs(model)[0] == "1"
    model.sort(REFERENCE, DESC)
    assert refs(model) == ["5", "4", "3", "2", "1"]


def test_sorting_keeps_the_filter_and_a_selected_row_follows_its_case() -> None:
    from PySide6.QtCore import QPersistentModelIndex

    model = loaded()
    model.set_filter(CaseFilter(phase="bezwaar"))
    kept = QPersistentModelIndex(model.index(0, PARENT))
    assert kept.data(CASE_ID_ROLE) == "id-2"
    model.sort(REFERENCE, DESC)
    assert refs(model) == ["3", "2"]
    assert kept.row() == 1 and kept.data(CASE_ID_ROLE) == "id-2"


def synthetic_rows(n: int) -> list[CaseRow]:
    rng = random.Random(5)
    phases, flags = list(PHASES), list(URGENCY_FLAGS)
    names = ["Jansen", "de Vries", "Bakker", "Yılmaz", "El Amrani", "Visser", "Smit", "Meijer"]
    out = []
    for i in range(n):
        due = TODAY + dt.timedelta(days=rng.randint(-60, 90)) if rng.random() < 0.7 else None
        out.append(row(i, name=f"{rng.choice(['Anna', 'Bram', 'Sanne', 'Mo'])} {rng.choice(names)}",
                       phase=rng.choice(phases), urgency=tuple(f for f in flags if rng.random() < 0.05),
                       next_due=due, contact_days=rng.randint(0, 200) if rng.random() < 0.95 else None,
                       open_=rng.randint(0, 4), late=rng.randint(0, 1)))
    return out


def test_fifty_thousand_rows_filter_within_the_keystroke_budget() -> None:
    model = loaded(synthetic_rows(50_000))
    timings = []
    for typed in ("j", "ja", "jan", "jans", "jansen"):
        started = time.perf_counter()
        model.set_filter(CaseFilter(words=words_of(typed), urgent_only=typed == "jansen"))
        timings.append(time.perf_counter() - started)
    assert 0 < model.rowCount() < 50_000
    # DESIGN.md: < 50 ms per keystroke in all; the model's share must be well inside it (2 slow cores in CI).
    assert max(timings) < 0.05, timings
