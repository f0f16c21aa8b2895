"""Each connection's page cache is sized for the store it opens: its size plus room to grow, within bounds."""

from __future__ import annotations

from pathlib import Path

from workbench.store.engine import MAX_CACHE_KIB, MIN_CACHE_KIB, cache_kib_for, open_engine, random_key


def _sized(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        f.truncate(size)
    return path


def test_the_cache_follows_the_store_size_within_its_bounds(tmp_path: Path) -> None:
    assert cache_kib_for(tmp_path / "missing.db") == MIN_CACHE_KIB
    assert cache_kib_for(_sized(tmp_path / "small.db", 1 << 20)) == MIN_CACHE_KIB
    middle = _sized(tmp_path / "middle.db", 100 << 20)
    assert cache_kib_for(middle) == 125 * 1024  # the store and a quarter to grow
    _sized(tmp_path / "middle.db-wal", 20 << 20)
    assert cache_kib_for(middle) == 150 * 1024  # the write-ahead log counts too
    assert cache_kib_for(_sized(tmp_path / "huge.db", 4 << 30)) == MAX_CACHE_KIB


def test_every_connection_gets_the_cache_of_its_store(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "s.db", random_key())
    try:
        with engine.connect() as conn:
            got = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
        assert got == -cache_kib_for(tmp_path / "s.db")
    finally:
        engine.dispose()
