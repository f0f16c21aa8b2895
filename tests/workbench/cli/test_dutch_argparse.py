"""argparse in Dutch: usage, help and errors of `workbench` and `central` carry no English."""

from __future__ import annotations

import argparse
import gettext
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workbench.cli.conftest import Cli
from workbench.cli.dutch_parser import DutchArgumentParser

REPO = Path(__file__).resolve().parents[3]
ENGLISH = ("usage", "error", "the following arguments", "required", "invalid choice", "choose from",
           "show this help", "unrecognized", "positional arguments", "options:", "invalid int")


def no_english(text: str) -> None:
    found = [word for word in ENGLISH if word in text.lower()]
    assert not found, f"English in {text!r}: {found}"


def test_a_missing_argument_is_told_in_dutch(cli: Cli) -> None:
    result = cli("export")
    assert result.returncode == 2
    assert result.stderr.startswith("gebruik: workbench export")
    assert "fout in de opdracht: deze gegevens ontbreken: --case" in result.stderr
    no_english(result.stderr)


def test_an_unknown_command_and_a_bad_number_are_told_in_dutch(cli: Cli) -> None:
    unknown = cli("opruimen")
    assert unknown.returncode == 2 and "ongeldige keuze: 'opruimen' (kies uit" in unknown.stderr
    no_english(unknown.stderr)
    number = cli("demo-data", "--cases", "veel")
    assert number.returncode == 2 and "--cases: ongeldige waarde 'veel' (verwacht: een geheel getal)" in number.stderr
    no_english(number.stderr)


def test_help_is_dutch(cli: Cli) -> None:
    result = cli("-h")
    assert result.returncode == 0
    assert "-h, --help            toon deze hulp en stop" in result.stdout
    assert "argumenten:" in result.stdout and "opties:" in result.stdout
    no_english(result.stdout)


def test_central_says_what_is_missing_in_dutch() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "central", "add-user"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "gebruik: central add-user" in done.stderr
    assert "deze gegevens ontbreken: name, --role, --team" in done.stderr
    no_english(done.stderr)


def test_argparse_is_dutch_only_inside_our_parsers() -> None:
    parser = DutchArgumentParser(prog="proef")
    parser.add_argument("--aantal", type=int, required=True)
    with pytest.raises(SystemExit):
        parser.parse_args([])
    assert "gebruik: proef" in parser.format_usage()
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    plain = argparse.ArgumentParser(prog="plain")
    assert plain.format_usage().startswith("usage: plain")
