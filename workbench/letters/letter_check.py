"""The letter check: what must stand in a besluit before it goes to review and again before it is sent.

Errors stop submit and issue: the legal basis, the mandate line, a bezwaar or beroep clause whose last day still
lies ahead, amounts that are exactly the engine's, and a besluit addressed to the belanghebbende. Warnings are shown
to author and reviewer and stop nothing: sentences that are too long for B1 Dutch, and words a parent may not know
that the letter does not explain the first time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from workbench.dates import dutch_date, parse_date
from workbench.errors import ValidationError
from workbench.letters.content_check import check_decision
from workbench.letters.templates import Template, render_blocks
from workbench.money import format_euro
from workbench.resources import load_json

# B1 guidance: short sentences. 25 words is a common upper bound in plain-language guides (a house choice).
MAX_SENTENCE_WORDS = 25
CLAUSE_DEADLINES = ("objection_deadline", "appeal_deadline")
_TAG = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_EURO = re.compile(r"€\s?\d{1,3}(?:\.\d{3})*(?:,\d{2})?")


@dataclass(frozen=True)
class Finding:
    """One thing the check found.

    Attributes:
        severity: "error" (stops submit and issue) or "warning" (shown, stops nothing).
        message: Dutch, for the author and the reviewer.
        field: the template field it is about, when there is one.
    """

    severity: str
    message: str
    field: str | None = None


@cache
def _jargon() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = load_json("letters", "jargon.json")
    return tuple(data["words"]), tuple(data["explained_by"])


def plain_text(template: Template, values: dict[str, Any], context: dict[str, Any]) -> str:
    """The letter's body as plain text (markup removed), as the parent reads it."""
    blocks = render_blocks(template, values, context)
    text = "\n".join(b.text.replace("<br/>", "\n") for b in blocks)
    return _TAG.sub("", text).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&#124;", "|")


def _prints(template: Template, name: str) -> bool:
    return any("{{" in b.text and re.search(r"\{\{\s*" + re.escape(name) + r"\b", b.text) for b in template.body)


def _errors(template: Template, values: dict[str, Any], *, letter_date: dt.date, derived: dict[str, Any],
            text: str, addressed_to_belanghebbende: bool) -> list[Finding]:
    found: list[Finding] = []
    if not values.get("legal_basis") or not _prints(template, "legal_basis"):
        found.append(Finding("error", "In dit besluit ontbreekt de wettelijke grondslag.", "legal_basis"))
    if not values.get("mandate") or not _prints(template, "mandate"):
        found.append(Finding("error", "In dit besluit ontbreekt de mandaatregel: namens wie het besluit is genomen.",
                             "mandate"))
    clauses = [name for name in CLAUSE_DEADLINES if template.field(name) is not None and _prints(template, name)]
    if not clauses:
        found.append(Finding("error", "In dit besluit ontbreekt de clausule over bezwaar of beroep.",
                             "objection_term"))
    for name in clauses:
        day = parse_date(values.get(name), field=name, label="Laatste dag", required=False)
        if day is None or day <= letter_date:
            shown = dutch_date(day) if day else "geen datum"
            found.append(Finding("error", f"De laatste dag voor bezwaar of beroep ({shown}) ligt niet na de datum "
                                          f"van de brief ({dutch_date(letter_date)}).", name))
    for spec in template.fields:
        if spec.type == "money" and spec.derived is None and values.get(spec.name) not in (None, 0):
            found.append(Finding("error", f"{spec.label}: een bedrag in een besluit komt uit de berekening of de "
                                          "regels, en wordt nooit getypt.", spec.name))
        if spec.derived is not None and spec.name in derived and values.get(spec.name) != derived[spec.name]:
            found.append(Finding("error", f"{spec.label} is niet gelijk aan wat de regels nu geven. Laat de brief "
                                          "opnieuw berekenen en controleren.", spec.name))
    # every amount the rules produced, and amounts the rules' own wording names (a breakdown line's "× € 500,00")
    allowed = {format_euro(v) for v in _amounts(derived)} | {_normal(m) for m in _EURO.findall(repr(derived))}
    for printed in sorted(set(_EURO.findall(text))):
        normal = _normal(printed)
        if normal not in allowed and normal + ",00" not in allowed:
            found.append(Finding("error", f"De brief noemt {normal}, maar dat bedrag komt niet uit de berekening.",
                                 None))
    if not addressed_to_belanghebbende:
        found.append(Finding("error", "Een besluit gaat naar de belanghebbende: de ouder, of bij de kindregeling het "
                                      "kind (of zijn wettelijk vertegenwoordiger).", None))
    try:
        check_decision(template, values)
    except ValidationError as exc:
        found.append(Finding("error", exc.text(), exc.field))
    return found


def _normal(printed: str) -> str:
    return "€ " + printed.removeprefix("€").strip()


def _amounts(derived: dict[str, Any]) -> list[int]:
    out: list[int] = []
    for value in derived.values():
        if isinstance(value, int) and not isinstance(value, bool):
            out.append(value)
        elif isinstance(value, list):
            out += [item["amount"] for item in value if isinstance(item, dict) and isinstance(item.get("amount"), int)]
    return out


def _warnings(text: str) -> list[Finding]:
    found: list[Finding] = []
    sentences = [s.strip() for line in text.splitlines() for s in _SENTENCE.split(line) if s.strip()]
    for sentence in sentences:
        words = sentence.split()
        if len(words) > MAX_SENTENCE_WORDS:
            found.append(Finding("warning", f"Lange zin ({len(words)} woorden): \"{' '.join(words[:8])} …\". "
                                            f"Houd zinnen korter dan {MAX_SENTENCE_WORDS} woorden."))
    words, markers = _jargon()
    lowered = [s.lower() for s in sentences]
    for word in words:
        needle = re.compile(r"\b" + re.escape(word.lower()) + r"\b")
        first = next((i for i, s in enumerate(lowered) if needle.search(s)), None)
        if first is None:
            continue
        nearby = " ".join(lowered[first:first + 2])
        bracketed = re.search(needle.pattern + r"\s*\(", lowered[first]) is not None
        if not bracketed and not any(marker in nearby for marker in markers if marker != "("):
            found.append(Finding("warning", f"Het woord \"{word}\" wordt niet uitgelegd waar het de eerste keer "
                                            "staat. Leg het in gewone woorden uit."))
    return found


def check_letter(template: Template, values: dict[str, Any], *, letter_date: dt.date, derived: dict[str, Any],
                 context: dict[str, Any], addressed_to_belanghebbende: bool = True) -> list[Finding]:
    """Every finding for this letter on `letter_date`: errors only for a besluit, warnings for every letter.

    `values` are the letter's stored values, `derived` what the dating rules give for `letter_date` (the two
    differ when the rules changed since the values were stored).
    """
    try:
        text = plain_text(template, values, context)
    except ValidationError as exc:
        return [Finding("error", exc.text(), exc.field)]
    errors = _errors(template, values, letter_date=letter_date, derived=derived, text=text,
                     addressed_to_belanghebbende=addressed_to_belanghebbende) if template.is_decision else []
    return errors + _warnings(text)


def raise_errors(findings: list[Finding]) -> None:
    """Stop on the first error, naming its field (ValidationError); warnings pass."""
    for finding in findings:
        if finding.severity == "error":
            raise ValidationError(finding.message, field=finding.field)
