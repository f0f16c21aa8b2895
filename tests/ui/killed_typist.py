"""A typist in a child process, killed with SIGKILL mid-sentence: the tests of what a save leaves behind."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

import pytest

from tests.helpers.factories import make_case
from tests.ui.conftest import PASS
from workbench.vault import KdfParams
from workbench.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
_EOF = "<eof>"


def demo_profile_with_a_case(folder: Path) -> str:
    """A demo profile (its key in a file in the folder, so another process can open it) with one case."""
    ws = Workspace.create(folder, PASS, demo=True, kdf=KdfParams.cheap(), display_name="Sanne de Pzb")
    try:
        (_parent_id, case_id), _changes = ws.run(lambda uow: make_case(uow))
    finally:
        ws.close()
    return case_id


def _read_lines(stream: IO[str], out: queue.Queue[str]) -> None:
    for line in stream:
        out.put(line.strip())
    out.put(_EOF)


class KilledTypist:
    """`python -m <module> FOLDER CASE_ID SENTENCE` types the sentence and reports "typed N" and "saved N".

    Used as a context manager: on leaving, the child is ended (if the test did not kill it) and its pipe closed.
    """

    def __init__(self, module: str, *, folder: Path, case_id: str, sentence: str, log: Path) -> None:
        self.module, self.folder, self.case_id, self.sentence, self.log = module, folder, case_id, sentence, log
        self._lines: queue.Queue[str] = queue.Queue()

    def __enter__(self) -> KilledTypist:
        env = {**os.environ, "WORKBENCH_PASSPHRASE": PASS, "QT_QPA_PLATFORM": "offscreen"}
        with self.log.open("w") as errors:
            self.child = subprocess.Popen(
                [sys.executable, "-m", self.module, str(self.folder), self.case_id, self.sentence], cwd=ROOT,
                env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, text=True,
                start_new_session=True)  # no controlling terminal: the child must not need one
        threading.Thread(target=_read_lines, args=(self.child.stdout, self._lines), daemon=True).start()
        return self

    def stderr(self) -> str:
        return self.log.read_text()[-2000:]

    def report(self, timeout: float) -> tuple[str, int] | None:
        """The next "typed N" or "saved N" as (word, N); None when none came within `timeout` seconds.

        The test fails when the typist stops (or says it failed) before it is killed.
        """
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if line == _EOF or line.startswith("error") or line == "done":
            pytest.fail(f"the typist stopped before the kill: {line}; stderr: {self.stderr()}")
        word, _sep, count = line.partition(" ")
        return (word, int(count)) if word in ("typed", "saved") else None

    def kill(self) -> None:
        """SIGKILL: no Qt shutdown, no last save, as when the battery runs flat."""
        assert self.child.poll() is None, "the typist ended by itself"
        os.kill(self.child.pid, signal.SIGKILL)
        assert self.child.wait(timeout=10) == -signal.SIGKILL

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        if self.child.stdout is not None:
            self.child.stdout.close()
