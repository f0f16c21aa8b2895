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
        self._catalog = parse_po(path.read_text(encoding="utf-8"))

    def gettext(self, message: str) -> str:
        return self._catalog.get(message) or message


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr for the simple .po files we write (multi-line strings supported, no plurals)."""
    catalog: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None and "".join(msgid):
            catalog["".join(msgid)] = "".join(msgstr)

    for line in text.splitlines():
        line = line.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [ast.literal_eval(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [ast.literal_eval(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
    flush()
    return catalog


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
    """The singular or plural form for `n` (Dutch and English: singular only for exactly 1), translated."""
    return _(singular) if n == 1 else _(plural)
