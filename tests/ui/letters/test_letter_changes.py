"""Approving and issuing run in the page's one unit of work: the core announces their Changes once, never the page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import PASS, run
from tests.ui.keyboard import mnemonic
from tests.ui.letters.conftest import LetterCase
from tests.ui.letters.test_letters_tab import choose, open_letters
from tests.ui.letters.test_review_page import open_review, others_letters
from ui.letters.passphrase_dialog import PassphraseDialog
from workbench.changes import Changes

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")
UI = Path(__file__).resolve().parents[3] / "ui"


def record(window: Any) -> list[Changes]:
    seen: list[Changes] = []
    window.ctx.runner.changes_applied.connect(seen.append)
    return seen


def confirm(qtbot: Any, dialog: Any) -> None:
    assert isinstance(dialog, PassphraseDialog)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.passphrase, PASS)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_approving_announces_the_cores_changes_once(qtbot: Any, window: Any) -> None:
    theirs = others_letters(window, me_reviewer=True)
    page = open_review(qtbot, window)
    qtbot.waitUntil(lambda: page.approve_button.isEnabled())
    seen = record(window)
    page.approve()
    confirm(qtbot, page.passphrase)
    letter_id = theirs.ids["in_review"]
    assert run(window, lambda ws, uow: ws.letters.get(uow, letter_id).status) == "approved"
    letters = [c for c in seen if c.touches("letter")]
    assert len(letters) == 1
    assert letters[0].case_ids == {theirs.case_id}


def test_issuing_announces_the_cores_changes_once(qtbot: Any, window: Any, letters: LetterCase) -> None:
    panel = open_letters(qtbot, window, letters.case_id)
    approved = letters.ids["approved"]
    choose(panel, approved)
    seen = record(window)
    mnemonic(qtbot, Qt.Key.Key_S)
    confirm(qtbot, panel.passphrase)
    assert run(window, lambda ws, uow: ws.letters.get(uow, approved).status) == "issued"
    announced = [c for c in seen if c.touches("letter")]
    assert len(announced) == 1
    assert announced[0].case_ids == {letters.case_id}
    assert panel.detail.text() == "De brief is verstuurd en vastgelegd."


def test_no_page_announces_changes_by_hand() -> None:
    """Only the task runner announces Changes (the sync driver's arrive through main_window's one connection)."""
    by_hand = []
    for path in UI.rglob("*.py"):
        if path == UI / "tasks.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"changes_applied\.emit\(", line) and "driver.changes_arrived.connect" not in line:
                by_hand.append(f"{path.relative_to(UI)}:{n}")
    assert by_hand == []
