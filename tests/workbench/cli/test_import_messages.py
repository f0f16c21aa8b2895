"""`workbench import` of a bad dossier says in Dutch which case, which part and which field: no paths or keys."""

from __future__ import annotations

import json
from pathlib import Path

from tests.workbench.cli.conftest import Cli


def test_a_bad_bsn_is_named_by_case_and_part_not_by_its_path(demo: Cli, tmp_path: Path) -> None:
    ref = demo("search", "UHT").stdout.split()[0]
    out = tmp_path / "dossier.json"
    assert demo("export", "--case", ref, "--out", str(out)).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    data["parent"]["bsn"] = "123456789"  # fails the 11-proef
    data["story"][0]["mood"] = "blij"  # a second problem further on: the first one found is reported
    out.write_text(json.dumps(data), encoding="utf-8")
    result = demo("import", str(out))
    assert result.returncode == 1
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"workbench: Zaak {ref}, ouder: BSN "), line
    assert "parent" not in line and "bsn" not in line and "[" not in line, line
