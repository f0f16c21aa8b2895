"""Running the real `workbench` command in a subprocess against a demo profile."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PASS = "correct horse battery"


@dataclass
class Cli:
    profile: Path
    env: dict[str, str]

    def __call__(self, *args: str, passphrase: str | None = PASS, **env: str) -> subprocess.CompletedProcess[str]:
        full_env = {**self.env, **env}
        if passphrase is not None:
            full_env["WORKBENCH_PASSPHRASE"] = passphrase
        return subprocess.run(
            [sys.executable, "-m", "workbench.cli.main", "--profile", str(self.profile), *args],
            capture_output=True, text=True, env=full_env, timeout=300, stdin=subprocess.DEVNULL,
        )


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env["WORKBENCH_ARGON2"] = "1,8,1"
    env["TMPDIR"] = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir()
    return Cli(tmp_path / "profile", env)


@pytest.fixture
def demo(cli: Cli) -> Cli:
    """A demo profile with a small synthetic caseload."""
    assert cli("init", "--demo").returncode == 0
    result = cli("demo-data", "--cases", "40", "--seed", "7")
    assert result.returncode == 0, result.stderr
    return cli
