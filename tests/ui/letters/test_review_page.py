"""Te beoordelen: the queue of colleagues' letters, the PDF, approve with the passphrase, reject with a comment."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import PASS, run
from tests.ui.keyboard import focused
from tests.ui.letters.conftest import LetterCase, make_letters, set_role, shot
from tests.ui.test_accessibility import unnamed_widgets
from ui.letters.passphrase_dialog import PassphraseDialog
from ui.letters.review_page import ReviewPage
from workbench.staff.models import Role

EMPTY_QUEUE = "Er liggen geen brieven van collega's ter controle."
CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def open_review(qtbot: Any, window: Any) -> ReviewPage:
    window.activateWindow()
    qtbot.keyClick(focused(), Qt.Key.Key_4, CTRL)
    page = window.stack.currentWidget()
    assert isinstance(page, ReviewPage)
    qtbot.waitUntil(lambda: page.loaded)
    return page


def others_letters(window: Any, *, me_reviewer: bool) -> LetterCase:
    """Letters a colleague wrote on another case, plus my own in review on the first case."""
    ws = window.ctx.runner.workspace
    mine = make_letters(ws, case_index=0)
    theirs = make_letters(ws, case_index=1, author_is_me=False)
    set_role(ws, ws.actor.user_id, Role.REVIEWER if me_reviewer else Role.HANDLER)
    assert mine.ids["in_review"]
    return theirs


def status(window: Any, letter_id: str) -> str:
    return run(window, lambda ws, uow: ws.letters.get(uow, letter_id).status)


def test_a_reviewer_reads_and_approves_a_colleagues_letter(qtbot: Any, window: Any) -> None:
    theirs = others_letters(window, me_reviewer=True)
    page = open_review(qtbot, window)
    assert window.sidebar.currentItem().text() == "Te beoordelen"
    assert [r.id for r in page.model.rows()] == [theirs.ids["in_review"]]  # never my own letter
    assert page.model.index(0, 3).data().startswith("Chris Collega, ")
    qtbot.waitUntil(lambda: page.preview.page_count() > 0)
    assert page.approve_button.isEnabled() and not page.reason.isVisible()
    assert page.count.text().startswith("1 brief wacht")
    assert unnamed_widgets(page) == []
    assert focused() is page.table
    qtbot.wait(300)  # QPdfView draws its pages in the background
    shot(window, "review")

    qtbot.keyClick(focused(), Qt.Key.Key_G, ALT)
    qtbot.wait(150)
    dialog = page.passphrase
    assert isinstance(dialog, PassphraseDialog)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.passphrase, "fout")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.message.isVisible() and status(window, theirs.ids["in_review"]) == "in_review"
    qtbot.keyClicks(dialog.passphrase, PASS)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert status(window, theirs.ids["in_review"]) == "approved"
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert times_said(page, EMPTY_QUEUE) == 1
    assert not page.approve_button.isEnabled() and not page.reject_button.isEnabled()


def test_rejecting_needs_a_comment_and_sends_the_letter_back(qtbot: Any, window: Any) -> None:
    theirs = others_letters(window, me_reviewer=True)
    page = open_review(qtbot, window)
    qtbot.keyClick(focused(), Qt.Key.Key_F, ALT)
    qtbot.wait(150)
    assert page.errors.message("comment") == "Schrijf op waarom u de brief afkeurt."
    assert focused() is page.comment and status(window, theirs.ids["in_review"]) == "in_review"
    qtbot.keyClicks(page.comment, "De datum van het bezoek valt op een zondag.")
    page.reject_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    letter = run(window, lambda ws, uow: ws.letters.get(uow, theirs.ids["in_review"]))
    assert (letter.status, letter.review_comment) == ("draft", "De datum van het bezoek valt op een zondag.")
    assert page.comment.toPlainText() == ""


def test_a_handler_who_is_no_reviewer_sees_why_approving_is_not_possible(qtbot: Any, window: Any) -> None:
    theirs = others_letters(window, me_reviewer=False)
    page = open_review(qtbot, window)
    qtbot.waitUntil(lambda: page.preview.page_count() > 0)
    assert not page.approve_button.isEnabled()
    assert page.reason.isVisible() and page.reason.text() == "Alleen een controleur kan een brief goedkeuren."
    assert page.approve_button.toolTip() == page.reason.text()
    qtbot.wait(300)  # QPdfView draws its pages in the background
    shot(window, "review_not_reviewer")
    page.approve()  # the disabled button's slot called anyway: nothing happens
    assert page.passphrase is None and status(window, theirs.ids["in_review"]) == "in_review"


def test_the_help_overlay_lists_the_review_page(qtbot: Any, window: Any) -> None:
    keys = [window.help.table.item(r, 0).text() for r in range(window.help.table.rowCount())]
    assert "Ctrl+4" in keys


def times_said(page: ReviewPage, text: str) -> int:
    """How many of the page's visible labels say `text` (the table's empty state is a label on its viewport)."""
    return sum(text in label.text() for label in page.findChildren(QLabel) if label.isVisible())


def test_an_empty_queue_says_so_once_in_the_table(qtbot: Any, window: Any) -> None:
    page = open_review(qtbot, window)
    assert page.model.rowCount() == 0
    assert page.empty_state.isVisible()
    assert page.empty_state.text() == EMPTY_QUEUE
    assert times_said(page, EMPTY_QUEUE) == 1  # not again in the count line and the preview pane
    # No hint to choose a letter either, in the preview or the context pane: there is none to choose.
    assert page.count.text() == "" and page.preview.status.text() == "" and page.context.toPlainText() == ""
    shot(window, "review_empty")


def test_the_queue_emptied_by_a_decision_says_so_once(qtbot: Any, window: Any) -> None:
    theirs = others_letters(window, me_reviewer=True)
    page = open_review(qtbot, window)
    qtbot.waitUntil(lambda: page.preview.page_count() > 0)
    assert times_said(page, EMPTY_QUEUE) == 0
    run(window, lambda ws, uow: ws.letters.reject(uow, theirs.ids["in_review"], comment="Klopt niet."))
    page.reload()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert times_said(page, EMPTY_QUEUE) == 1 and page.empty_state.isVisible()
    assert page.preview.page_count() == 0 and page.preview.status.text() == "" and page.context.toPlainText() == ""


def test_tab_goes_from_the_queue_to_the_letter_and_the_decisions(qtbot: Any, window: Any) -> None:
    others_letters(window, me_reviewer=True)
    page = open_review(qtbot, window)
    qtbot.waitUntil(lambda: page.preview.page_count() > 0)
    assert focused() is page.table
    stops = [focused()]
    for _ in range(4):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        stops.append(focused())
    assert stops == [page.table, page.preview.view, page.comment, page.approve_button, page.reject_button]
    assert page.splitter.widget(0) is page.list_area and page.context.parent() is page.list_area
    window.grab().save("/tmp/pages-review-page.png")


def test_a_letter_that_arrives_by_sync_shows_when_the_page_is_shown_again(qtbot: Any, window: Any) -> None:
    page = open_review(qtbot, window)
    assert page.model.rowCount() == 0
    others_letters(window, me_reviewer=True)  # written straight into the store, as sync does: no Changes
    window.show_page("cases")
    with qtbot.waitSignal(page.queue_shown):
        window.show_page("review")
    assert page.model.rowCount() == 1
