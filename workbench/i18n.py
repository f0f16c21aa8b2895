"""Translations: Dutch is the source language; other languages come from .po catalogs in resources/."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

from workbench.resources import resource_path

DOMAIN = "zaakwerkbank"
_active: gettext.NullTranslations = gettext.NullTranslations()


class _PoCatalog(gettext.NullTranslations):
    """A catalog read straight from a .po file (we ship sources, not compiled .mo blobs)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        text = path.read_text(encoding="utf-8")
        self._catalog = parse_po(text)
        self._plurals = parse_po_plurals(text)

    def gettext(self, message: str) -> str:
        return self._catalog.get(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self._plurals.get(msgid1)
        # Both our languages (Dutch and English) have one form for 1 and one for everything else.
        index = 0 if n == 1 else 1
        if forms and len(forms) > index and forms[index]:
            return forms[index]
        return self.gettext(msgid1 if n == 1 else msgid2)


def _parse_entries(text: str) -> list[dict[str, str]]:
    """The .po file's entries as {keyword: text}, keywords like "msgid", "msgid_plural", "msgstr[1]"."""
    entries: list[dict[str, str]] = []
    entry: dict[str, list[str]] = {}
    current: list[str] | None = None

    def flush() -> None:
        if entry:
            entries.append({key: "".join(parts) for key, parts in entry.items()})
        entry.clear()

    for line in text.splitlines():
        line = line.strip()
        keyword, _sep, rest = line.partition(" ")
        if keyword == "msgid":
            flush()
        if keyword.startswith("msg") and rest.startswith('"'):
            current = entry.setdefault(keyword, [])
            current.append(ast.literal_eval(rest))
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
    flush()
    return entries


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr for the simple .po files we write (multi-line strings supported; plurals: see below)."""
    return {e["msgid"]: e["msgstr"] for e in _parse_entries(text) if e.get("msgid") and "msgstr" in e}


def parse_po_plurals(text: str) -> dict[str, list[str]]:
    """Singular msgid -> [msgstr[0], msgstr[1], ...] for the entries that have a msgid_plural."""
    plurals: dict[str, list[str]] = {}
    for e in _parse_entries(text):
        if e.get("msgid") and "msgid_plural" in e:
            plurals[e["msgid"]] = [e[f"msgstr[{i}]"] for i in range(len(e)) if f"msgstr[{i}]" in e]
    return plurals


def catalog_path(language: str) -> Path:
    return resource_path("translations", f"{language}.po")


def activate(language: str) -> None:
    """Switch the process's language; unknown languages fall back to Dutch."""
    global _active
    path = catalog_path(language)
    _active = _PoCatalog(path) if language != "nl" and path.exists() else gettext.NullTranslations()


def _(message: str) -> str:
    return _active.gettext(message)


def N_(message: str) -> str:
    """Mark a string for translation without translating it now (option titles, tables)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for count n, translated; format the count in yourself ("{n} zaken").

    Both our languages use the singular only for exactly 1. A .po plural entry wins; without one, each form is
    looked up as a message of its own.
    """
    return _active.ngettext(singular, plural, n)
