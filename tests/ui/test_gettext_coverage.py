"""Every UI text goes through gettext: a scan of ui/ for literals handed to Qt text setters without _()."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOW_LIST = Path(__file__).with_name("gettext_allow_list.txt")
# Qt calls whose string arguments a person reads (or hears, through the screen reader).
SETTERS = frozenset({
    "setText", "setWindowTitle", "setToolTip", "setAccessibleName", "setAccessibleDescription", "setPlaceholderText",
    "setTitle", "setStatusTip", "setWhatsThis", "addTab", "setTabText", "setTabToolTip", "showMessage", "addItem",
    "setHeaderLabels", "setLabelText", "setSubTitle", "setButtonText", "addRow", "addAction", "information",
    "warning", "question", "critical"})
# The project's own helpers that put their first argument on screen, and keyword arguments that carry a text
# for people (a dialog's text and title, a table's accessible name, an empty state).
SHOWN_BY = frozenset({"set_status", "PdfPreview", "message_line"})
TEXT_KEYWORDS = frozenset({"text", "title", "confirm", "name", "empty", "filtered", "label"})
WIDGETS = frozenset({"QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton",
                     "QMessageBox"})


def _texts(node: ast.expr) -> Iterator[str]:
    """The literal texts in an argument that do not pass through _(), N_() or ngettext()."""
    if isinstance(node, ast.Call):  # _("..."), or "...".format(...) on a bare literal
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "format":
            yield from _texts(func.value)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        if text.replace("{}", "").strip():
            yield text
    elif isinstance(node, ast.BinOp):
        yield from _texts(node.left)
        yield from _texts(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _texts(node.body)
        yield from _texts(node.orelse)


def _has_words(text: str) -> bool:
    """A layout of placeholders and punctuation ("{} ({})", " · {}") has nothing to translate."""
    return any(ch.isalpha() for ch in text.replace("{}", ""))


def bypassing(source: str) -> Iterator[str]:
    """Texts in `source` passed to a Qt text setter or widget without _()."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        args = list(node.args) if name in SETTERS or name in WIDGETS or name in SHOWN_BY else []
        args += [keyword.value for keyword in node.keywords if keyword.arg in TEXT_KEYWORDS]
        for arg in args:
            yield from (text for text in _texts(arg) if _has_words(text))


def offenders() -> set[str]:
    found: set[str] = set()
    for path in sorted((ROOT / "ui").rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        found.update(f"{where}: {text!r}" for text in bypassing(path.read_text(encoding="utf-8")))
    return found


def allowed() -> set[str]:
    lines = ALLOW_LIST.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line.strip() and not line.startswith("#")}


def test_no_new_ui_text_bypasses_gettext() -> None:
    new = sorted(offenders() - allowed())
    assert not new, ("Wrap these in _() and add them to resources/translations/en.po (or, for a text that is "
                     "not for people, fix the scan):\n" + "\n".join(new))


def test_the_scan_finds_what_it_should() -> None:
    source = '''
label = QLabel("Naam")
button.setText(f"Zaak {ref} openen")
box.setToolTip("Eerst" if x else _("Later"))
ok = QLabel(_("Goed"))
fine = QPushButton(_("Zaak {ref}").format(ref=ref))
bare = QLabel("Nog {n}".format(n=n))
also.setAccessibleName(ngettext("{n} zaak", "{n} zaken", n).format(n=n))
layout.setText(f"{name} ({born})" + " · {}".format(place))
self.preview.set_status("Laden…")
dialog = PassphraseDialog(self, title=_("Goed"), confirm="Versturen", text=f"U verstuurt {title}.")
'''
    assert sorted(bypassing(source)) == ["Eerst", "Laden…", "Naam", "Nog {n}", "U verstuurt {}.", "Versturen",
                                         "Zaak {} openen"]
