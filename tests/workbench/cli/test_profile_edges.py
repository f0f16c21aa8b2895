"""Edges of the profile folder: owner-only modes repaired at open, a tampered profile.json, a bounded import."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workbench.cli.conftest import Cli
from workbench.dossier.importer import MAX_FILE_BYTES
from workbench.errors import UserError
from workbench.profile import DESCRIPTOR_FILE, Descriptor, read_descriptor, write_descriptor

LIMIT_MB = MAX_FILE_BYTES // (1024 * 1024)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    message = result.stderr.replace("*** DEMO — niet voor echte gegevens ***", "").strip()
    assert "Traceback" not in message and "interne fout" not in message, message
    assert len(message.splitlines()) == 1, message
    return message


# -- modes --------------------------------------------------------------------------------------


def test_a_new_profile_is_owner_only(cli: Cli) -> None:
    os.umask(0o022)
    assert cli("init", "--demo").returncode == 0
    assert _mode(cli.profile) == 0o700
    files = sorted(p.name for p in cli.profile.iterdir())
    assert {"store.db", "profile.json", "demo-keyring.json"} <= set(files)
    for path in cli.profile.iterdir():
        assert _mode(path) == 0o600, path.name


def test_wide_modes_are_repaired_at_open_and_other_files_left_alone(demo: Cli) -> None:
    folder = demo.profile
    (folder / "store.db-wal").write_bytes(b"")  # as a crash leaves it; SQLite replays an empty WAL as nothing
    (folder / "profile.json.tmp").write_text("{}")
    (folder / "aantekening.txt").write_text("niet van ons")
    os.chmod(folder, 0o755)
    for path in folder.iterdir():
        os.chmod(path, 0o644)
    result = demo("stats")
    assert result.returncode == 0, result.stderr
    assert _mode(folder) == 0o700
    for name in ("store.db", "store.db-wal", "profile.json", "profile.json.tmp", "demo-keyring.json"):
        if (folder / name).exists():
            assert _mode(folder / name) == 0o600, name
    assert _mode(folder / "aantekening.txt") == 0o644
    for path in folder.iterdir():  # whatever SQLite made while open (WAL, SHM) was made owner-only too
        if path.name.startswith("store.db"):
            assert _mode(path) == 0o600, path.name


# -- a tampered descriptor ----------------------------------------------------------------------


def _good() -> dict[str, object]:
    return {"profile_id": "8f1d0c8e-3a50-4a39-9f4e-0d1c2b3a4f5e", "device_id": "0b9a7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
            "user_id": "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a", "demo": True, "format": 1}


TAMPERED: dict[str, object] = {
    "not JSON": "{niet: json",
    "a list": [],
    "a string": "profiel",
    "missing key": {k: v for k, v in _good().items() if k != "device_id"},
    "extra key": {**_good(), "admin": True},
    "demo as text": {**_good(), "demo": "ja"},
    "format as text": {**_good(), "format": "1"},
    "format as bool": {**_good(), "format": True},
    "format zero": {**_good(), "format": 0},
    "id as number": {**_good(), "profile_id": 5},
    "id as object": {**_good(), "user_id": {"x": 1}},
    "id not an id": {**_good(), "profile_id": "../../etc/passwd"},
    "deeply nested": "[" * 100_000 + "]" * 100_000,
    "huge": {**_good(), "user_id": "x" * 2_000_000},
}


def _write(folder: Path, content: object) -> None:
    text = content if isinstance(content, str) else json.dumps(content)
    (folder / DESCRIPTOR_FILE).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("kind", ["not JSON", "extra key", "format as text", "id as number", "huge"])
def test_a_tampered_profile_json_gets_a_clear_message_from_the_command(cli: Cli, kind: str) -> None:
    assert cli("init", "--demo").returncode == 0
    _write(cli.profile, TAMPERED[kind])
    result = cli("stats")
    assert result.returncode == 1
    message = _one_line(result)
    assert "profielbestand profile.json is beschadigd of aangepast" in message


@pytest.mark.parametrize("kind", list(TAMPERED))
def test_each_kind_of_tampering_is_named(tmp_path: Path, kind: str) -> None:
    _write(tmp_path, TAMPERED[kind])
    with pytest.raises(UserError) as refused:
        read_descriptor(tmp_path)
    assert "beschadigd of aangepast" in refused.value.text()
    assert len(refused.value.text()) < 400


def test_a_newer_format_and_a_fifo_descriptor(tmp_path: Path) -> None:
    _write(tmp_path, {**_good(), "format": 99})
    with pytest.raises(UserError, match="nieuwere versie"):
        read_descriptor(tmp_path)
    (tmp_path / DESCRIPTOR_FILE).unlink()
    os.mkfifo(tmp_path / DESCRIPTOR_FILE)
    with pytest.raises(UserError, match="geen gewoon bestand"):
        read_descriptor(tmp_path)


def test_a_written_descriptor_reads_back(tmp_path: Path) -> None:
    desc = Descriptor.new(demo=False)
    write_descriptor(tmp_path, desc)
    assert read_descriptor(tmp_path) == desc
    assert _mode(tmp_path / DESCRIPTOR_FILE) == 0o600


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                                  max_size=6), max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from([*_good(), "extra", "format"]), _json, max_size=4),
       drop=st.sets(st.sampled_from(list(_good())), max_size=2))
def test_fuzzed_descriptors_are_accepted_or_refused_in_dutch(tmp_path: Path, changes: dict[str, object],
                                                             drop: set[str]) -> None:
    data = {k: v for k, v in {**_good(), **changes}.items() if k not in drop}
    _write(tmp_path, data)
    try:
        read_descriptor(tmp_path)
    except UserError as exc:
        assert "profiel" in exc.text().lower()


# -- import reads a bounded, regular file -------------------------------------------------------


def _import(cli: Cli, target: str) -> subprocess.CompletedProcess[str]:
    # No profile is needed: the file is refused before the store is opened. A hang fails on the timeout.
    return subprocess.run([sys.executable, "-m", "workbench.cli.main", "--profile", str(cli.profile), "import",
                           target], capture_output=True, text=True, env=cli.env, timeout=60, stdin=subprocess.DEVNULL)


def test_import_refuses_devices_fifos_and_folders_without_reading_them(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pijp.json"
    os.mkfifo(fifo)
    for target in ("/dev/zero", "/dev/urandom", str(fifo), str(tmp_path)):
        result = _import(cli, target)
        assert result.returncode == 1, target
        message = _one_line(result)
        assert "geen gewoon bestand" in message and f"{LIMIT_MB} MB" in message, message


def test_import_states_and_keeps_its_size_limit(cli: Cli, tmp_path: Path) -> None:
    big = tmp_path / "groot.json"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    result = _import(cli, str(big))
    assert result.returncode == 1
    assert f"maximaal {LIMIT_MB} MB" in _one_line(result)
    helptext = subprocess.run([sys.executable, "-m", "workbench.cli.main", "import", "--help"], capture_output=True,
                              text=True, env=cli.env, timeout=60).stdout
    assert f"hoogstens {LIMIT_MB} MB" in helptext
