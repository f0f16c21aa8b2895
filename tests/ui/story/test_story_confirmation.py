"""The Verhaal tab tells sent, confirmed and unanswered accounts apart, and never calls silence agreement."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.ui.conftest import first_case_id, run, save_screenshot
from tests.ui.story.test_story_tab import open_story
from ui.story.story_model import CONFIRMATION_ROLE
from workbench.letters.story_source import reply_within_days

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def test_sent_confirmed_and_unanswered_accounts_are_told_apart(qtbot: Any, window: Any) -> None:
    case_id = first_case_id(window)
    today = window.ctx.today()
    days = reply_within_days()
    waiting_on, late_on = today - dt.timedelta(days=2), today - dt.timedelta(days=days + 1)

    def prepare(ws: Any, uow: Any) -> tuple[str, str, str]:
        at = uow.clock.now() - dt.timedelta(days=40)
        ids = [ws.story.add(uow, case_id, kind="huisbezoek", text=f"Verslag {n}", occurred_at=at + dt.timedelta(
            minutes=n)).id for n in range(3)]
        ws.story.mark_sent(uow, [ids[0]], on_date=waiting_on, letter_id="brief-a")
        ws.story.mark_sent(uow, ids[1:], on_date=late_on, letter_id="brief-b")
        ws.story.confirm(uow, ids[2], on_date=today)
        return ids[0], ids[1], ids[2]

    waiting, late, confirmed = run(window, prepare)
    view = open_story(qtbot, window, case_id)
    model = view.story.model

    def said(entry_id: str) -> tuple[str, str]:
        return model.index(model.row_of(entry_id), 0).data(CONFIRMATION_ROLE)

    assert said(waiting) == (f"Ter bevestiging verstuurd op {waiting_on:%d-%m-%Y}; wacht op reactie van de ouder",
                             "sent")
    text, state = said(late)
    assert state == "unanswered" and text.startswith("Nog niet bevestigd: ter bevestiging verstuurd op "
                                                     f"{late_on:%d-%m-%Y}, geen reactie binnen {days} dagen.")
    assert said(confirmed) == (f"✓ Bevestigd door ouder op {today:%d-%m-%Y}", "confirmed")
    for entry_id in (waiting, late):
        shown = model.index(model.row_of(entry_id), 0).data()
        assert "akkoord" not in shown.lower() and "Bevestigd door ouder" not in shown
    view.story.list.setCurrentIndex(model.index(model.row_of(late), 0))
    assert "Nog niet bevestigd" in view.story.detail.toPlainText()
    assert view.story.confirm_button.isEnabled()  # the parent can still confirm it
    qtbot.wait(100)
    save_screenshot(view.story, "story_confirmation")
