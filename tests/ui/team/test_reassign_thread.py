"""Reassigning asks the sync thread: the HTTP call and the sync after it never run on the window's DB thread."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.ui.team.test_team_page import COL
from ui.team.team_page import TeamPage
from workbench.changes import Changes
from workbench.sync.engine import SyncReport

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")


def reassign_dialog(team_page: TeamPage) -> Any:
    """The first handler's open cases, then Overdragen… on the first of them: the dialog."""
    team_page.drill(team_page.model.index(0, COL["Open"]))
    drill = team_page.cases_dialog
    assert drill is not None
    drill.reassign_button.click()
    dialog = drill.reassign_dialog
    assert dialog is not None
    return dialog


def test_the_reassign_call_runs_on_the_sync_thread(qtbot: Any, team_page: TeamPage,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.sync import client

    threads: list[str] = []

    def fake_reassign(ws: Any, case_id: str, handler_id: str, reason: str) -> SyncReport:
        threads.append(threading.current_thread().name)
        return SyncReport(touched_cases={case_id}, touched_entities={"case"})

    monkeypatch.setattr(client, "reassign", fake_reassign)
    announced: list[Changes] = []
    team_page.ctx.runner.changes_applied.connect(announced.append)
    assert team_page.ctx.sync is not None
    team_page.ctx.sync.changes_arrived.connect(announced.append)
    dialog = reassign_dialog(team_page)
    case = dialog.case
    dialog.handler_box.setCurrentIndex(2)
    dialog.reason.setPlainText("Gaat met verlof")
    dialog.ok_button.click()
    box = dialog.confirm_box
    assert box is not None
    with qtbot.waitSignal(dialog.reassigned, timeout=10_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert len(threads) == 1 and threads[0].startswith("sync")
    assert not threads[0].startswith("db")
    assert [c.case_ids for c in announced if case.case_id in c.case_ids] == [{case.case_id}]


def test_a_closed_dialog_gets_no_answer(qtbot: Any, team_page: TeamPage, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.sync import client

    release = threading.Event()

    def slow_reassign(ws: Any, case_id: str, handler_id: str, reason: str) -> SyncReport:
        release.wait(10)
        return SyncReport()

    monkeypatch.setattr(client, "reassign", slow_reassign)
    dialog = reassign_dialog(team_page)
    answered: list[str] = []
    dialog.reassigned.connect(lambda case_id, _to: answered.append(case_id))
    dialog.handler_box.setCurrentIndex(2)
    dialog.reason.setPlainText("Te veel zaken")
    dialog.reassign_now()
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not _alive(dialog))
    release.set()
    assert team_page.ctx.sync is not None
    team_page.ctx.sync._executor.submit(lambda: None).result(timeout=10)
    qtbot.wait(100)
    assert answered == []


def _alive(widget: Any) -> bool:
    from shiboken6 import isValid
    return bool(isValid(widget))
