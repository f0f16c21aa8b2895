"""The handover page: one non-modal page for all handed-over cases, its title singular or plural."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.ui.test_accessibility import unnamed_widgets
from ui.team.handover_dialog import HandoverListDialog, handed_over_title
from workbench.caseload.handover import HandoverItem, HandoverSummary


def summary(n: int, *, actions: int, promises: int, story: int) -> HandoverSummary:
    day = dt.date(2026, 12, 1)
    return HandoverSummary(
        case_id=f"case-{n}", reference=f"UHT-2026-00000{n}", parent_name=f"Ouder {n}", phase="Aangemeld",
        handler_name="Bram", previous_handler="Anna",
        story=tuple((day, "Telefoon", f"Gesprek {i}") for i in range(story)),
        actions=tuple(HandoverItem(f"Actie {i}", "Pzb'er", None, False) for i in range(actions)),
        commitments=tuple(HandoverItem(f"Toezegging {i}", "pzb", day, False) for i in range(promises)),
        letters=())


def test_the_title_counts_in_dutch() -> None:
    assert handed_over_title(1) == "1 zaak aan u overgedragen"
    assert handed_over_title(2) == "2 zaken aan u overgedragen"
    assert handed_over_title(300) == "300 zaken aan u overgedragen"


def test_one_page_lists_every_case_with_its_counts_and_reads_them_all(qtbot: Any) -> None:
    page = HandoverListDialog([summary(1, actions=2, promises=5, story=36), summary(2, actions=0, promises=1,
                                                                                   story=3)])
    qtbot.addWidget(page)
    page.show()
    assert not page.isModal() and page.windowTitle() == "2 zaken aan u overgedragen"
    rows = [[page.model.index(r, c).data() for c in range(page.model.columnCount())]
            for r in range(page.model.rowCount())]
    assert rows == [["UHT-2026-000001", "Ouder 1", "2", "5", "36"], ["UHT-2026-000002", "Ouder 2", "0", "1", "3"]]
    assert "Overdracht van zaak UHT-2026-000001" in page.text.toPlainText()
    page.table.setCurrentIndex(page.model.index(1, 0))
    assert "Overdracht van zaak UHT-2026-000002" in page.text.toPlainText()
    assert unnamed_widgets(page) == []
    with qtbot.waitSignal(page.open_case) as opened:
        page.open_button.click()
    assert opened.args == ["case-2"]
    with qtbot.waitSignal(page.acknowledged) as read:
        page.read_button.click()
    assert read.args == [["case-1", "case-2"]] and not page.isVisible()
