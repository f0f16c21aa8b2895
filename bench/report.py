"""The figures table: printed for people, and the same rows as JSON in bench/results/latest.json."""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy
import sqlcipher3

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Target:
    """What a figure should be, as printed beside it, and whether this run met it (None: not judged)."""

    text: str
    met: bool | None = None

    @property
    def verdict(self) -> str:
        return "" if self.met is None else "met" if self.met else "MISSED"


def under(seconds: float, figure: float | None) -> Target:
    """A time target: the median below `seconds`."""
    label = f"< {seconds:g} s" if seconds >= 1 else f"< {seconds * 1000:g} ms"
    return Target(label, None if figure is None else figure < seconds)


def ratio_at_most(limit: float, a: float, b: float) -> Target:
    """A ratio target: a / b at most `limit`."""
    return Target(f"<= {limit:.2f}x", a / b <= limit if b else None)


def at_least(limit: float, figure: float, unit: str) -> Target:
    return Target(f">= {limit:,.0f} {unit}", figure >= limit)


NO_TARGET = Target("-")


@dataclass
class Row:
    """One line of the table; times in seconds (None when the line only carries a figure in `note`)."""

    section: str
    what: str
    median: float | None = None
    p95: float | None = None
    note: str = ""
    target: Target = NO_TARGET


@dataclass
class Report:
    env: dict[str, Any]
    args: dict[str, Any]
    rows: list[Row] = field(default_factory=list)

    def add(self, section: str, what: str, median: float | None = None, p95: float | None = None,
            note: str = "", target: Target = NO_TARGET) -> None:
        self.rows.append(Row(section, what, median, p95, note, target))

    def table(self) -> str:
        """Every row with its target and verdict beside the figure, then the targets missed."""
        lines = [environment_line(self.env), ""]
        header = ("", "what", "median", "p95", "target", "", "notes")
        body = [(r.section, r.what, _fmt(r.median), _fmt(r.p95), r.target.text, r.target.verdict, r.note)
                for r in self.rows]
        widths = [max(len(str(line[i])) for line in [header, *body]) for i in range(6)]
        for line in [header, *body]:
            cells = [str(line[0]).ljust(widths[0]), str(line[1]).ljust(widths[1]),
                     str(line[2]).rjust(widths[2]), str(line[3]).rjust(widths[3]),
                     str(line[4]).ljust(widths[4]), str(line[5]).ljust(widths[5]), str(line[6])]
            lines.append("  ".join(cells).rstrip())
        judged = [r for r in self.rows if r.target.met is not None]
        missed = [r for r in judged if not r.target.met]
        lines.append(f"\ntargets: {len(judged) - len(missed)} of {len(judged)} met"
                     + "".join(f"\n  MISSED ({r.section}) {r.what}: {_fmt(r.median) or r.note} "
                               f"(target {r.target.text})" for r in missed))
        return "\n".join(lines)

    def write_json(self, path: Path | None = None) -> Path:
        path = path or RESULTS / "latest.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"env": self.env, "args": self.args,
                "rows": [{**asdict(r), "target": r.target.text, "met": r.target.met, "median_ms": _ms(r.median),
                          "p95_ms": _ms(r.p95)} for r in self.rows]}
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds >= 10:
        return f"{seconds:.1f} s"
    ms = seconds * 1000
    return f"{ms:.0f} ms" if ms >= 100 else f"{ms:.1f} ms" if ms >= 1 else f"{ms:.2f} ms"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def environment() -> dict[str, Any]:
    conn = sqlcipher3.dbapi2.connect(":memory:")
    try:
        cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
        sqlite = conn.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        conn.close()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {"cores": os.cpu_count(), "python": platform.python_version(), "sqlcipher": cipher, "sqlite": sqlite,
            "sqlalchemy": sqlalchemy.__version__, "platform": platform.platform(terse=True),
            "machine": platform.machine(), "load_at_start": [round(x, 2) for x in load],
            "argv": sys.argv[1:]}


def environment_line(env: dict[str, Any]) -> str:
    load = "/".join(f"{x:.2f}" for x in env["load_at_start"])
    return (f"env: {env['cores']} cores ({env['machine']}), Python {env['python']}, SQLCipher {env['sqlcipher']} "
            f"(SQLite {env['sqlite']}), SQLAlchemy {env['sqlalchemy']}, {env['platform']}, load {load} at start")
