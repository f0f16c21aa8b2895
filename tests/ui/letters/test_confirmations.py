"""Submitting a letter for review and approving one say what happened, and the message stays to be read."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import PASS, run
from tests.ui.letters.conftest import LetterCase, shot
from tests.ui.letters.test_letters_tab import choose, open_letters
from tests.ui.letters.test_review_page import open_review, others_letters

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def _status(window: Any, letter_id: str) -> str:
    return run(window, lambda ws, uow: ws.letters.get(uow, letter_id).status)


def test_submitting_confirms_the_letter_went_to_review(qtbot: Any, window: Any, letters: LetterCase) -> None:
    panel = open_letters(qtbot, window, letters.case_id)
    draft = letters.ids["draft"]
    title = next(r for r in panel.model.rows() if r.id == draft).template_title
    choose(panel, draft)
    panel.submit_button.click()
    qtbot.waitUntil(lambda: _status(window, draft) == "in_review")
    qtbot.wait(50)  # the list reloads after the change: the message must survive it
    expected = f"‘{title}’ is ter beoordeling aangeboden aan een controleur."
    assert panel.detail.isVisible() and panel.detail.text().startswith(expected)
    assert window.statusBar().currentMessage() == f"Brief ter beoordeling aangeboden: ‘{title}’."
    shot(panel, "submitted")
    choose(panel, letters.ids["approved"])  # another letter: its own status again, not the old message
    assert "aangeboden" not in panel.detail.text()


def test_approving_confirms_the_letter_is_approved(qtbot: Any, window: Any) -> None:
    theirs = others_letters(window, me_reviewer=True)
    page = open_review(qtbot, window)
    row = page.model.rows()[0]
    qtbot.waitUntil(lambda: page.preview.page_count() > 0)
    page.approve()
    dialog = page.passphrase
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.passphrase, PASS)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _status(window, theirs.ids["in_review"]) == "approved")
    message = window.statusBar().currentMessage()
    assert message == f"Brief goedgekeurd: ‘{row.template_title}’ voor {row.parent_name} (zaak {row.case_reference})."
    shot(window, "approved")
