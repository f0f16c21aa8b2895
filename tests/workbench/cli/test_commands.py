"""The command line as scripts use it: each command's output, exit codes and one-line Dutch errors."""

from __future__ import annotations

import json

from tests.workbench.cli.conftest import Cli


def _no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) <= 2


def test_init_stats_search_and_audit_verify(demo: Cli) -> None:
    stats = json.loads(demo("stats").stdout)
    # init wrote the local user and team (2 outbox rows); the bulk demo load itself adds none.
    assert stats["cases"] == 40 and stats["story_entries"] > 0 and stats["outbox"] == 2
    ref = demo("search", "UHT").stdout.split()[0]
    assert ref.startswith("UHT-")
    verify = demo("audit", "verify")
    assert verify.returncode == 0 and "in orde" in verify.stdout


def test_demo_banner_is_loud(demo: Cli) -> None:
    assert "DEMO — niet voor echte gegevens" in demo("stats").stderr


def test_init_twice_refuses_and_changes_nothing(demo: Cli) -> None:
    before = {p.name: p.read_bytes() for p in demo.profile.iterdir() if p.is_file()}
    again = demo("init", "--demo")
    assert again.returncode == 1 and "al een profiel" in again.stderr
    _no_traceback(again.stderr)
    assert {p.name: p.read_bytes() for p in demo.profile.iterdir() if p.is_file()}.keys() == before.keys()


def test_wrong_passphrase_is_one_clear_line(demo: Cli) -> None:
    result = demo("stats", passphrase="fout wachtwoord")
    assert result.returncode == 1 and "wachtwoord klopt niet" in result.stderr
    _no_traceback(result.stderr)
    assert "fout wachtwoord" not in result.stderr


def test_no_profile_and_missing_passphrase(cli: Cli) -> None:
    result = cli("stats")
    assert result.returncode == 1 and "geen profiel" in result.stderr
    result = cli("init", "--demo", passphrase=None)
    assert result.returncode == 1 and "WORKBENCH_PASSPHRASE" in result.stderr


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("demo-data").returncode == 2
    assert cli("audit").returncode == 2
    assert cli().returncode == 2


def test_demo_data_bounds_named(demo: Cli) -> None:
    result = demo("demo-data", "--cases", "0")
    assert result.returncode == 1 and result.stderr.rstrip().endswith("[--cases]")


def test_real_profile_without_a_secure_keyring_is_refused(cli: Cli) -> None:
    result = cli("init", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert result.returncode == 1 and "sleutelbos" in result.stderr
    _no_traceback(result.stderr)
    assert not (cli.profile / "store.db").exists() and not (cli.profile / "profile.json").exists()


def test_passwd_then_rekey(demo: Cli) -> None:
    assert demo("passwd", WORKBENCH_NEW_PASSPHRASE="nieuw wachtwoord 2").returncode == 0
    assert demo("stats").returncode == 1
    assert demo("rekey", passphrase="nieuw wachtwoord 2").returncode == 0
    stats = demo("stats", passphrase="nieuw wachtwoord 2")
    assert stats.returncode == 0 and json.loads(stats.stdout)["cases"] == 40
    assert demo("audit", "verify", passphrase="nieuw wachtwoord 2").returncode == 0
