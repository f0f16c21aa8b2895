"""Command-line messages name things in words: an option the user typed, never an internal field key."""

from __future__ import annotations

import json
from pathlib import Path

from tests.workbench.cli.conftest import Cli
from workbench.cli.main import field_hint


def test_an_option_or_a_label_is_named_never_a_key() -> None:
    assert field_hint("cases", ["demo-data", "--cases", "0"]) == " [--cases]"
    assert field_hint("cases", ["demo-data", "--cases=0"]) == " [--cases]"
    assert field_hint("cases", ["demo-data"]) == ""
    assert field_hint("--template", ["letters", "draft"]) == " [--template]"
    assert field_hint("Aanhef", ["letters", "draft"]) == " [Aanhef]"
    assert field_hint("parent.updated_at", ["import", "x.json"]) == ""
    assert field_hint(None, ["stats"]) == ""


def test_a_damaged_dossier_is_refused_without_a_field_key_in_brackets(demo: Cli, tmp_path: Path) -> None:
    out = tmp_path / "dossier.json"
    reference = demo("search", "a").stdout.split()[0]
    assert demo("export", "--case", reference, "--out", str(out)).returncode == 0
    dossier = json.loads(out.read_text(encoding="utf-8"))
    dossier["parent"]["updated_at"] = "2026-11-29T09:30:00"  # no time zone
    out.write_text(json.dumps(dossier), encoding="utf-8")
    result = demo("import", str(out))
    assert result.returncode == 1
    assert "Tijdstip mist een tijdzone" in result.stderr
    assert "[" not in result.stderr
