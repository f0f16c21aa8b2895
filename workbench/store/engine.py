"""Opening the SQLCipher 4 file: raw key, pinned cipher settings asserted, one real read, WAL."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event

from workbench.errors import BugError, StoreUnavailable

log = logging.getLogger(__name__)

KEY_BYTES = 32

# The cipher settings we pin; asserted after every open so a library upgrade cannot silently weaken them.
PINNED_CIPHER = {
    "cipher_page_size": "4096",
    "cipher_hmac_algorithm": "HMAC_SHA512",
    "cipher_use_hmac": "1",
    "cipher_plaintext_header_size": "0",
}


def _key_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise BugError("store key has the wrong length")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def _prepare_encrypted(conn: Any, key: bytes) -> None:
    cur = conn.cursor()
    try:
        # A wrong key is reported to the user by us; SQLCipher's own stderr log would only add noise.
        cur.execute("PRAGMA cipher_log_level = NONE")
        cur.execute(_key_pragma(key))
        cur.execute("PRAGMA cipher_compatibility = 4")
        # Memory wiping on every free made bulk writes about 8x slower; the key still leaves memory when
        # the connections close (lock), which is the moment that matters.
        cur.execute("PRAGMA cipher_memory_security = OFF")
        # The real read: with a wrong key or a damaged file SQLCipher fails exactly here.
        cur.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for name, expected in PINNED_CIPHER.items():
            got = str(cur.execute(f"PRAGMA {name}").fetchone()[0])
            if got != expected:
                raise BugError(f"cipher setting {name} is {got}, expected {expected}")
    finally:
        cur.close()


# The page cache per connection: the whole store up to a cap, so decrypted pages stay decrypted.
MIN_CACHE_KIB = 16 * 1024
MAX_CACHE_KIB = 256 * 1024


def cache_kib_for(path: Path) -> int:
    """The page cache (KiB) for a store of this size: the file plus its write-ahead log and a quarter to grow,
    at least MIN_CACHE_KIB and at most MAX_CACHE_KIB. Pages are only held once read, so a small store never
    holds more memory than its size; a large one keeps its hot pages (case list, indexes) decrypted, which
    SQLCipher's 8 MiB default, or one fixed 128 MiB for every store, did not."""
    size = 0
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            size += part.stat().st_size
        except OSError:
            continue
    return max(MIN_CACHE_KIB, min(MAX_CACHE_KIB, size * 5 // 4 // 1024))


def _prepare_common(conn: Any, cache_kib: int) -> None:
    cur = conn.cursor()
    try:
        cur.execute("PRAGMA temp_store = MEMORY")
        # Decrypted pages stay cached: with SQLCipher's 8 MiB default every list and count decrypts again.
        cur.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA busy_timeout = 5000")
        mode = cur.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreUnavailable("De gegevensopslag kan niet in WAL-modus worden geopend.")
        cur.execute("PRAGMA synchronous = NORMAL")
        if int(cur.execute("PRAGMA temp_store").fetchone()[0]) != 2:
            raise BugError("temp_store is not MEMORY")
        if int(cur.execute("PRAGMA foreign_keys").fetchone()[0]) != 1:
            raise BugError("foreign keys are off")
    finally:
        cur.close()


def _has_fts5(conn: Any) -> bool:
    cur = conn.cursor()
    try:
        opts = {row[0] for row in cur.execute("PRAGMA compile_options").fetchall()}
    finally:
        cur.close()
    return "ENABLE_FTS5" in opts


def _translate_open_error(exc: Exception, path: Path) -> StoreUnavailable:
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return StoreUnavailable(
            "De gegevensopslag kan niet worden geopend: het bestand is beschadigd of hoort bij een andere sleutel."
        )
    if "i/o" in text:  # SQLCipher reports a page that fails its HMAC as a disk I/O error
        return StoreUnavailable("De gegevensopslag kan niet worden gelezen: het bestand is beschadigd of de schijf "
                                "geeft een fout. Werk niet verder op dit apparaat en neem contact op met de "
                                "servicedesk.")
    if "unable to open" in text or "readonly" in text or "disk" in text:
        return StoreUnavailable(f"De gegevensopslag kan niet worden geopend of beschreven ({path.name}).")
    return StoreUnavailable("De gegevensopslag kan niet worden geopend.")


def open_engine(path: Path, key: bytes | None, *, pool_size: int = 5) -> Engine:
    """Open (or create) the store at `path`.

    `key=None` opens a plain SQLite file; only benchmarks do that, to measure what encryption costs.
    Raises StoreUnavailable if the key does not fit or the file is damaged; nothing is written then.
    """
    # Without a key sqlcipher3 is plain SQLite 3.53 (FTS5 contentless_delete needs >= 3.43; the stdlib's may be older).
    module: Any = sqlcipher3.dbapi2
    engine = create_engine(
        f"sqlite:///{path}",
        module=module,
        pool_size=pool_size,
        connect_args={"check_same_thread": False},
    )

    # Batch plain INSERTs into multi-row statements (story entries arrive by the thousand on import).
    engine.dialect.use_insertmanyvalues_wo_returning = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's transaction handling drive BEGIN; the driver must not start its own.
        dbapi_conn.isolation_level = None
        if key is not None:
            _prepare_encrypted(dbapi_conn, key)
        _prepare_common(dbapi_conn, cache_kib_for(path))
        if not _has_fts5(dbapi_conn):
            raise BugError("this SQLite build lacks FTS5")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE: take the write lock at the start, so two writers never deadlock mid-transaction.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except StoreUnavailable:
        engine.dispose()
        raise
    except (sqlcipher3.dbapi2.DatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise _translate_open_error(exc, path) from None
    except Exception as exc:  # SQLAlchemy wraps driver errors
        engine.dispose()
        orig = getattr(exc, "orig", None)
        if isinstance(orig, (sqlcipher3.dbapi2.DatabaseError, sqlite3.DatabaseError)):
            raise _translate_open_error(orig, path) from None
        raise
    return engine


def random_key() -> bytes:
    """A fresh 256-bit data key."""
    return os.urandom(KEY_BYTES)


def checkpoint(engine: Engine) -> None:
    """Fold the WAL back into the main file (outside any transaction)."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cur.close()
    finally:
        raw.close()
