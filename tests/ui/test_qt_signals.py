"""The installed PySide6 survives a working day of signals (6.12.0 aborted after about a thousand emits)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Emitter(QObject):
    happened = Signal()
    counted = Signal(int)
e = Emitter()
e.happened.connect(lambda: None)
e.counted.connect(lambda n: None)
for n in range(20000):
    e.happened.emit()
    e.counted.emit(n)
print("ok")
"""


def test_twenty_thousand_signals_do_not_crash_the_interpreter() -> None:
    # In a child process: on a broken binding the interpreter aborts, which must fail this test, not the run.
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-500:]
