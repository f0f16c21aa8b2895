"""A store rolled back, cut short or rewritten is reported at open and by `audit verify`, never as "in orde"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import text

from tests.workbench.cli.conftest import PASS, Cli
from workbench.audit.journal import anchor_of
from workbench.profile import read_descriptor
from workbench.secrets import FileSecrets
from workbench.store.engine import open_engine
from workbench.vault import KdfParams, Vault
from workbench.workspace import Workspace


def _key(profile: Path) -> bytes:
    desc = read_descriptor(profile)
    vault = Vault(FileSecrets(profile / "demo-keyring.json"), desc.profile_id, KdfParams.cheap(),
                  persist_failures=False)
    return vault.unlock(PASS)


def _assert_reported(result, needle: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert needle in result.stderr, result.stderr
    assert "in orde" not in result.stdout
    assert "Traceback" not in result.stderr


def _tip(profile: Path) -> int:
    engine = open_engine(profile / "store.db", _key(profile))
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT max(seq) FROM audit_event")).scalar_one())
    finally:
        engine.dispose()


def test_older_copy_of_the_store_is_reported_at_open_and_by_verify(demo: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    assert not (demo.profile / "store.db-wal").exists()
    shutil.copyfile(demo.profile / "store.db", backup)
    assert demo("search", "zaandam").returncode == 0
    assert demo("audit", "verify").returncode == 0
    shutil.copyfile(backup, demo.profile / "store.db")

    _assert_reported(demo("stats"), "teruggezet")
    _assert_reported(demo("audit", "verify"), "teruggezet")
    # Nothing was written over the evidence: the anchor still names the newer tip.
    _assert_reported(demo("stats"), "teruggezet")


def test_deleting_the_newest_audit_events_is_detected(demo: Cli) -> None:
    tip = _tip(demo.profile)
    engine = open_engine(demo.profile / "store.db", _key(demo.profile))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE seq > :s"), {"s": tip - 5})
    engine.dispose()
    _assert_reported(demo("audit", "verify"), "teruggezet")
    _assert_reported(demo("search", "zaandam"), "teruggezet")


def test_a_replaced_chain_is_reported_as_replaced(demo: Cli) -> None:
    tip = _tip(demo.profile)
    engine = open_engine(demo.profile / "store.db", _key(demo.profile))
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET hash = :h WHERE seq = :s"), {"h": "ab" * 32, "s": tip})
    engine.dispose()
    _assert_reported(demo("audit", "verify"), "vervangen of beschadigd")


def _crashed_copy(cli: Cli, tmp_path: Path) -> Path:
    """Open the profile in this process, write, and copy its files as a crash would leave them (WAL unfolded)."""
    ws = Workspace.open(cli.profile, PASS, kdf=KdfParams.cheap())
    try:
        for _ in range(5):
            with ws.unit_of_work() as uow:
                ws.audit.record(uow, _entry())
        keeper = anchor_of(ws.store)
        assert keeper is not None
        keeper.flush()  # the crash comes after the keyring took the newest tip
        crashed = tmp_path / "crashed"
        crashed.mkdir()
        for name in ("store.db", "store.db-wal", "profile.json", "demo-keyring.json"):
            shutil.copyfile(cli.profile / name, crashed / name)
    finally:
        ws.close()
    return crashed


def _entry():  # type: ignore[no-untyped-def]
    from workbench.audit.chain import AuditEntry

    return AuditEntry("view", "case", "00000000-0000-4000-8000-000000000001")


def test_a_lost_wal_is_detected(demo: Cli, tmp_path: Path) -> None:
    crashed = _crashed_copy(demo, tmp_path)
    (crashed / "store.db-wal").unlink()
    other = Cli(crashed, demo.env)
    _assert_reported(other("audit", "verify"), "teruggezet")


def test_a_truncated_wal_is_detected(demo: Cli, tmp_path: Path) -> None:
    crashed = _crashed_copy(demo, tmp_path)
    wal = crashed / "store.db-wal"
    size = wal.stat().st_size
    assert size > 4096
    with wal.open("r+b") as fh:
        fh.truncate(size - 3000)
    other = Cli(crashed, demo.env)
    _assert_reported(other("audit", "verify"), "teruggezet")
    _assert_reported(other("stats"), "teruggezet")


def test_a_damaged_wal_is_detected(demo: Cli, tmp_path: Path) -> None:
    crashed = _crashed_copy(demo, tmp_path)
    wal = crashed / "store.db-wal"
    data = bytearray(wal.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 200] = bytes(200)
    wal.write_bytes(bytes(data))
    other = Cli(crashed, demo.env)
    _assert_reported(other("audit", "verify"), "teruggezet")


def test_intact_store_verifies_and_names_the_anchor(demo: Cli) -> None:
    result = demo("audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "in orde" in result.stdout and "sleutelbos" in result.stdout
    anchor = json.loads((demo.profile / "demo-keyring.json").read_text())
    assert any(name.endswith("/audit-anchor") for name in anchor)
