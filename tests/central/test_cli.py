"""The ``central`` command: users, stats and Dutch one-line errors without a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.central import CHEAP_ARGON2, REPO, TEST_PASSWORD


def _central(*args: str, password: str | None = TEST_PASSWORD, db: str | None = None,
             cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "CENTRAL_ARGON2": CHEAP_ARGON2}
    env.pop("CENTRAL_PASSWORD", None)
    env.pop("CENTRAL_DB", None)
    if password is not None:
        env["CENTRAL_PASSWORD"] = password
    extra = ["--db", db] if db else []
    return subprocess.run([sys.executable, "-m", "central", *args, *extra], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_add_user_creates_the_team_once_and_stats_count_it(tmp_path: Path) -> None:
    db = str(tmp_path / "central.db")  # a plain path means a SQLite file
    first = json.loads(_central("add-user", "anna", "--role", "handler", "--team", "Team West", db=db).stdout)
    second = json.loads(_central("add-user", "lena", "--role", "team_lead", "--team", "Team West",
                                 "--display-name", "Lena de Lead", db=db).stdout)
    assert first["team_id"] == second["team_id"]
    assert json.loads(_central("stats", db=db).stdout) == {"users": 2, "devices": 0, "cases": 0, "records": 3,
                                                           "change_log": 3}


def test_the_database_comes_from_central_db_or_defaults_to_a_file_here(tmp_path: Path) -> None:
    done = _central("add-user", "anna", "--role", "reviewer", "--team", "Team Oost", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "central.db").is_file()


@pytest.mark.parametrize(("args", "password", "needle"), [
    (["add-user", "anna", "--role", "baas", "--team", "T"], TEST_PASSWORD, "--role"),
    (["add-user", "an na", "--role", "handler", "--team", "T"], TEST_PASSWORD, "gebruikersnaam"),
    (["add-user", "anna", "--role", "handler", "--team", " "], TEST_PASSWORD, "--team"),
    (["add-user", "anna", "--role", "handler", "--team", "T"], None, "CENTRAL_PASSWORD"),
    (["add-user", "anna", "--role", "handler", "--team", "T"], "", "wachtwoord"),
    (["assign", "geen-uuid", "anna", "--reason", "x"], None, "CASE_ID"),
    (["serve", "--cert", "/bestaat/niet.pem", "--key", "/bestaat/niet.key"], None, "--cert"),
    (["serve", "--cert", "/bestaat/niet.pem"], None, "--key"),
    (["serve", "--port", "70000"], None, "--port"),
    (["serve", "--workers", "0"], None, "--workers"),
])
def test_bad_input_gets_one_dutch_line_naming_the_field(tmp_path: Path, args: list[str], password: str | None,
                                                        needle: str) -> None:
    done = _central(*args, password=password, db=str(tmp_path / "c.db"))
    assert done.returncode == 1, done.stderr
    assert needle in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_duplicate_user_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    _central("add-user", "anna", "--role", "handler", "--team", "T", db=db)
    done = _central("add-user", "anna", "--role", "handler", "--team", "T", db=db)
    assert done.returncode == 1 and "bestaat al" in done.stderr


@pytest.mark.parametrize("args", [["assign"], ["add-user", "x"], ["vlieg"], ["serve", "--port", "abc"]])
def test_usage_errors_are_dutch_and_exit_2(args: list[str]) -> None:
    done = _central(*args, password=None)
    assert done.returncode == 2
    assert "central: ongeldige opdracht" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("url", ["mysql://x@localhost/db", "postgresql+psycopg://nobody@127.0.0.1:1/none",
                                 "sqlite:////bestaat/niet/central.db"])
def test_an_unusable_database_is_one_dutch_line(url: str) -> None:
    done = _central("stats", password=None, db=url)
    assert done.returncode == 1
    assert done.stderr.startswith("central: ") and "Traceback" not in done.stderr
    assert "database" in done.stderr.lower()
