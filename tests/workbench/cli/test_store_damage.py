"""A damaged encrypted store is named "beschadigd" by every command, whatever SQLite error carries the damage."""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.workbench.cli.conftest import PASS, Cli

PAGE = 4096


def _overwrite_pages(first: int, count: int) -> Callable[[bytearray], bytearray]:
    def damage(data: bytearray) -> bytearray:
        rnd = random.Random(first)
        for page in range(first, first + count):
            data[page * PAGE:(page + 1) * PAGE] = rnd.randbytes(PAGE)
        return data
    return damage


def _flip_bytes(page: int) -> Callable[[bytearray], bytearray]:
    def damage(data: bytearray) -> bytearray:
        data[page * PAGE + 50:page * PAGE + 60] = random.Random(page).randbytes(10)
        return data
    return damage


DAMAGE: dict[str, Callable[[bytearray], bytearray]] = {
    "pages in the middle overwritten": lambda data: _overwrite_pages(len(data) // PAGE // 2, 3)(data),
    "ten bytes of page 10 garbled": _flip_bytes(10),
    "ten bytes of page 100 garbled": _flip_bytes(100),
    "header garbled": lambda data: bytearray(random.Random(1).randbytes(16)) + data[16:],
    "truncated mid-page": lambda data: data[: len(data) // 2 + 1000],
    "pages zeroed": lambda data: data[: 3 * PAGE] + bytearray(17 * PAGE) + data[20 * PAGE:],
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, str]:
    """One demo profile with a caseload, copied for each kind of damage; and a case reference in it."""
    import os

    root = tmp_path_factory.mktemp("damage")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env["WORKBENCH_ARGON2"] = "1,8,1"
    cli = Cli(root / "profile", env)
    assert cli("init", "--demo").returncode == 0
    assert cli("demo-data", "--cases", "40", "--seed", "7").returncode == 0
    return cli, cli("search", "UHT").stdout.split()[0]


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_every_command_calls_a_damaged_store_damaged(pristine: tuple[Cli, str], tmp_path: Path, kind: str) -> None:
    original, reference = pristine
    cli = Cli(tmp_path / "profile", original.env)
    shutil.copytree(original.profile, cli.profile)
    store = cli.profile / "store.db"
    store.write_bytes(bytes(DAMAGE[kind](bytearray(store.read_bytes()))))
    results = {args[0]: cli(*args) for args in (("stats",), ("export", "--case", reference), ("audit", "verify"))}
    assert results["audit"].returncode == 1, "audit verify did not notice the damage"
    for name, result in results.items():
        if result.returncode == 0:
            continue  # the damage is not on this command's path
        message = result.stderr.replace("*** DEMO — niet voor echte gegevens ***", "").strip()
        assert result.returncode == 1, (name, message)
        assert "beschadigd" in message, (name, message)
        assert "Traceback" not in message and "interne fout" not in message, (name, message)
        assert len(message.splitlines()) == 1, (name, message)
        assert PASS not in message and not re.search(r"[0-9a-f]{32}", message), (name, message)
