"""Translations: the English catalog covers every string the UI marks, and switching language works."""

from __future__ import annotations

import re
from pathlib import Path

from workbench import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_english_catalog_translates_and_dutch_is_the_source() -> None:
    try:
        i18n.activate("en")
        assert i18n._("Mijn zaken") == "My cases"
        assert i18n._("Niet vertaald") == "Niet vertaald"
        i18n.activate("nl")
        assert i18n._("Mijn zaken") == "Mijn zaken"
    finally:
        i18n.activate("nl")


def test_every_marked_ui_string_has_an_english_translation() -> None:
    catalog = i18n.parse_po(i18n.catalog_path("en").read_text(encoding="utf-8"))
    marked: set[str] = set()
    for path in (ROOT / "ui").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for m in re.finditer(r'\bN?_\(((?:"[^"]*"\s*)+)\)', source):
            marked.add("".join(re.findall(r'"([^"]*)"', m.group(1))))
    missing = sorted(s for s in marked if s not in catalog)
    assert not missing, f"no English for: {missing}"
    assert len(marked) > 30
