"""Every list page sorts through the one table model (ui/widgets/row_table_model.py), and the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from ui.audit.history_model import history_model
from ui.cases.case_list_model import CaseListModel
from ui.due.due_model import DueModel
from ui.letters.letter_models import review_model
from ui.search.search_model import SearchModel
from ui.team.team_model import TeamModel
from ui.widgets.row_table_model import Column, RowTableModel
from workbench.plans.service import DueItem
from workbench.search.service import CaseHit

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
LIST_MODELS: dict[str, Callable[[], RowTableModel]] = {
    "Mijn zaken": CaseListModel, "Acties": DueModel, "Zoeken": SearchModel, "Team": TeamModel,
    "Te beoordelen": review_model, "Historie": history_model}


@pytest.mark.parametrize("page", LIST_MODELS)
def test_every_list_page_uses_the_one_sortable_model(page: str) -> None:
    model = LIST_MODELS[page]()
    assert isinstance(model, RowTableModel)
    assert type(model).sort is RowTableModel.sort, f"{page} sorts in a way of its own"


def shown_keys(model: RowTableModel, column: int) -> list[Any]:
    key = model.sort_key(column)
    return [key(model._view[row]) for row in range(model.rowCount())]


def assert_sorted(model: RowTableModel, column: int, order: Qt.SortOrder) -> None:
    keys = shown_keys(model, column)
    present = [k for k in keys if k is not None]
    assert keys[:len(present)] == present, "rows without a value go last"
    assert present == sorted(present, reverse=order == DESC)


TODAY = dt.date(2025, 3, 12)


def due_rows() -> list[DueItem]:
    return [DueItem("action" if n % 2 else "commitment", "Actie" if n % 2 else "Toezegging", f"i{n}", f"c{n % 3}",
                    f"UHT-2024-{n % 4:06d}", f"Taak {9 - n}", f"Wie {n % 5}", TODAY + dt.timedelta(days=n - 4),
                    "open", n < 4) for n in range(9)]


def search_rows() -> list[CaseHit]:
    return [CaseHit(f"c{n}", f"UHT-2024-{(7 * n) % 10:06d}", "story" if n % 2 else "case") for n in range(10)]


@pytest.mark.parametrize("page", ["Acties", "Zoeken", "Generic"])
def test_every_column_sorts_both_ways_and_a_selection_follows_its_row(qtmodeltester: Any, page: str) -> None:
    if page == "Acties":
        model: RowTableModel = DueModel()
        assert isinstance(model, DueModel)
        model.set_items(due_rows(), today=TODAY, names={"c0": "Bakker", "c1": "Aydin", "c2": "Claes"})
    elif page == "Zoeken":
        model = SearchModel()
        assert isinstance(model, SearchModel)
        model.set_hits(search_rows(), {f"c{n}": f"Ouder {(3 * n) % 10}" for n in range(10)})
    else:
        model = RowTableModel([Column("Naam", lambda r: r[0]),
                               Column("Datum", lambda r: str(r[1] or ""), sort_key=lambda r: r[1])])
        model.set_rows([("b", None), ("a", TODAY), ("c", TODAY - dt.timedelta(1)), ("d", None)])
    qtmodeltester.check(model)
    for column in range(model.columnCount()):
        first = model.row_at(0)
        kept = QPersistentModelIndex(model.index(0, 0))
        for order in (ASC, DESC):
            model.sort(column, order)
            assert_sorted(model, column, order)
            assert model.row_at(kept.row()) is first
    qtmodeltester.check(model)


def test_equal_values_keep_their_order_in_both_directions() -> None:
    model = RowTableModel([Column("Groep", lambda r: r[0]), Column("Volgorde", lambda r: r[1])])
    model.set_rows([("x", "1"), ("y", "2"), ("x", "3"), ("y", "4")])
    model.sort(0, ASC)
    assert [r[1] for r in model.rows()] == ["1", "3", "2", "4"]
    model.sort(0, DESC)
    assert [r[1] for r in model.rows()] == ["2", "4", "1", "3"]
