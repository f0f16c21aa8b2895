"""Re-encrypting the store file under a new data key, crash-safely, and recovering from an interrupted rekey.

The sequence (the store must be closed: no engine open on it, in this process or any other):

1. `vault.stage_new_key(passphrase, new_key)`: the new key is stored wrapped beside the current one.
2. `rekey_store(path, old_key=..., new_key=...)`: `export_rekeyed` writes `<store>.rekey` under the new
   key and fsyncs it; `install_rekeyed` moves it over the store with one `os.replace`, drops the old
   (empty) `-wal`/`-shm` and fsyncs the folder. Until that replace the store is untouched.
3. `vault.commit_new_key()`: the staged key becomes the main key (main written first, then pending deleted).

A crash can leave the file under either key, but the vault always holds both until step 3 ends. So on
every open, `recover_interrupted_rekey` tries the main key and then a pending one; whichever really
reads the file wins, and the vault is made consistent (pending committed or discarded) and any
half-written `<store>.rekey` removed. `rekey_with_vault` runs the whole sequence.

`sqlcipher_export` does not keep rowids of tables without an INTEGER PRIMARY KEY; our schema does not
rely on them, and FTS5 shadow tables keep theirs (they declare them), so the search index survives.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import sqlcipher3

from workbench.errors import BugError, StoreUnavailable
from workbench.store.engine import KEY_BYTES, PINNED_CIPHER, random_key
from workbench.vault import Vault

REKEY_SUFFIX = ".rekey"
BUSY_TIMEOUT = 5.0  # seconds to wait for another connection's lock before calling the store busy

NO_KEY_FITS = (
    "De gegevensopslag kan niet worden geopend: geen van de bekende sleutels past. "
    "Het bestand is beschadigd of hoort bij een ander profiel."
)
STORE_MISSING = "De gegevensopslag is niet gevonden of is leeg ({name})."
STORE_BUSY = (
    "De gegevensopslag is nog in gebruik. Sluit de Zaakwerkbank (alle vensters en opdrachten) "
    "en probeer het opnieuw."
)
REKEY_FAILED = (
    "Het opnieuw versleutelen is mislukt (is de schijf vol of niet beschrijfbaar?). "
    "De gegevens zijn ongewijzigd en nog met de oude sleutel versleuteld."
)


def rekey_path(path: Path) -> Path:
    """Where the re-encrypted copy is written before it replaces the store."""
    return path.with_name(path.name + REKEY_SUFFIX)


def _raw_key(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise BugError("store key has the wrong length")
    return f"x'{key.hex()}'"


def _try_open(path: Path, key: bytes) -> Any | None:
    """A raw SQLCipher connection that has really read the file with `key`; None if the key does not fit."""
    if not path.is_file() or path.stat().st_size == 0:
        raise StoreUnavailable(STORE_MISSING.format(name=path.name))
    # mode=rw: a missing file is an error, not a new empty store that any key would "open".
    con = sqlcipher3.dbapi2.connect(
        f"{path.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT)
    try:
        con.execute("PRAGMA cipher_log_level = NONE")
        con.execute(f'PRAGMA key = "{_raw_key(key)}"')
        con.execute("PRAGMA cipher_compatibility = 4")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.dbapi2.DatabaseError:
        con.close()
        return None
    return con


def _connect(path: Path, key: bytes) -> Any:
    con = _try_open(path, key)
    if con is None:
        raise StoreUnavailable(NO_KEY_FITS)
    return con


def choose_key(path: Path, candidates: list[bytes]) -> bytes:
    """The first of `candidates` that really reads the store at `path`."""
    for key in candidates:
        con = _try_open(path, key)
        if con is not None:
            con.close()
            return key
    raise StoreUnavailable(NO_KEY_FITS)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(path: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory; its rename is durable by itself
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def discard_partial_rekey(path: Path) -> None:
    """Remove a re-encrypted copy that was never installed (it is only ever a copy before the replace)."""
    target = rekey_path(path)
    for leftover in (target, target.with_name(target.name + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def export_rekeyed(path: Path, *, old_key: bytes, new_key: bytes) -> Path:
    """Step 1: write `<store>.rekey` under `new_key` and fsync it; the store itself is not changed."""
    target = rekey_path(path)
    discard_partial_rekey(path)
    con = _connect(path, old_key)
    try:
        busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise StoreUnavailable(STORE_BUSY)
        tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        user_version = int(con.execute("PRAGMA user_version").fetchone()[0])
        con.execute("ATTACH DATABASE ? AS rekeyed KEY ?", (str(target), _raw_key(new_key)))
        for name, expected in PINNED_CIPHER.items():
            got = str(con.execute(f"PRAGMA rekeyed.{name}").fetchone()[0])
            if got != expected:
                raise BugError(f"cipher setting {name} of the rekeyed copy is {got}, expected {expected}")
        # The copy is thrown away unless it is complete and fsynced below, so it needs no journal or
        # per-statement syncs; with them the export costs one fsync per schema object.
        con.execute("PRAGMA rekeyed.journal_mode = OFF")
        con.execute("PRAGMA rekeyed.synchronous = OFF")
        con.execute("SELECT sqlcipher_export('rekeyed')").fetchall()
        con.execute(f"PRAGMA rekeyed.user_version = {user_version}")
        con.execute("DETACH DATABASE rekeyed")
    except sqlcipher3.dbapi2.DatabaseError:
        con.close()
        discard_partial_rekey(path)
        raise StoreUnavailable(REKEY_FAILED) from None
    except BaseException:
        con.close()
        discard_partial_rekey(path)
        raise
    con.close()
    try:
        _fsync_file(target)
        check = _connect(target, new_key)
        try:
            copied = check.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            check.close()
    except (OSError, StoreUnavailable):
        discard_partial_rekey(path)
        raise StoreUnavailable(REKEY_FAILED) from None
    if copied != tables:
        discard_partial_rekey(path)
        raise BugError(f"rekeyed copy has {copied} schema entries, the store {tables}")
    return target


def install_rekeyed(path: Path) -> None:
    """Step 2: put `<store>.rekey` in place of the store in one atomic rename, then make it durable."""
    wal = path.with_name(path.name + "-wal")
    # A non-empty WAL holds writes made after the export: installing now would lose them.
    if wal.exists() and wal.stat().st_size > 0:
        discard_partial_rekey(path)
        raise StoreUnavailable(STORE_BUSY)
    try:
        os.replace(rekey_path(path), path)
    except OSError:
        raise StoreUnavailable(REKEY_FAILED) from None
    # The old WAL and SHM belong to the old file; the new file must not be read through them.
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()
    _fsync_directory(path.parent)


def rekey_store(path: Path, *, old_key: bytes, new_key: bytes) -> None:
    """Re-encrypt the closed store at `path` from `old_key` to `new_key` (see the module docstring)."""
    export_rekeyed(path, old_key=old_key, new_key=new_key)
    install_rekeyed(path)


def recover_interrupted_rekey(path: Path, vault: Vault, passphrase: str) -> bytes:
    """The key that opens the store, after finishing or undoing any interrupted rekey in the vault."""
    main = vault.unlock(passphrase)
    pending = vault.pending_key(passphrase)
    discard_partial_rekey(path)
    if pending is None:
        return choose_key(path, [main])
    key = choose_key(path, [main, pending])
    if key == pending:
        vault.commit_new_key()
    else:
        vault.discard_pending()
    return key


def rekey_with_vault(path: Path, *, vault: Vault, passphrase: str) -> bytes:
    """The whole rekey: recover, stage a fresh key, re-encrypt, commit. Returns the new key.

    On failure nothing is undone here: the store opens with one of the two keys the vault still
    holds, and the next `recover_interrupted_rekey` settles which.
    """
    old_key = recover_interrupted_rekey(path, vault, passphrase)
    new_key = random_key()
    vault.stage_new_key(passphrase, new_key)
    rekey_store(path, old_key=old_key, new_key=new_key)
    vault.commit_new_key()
    return new_key
