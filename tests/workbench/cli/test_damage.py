"""Damaged environments: a corrupt or truncated store, a missing key; clear message, exit 1, nothing new made."""

from __future__ import annotations

import os

import pytest

from tests.workbench.cli.conftest import Cli


def _assert_one_line_error(result, needle: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 1, result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 2


@pytest.mark.parametrize("where", ["first_page", "middle"])
def test_corrupt_store(demo: Cli, where: str) -> None:
    reference = demo("search", "UHT").stdout.split()[0]
    path = demo.profile / "store.db"
    data = bytearray(path.read_bytes())
    offset = 100 if where == "first_page" else len(data) // 2
    data[offset:offset + 64] = os.urandom(64)
    path.write_bytes(bytes(data))
    results = [demo("search", "zaandam")]
    if where == "middle":
        # The damaged page may not be on the search's path; an export and a full chain walk read more.
        results += [demo("export", "--case", reference), demo("audit", "verify")]
    failed = [r for r in results if r.returncode != 0]
    assert failed, "damage went unnoticed"
    for result in failed:
        _assert_one_line_error(result, "gegevensopslag")


def test_truncated_store(demo: Cli) -> None:
    path = demo.profile / "store.db"
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.truncate(size // 3)
    result = demo("stats")
    _assert_one_line_error(result, "gegevensopslag")


def test_missing_key_never_makes_a_new_one(demo: Cli) -> None:
    keyfile = demo.profile / "demo-keyring.json"
    keyfile.unlink()
    result = demo("stats")
    _assert_one_line_error(result, "sleutel")
    assert not keyfile.exists() or "data-key" not in keyfile.read_text()


def test_empty_store_file_is_refused(demo: Cli) -> None:
    (demo.profile / "store.db").write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        (demo.profile / f"store.db{suffix}").unlink(missing_ok=True)
    _assert_one_line_error(demo("stats"), "gegevensopslag")
