"""A home visit survives SIGKILL mid-typing: the typed text is in the store and is offered back at start-up."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.helpers.factories import make_case
from tests.ui.conftest import PASS
from workbench.settings import Settings
from workbench.vault import KdfParams
from workbench.workspace import Workspace

pytestmark = [pytest.mark.slow,
              pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")]

ROOT = Path(__file__).resolve().parents[3]
SENTENCE = ("Mevrouw vertelt dat ze sinds de brief van de Belastingdienst slecht slaapt, dat de huur al drie "
            "maanden achterstaat en dat ze graag wil dat iemand met haar meekijkt naar de schulden en naar de "
            "aanvraag bij de gemeente.")
TYPED_BEFORE_WAIT = 40
WAIT_AFTER = 1.5      # seconds: longer than the one-second autosave interval in the child


def _demo_profile(folder: Path) -> str:
    """A demo profile (its key in a file in the folder, so another process can open it) with one case."""
    ws = Workspace.create(folder, PASS, demo=True, kdf=KdfParams.cheap(), display_name="Sanne de Pzb")
    try:
        (_parent_id, case_id), _changes = ws.run(lambda uow: make_case(uow))
    finally:
        ws.close()
    return case_id


def _lines(stream, out: queue.Queue[str]) -> None:  # type: ignore[no-untyped-def]
    for line in stream:
        out.put(line.strip())
    out.put("<eof>")


def _type_then_kill(folder: Path, case_id: str, log: Path) -> tuple[int, int, int]:
    """Run the typist and SIGKILL it mid-sentence; returns (typed then, typed at kill, last reported saved).

    "Then" is when it had typed 40 characters. The kill comes 1.5 s later (an autosave tick has passed), and
    never before the typist reported a save holding those 40: on a busy two-core machine a tick can be late,
    and the test is about what a save leaves behind, not about the scheduler.
    """
    env = {**os.environ, "WORKBENCH_PASSPHRASE": PASS, "QT_QPA_PLATFORM": "offscreen"}
    with log.open("w") as errors:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.visit_typist", str(folder), case_id, SENTENCE], cwd=ROOT,
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, text=True,
            start_new_session=True)  # no controlling terminal: the child must not need one
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(child.stdout, lines), daemon=True).start()
    typed = saved = 0
    typed_then: int | None = None
    kill_at = give_up = time.monotonic() + 60
    try:
        while time.monotonic() < kill_at or (typed_then is not None and saved < typed_then):
            if time.monotonic() > give_up:
                pytest.fail(f"no autosave reported within a minute; stderr: {log.read_text()[-2000:]}")
            try:
                line = lines.get(timeout=max(0.01, min(kill_at, give_up) - time.monotonic()))
            except queue.Empty:
                continue
            if line == "<eof>" or line.startswith("error"):
                pytest.fail(f"the typist stopped early: {line}; stderr: {log.read_text()[-2000:]}")
            word, _sep, count = line.partition(" ")
            if word == "typed":
                typed = int(count)
            elif word == "saved":
                saved = int(count)
            if typed_then is None and typed >= TYPED_BEFORE_WAIT:
                typed_then = typed
                kill_at = time.monotonic() + WAIT_AFTER
        assert typed_then is not None, f"the typist never typed {TYPED_BEFORE_WAIT} characters"
        assert child.poll() is None, "the typist ended by itself"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
    return typed_then, typed, saved


def test_text_typed_before_the_last_autosave_survives_sigkill(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "demo-profile"
    case_id = _demo_profile(folder)
    typed_then, typed_at_kill, last_saved = _type_then_kill(folder, case_id, tmp_path / "typist.stderr")

    ws = Workspace.open(folder, PASS)
    [draft], _changes = ws.run(lambda uow: ws.visits.unfinished(uow))
    kept = draft.text
    print(f"typed {typed_at_kill} characters, {len(kept)} survived the kill "
          f"({typed_then} were typed {WAIT_AFTER} s before it; the child last reported {last_saved} saved)")
    assert draft.case_id == case_id
    assert SENTENCE.startswith(kept)
    assert len(kept) >= typed_then and len(kept) >= last_saved and len(kept) <= typed_at_kill

    from ui.app import build_window

    window = build_window(ws, settings=Settings(folder), inline=True, reopen=lambda p: Workspace.open(folder, p))
    qtbot.addWidget(window)
    try:
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.offer_unfinished_visits()
        prompt = window.unfinished_prompt
        assert prompt.isVisible() and draft.case_reference in prompt.text()
        [resume] = [b for b in prompt.buttons() if b.text() == "Verder gaan"]
        resume.click()
        page = window.stack.currentWidget()
        assert type(page).__name__ == "HomeVisitPage"
        assert page.text.toPlainText() == kept
        assert page.autosaver.draft_id == draft.id
    finally:
        runner = window.ctx.runner
        remaining = runner.detach()
        if remaining is not None:
            remaining.close()
