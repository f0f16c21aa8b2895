"""The window's budget figures, in a fresh process so peak memory is the window's own: run by `bench.sections`.

`python -m bench.ui_window STORE KEYHEX` prints one JSON object: seconds from opening the store to a usable
main window (every case-list row loaded and painted), case-list keystroke timings, opening a case with 500
story entries, and the process's peak resident memory.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

KEYSTROKES = [*"jansen", *"\b\b\b\b\b\b", *"huurachterstand", *"\b" * 15, *"zaandam"]


def _workspace(store_path: Path, key: bytes, folder: Path):  # type: ignore[no-untyped-def]
    from bench.store_setup import ACTOR, open_encrypted
    from workbench.bookkeeping import open_store
    from workbench.clock import SystemClock
    from workbench.profile import Descriptor
    from workbench.secrets import FileSecrets
    from workbench.store.migrations import upgrade_to_head
    from workbench.vault import KdfParams, Vault
    from workbench.workspace import Workspace

    engine = open_encrypted(store_path, key)
    upgrade_to_head(engine)
    desc = Descriptor(str(uuid.uuid4()), ACTOR.device_id, ACTOR.user_id, False)
    vault = Vault(FileSecrets(folder / "k.json"), desc.profile_id, KdfParams.cheap())
    return Workspace(folder, desc, open_store(engine, SystemClock()), vault)


def _window(ws, folder: Path, *, inline: bool = True):  # type: ignore[no-untyped-def]
    from ui.app import build_window
    from workbench.settings import Settings

    window = build_window(ws, settings=Settings(folder), inline=inline, reopen=lambda p: ws)
    window.resize(1280, 800)
    window.show()
    return window


def measure_window(store_path: Path, key: bytes) -> dict[str, object]:
    from PySide6.QtWidgets import QApplication

    from bench.ui_case_list import measure_filter_keystroke
    from ui.app import preload_window_modules

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp())
    preload_window_modules()  # as the app does while the unlock dialog is open
    start = time.perf_counter()
    ws = _workspace(store_path, key, folder)
    window = _window(ws, folder, inline=False)  # the real DB thread, as the app runs
    page = window._page_widgets["cases"]
    while page.model.rowCount() == 0:
        app.processEvents()
        time.sleep(0.001)
    window.grab()  # the first rows are painted: the handler can work
    usable = time.perf_counter() - start
    while not page._loaded:
        app.processEvents()
        time.sleep(0.001)
    everything = time.perf_counter() - start
    rows = page.model.rowCount()
    window.ctx.runner.wait_idle()
    keys = measure_filter_keystroke(ws, KEYSTROKES)
    return {"usable_s": usable, "all_rows_s": everything, "rows": rows, "keystrokes_s": keys}


def measure_open_case(entries: int = 500) -> list[float]:
    """A fresh small store whose one case has `entries` story entries; seconds per open (first paint)."""
    from PySide6.QtWidgets import QApplication

    from tests.helpers.fakes import MemorySecrets
    from workbench.progress import CancelToken, NoProgress
    from workbench.vault import KdfParams
    from workbench.workspace import Workspace

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp()) / "p"
    ws = Workspace.create(folder, "bench wachtwoord", secrets=MemorySecrets(), kdf=KdfParams.cheap())
    from workbench.demo.generator import generate

    generate(ws.store, ws.actor, cases=20, seed=5, progress=NoProgress(), cancel=CancelToken())
    with ws.unit_of_work() as uow:
        case_id = ws.search.cases(uow, "UHT", limit=1)[0].case_id
        base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        for n in range(entries):
            ws.story.add(uow, case_id, kind="notitie", text=f"Gesprek nummer {n} over de voortgang.",
                         occurred_at=base + dt.timedelta(hours=n))
    window = _window(ws, folder)
    app.processEvents()
    times = []
    for _ in range(7):
        start = time.perf_counter()
        window.open_case(case_id)
        app.processEvents()
        window.grab()
        times.append(time.perf_counter() - start)
        window.back()
        app.processEvents()
    return times


def main(argv: list[str]) -> int:
    store_path, key_hex = Path(argv[0]), argv[1]
    result = measure_window(store_path, bytes.fromhex(key_hex))
    result["open_case_500_s"] = measure_open_case()
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # skip Qt's teardown: the figures are taken


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
