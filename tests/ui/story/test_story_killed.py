"""A new story entry survives SIGKILL mid-typing: the text is in the store and comes back when the case opens."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.ui.conftest import PASS, shown_window
from tests.ui.killed_typist import KilledTypist, demo_profile_with_a_case
from workbench.workspace import Workspace

pytestmark = [pytest.mark.slow,
              pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")]

SENTENCE = ("Meneer belt: de deurwaarder is vanochtend geweest en heeft een brief achtergelaten over beslag op "
            "zijn loon. Hij vraagt of wij de gemeente kunnen bellen voordat de brief ingaat.")
TYPED_BEFORE_KILL = 40


def _type_then_kill(folder: Path, case_id: str, log: Path) -> tuple[int, int]:
    """Run the typist; SIGKILL it mid-sentence once a draft of 40+ characters is committed.

    Returns (typed at kill, last reported saved). Typing goes on while the test waits, so the kill always
    lands on text that is partly unsaved: the test is about what a save leaves behind.
    """
    typed = saved = 0
    give_up = time.monotonic() + 60
    with KilledTypist("tests.helpers.story_typist", folder=folder, case_id=case_id, sentence=SENTENCE,
                      log=log) as typist:
        while saved < TYPED_BEFORE_KILL:
            if time.monotonic() > give_up:
                pytest.fail(f"no draft saved within a minute; stderr: {typist.stderr()}")
            report = typist.report(timeout=0.5)
            if report is None:
                continue
            word, count = report
            if word == "typed":
                typed = count
            elif word == "saved":
                saved = max(saved, count)
        typist.kill()
    return typed, saved


def test_a_typed_report_survives_sigkill_and_is_offered_on_reopening(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "demo-profile"
    case_id = demo_profile_with_a_case(folder)
    typed, last_saved = _type_then_kill(folder, case_id, tmp_path / "typist.stderr")

    ws = Workspace.open(folder, PASS)
    kept_draft, _changes = ws.run(lambda uow: ws.drafts.get(uow, "story_entry", case_id))
    assert kept_draft is not None
    kept = kept_draft.content["text"]
    print(f"typed {typed} characters before the kill; {len(kept)} survived (last reported saved: {last_saved})")
    assert SENTENCE.startswith(kept) and len(kept) >= last_saved >= TYPED_BEFORE_KILL

    with shown_window(qtbot, ws, folder) as window:
        window.open_case(case_id)
        view = window.stack.currentWidget()
        view.show_tab(1)
        qtbot.waitUntil(lambda: view.story.loaded)
        assert view.story.text.toPlainText() == kept
        assert view.story.draft_bar.isVisible() and "is teruggezet" in view.story.draft_bar.message.text()
