"""A new story entry survives SIGKILL mid-typing: the text is in the store and comes back when the case opens."""

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
SENTENCE = ("Meneer belt: de deurwaarder is vanochtend geweest en heeft een brief achtergelaten over beslag op "
            "zijn loon. Hij vraagt of wij de gemeente kunnen bellen voordat de brief ingaat.")
TYPED_BEFORE_KILL = 40


def _demo_profile(folder: Path) -> str:
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


def _type_then_kill(folder: Path, case_id: str, log: Path) -> tuple[int, int]:
    """Run the typist; SIGKILL it mid-sentence once a draft of 40+ characters is committed.

    Returns (typed at kill, last reported saved). Typing goes on while the test waits, so the kill always
    lands on text that is partly unsaved: the test is about what a save leaves behind.
    """
    env = {**os.environ, "WORKBENCH_PASSPHRASE": PASS, "QT_QPA_PLATFORM": "offscreen"}
    with log.open("w") as errors:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.story_typist", str(folder), case_id, SENTENCE], cwd=ROOT,
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, text=True,
            start_new_session=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(child.stdout, lines), daemon=True).start()
    typed = saved = 0
    give_up = time.monotonic() + 60
    try:
        while saved < TYPED_BEFORE_KILL:
            if time.monotonic() > give_up:
                pytest.fail(f"no draft saved within a minute; stderr: {log.read_text()[-2000:]}")
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line == "<eof>" or line.startswith("error") or line == "done":
                pytest.fail(f"the typist stopped before the kill: {line}; stderr: {log.read_text()[-2000:]}")
            word, _sep, count = line.partition(" ")
            if word == "typed":
                typed = int(count)
            elif word == "saved":
                saved = max(saved, int(count))
        assert child.poll() is None, "the typist ended by itself"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
    return typed, saved


def test_a_typed_report_survives_sigkill_and_is_offered_on_reopening(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "demo-profile"
    case_id = _demo_profile(folder)
    typed, last_saved = _type_then_kill(folder, case_id, tmp_path / "typist.stderr")

    ws = Workspace.open(folder, PASS)
    kept_draft, _changes = ws.run(lambda uow: ws.drafts.get(uow, "story_entry", case_id))
    assert kept_draft is not None
    kept = kept_draft.content["text"]
    print(f"typed {typed} characters before the kill; {len(kept)} survived (last reported saved: {last_saved})")
    assert SENTENCE.startswith(kept) and len(kept) >= last_saved >= TYPED_BEFORE_KILL

    from ui.app import build_window

    window = build_window(ws, settings=Settings(folder), inline=True, reopen=lambda p: Workspace.open(folder, p))
    qtbot.addWidget(window)
    try:
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.open_case(case_id)
        view = window.stack.currentWidget()
        view.show_tab(1)
        qtbot.waitUntil(lambda: view.story.loaded)
        assert view.story.text.toPlainText() == kept
        assert view.story.draft_bar.isVisible() and "is teruggezet" in view.story.draft_bar.message.text()
    finally:
        remaining = window.ctx.runner.detach()
        if remaining is not None:
            remaining.close()
