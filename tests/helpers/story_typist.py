"""Run as a subprocess by the story SIGKILL test: open a demo profile, type a new story entry slowly until killed.

Usage: python -m tests.helpers.story_typist PROFILE CASE_ID SENTENCE
The passphrase comes from WORKBENCH_PASSPHRASE (a demo profile keeps its key in the profile folder). The draft is
written by the Verhaal tab's own keeper, on the real DB thread. Prints one line per event: "typed N" after each
chunk (N characters in the editor) and "saved N" once a draft of N characters is committed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

CHUNK = 3          # characters per QTest.keyClicks call
PAUSE_MS = 60      # between chunks; events (timers, saves) are processed meanwhile
LIFETIME = 60.0    # seconds: never outlive a test that forgot to kill us


def main(argv: list[str]) -> int:
    folder, case_id, sentence = Path(argv[0]), argv[1], argv[2]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.app import build_window
    from ui.cases.case_view import CaseView
    from workbench.settings import Settings
    from workbench.workspace import Workspace

    app = QApplication(sys.argv[:1])
    ws = Workspace.open(folder, os.environ["WORKBENCH_PASSPHRASE"])
    window = build_window(ws, settings=Settings(folder), reopen=lambda p: Workspace.open(folder, p))
    window.resize(1280, 800)
    window.show()
    window.open_case(case_id)
    view = window.stack.currentWidget()
    assert isinstance(view, CaseView)
    view.show_tab(1)
    deadline = time.monotonic() + 20
    while not view.story.loaded:
        if time.monotonic() > deadline:
            print("error the story did not load", flush=True)
            return 2
        QTest.qWait(20)
    view.story.draft.saved.connect(
        lambda info: print(f"saved {len(info.content['text']) if info else 0}", flush=True))
    view.story.text.setFocus()
    print("ready", flush=True)
    end = time.monotonic() + LIFETIME
    for start in range(0, len(sentence), CHUNK):
        QTest.keyClicks(view.story.text, sentence[start:start + CHUNK])
        print(f"typed {len(view.story.text.toPlainText())}", flush=True)
        QTest.qWait(PAUSE_MS)
    print("done", flush=True)
    while time.monotonic() < end:
        QTest.qWait(100)
    app.quit()
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
