"""Generated bench stores: an encrypted one and a plain twin of the same seed, optionally cached."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, event

import workbench.store.engine as engine_module
from workbench.bookkeeping import open_store
from workbench.demo import generator
from workbench.demo.basics import BASE_TIME
from workbench.progress import CancelToken, Progress
from workbench.staff.models import Role, Team, User
from workbench.store.engine import open_engine, random_key
from workbench.store.migrations import upgrade_to_head
from workbench.store.unit_of_work import Actor, Store

DEFAULT_CACHE = Path.home() / ".cache" / "zaakwerkbank-bench"
ACTOR = Actor("00000000-0000-4000-8000-00000000be01", "00000000-0000-4000-8000-00000000be02")
TEAM_ID = "00000000-0000-4000-8000-00000000be03"
VARIANTS = ("encrypted", "plain")


class BenchClock:
    """The demo world's fixed morning, so both stores get identical rows."""

    def now(self) -> dt.datetime:
        return BASE_TIME


@dataclass
class BenchStores:
    """Where the two stores are, the key of the encrypted one, and what generating them cost."""

    folder: Path
    key: bytes
    meta: dict[str, Any] = field(default_factory=dict)
    reused: bool = False
    temporary: bool = False

    def path(self, variant: str) -> Path:
        return self.folder / f"{variant}.db"

    cache_kib: int | None = None

    def open(self, variant: str, *, cache_kib: int | None = None) -> Store:
        """One of the stores, as the app opens it; `cache_kib` (or --cache-kib) is a what-if page cache."""
        path = self.path(variant)
        engine = open_encrypted(path, self.key) if variant == "encrypted" else open_plain(path)
        kib = cache_kib or self.cache_kib
        if kib:
            _page_cache(engine, kib)
        return open_store(engine, BenchClock())

    def cleanup(self) -> None:
        if self.temporary:
            shutil.rmtree(self.folder, ignore_errors=True)


def open_encrypted(path: Path, key: bytes) -> Engine:
    return open_engine(path, key)


def open_plain(path: Path) -> Engine:
    """`open_engine(path, None)` with SQLCipher's own SQLite (3.53, no key) instead of Python's sqlite3.

    Python's sqlite3 here is SQLite 3.40, too old for the search index migration (FTS5
    `contentless_delete`); and the comparison is fairer on the very same SQLite build.
    """
    saved = engine_module.sqlite3
    engine_module.sqlite3 = sqlcipher3.dbapi2  # type: ignore[assignment]
    try:
        return open_engine(path, None)
    finally:
        engine_module.sqlite3 = saved


def _page_cache(engine: Engine, kib: int) -> None:
    """Every connection made from now on gets a `kib` KiB page cache (the app keeps SQLite's default)."""

    @event.listens_for(engine, "connect")
    def _cache(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA cache_size = -{kib}")

    engine.dispose()  # open_engine's probe connection predates the listener


def generator_version() -> str:
    """A short hash of the demo generator's source: a cached store is only reused for the same generator."""
    digest = hashlib.sha256()
    for source in sorted(Path(generator.__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:10]


def _seed_user(store: Store) -> None:
    stamp = {"rev": 0, "updated_at": BASE_TIME, "updated_by": ACTOR.user_id}
    with store.engine.begin() as conn:
        conn.execute(Team.__table__.insert(), [{"id": TEAM_ID, "name": "Team Bench", **stamp}])
        conn.execute(User.__table__.insert(), [{"id": ACTOR.user_id, "username": "bench", "role": Role.HANDLER,
                                                "display_name": "Bench Pzb'er", "team_id": TEAM_ID, **stamp}])


class _ConsoleProgress:
    def __init__(self, label: str) -> None:
        self.label = label

    def report(self, progress: Progress) -> None:
        print(f"\r  {self.label}: {progress.done:,}/{progress.total:,} zaken", end="", file=sys.stderr,
              flush=True)


def _generate(stores: BenchStores, variant: str, cases: int, seed: int) -> dict[str, Any]:
    path = stores.path(variant)
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    store = stores.open(variant)
    try:
        upgrade_to_head(store.engine)
        _seed_user(store)
        summary = generator.generate(store, ACTOR, cases=cases, seed=seed, progress=_ConsoleProgress(variant),
                                     cancel=CancelToken())
    finally:
        store.close()
    print(file=sys.stderr)
    return {"seconds": summary.seconds, "rows": summary.rows, "counts": summary.counts(),
            "bytes": path.stat().st_size}


@contextmanager
def bench_stores(*, cases: int, seed: int, keep: Path | None, fresh: bool,
                 cache_kib: int | None = None) -> Iterator[BenchStores]:
    """Both stores for `cases` and `seed`: reused from `keep` when there, otherwise generated now."""
    if keep is None:
        stores = BenchStores(Path(tempfile.mkdtemp(prefix="zaakwerkbank-bench-")), random_key(), temporary=True)
    else:
        folder = keep / f"cases-{cases}-seed-{seed}-gen-{generator_version()}"
        folder.mkdir(parents=True, exist_ok=True)
        stores = BenchStores(folder, b"")
        meta_file, key_file = folder / "meta.json", folder / "encrypted.key"
        if not fresh and meta_file.exists() and key_file.exists() and all(
                stores.path(v).exists() for v in VARIANTS):
            stores.key = bytes.fromhex(key_file.read_text())
            stores.meta = json.loads(meta_file.read_text())
            stores.reused = True
            print(f"Reusing the stores generated on {stores.meta['generated_at']} in {folder} "
                  "(generation figures are from that run; --fresh makes new ones).", file=sys.stderr)
        else:
            stores.key = random_key()
            key_file.write_text(stores.key.hex())  # synthetic data only; kept so the cached store reopens
    try:
        if not stores.reused:
            print(f"Generating {cases:,} demo cases (seed {seed}) twice: encrypted and plain ...", file=sys.stderr)
            stores.meta = {"cases": cases, "seed": seed, "generator": generator_version(),
                           "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
            for variant in VARIANTS:
                stores.meta[variant] = _generate(stores, variant, cases, seed)
            if not stores.temporary:
                (stores.folder / "meta.json").write_text(json.dumps(stores.meta, indent=2))
        stores.cache_kib = cache_kib
        for variant in VARIANTS:  # a cached store meets migrations added since it was made
            store = stores.open(variant)
            try:
                upgrade_to_head(store.engine)
            finally:
                store.close()
        yield stores
    finally:
        stores.cleanup()
