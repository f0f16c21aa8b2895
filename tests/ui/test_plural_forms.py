"""Plural forms: counts read "1 conflict" and "2 conflicten", never "1 conflicten" or "actie(s)"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from ui.cases.case_list_model import LATE, OPEN_COMMITMENTS, CaseListModel
from ui.plans.plan_models import LOOSE, PlanNode, PlanTreeModel
from ui.team.team_model import device_lines
from workbench import i18n
from workbench.caseload.types import DeviceFreshness
from workbench.cases.service import CaseRow
from workbench.dossier.importer import ImportSummary
from workbench.sync.status import SyncStatus

TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def dutch() -> Iterator[None]:
    i18n.activate("nl")
    yield
    i18n.activate("nl")


def test_the_status_bar_counts_changes_and_conflicts_in_singular_and_plural(window: Any, dutch: None) -> None:
    window.sync_status.show_status(SyncStatus(pending_changes=1, open_conflicts=1, last_sync=None, enrolled=True))
    assert window.sync_label.text().endswith("· 1 wijziging wacht · 1 conflict")
    window.sync_status.show_status(SyncStatus(pending_changes=2, open_conflicts=0, last_sync=None, enrolled=True))
    assert window.sync_label.text().endswith("· 2 wijzigingen wachten · 0 conflicten")
    i18n.activate("en")
    window.sync_status.show_status(SyncStatus(pending_changes=1, open_conflicts=3, last_sync=None, enrolled=True))
    assert window.sync_label.text().endswith("· 1 change waiting · 3 conflicts")


def _row(open_: int, late: int) -> CaseRow:
    return CaseRow("id-1", "UHT-2024-000001", "Anna Jansen", "aangemeld", (), None, None, open_, late)


@pytest.mark.parametrize(("count", "open_text", "late_text"), [
    (1, "1 toezegging nog open", "1 toezegging te laat"),
    (3, "3 toezeggingen nog open", "3 toezeggingen te laat"),
])
def test_the_case_list_counts_promises(count: int, open_text: str, late_text: str, dutch: None) -> None:
    model = CaseListModel()
    model.set_rows([_row(count, count)], today=TODAY)
    role = Qt.ItemDataRole.ToolTipRole
    assert model.index(0, OPEN_COMMITMENTS).data(role) == open_text
    assert model.index(0, LATE).data(role) == late_text


def test_the_plan_counts_actions_and_needs(dutch: None) -> None:
    def status(label: str, n: int) -> str:
        root = PlanNode("root", "", None, None, 0)
        domain = root.add("domain", label, None)
        for _i in range(n):
            domain.add("action", "x", None)
        return PlanTreeModel._text(domain, 3)

    assert status(LOOSE, 1) == "1 actie"
    assert status(LOOSE, 2) == "2 acties"
    assert status("Wonen", 1) == "1 behoefte"
    assert status("Wonen", 2) == "2 behoeften"
    assert status("Wonen", 0) == "nog niets"


def test_the_team_tooltip_counts_device_changes_and_conflicts(dutch: None) -> None:
    now = dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC)
    one = DeviceFreshness("d1", "u1", "Laptop Anna", now, 1, 1, now)
    two = DeviceFreshness("d2", "u1", "Laptop Bram", now, 2, 2, now)
    lines = device_lines(type("F", (), {"devices": (one, two)})(), TODAY).splitlines()  # type: ignore[arg-type]
    assert lines[0].endswith("1 wachtende wijziging, 1 conflict")
    assert lines[1].endswith("2 wachtende wijzigingen, 2 conflicten")


@pytest.mark.parametrize(("n", "text"), [(1, "1 onbekende medewerker of team"),
                                         (2, "2 onbekende medewerkers of teams")])
def test_an_import_summary_counts_stand_ins(n: int, text: str, dutch: None) -> None:
    summary = ImportSummary("c", "UHT-1", written=3, skipped=0, placeholders=n, seconds=0.1)
    assert text in str(summary)
    assert "(s)" not in str(summary)
