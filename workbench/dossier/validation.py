"""Checking a whole dossier before anything is written: structure, column types and the domain's rules."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NoReturn

from sqlalchemy import JSON, Boolean, Column, Date, Integer, LargeBinary, String

from workbench.audit.chain import VERBS
from workbench.cases.phases import PHASES, check_phase, check_track
from workbench.cases.service import REFERENCE, valid_reference
from workbench.dossier.places import in_case
from workbench.dossier.sections import ACCESS_LOG_FIELDS, FORMAT, LISTS, SINGLE, TOP_LEVEL, VERSION, columns
from workbench.errors import BugError, UserError, ValidationError
from workbench.parties.service import validate_parent_fields
from workbench.parties.values import NameParts, valid_bsn
from workbench.payments.service import PARENT, valid_amount, valid_kind
from workbench.plans.service import valid_description
from workbench.plans.vocabulary import (
    ACTION_OWNERS,
    ACTION_STATUSES,
    COMMITMENT_STATUSES,
    NEED_STATUSES,
    check_code,
    life_domains,
)
from workbench.progress import CancelToken
from workbench.store.schema import Base, UTCDateTime
from workbench.story.service import validate_entry
from workbench.sync import values
from workbench.sync.values import JSON_LISTS, LETTER_STATUSES, MAX_FREE_TEXT

UNREVIEWED_ISSUE = ("Deze brief staat als verzonden, maar is niet goedgekeurd door een ander dan de schrijver "
                    "(vier-ogenprincipe). Er is niets ingelezen.")
# Columns whose length a domain validator checks with a clearer message (story text: validate_entry).
_OWN_LIMIT = frozenset({("story_entry", "text")})


class DossierRefusal(ValidationError):
    """The dossier is refused; `field` is the path in the file (`story[3].text`), the message says what is wrong.

    `in_case` (workbench/dossier/places.py) puts the case and the place in words in front of the message.
    """


def fail(path: str, message: str) -> NoReturn:
    """Refuse the dossier at `path` (`story[3].text`) with `message` (`Verslag is leeg ...`)."""
    raise DossierRefusal(message, field=path)


@contextmanager
def at(path: str) -> Iterator[None]:
    """Put the dossier path in front of a domain validator's own field name."""
    try:
        yield
    except DossierRefusal:
        raise
    except ValidationError as exc:
        fail(f"{path}.{exc.field}" if exc.field else path, exc.message)


@contextmanager
def _checked(path: str) -> Iterator[None]:
    """A shared value check (workbench.sync.values) that names the dossier path itself."""
    try:
        yield
    except ValidationError as exc:
        fail(exc.field or path, exc.message)


def _expect(value: Any, kind: type | tuple[type, ...], label: str, path: str) -> None:
    with _checked(path):
        values.expect(value, kind, label, path)


def _timestamp(value: Any, path: str) -> dt.datetime:
    with _checked(path):
        return values.timestamp(value, path)


def convert(col: Column[Any], value: Any, path: str) -> Any:
    """One column's JSON value as the Python value the store holds."""
    if value is None:
        if col.nullable and not col.primary_key:
            return None
        fail(path, "Dit veld mag niet leeg (null) zijn.")
    kind = col.type
    with _checked(path):
        if isinstance(kind, UTCDateTime):
            return values.timestamp(value, path)
        if isinstance(kind, Date):
            return values.date(value, path)
        if isinstance(kind, Boolean):
            values.expect(value, bool, "true of false", path)
            return value
        if isinstance(kind, Integer):
            return values.integer(value, path)
        if isinstance(kind, LargeBinary):
            return values.binary(value, path, wrapped=False)
        if isinstance(kind, JSON):
            return values.json_value(value, path, list if (col.table.name, col.name) in JSON_LISTS else dict)
        if isinstance(kind, String):
            if (col.table.name, col.name) in _OWN_LIMIT:
                values.expect(value, str, "tekst", path)
                return value
            text = values.text(value, path, kind.length or MAX_FREE_TEXT)
            return values.identifier(text, path) if col.primary_key or col.foreign_keys else text
    raise BugError(f"no dossier rule for column type {kind!r}")


def convert_row(model: type[Base], raw: Any, path: str) -> dict[str, Any]:
    """A row object with exactly the model's columns, each converted."""
    _expect(raw, dict, "een object", path)
    cols = columns(model)
    for col in cols:
        if col.name not in raw:
            fail(f"{path}.{col.name}", "Dit veld ontbreekt.")
    names = {c.name for c in cols}
    for key in sorted(k for k in raw if k not in names):
        fail(f"{path}.{key}", "Onbekend veld.")
    return {c.name: convert(c, raw[c.name], f"{path}.{c.name}") for c in cols}


@dataclass
class _Context:
    """What later sections may refer to: the case, the parent and the ids seen so far per section."""

    case_id: str
    parent_id: str
    ids: dict[str, set[str]] = field(default_factory=dict)

    def refers(self, value: str | None, section: str, path: str, label: str) -> None:
        if value is not None and value not in self.ids.get(section, set()):
            fail(path, f"Verwijst naar {label} die niet in dit dossier staat.")


Rule = Callable[[dict[str, Any], str, _Context], None]


def _own_case(row: dict[str, Any], path: str, ctx: _Context) -> None:
    if "case_id" in row and row["case_id"] != ctx.case_id:
        fail(f"{path}.case_id", "Hoort niet bij de zaak van dit dossier.")
    if "parent_id" in row and row["parent_id"] != ctx.parent_id:
        fail(f"{path}.parent_id", "Hoort niet bij de ouder van dit dossier.")


def _person(row: dict[str, Any], path: str, ctx: _Context) -> None:
    with at(path):
        NameParts.parse(achternaam=row["achternaam"], voorletters=row["voorletters"],
                        voornamen=row["voornamen"], tussenvoegsel=row["tussenvoegsel"])
        if row["bsn"] is not None:
            valid_bsn(row["bsn"])


def _parent(row: dict[str, Any], path: str, ctx: _Context) -> None:
    keys = ("bsn", "achternaam", "voorletters", "voornamen", "tussenvoegsel", "birth_date", "street",
            "house_number", "postcode", "city", "phone", "email", "preferred_channel", "language_need",
            "safety_notes", "aanspreekvorm")
    with at(path):
        validate_parent_fields({k: row[k] for k in keys})


def _case(row: dict[str, Any], path: str, ctx: _Context) -> None:
    with at(path):
        if valid_reference(row["reference"]) != row["reference"]:
            fail(f"{path}.reference", "Zaaknummer moet in hoofdletters staan: UHT-JJJJ-NNNNNN.")
        check_phase(row["phase"])


def _phase_change(row: dict[str, Any], path: str, ctx: _Context) -> None:
    for key in ("from_phase", "to_phase"):
        if row[key] is not None and row[key] not in PHASES:
            fail(f"{path}.{key}", f"Fase is onbekend: {row[key]!r}.")


def _track(row: dict[str, Any], path: str, ctx: _Context) -> None:
    with at(path):
        check_track(row["track"])
    if row["ended_on"] is not None and row["ended_on"] < row["started_on"]:
        fail(f"{path}.ended_on", "Einddatum ligt vóór de startdatum.")


def _story(row: dict[str, Any], path: str, ctx: _Context) -> None:
    with at(path):
        validate_entry(kind=row["kind"], text=row["text"], location=row["location"], present=row["present"])


def _need(row: dict[str, Any], path: str, ctx: _Context) -> None:
    with at(path):
        check_code(row["life_domain"], life_domains(), field="life_domain", label="Leefgebied")
        check_code(row["status"], NEED_STATUSES, field="status", label="Status")
        valid_description(row["description"])


def _action(row: dict[str, Any], path: str, ctx: _Context) -> None:
    ctx.refers(row["need_id"], "needs", f"{path}.need_id", "een behoefte")
    with at(path):
        check_code(row["owner"], ACTION_OWNERS, field="owner", label="Eigenaar")
        check_code(row["status"], ACTION_STATUSES, field="status", label="Status")
        valid_description(row["description"])


def _commitment(row: dict[str, Any], path: str, ctx: _Context) -> None:
    with at(path):
        check_code(row["status"], COMMITMENT_STATUSES, field="status", label="Status")
        valid_description(row["description"])
    if row["due_on"] < row["promised_on"]:
        fail(f"{path}.due_on", "Uiterste datum ligt vóór de datum van de toezegging.")


def _commitment_change(row: dict[str, Any], path: str, ctx: _Context) -> None:
    ctx.refers(row["commitment_id"], "commitments", f"{path}.commitment_id", "een toezegging")
    with at(path):
        if row["from_status"] is not None:
            check_code(row["from_status"], COMMITMENT_STATUSES, field="from_status", label="Status")
        check_code(row["to_status"], COMMITMENT_STATUSES, field="to_status", label="Status")


def _consent(row: dict[str, Any], path: str, ctx: _Context) -> None:
    if row["withdrawn_on"] is not None and row["withdrawn_on"] < row["given_on"]:
        fail(f"{path}.withdrawn_on", "Datum intrekken ligt vóór de datum van de toestemming.")


def _disclosure(row: dict[str, Any], path: str, ctx: _Context) -> None:
    ctx.refers(row["consent_id"], "consents", f"{path}.consent_id", "een toestemming")


def _letter(row: dict[str, Any], path: str, ctx: _Context) -> None:
    with at(path):
        check_code(row["status"], LETTER_STATUSES, field="status", label="Status")
    if row["status"] == "issued" and row["reviewer_id"] in (None, row["author_id"]):
        fail(f"{path}.reviewer_id", UNREVIEWED_ISSUE)
    if row["pdf"] is not None and hashlib.sha256(row["pdf"]).hexdigest() != row["pdf_sha256"]:
        fail(f"{path}.pdf", "De PDF past niet bij pdf_sha256: het bestand is beschadigd of bewerkt.")


def _payment(row: dict[str, Any], path: str, ctx: _Context) -> None:
    ctx.refers(row["letter_id"], "letters", f"{path}.letter_id", "een brief")
    if row["recipient"] != PARENT:
        ctx.refers(row["recipient"], "children", f"{path}.recipient", "een kind")
    with at(path):
        valid_kind(row["kind"])
        valid_amount(row["amount_cents"])


RULES: dict[str, Rule] = {
    "parent": _parent, "case": _case, "children": _person, "ex_partners": _person,
    "phase_changes": _phase_change, "tracks": _track, "story": _story, "needs": _need, "actions": _action,
    "commitments": _commitment, "commitment_status_changes": _commitment_change, "consents": _consent,
    "disclosures": _disclosure, "letters": _letter, "payments": _payment,
}


@dataclass(frozen=True)
class Dossier:
    """A checked dossier: every row as the column values the store holds, in the file's own order.

    Attributes:
        rows: section name -> rows; "parent" and "case" hold one row each.
        access_log: the exporting device's audit events about the case (kept for the record, not stored).
    """

    exported_at: dt.datetime
    rows: dict[str, list[dict[str, Any]]]
    access_log: list[dict[str, Any]]

    @property
    def case_id(self) -> str:
        return str(self.rows["case"][0]["id"])


def path_of(section: str, index: int) -> str:
    return section if section in SINGLE else f"{section}[{index}]"


def check_format(data: Any) -> dict[str, Any]:
    """The format marker and version, before anything else is looked at."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError("Dit bestand is geen Zaakwerkbank-dossier (het kenmerk 'format' ontbreekt of "
                        "klopt niet).", field="format")
    version = data.get("version")
    if version != VERSION or isinstance(version, bool):
        raise UserError(f"Dossierversie {version!r} wordt niet ondersteund; deze Zaakwerkbank leest versie "
                        f"{VERSION}.", field="version")
    return data


def _access_log(raw: Any) -> list[dict[str, Any]]:
    _expect(raw, list, "een lijst", "access_log")
    out: list[dict[str, Any]] = []
    for i, ev in enumerate(raw):
        path = f"access_log[{i}]"
        _expect(ev, dict, "een object", path)
        for key in ACCESS_LOG_FIELDS:
            if key not in ev:
                fail(f"{path}.{key}", "Dit veld ontbreekt.")
        for key in sorted(set(ev) - set(ACCESS_LOG_FIELDS)):
            fail(f"{path}.{key}", "Onbekend veld.")
        _expect(ev["seq"], int, "een geheel getal", f"{path}.seq")
        for key in ACCESS_LOG_FIELDS[2:]:
            _expect(ev[key], str, "tekst", f"{path}.{key}")
        if ev["verb"] not in VERBS:
            fail(f"{path}.verb", f"Onbekende handeling: {ev['verb']!r}.")
        out.append({**ev, "at": _timestamp(ev["at"], f"{path}.at")})
    return out


def _letter_chains(letters: list[dict[str, Any]]) -> None:
    """A correction points at an earlier letter of this dossier, never round in a circle."""
    by_id = {row["id"]: row for row in letters}
    for i, row in enumerate(letters):
        seen = {row["id"]}
        target = row["corrects_letter_id"]
        while target is not None:
            if target not in by_id:
                fail(f"letters[{i}].corrects_letter_id",
                     "Verwijst naar een brief die niet in dit dossier staat.")
            if target in seen:
                fail(f"letters[{i}].corrects_letter_id", "Brieven verbeteren elkaar in een kring.")
            seen.add(target)
            target = by_id[target]["corrects_letter_id"]


def _section(section: str, rows: list[dict[str, Any]], ctx: _Context) -> list[dict[str, Any]]:
    seen = ctx.ids.setdefault(section, set())
    for i, row in enumerate(rows):
        path = path_of(section, i)
        if row["id"] in seen:
            fail(f"{path}.id", "Dit id komt vaker voor in het dossier.")
        seen.add(row["id"])
        _own_case(row, path, ctx)
        RULES[section](row, path, ctx)
    return rows


def _reference(data: dict[str, Any]) -> str | None:
    """The case's reference as the file has it, if it looks like one: the messages name the case by it."""
    case = data.get("case")
    reference = case.get("reference") if isinstance(case, dict) else None
    return reference if isinstance(reference, str) and REFERENCE.match(reference) else None


def validate_dossier(data: Any, *, cancel: CancelToken | None = None) -> Dossier:
    """Check everything; the first problem found is raised, naming the case, section, item and field in words."""
    data = check_format(data)
    with in_case(_reference(data)):
        return _validate(data, cancel)


def _validate(data: dict[str, Any], cancel: CancelToken | None) -> Dossier:
    for key in sorted(TOP_LEVEL - set(data)):
        fail(key, "Dit onderdeel ontbreekt.")
    for key in sorted(set(data) - TOP_LEVEL):
        fail(key, "Onbekend onderdeel.")
    exported_at = _timestamp(data["exported_at"], "exported_at")
    parent = convert_row(SINGLE["parent"], data["parent"], "parent")
    case = convert_row(SINGLE["case"], data["case"], "case")
    ctx = _Context(case_id=case["id"], parent_id=parent["id"])
    rows = {"parent": _section("parent", [parent], ctx), "case": _section("case", [case], ctx)}
    for section, model in LISTS.items():
        raw = data[section]
        _expect(raw, list, "een lijst", section)
        rows[section] = _section(section, [convert_row(model, item, f"{section}[{i}]")
                                           for i, item in enumerate(raw)], ctx)
        if cancel is not None:
            cancel.check()
    _letter_chains(rows["letters"])
    return Dossier(exported_at=exported_at, rows=rows, access_log=_access_log(data["access_log"]))
