"""A home visit survives SIGKILL mid-typing: the typed text is in the store and is offered back at start-up."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.ui.conftest import PASS, shown_window
from tests.ui.killed_typist import KilledTypist, demo_profile_with_a_case
from workbench.workspace import Workspace

pytestmark = [pytest.mark.slow,
              pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")]

SENTENCE = ("Mevrouw vertelt dat ze sinds de brief van de Belastingdienst slecht slaapt, dat de huur al drie "
            "maanden achterstaat en dat ze graag wil dat iemand met haar meekijkt naar de schulden en naar de "
            "aanvraag bij de gemeente.")
TYPED_BEFORE_WAIT = 40
WAIT_AFTER = 1.5      # seconds: longer than the one-second autosave interval in the child


def _type_then_kill(folder: Path, case_id: str, log: Path) -> tuple[int, int, int]:
    """Run the typist and SIGKILL it mid-sentence; returns (typed then, typed at kill, last reported saved).

    "Then" is when it had typed 40 characters. The kill comes 1.5 s later (an autosave tick has passed), and
    never before the typist reported a save holding those 40: on a busy two-core machine a tick can be late,
    and the test is about what a save leaves behind, not about the scheduler.
    """
    typed = saved = 0
    typed_then: int | None = None
    kill_at = give_up = time.monotonic() + 60
    with KilledTypist("tests.helpers.visit_typist", folder=folder, case_id=case_id, sentence=SENTENCE,
                      log=log) as typist:
        while time.monotonic() < kill_at or (typed_then is not None and saved < typed_then):
            if time.monotonic() > give_up:
                pytest.fail(f"no autosave reported within a minute; stderr: {typist.stderr()}")
            report = typist.report(timeout=max(0.01, min(kill_at, give_up) - time.monotonic()))
            if report is None:
                continue
            word, count = report
            if word == "typed":
                typed = count
            elif word == "saved":
                saved = count
            if typed_then is None and typed >= TYPED_BEFORE_WAIT:
                typed_then = typed
                kill_at = time.monotonic() + WAIT_AFTER
        assert typed_then is not None, f"the typist never typed {TYPED_BEFORE_WAIT} characters"
        typist.kill()
    return typed_then, typed, saved


def test_text_typed_before_the_last_autosave_survives_sigkill(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "demo-profile"
    case_id = demo_profile_with_a_case(folder)
    typed_then, typed_at_kill, last_saved = _type_then_kill(folder, case_id, tmp_path / "typist.stderr")

    ws = Workspace.open(folder, PASS)
    [draft], _changes = ws.run(lambda uow: ws.visits.unfinished(uow))
    kept = draft.text
    print(f"typed {typed_at_kill} characters, {len(kept)} survived the kill "
          f"({typed_then} were typed {WAIT_AFTER} s before it; the child last reported {last_saved} saved)")
    assert draft.case_id == case_id
    assert SENTENCE.startswith(kept)
    assert len(kept) >= typed_then and len(kept) >= last_saved and len(kept) <= typed_at_kill

    with shown_window(qtbot, ws, folder) as window:
        window.offer_unfinished_visits()
        prompt = window.unfinished_prompt
        assert prompt.isVisible() and draft.case_reference in prompt.text()
        [resume] = [b for b in prompt.buttons() if b.text() == "Verder gaan"]
        resume.click()
        page = window.stack.currentWidget()
        assert type(page).__name__ == "HomeVisitPage"
        assert page.text.toPlainText() == kept
        assert page.autosaver.draft_id == draft.id
