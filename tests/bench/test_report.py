"""The bench table prints each target beside its figure, says whether it was met, and lists the misses."""

from __future__ import annotations

import json
from pathlib import Path

from bench.report import Report, at_least, ratio_at_most, under

ENV = {"cores": 2, "machine": "x86_64", "python": "3.11", "sqlcipher": "4", "sqlite": "3", "sqlalchemy": "2",
       "platform": "Linux", "load_at_start": [0.0, 0.0, 0.0], "argv": []}


def test_each_figure_has_its_target_and_verdict_beside_it(tmp_path: Path) -> None:
    report = Report(ENV, {})
    report.add("h", "first sync", 4.2, 4.9, target=under(5, 4.2))
    report.add("i", "team figures", 0.27, 0.3, target=under(0.2, 0.27))
    report.add("e", "workload total", 7.8, note="encrypted/plain 0.98x", target=ratio_at_most(1.15, 7.8, 8.0))
    report.add("h", "50 devices", note="91 changes/s", target=at_least(500, 91, "changes/s"))
    report.add("a", "generation", 100.0)
    lines = report.table().splitlines()
    row = {name: next(line for line in lines if f"  {name}  " in line) for name in
           ("first sync", "team figures", "workload total", "50 devices", "generation")}
    assert "< 5 s" in row["first sync"] and " met" in row["first sync"]
    assert "< 200 ms" in row["team figures"] and "MISSED" in row["team figures"]
    assert "<= 1.15x" in row["workload total"] and " met" in row["workload total"]
    assert ">= 500 changes/s" in row["50 devices"] and "MISSED" in row["50 devices"]
    assert "MISSED" not in row["generation"] and " met" not in row["generation"]
    assert "targets: 2 of 4 met" in lines
    assert any(line.startswith("  MISSED (i) team figures: 270 ms (target < 200 ms)") for line in lines)
    data = json.loads(report.write_json(tmp_path / "r.json").read_text())
    assert [(r["target"], r["met"]) for r in data["rows"]] == [
        ("< 5 s", True), ("< 200 ms", False), ("<= 1.15x", True), (">= 500 changes/s", False), ("-", None)]
