"""Te beoordelen for a handler who holds the case: the context lists the case's live promises and a story summary
whose numbers match the case; nothing is called hidden that this role does receive."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.conftest import run
from tests.ui.letters.conftest import shot
from tests.ui.letters.test_review_page import open_review, others_letters
from workbench.letters.review_context import HIDDEN
from workbench.story.service import StoryService

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def test_a_handler_sees_the_cases_promises_and_story_beside_the_letter(qtbot: Any, window: Any) -> None:
    theirs = others_letters(window, me_reviewer=False)
    page = open_review(qtbot, window)
    qtbot.waitUntil(lambda: page.context.context is not None, timeout=10_000)
    context = page.context.context
    assert context is not None
    live = run(window, lambda ws, uow: [c for c in ws.plans.plan_for_case(uow, theirs.case_id).commitments
                                        if c.status in ("open", "renegotiated")])
    story = run(window, lambda _ws, uow: StoryService().timeline(uow, theirs.case_id))
    assert context.promises is not None and len(context.promises) == len(live)
    assert context.story_total == len(story)
    text = page.context.toPlainText()
    assert HIDDEN not in text
    assert f"{len(story)} gesprek" in text
    if live:
        assert live[0].description in text
    shot(window, "review_context_handler")
