"""Letter templates as data (resources/letters/<id>.json), filled in by a sandboxed Jinja2 environment.

A template has an id, a version, a title, a kind ("letter" or "beschikking"), the fields it needs with
their types, and a body: a list of blocks {"style": ..., "text": "<jinja2>"}. The rendered text is
reportlab's paragraph mini-markup; every value put in with {{ }} is escaped (&, <, >), so a name such as
"Jansen & Zn" can never break or inject markup. Table blocks render one row per line, cells separated by
"|" (a "|" inside a value is escaped too); a row that starts with "=" is printed bold. A "signature" block
(the closing words, name and function) is never split over two pages.

Two optional keys: "addressee" lists the fields that make the address block when the letter does not go to the
parent (a creditor, a gemeente); "consent_for" names the field holding the partner for whom the parent's consent
must be on record before the letter may be made (see service.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2 import Template as JinjaTemplate
from jinja2.sandbox import SandboxedEnvironment

from workbench.dates import dutch_date, parse_date
from workbench.errors import BugError, NotFound, ValidationError
from workbench.money import format_euro, parse_euro
from workbench.resources import load_json, resource_path

FIELD_TYPES = frozenset({"text", "date", "money", "int", "list"})
BLOCK_STYLES = frozenset({"heading", "para", "table", "clause", "bullets", "signature"})
KINDS = frozenset({"letter", "beschikking"})
# ex_partner: the applicant of the ex-partnerregeling is the belanghebbende of its beschikking (DOMAIN 1.3)
ADDRESSEE_ROLES = frozenset({"parent", "child", "third_party", "ex_partner"})
# JSON files in resources/letters/ that are configuration, not templates
NOT_TEMPLATES = frozenset({"organisation", "jargon"})
MAX_TEXT = 5000


@dataclass(frozen=True)
class FieldSpec:
    """One field a template needs; `item` gives the sub-fields of each list entry (name -> type).

    `commitment` (date fields only) describes the promise the printed date makes; issuing the letter puts it in
    the case's register of commitments (workbench/plans/letter_promises.py).
    """

    name: str
    type: str
    label: str
    required: bool
    item: tuple[tuple[str, str], ...] = ()
    # The dating rule that computes this field for the letter date (workbench/letters/dating.py); never typed.
    derived: str | None = None
    # A date the parent must act on or attend: at least this many days after the letter date (dating.py).
    min_days_after_letter: int | None = None
    commitment: str | None = None


@dataclass(frozen=True)
class Block:
    """One body block; `fixed` marks rendered text that holds no value ({{ }}), only the template's wording."""

    style: str
    text: str
    fixed: bool = False


@dataclass(frozen=True)
class Template:
    id: str
    version: int
    title: str
    kind: str
    subject: str
    fields: tuple[FieldSpec, ...]
    body: tuple[Block, ...]
    addressee: tuple[str, ...] = ()
    consent_for: str | None = None
    # Who the letter is for: the parent, a child (kindregeling: the child is the belanghebbende) or a third party.
    addressee_role: str = "parent"
    # What the wording rests on: DOMAIN.md sources, and which statements are inference ([I]).
    policy_note: str = ""

    @property
    def is_decision(self) -> bool:
        """A besluit (beschikking): it carries a legal basis, a mandate line and a bezwaar or beroep clause."""
        return self.kind == "beschikking"

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


def escape(value: Any) -> str:
    """Escape a value for reportlab's mini-markup (and the table cell separator)."""
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;")


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    day = parse_date(str(value), field="date", label="Datum")
    assert day is not None
    return day


def _datum(value: Any) -> str:
    return dutch_date(_as_date(value))


def _euro(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BugError("the euro filter needs whole cents")
    return format_euro(value)


@cache
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, finalize=escape,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["datum"] = _datum
    env.filters["euro"] = _euro
    return env


@lru_cache(maxsize=512)
def compiled(text: str) -> JinjaTemplate:
    """A block's text compiled once; compiling was a third of a letter's render time."""
    return environment().from_string(text)


def _parse(data: dict[str, Any], template_id: str) -> Template:
    try:
        fields = tuple(
            FieldSpec(name=name, type=spec["type"], label=spec["label"], required=bool(spec.get("required", True)),
                      item=tuple((k, v) for k, v in spec.get("item", {}).items()), derived=spec.get("derived"),
                      min_days_after_letter=spec.get("min_days_after_letter"), commitment=spec.get("commitment"))
            for name, spec in data["fields"].items()
        )
        body = tuple(Block(style=b["style"], text=b["text"]) for b in data["body"])
        tpl = Template(id=data["id"], version=int(data["version"]), title=data["title"], kind=data["kind"],
                       subject=data.get("subject", data["title"]), fields=fields, body=body,
                       addressee=tuple(data.get("addressee", ())), consent_for=data.get("consent_for"),
                       addressee_role=data.get("addressee_role", "parent"), policy_note=data.get("policy_note", ""))
    except (KeyError, TypeError, ValueError) as exc:
        raise BugError(f"letter template {template_id} is malformed: {exc}") from None
    if tpl.addressee_role not in ADDRESSEE_ROLES:
        raise BugError(f"letter template {template_id}: unknown addressee_role {tpl.addressee_role}")
    if tpl.id != template_id or tpl.kind not in KINDS:
        raise BugError(f"letter template {template_id} has a wrong id or kind")
    for f in fields:
        if f.type not in FIELD_TYPES or any(t not in FIELD_TYPES - {"list"} for _, t in f.item):
            raise BugError(f"letter template {template_id}: field {f.name} has an unknown type")
        if f.commitment is not None and (f.type != "date" or not isinstance(f.commitment, str)):
            raise BugError(f"letter template {template_id}: field {f.name} has a commitment but is no date")
    names = {f.name: f.type for f in fields}
    if any(names.get(n) not in ("text", "list") for n in tpl.addressee):
        raise BugError(f"letter template {template_id}: addressee names a field that is not text or list")
    if tpl.consent_for is not None and names.get(tpl.consent_for) != "text":
        raise BugError(f"letter template {template_id}: consent_for must name a text field")
    for b in body:
        if b.style not in BLOCK_STYLES:
            raise BugError(f"letter template {template_id}: unknown block style {b.style}")
        try:
            environment().from_string(b.text)
        except TemplateError as exc:
            raise BugError(f"letter template {template_id}: {exc}") from None
    return tpl


@cache
def load_template(template_id: str) -> Template:
    """The template `template_id`; NotFound if there is no such file."""
    if not template_id.replace("_", "").isalnum() or template_id in NOT_TEMPLATES:
        raise NotFound("Deze briefsjabloon bestaat niet.")
    path = resource_path("letters", f"{template_id}.json")
    if not path.is_file():
        raise NotFound("Deze briefsjabloon bestaat niet.")
    return _parse(load_json("letters", f"{template_id}.json"), template_id)


def list_templates() -> list[Template]:
    """Every shipped template, sorted by title."""
    ids = sorted(p.stem for p in resource_path("letters").glob("*.json") if p.stem not in NOT_TEMPLATES)
    return sorted((load_template(i) for i in ids), key=lambda t: t.title)


def _check_value(kind: str, value: Any, *, field: str, label: str) -> Any:
    if kind == "text":
        if not isinstance(value, str):
            raise ValidationError(f"{label} moet tekst zijn.", field=field)
        text = value.strip()
        if len(text) > MAX_TEXT:
            raise ValidationError(f"{label} is te lang (maximaal {MAX_TEXT} tekens).", field=field)
        return text
    if kind == "date":
        if not isinstance(value, str | dt.date):
            raise ValidationError(f"{label} moet een datum zijn.", field=field)
        return parse_date(value, field=field, label=label)
    if kind in ("money", "int"):
        if isinstance(value, str) and kind == "money":
            return parse_euro(value, field=field)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"{label} moet een heel getal zijn.", field=field)
        if kind == "money" and value < 0:
            raise ValidationError(f"{label} kan niet negatief zijn.", field=field)
        return value
    raise BugError(f"unknown field type {kind}")


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and not (
        value.strip() if isinstance(value, str) else value))


def validate_fields(template: Template, values: dict[str, Any]) -> dict[str, Any]:
    """The values checked and cleaned (dates as date, money as cents); ValidationError names the field.

    Values for names the template does not know are refused too, so a typo does not vanish silently.
    """
    unknown = sorted(set(values) - {f.name for f in template.fields})
    if unknown:
        raise ValidationError(f"Dit sjabloon kent het veld {unknown[0]} niet.", field=unknown[0])
    clean: dict[str, Any] = {}
    for spec in template.fields:
        value = values.get(spec.name)
        if _empty(value):
            if spec.required:
                raise ValidationError(f"{spec.label} is verplicht.", field=spec.name)
            clean[spec.name] = [] if spec.type == "list" else None
            continue
        if spec.type != "list":
            clean[spec.name] = _check_value(spec.type, value, field=spec.name, label=spec.label)
            continue
        if not isinstance(value, list | tuple):
            raise ValidationError(f"{spec.label} moet een lijst zijn.", field=spec.name)
        items: list[Any] = []
        for i, entry in enumerate(value):
            path = f"{spec.name}[{i}]"
            if not spec.item:
                items.append(_check_value("text", entry, field=path, label=spec.label))
                continue
            if not isinstance(entry, dict):
                raise ValidationError(f"{spec.label}: regel {i + 1} is ongeldig.", field=path)
            item: dict[str, Any] = {}
            for sub, kind in spec.item:
                if _empty(entry.get(sub)):
                    raise ValidationError(f"{spec.label}: regel {i + 1} mist {sub}.", field=f"{path}.{sub}")
                item[sub] = _check_value(kind, entry[sub], field=f"{path}.{sub}", label=f"{spec.label} ({sub})")
            items.append(item)
        clean[spec.name] = items
    return clean


def addressee_lines(template: Template, values: dict[str, Any]) -> list[str]:
    """The address block of a letter to someone other than the parent, from the template's addressee fields."""
    lines: list[str] = []
    for name in template.addressee:
        value = values.get(name)
        lines += [str(v) for v in value] if isinstance(value, list | tuple) else [str(value or "")]
    return [line.strip() for line in lines if line.strip()]


def to_json(values: dict[str, Any]) -> dict[str, Any]:
    """Cleaned values as JSON data for storage (dates as ISO text)."""
    def conv(v: Any) -> Any:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, list):
            return [conv(x) for x in v]
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        return v
    return {k: conv(v) for k, v in values.items()}


def render_blocks(template: Template, values: dict[str, Any], context: dict[str, Any]) -> list[Block]:
    """Each body block filled in; blocks that come out empty (an {% if %} that did not hold) are dropped."""
    clean = validate_fields(template, values)
    out: list[Block] = []
    for block in template.body:
        try:
            text = compiled(block.text).render({**context, **clean}).strip()
        except TemplateError as exc:
            raise BugError(f"letter template {template.id}: {exc}") from None
        if text:
            out.append(Block(block.style, text, fixed="{{" not in block.text))
    return out
