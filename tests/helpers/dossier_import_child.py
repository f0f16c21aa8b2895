"""Run as a subprocess by the kill test: import a dossier file into a store, one stdout line per progress report.

Usage: python -m tests.helpers.dossier_import_child STORE DOSSIER USER_ID DEVICE_ID
The store key comes from WORKBENCH_TEST_STORE_KEY as hex (tests only; the app never takes a key this way).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy import event

from workbench.bookkeeping import open_store
from workbench.clock import SystemClock
from workbench.dossier.importer import import_dossier, load_file
from workbench.progress import CancelToken, Progress
from workbench.store.engine import open_engine
from workbench.store.unit_of_work import Actor

KEY_ENV = "WORKBENCH_TEST_STORE_KEY"


class _Lines:
    def report(self, progress: Progress) -> None:
        print(f"progress {progress.done} {progress.total}", flush=True)


def main(argv: list[str]) -> int:
    store_path, dossier_path, user_id, device_id = argv
    engine = open_engine(Path(store_path), bytes.fromhex(os.environ[KEY_ENV]))

    # A small page cache makes the open transaction spill into the WAL, so the kill hits data on disk.
    @event.listens_for(engine, "connect")
    def _small_cache(dbapi_conn: object, _record: object) -> None:
        dbapi_conn.execute("PRAGMA cache_size = -2000")  # type: ignore[attr-defined]

    engine.dispose()
    store = open_store(engine, SystemClock())
    try:
        data = load_file(dossier_path)
        with store.unit_of_work(Actor(user_id, device_id)) as uow:
            summary = import_dossier(uow, data, progress=_Lines(), cancel=CancelToken())
    finally:
        store.close()
    print(f"done {summary.written}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
