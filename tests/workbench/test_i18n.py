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


def test_plural_forms_in_dutch_and_english() -> None:
    try:
        i18n.activate("nl")
        assert i18n.ngettext("{n} conflict", "{n} conflicten", 1).format(n=1) == "1 conflict"
        assert i18n.ngettext("{n} conflict", "{n} conflicten", 0).format(n=0) == "0 conflicten"
        assert i18n.ngettext("{n} conflict", "{n} conflicten", 2).format(n=2) == "2 conflicten"
        i18n.activate("en")
        assert i18n.ngettext("{n} wijziging wacht", "{n} wijzigingen wachten", 1) == "{n} change waiting"
        assert i18n.ngettext("{n} wijziging wacht", "{n} wijzigingen wachten", 5) == "{n} changes waiting"
        assert i18n.ngettext("Niet vertaald", "Niet vertaalde", 2) == "Niet vertaalde"
    finally:
        i18n.activate("nl")


def test_the_po_reader_keeps_plural_entries_apart() -> None:
    text = 'msgid "een"\nmsgstr "one"\n\nmsgid "{n} zaak"\nmsgid_plural "{n} zaken"\nmsgstr[0] "{n} case"\n' \
           'msgstr[1] "{n} cases"\n'
    assert i18n.parse_po(text) == {"een": "one"}
    assert i18n.parse_po_plurals(text) == {"{n} zaak": ["{n} case", "{n} cases"]}


HEDGED = re.compile(r'"[^"\n]*(?<![\w.])[a-z]+\((s|en)\)(?=[\s.,;:"])[^"\n]*"')


def test_every_ngettext_call_has_english_forms_and_no_count_is_written_as_s_or_en() -> None:
    plurals = i18n.parse_po_plurals(i18n.catalog_path("en").read_text(encoding="utf-8"))
    marked: set[str] = set()
    hedged: list[str] = []
    for folder in ("ui", "workbench"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            if folder == "ui":
                marked.update(m.group(1) for m in re.finditer(r'\bngettext\(\s*"([^"]*)"', source))
            hedged += [f"{path.name}: {m.group(0)}" for m in HEDGED.finditer(source)]
    missing = sorted(s for s in marked if len(plurals.get(s, [])) != 2)
    assert not missing, f"no English plural forms for: {missing}"
    assert not hedged, f"write counts with ngettext, not '(s)' or '(en)': {hedged}"
