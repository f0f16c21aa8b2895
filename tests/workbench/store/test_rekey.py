"""Rekey: the whole file re-encrypted, FTS5 intact, every interrupted step recoverable with old or new key."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from tests.helpers.factories import FixedClock, make_case, seed_local_user
from tests.helpers.fakes import MemorySecrets
from workbench.bookkeeping import open_store
from workbench.errors import StoreUnavailable, WrongPassphrase
from workbench.store import rekey
from workbench.store.engine import checkpoint, open_engine, random_key
from workbench.store.migrations import upgrade_to_head
from workbench.store.rekey import (
    choose_key,
    export_rekeyed,
    recover_interrupted_rekey,
    rekey_path,
    rekey_store,
    rekey_with_vault,
)
from workbench.store.unit_of_work import Actor
from workbench.story.service import StoryService
from workbench.vault import KdfParams, Vault

PASS = "correct horse battery"
CLOCK = FixedClock(dt.datetime(2026, 11, 29, 9, 30, tzinfo=dt.UTC))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, Actor]:
    """A migrated store with one case and one story entry; user_version set so its copy can be checked."""
    key = random_key()
    path = tmp_path_factory.mktemp("rekey-template") / "store.db"
    engine = open_engine(path, key)
    upgrade_to_head(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA user_version = 7")
    store = open_store(engine, CLOCK)
    actor = seed_local_user(store)
    with store.unit_of_work(actor) as uow:
        _, case_id = make_case(uow, 0, achternaam="Bakker")
        StoryService().add(uow, case_id, kind="telefoon", text="Moeder belde over de kinderopvangtoeslag")
    checkpoint(engine)
    store.close()
    return path, key, actor


@pytest.fixture
def store_file(template: tuple[Path, bytes, Actor], tmp_path: Path) -> tuple[Path, bytes]:
    source, key, _ = template
    path = tmp_path / "store.db"
    shutil.copyfile(source, path)
    return path, key


@pytest.fixture
def vault_for(store_file: tuple[Path, bytes]) -> Vault:
    """A vault whose main entry wraps the store's current key (as `workbench init` would leave it)."""
    _, key = store_file
    vault = Vault(MemorySecrets(), "p1", KdfParams.cheap())
    vault.create(PASS)
    vault.stage_new_key(PASS, key)
    vault.commit_new_key()
    return vault


def raw(path: Path, key: bytes) -> Any:
    con = sqlcipher3.dbapi2.connect(str(path), isolation_level=None)
    con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    con.execute("PRAGMA cipher_compatibility = 4")
    return con


def assert_healthy(path: Path, key: bytes) -> None:
    """Opens through the real engine with `key`, passes both integrity checks, still holds the data."""
    con = raw(path, key)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA cipher_integrity_check").fetchall() == []  # rows only for bad pages
        assert con.execute("PRAGMA user_version").fetchone() == (7,)
    finally:
        con.close()
    engine = open_engine(path, key)
    try:
        with engine.connect() as conn:
            hits = conn.exec_driver_sql(
                "SELECT count(*) FROM story_fts WHERE story_fts MATCH 'kinderopvangtoeslag'").scalar()
            assert hits == 1
            assert conn.exec_driver_sql("SELECT count(*) FROM case_file").scalar() == 1
    finally:
        engine.dispose()


def opens(path: Path, key: bytes) -> bool:
    try:
        open_engine(path, key).dispose()
    except StoreUnavailable:
        return False
    return True


def test_rekeyed_store_opens_with_the_new_key_only(store_file: tuple[Path, bytes]) -> None:
    path, old = store_file
    new = random_key()
    rekey_store(path, old_key=old, new_key=new)
    assert_healthy(path, new)
    assert not opens(path, old)
    assert sorted(p.name for p in path.parent.iterdir()) == ["store.db"]
    # Nothing of the plaintext reaches the disk.
    assert b"kinderopvangtoeslag" not in path.read_bytes() and b"SQLite format 3" not in path.read_bytes()


def test_install_drops_the_old_wal_and_shm(store_file: tuple[Path, bytes]) -> None:
    path, old = store_file
    new = random_key()
    export_rekeyed(path, old_key=old, new_key=new)
    # What a crash can leave: an empty WAL (after the checkpoint) and a shared-memory index of the old file.
    path.with_name("store.db-wal").write_bytes(b"")
    path.with_name("store.db-shm").write_bytes(os.urandom(32768))
    rekey.install_rekeyed(path)
    assert sorted(p.name for p in path.parent.iterdir()) == ["store.db"]
    assert_healthy(path, new)


def test_install_refuses_when_the_wal_holds_later_writes(store_file: tuple[Path, bytes]) -> None:
    path, old = store_file
    export_rekeyed(path, old_key=old, new_key=random_key())
    path.with_name("store.db-wal").write_bytes(b"frames written after the export")
    with pytest.raises(StoreUnavailable, match="in gebruik"):
        rekey.install_rekeyed(path)
    path.with_name("store.db-wal").unlink()
    assert not rekey_path(path).exists()
    assert_healthy(path, old)


def test_search_index_and_its_triggers_survive(store_file: tuple[Path, bytes],
                                               template: tuple[Path, bytes, Actor]) -> None:
    path, old = store_file
    new = random_key()
    rekey_store(path, old_key=old, new_key=new)
    store = open_store(open_engine(path, new), CLOCK)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM story_fts").scalar() == 1
            names = conn.exec_driver_sql("SELECT names FROM case_fts WHERE case_fts MATCH 'bakker'").scalar()
            assert "Bakker" in names
        with store.unit_of_work(template[2]) as uow:
            _, case_id = make_case(uow, 1, achternaam="Visser")
            StoryService().add(uow, case_id, kind="huisbezoek", text="Huisbezoek over de schuldhulpverlening")
        with store.engine.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT case_id FROM story_fts WHERE story_fts MATCH 'schuldhulpverlening'").scalars().all()
            assert found == [case_id]
            visser = "SELECT count(*) FROM case_fts WHERE case_fts MATCH 'visser'"
            assert conn.exec_driver_sql(visser).scalar() == 1
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        store.close()


def test_rekey_with_a_wrong_old_key_changes_nothing(store_file: tuple[Path, bytes]) -> None:
    path, _ = store_file
    before = path.read_bytes()
    with pytest.raises(StoreUnavailable):
        rekey_store(path, old_key=random_key(), new_key=random_key())
    assert path.read_bytes() == before and not rekey_path(path).exists()


def test_rekey_refuses_while_another_connection_holds_the_store(
    store_file: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, old = store_file
    monkeypatch.setattr(rekey, "BUSY_TIMEOUT", 0.05)
    engine = open_engine(path, old)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE parent SET city = 'Haarlem'")
        with engine.connect() as reader:
            # The first statement opens a transaction that stays open until the block ends.
            reader.exec_driver_sql("SELECT count(*) FROM parent").scalar()
            with pytest.raises(StoreUnavailable, match="in gebruik"):
                rekey_store(path, old_key=old, new_key=random_key())
    finally:
        engine.dispose()
    assert not rekey_path(path).exists()
    assert_healthy(path, old)


def test_choose_key_takes_the_key_that_reads_the_file(store_file: tuple[Path, bytes]) -> None:
    path, key = store_file
    wrong = random_key()
    assert choose_key(path, [wrong, key]) == key
    assert choose_key(path, [key, wrong]) == key
    with pytest.raises(StoreUnavailable, match="geen van de bekende sleutels"):
        choose_key(path, [wrong])
    missing = path.with_name("missing.db")
    with pytest.raises(StoreUnavailable, match="niet gevonden"):
        choose_key(missing, [key])
    assert not missing.exists()


def _staged(path: Path, vault: Vault, old: bytes, new: bytes) -> None:
    vault.stage_new_key(PASS, new)


def _partial_export(path: Path, vault: Vault, old: bytes, new: bytes) -> None:
    vault.stage_new_key(PASS, new)
    rekey_path(path).write_bytes(os.urandom(3000))
    rekey_path(path).with_name(rekey_path(path).name + "-journal").write_bytes(os.urandom(100))


def _exported(path: Path, vault: Vault, old: bytes, new: bytes) -> None:
    vault.stage_new_key(PASS, new)
    export_rekeyed(path, old_key=old, new_key=new)
    assert rekey_path(path).exists()


def _replace_failed(path: Path, vault: Vault, old: bytes, new: bytes) -> None:
    vault.stage_new_key(PASS, new)

    def crash(*_args: object) -> None:
        raise OSError("simulated crash at the rename")

    real = os.replace
    rekey.os.replace = crash  # type: ignore[assignment]
    try:
        with pytest.raises(StoreUnavailable):
            rekey_store(path, old_key=old, new_key=new)
    finally:
        rekey.os.replace = real


def _replaced(path: Path, vault: Vault, old: bytes, new: bytes) -> None:
    vault.stage_new_key(PASS, new)
    rekey_store(path, old_key=old, new_key=new)


def _half_committed(path: Path, vault: Vault, old: bytes, new: bytes) -> None:
    vault.stage_new_key(PASS, new)
    rekey_store(path, old_key=old, new_key=new)
    secrets: MemorySecrets = vault._secrets  # type: ignore[assignment]
    secrets.entries["p1/data-key"] = secrets.entries["p1/data-key-pending"]


@pytest.mark.parametrize(("crash", "winner"), [
    (_staged, "old"), (_partial_export, "old"), (_exported, "old"), (_replace_failed, "old"),
    (_replaced, "new"), (_half_committed, "new"),
], ids=["after-stage", "during-export", "after-export", "at-replace", "after-replace", "during-commit"])
def test_interrupted_rekey_recovers_with_old_or_new_key(
    store_file: tuple[Path, bytes], vault_for: Vault,
    crash: Callable[[Path, Vault, bytes, bytes], None], winner: str,
) -> None:
    path, old = store_file
    new = random_key()
    crash(path, vault_for, old, new)

    key = recover_interrupted_rekey(path, vault_for, PASS)

    assert key == {"old": old, "new": new}[winner]
    assert [p.name for p in path.parent.iterdir()] == ["store.db"]  # no half copy, journal or stale WAL
    assert_healthy(path, key)
    assert vault_for.unlock(PASS) == key and vault_for.pending_key(PASS) is None
    assert not rekey_path(path).exists()
    # A recovered profile can be rekeyed again from where it stands.
    newest = rekey_with_vault(path, vault=vault_for, passphrase=PASS)
    assert_healthy(path, newest)
    assert not opens(path, key)


def test_recovery_without_a_rekey_checks_the_key(store_file: tuple[Path, bytes], vault_for: Vault) -> None:
    path, key = store_file
    assert recover_interrupted_rekey(path, vault_for, PASS) == key
    other = Vault(MemorySecrets(), "p1", KdfParams.cheap())
    other.create(PASS)
    with pytest.raises(StoreUnavailable):
        recover_interrupted_rekey(path, other, PASS)


def test_rekey_with_vault_runs_the_whole_sequence(store_file: tuple[Path, bytes], vault_for: Vault) -> None:
    path, old = store_file
    new = rekey_with_vault(path, vault=vault_for, passphrase=PASS)
    assert new != old and vault_for.unlock(PASS) == new and vault_for.pending_key(PASS) is None
    assert_healthy(path, new)
    with pytest.raises(WrongPassphrase):
        rekey_with_vault(path, vault=vault_for, passphrase="wrong passphrase")
    assert_healthy(path, new)
