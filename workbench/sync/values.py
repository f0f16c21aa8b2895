"""The values a synced row may hold: one definition for central, the device and the dossier importer.

Types, formats, lengths and nesting come from the field table in `workbench.sync.fields` (read from the ORM
models); the domain rules (the 11-proef, phases, statuses, owners, kinds ...) from the domain's own
vocabularies. A wrong value raises `ValidationError` with a Dutch message and the field's name.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from workbench.cases.phases import PHASES, TRACKS
from workbench.errors import ValidationError
from workbench.parties.values import AANSPREEKVORMEN, CHANNELS, valid_bsn
from workbench.payments.kinds import PARENT, PAYMENT_KINDS
from workbench.plans.vocabulary import (
    ACTION_OWNERS,
    ACTION_STATUSES,
    COMMITMENT_OWNERS,
    COMMITMENT_STATUSES,
    NEED_STATUSES,
    life_domains,
)
from workbench.story.kinds import KINDS as STORY_KINDS
from workbench.sync.fields import FIELDS, FieldRule

LETTER_STATUSES = {"draft": "Concept", "in_review": "Ter beoordeling", "approved": "Goedgekeurd",
                   "issued": "Verzonden", "rejected": "Afgekeurd"}
# Text columns without a length of their own get this cap, so no client can flood the store.
MAX_FREE_TEXT = 100_000
MAX_DEPTH = 16  # nesting of a JSON field (letter field values, facts)
MAX_JSON_ITEMS = 10_000  # values inside one JSON field
MAX_INT = 2**63  # what a 64-bit column holds
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def fail(field: str, message: str) -> NoReturn:
    raise ValidationError(message, field=field)


def kind_of(value: Any) -> str:
    """A JSON value's kind in Dutch, for 'verwacht tekst, gevonden: een object'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "een getal"
    if isinstance(value, str):
        return "tekst"
    return "een lijst" if isinstance(value, list) else "een object"


def expect(value: Any, kind: type | tuple[type, ...], label: str, field: str) -> None:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        fail(field, f"Verwacht {label}, gevonden: {kind_of(value)}.")


def timestamp(value: Any, field: str) -> dt.datetime:
    """An ISO 8601 moment with its time zone."""
    expect(value, str, "een tijdstip als tekst", field)
    try:
        if len(value) > 40:
            raise ValueError(value)
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        fail(field, "Geen geldig tijdstip: gebruik ISO 8601, zoals 2026-11-29T09:30:00+00:00.")
    if when.tzinfo is None:
        fail(field, "Tijdstip mist een tijdzone.")
    try:
        when.astimezone(dt.UTC)
    except OverflowError:
        fail(field, "Tijdstip valt buiten het mogelijke bereik.")
    return when


def date(value: Any, field: str) -> dt.date:
    """A calendar day as jjjj-mm-dd."""
    expect(value, str, "een datum als tekst", field)
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(field, "Geen geldige datum: gebruik jjjj-mm-dd.")


def identifier(value: Any, field: str) -> str:
    """A row id: a UUID in its canonical form (36 characters, lower case)."""
    expect(value, str, "een id als tekst", field)
    if not _UUID.fullmatch(value):  # the canonical form exactly (the pattern is it; no trailing newline)
        fail(field, "Geen geldig id: verwacht een UUID van 36 tekens in kleine letters.")
    return str(value)


def integer(value: Any, field: str) -> int:
    expect(value, int, "een geheel getal", field)
    if not 0 <= value < MAX_INT:
        fail(field, "Getal valt buiten het toegestane bereik.")
    return int(value)


def text(value: Any, field: str, limit: int | None) -> str:
    expect(value, str, "tekst", field)
    most = limit or MAX_FREE_TEXT
    if len(value) > most:
        fail(field, f"Te lang ({len(value):,} tekens; maximaal {most:,}).".replace(",", "."))
    return str(value)


def json_value(value: Any, field: str, shape: type) -> Any:
    """A JSON field: the expected outer shape, at most MAX_DEPTH deep, finite numbers, bounded text."""
    expect(value, shape, "een object" if shape is dict else "een lijst", field)
    stack: list[tuple[Any, int]] = [(value, 1)]
    seen = 0
    while stack:
        item, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH or seen > MAX_JSON_ITEMS:
            fail(field, f"Te diep genest of te groot (maximaal {MAX_DEPTH} niveaus en {MAX_JSON_ITEMS:,} waarden)."
                 .replace(",", "."))
        if isinstance(item, dict):
            for key, inner in item.items():
                text(key, field, 200)
                stack.append((inner, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, depth + 1) for inner in item)
        elif isinstance(item, int) and not isinstance(item, bool) and not -MAX_INT < item < MAX_INT:
            fail(field, "Getal valt buiten het toegestane bereik.")
        elif isinstance(item, float) and not math.isfinite(item):
            fail(field, "Getal is niet eindig (zoals 1e999); alleen gewone getallen zijn toegestaan.")
        elif isinstance(item, str):
            text(item, field, MAX_FREE_TEXT)
        elif item is not None and not isinstance(item, bool | int | float):
            fail(field, f"Onverwachte waarde: {kind_of(item)}.")
    return value


def binary(value: Any, field: str, *, wrapped: bool) -> bytes:
    """Bytes as base64; the sync wire wraps them as ``{"$b64": ...}``, a dossier holds the plain text."""
    if wrapped:
        if not isinstance(value, dict) or set(value) != {"$b64"}:
            fail(field, 'Verwacht {"$b64": base64-tekst}, gevonden: ' + f"{kind_of(value)}.")
        value = value["$b64"]
    expect(value, str, "base64-tekst", field)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        fail(field, "Geen geldige base64-tekst.")


# JSON columns whose value is a list; every other JSON column holds an object.
JSON_LISTS = frozenset({("letter", "policy_versions"), ("letter", "story_entry_ids")})


def wire_value(entity: str, name: str, rule: FieldRule, value: Any, *, field: str, wrapped: bool = True) -> Any:
    """One column's JSON value as the Python value the store holds; `field` is how messages name it."""
    if value is None:
        if rule.nullable:
            return None
        fail(field, "Dit veld mag niet leeg (null) zijn.")
    kind = rule.kind
    if kind in ("id", "ref"):
        return identifier(value, field)
    if kind == "timestamp":
        return timestamp(value, field)
    if kind == "date":
        return date(value, field)
    if kind == "bool":
        expect(value, bool, "true of false", field)
        return value
    if kind == "int":
        return integer(value, field)
    if kind == "json":
        return json_value(value, field, list if (entity, name) in JSON_LISTS else dict)
    if kind == "binary":
        return binary(value, field, wrapped=wrapped)
    return text(value, field, rule.length)


def _bsn(value: str, field: str) -> None:
    if valid_bsn(value, field=field) != value:
        fail(field, "BSN moet precies 9 cijfers zijn, zonder punten of spaties.")


def _among(allowed: Mapping[str, str] | tuple[str, ...], label: str) -> Callable[[str, str], None]:
    def check(value: str, field: str) -> None:
        if value not in allowed:
            fail(field, f"{label} is onbekend: {value[:40]!r}; kies uit {', '.join(allowed)}.")
    return check


def _life_domain(value: str, field: str) -> None:
    _among(life_domains(), "Leefgebied")(value, field)


def _recipient(value: str, field: str) -> None:
    if value != PARENT and not _UUID.fullmatch(value):
        fail(field, f"Ontvanger is '{PARENT}' of het id van een kind.")


_PHASE = _among(PHASES, "Fase")
_COMMITMENT_STATUS = _among(COMMITMENT_STATUSES, "Status")
# The domain rules per field, on top of the field table; a rule sees only text that passed the table.
DOMAIN: dict[tuple[str, str], Callable[[str, str], None]] = {
    ("parent", "bsn"): _bsn, ("child", "bsn"): _bsn, ("ex_partner", "bsn"): _bsn,
    ("parent", "preferred_channel"): _among(CHANNELS, "Voorkeurskanaal"),
    ("parent", "aanspreekvorm"): _among(AANSPREEKVORMEN, "Aanspreekvorm"),
    ("case", "phase"): _PHASE, ("phase_change", "from_phase"): _PHASE, ("phase_change", "to_phase"): _PHASE,
    ("case_track", "track"): _among(TRACKS, "Spoor"),
    ("story_entry", "kind"): _among(STORY_KINDS, "Soort contact"),
    ("need", "life_domain"): _life_domain, ("need", "status"): _among(NEED_STATUSES, "Status"),
    ("action", "owner"): _among(ACTION_OWNERS, "Eigenaar"), ("action", "status"): _among(ACTION_STATUSES, "Status"),
    ("commitment", "owner"): _among(COMMITMENT_OWNERS, "Eigenaar"), ("commitment", "status"): _COMMITMENT_STATUS,
    ("commitment_status_change", "from_status"): _COMMITMENT_STATUS,
    ("commitment_status_change", "to_status"): _COMMITMENT_STATUS,
    ("letter", "status"): _among(LETTER_STATUSES, "Status"),
    ("payment", "kind"): _among(PAYMENT_KINDS, "Soort betaling"), ("payment", "recipient"): _recipient,
}


def check_field(entity: str, name: str, value: Any, *, field: str | None = None, wrapped: bool = True) -> Any:
    """One field of a synced row, type and domain; returns the store's Python value."""
    where = field or name
    rule = FIELDS.get(entity, {}).get(name)
    if rule is None:
        fail(where, "Onbekend veld.")
    converted = wire_value(entity, name, rule, value, field=where, wrapped=wrapped)
    domain = DOMAIN.get((entity, name))
    if domain is not None and converted is not None:
        domain(converted, where)
    return converted


def check_fields(entity: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every given field of one pushed change (a change may carry only some); the first error is raised."""
    return {name: check_field(entity, name, value) for name, value in values.items()}


def references(entity: str, values: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """``(field, target entity, id)`` for every given id pointing at another synced row."""
    syncable = FIELDS.keys()
    return [(name, rule.target, values[name]) for name, rule in FIELDS.get(entity, {}).items()
            if rule.kind == "ref" and rule.target in syncable and isinstance(values.get(name), str)]


def _shape(rule: FieldRule) -> Callable[[Any], bool] | None:
    """What `wire_value` takes of a non-null value of this rule as it is (no error), for the plain JSON types;
    None for the kinds whose check has no short form (json, binary)."""
    kind = rule.kind
    if kind in ("id", "ref"):
        return lambda v: type(v) is str and _UUID.fullmatch(v) is not None
    if kind == "timestamp":
        return _plain_timestamp
    if kind == "date":
        return lambda v: type(v) is str and _DATE.match(v) is not None and _plain_date(v)
    if kind == "bool":
        return lambda v: type(v) is bool
    if kind == "int":
        return lambda v: type(v) is int and 0 <= v < MAX_INT
    if kind in ("json", "binary"):
        return None
    most = rule.length or MAX_FREE_TEXT
    return lambda v: type(v) is str and len(v) <= most


def _plain_timestamp(value: Any) -> bool:
    if type(value) is not str or len(value) > 40:
        return False
    try:
        when = dt.datetime.fromisoformat(value)
        if when.tzinfo is None:
            return False
        when.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return False
    return True


def _plain_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _quick(rule: FieldRule, domain: Callable[[str, str], None] | None, name: str) -> Callable[[Any], bool] | None:
    shape = _shape(rule)
    if shape is None or (domain is not None and rule.kind not in ("id", "ref", "text")):
        return None

    def passes(value: Any) -> bool:
        if value is None:
            return rule.nullable
        if not shape(value):
            return False
        if domain is not None:
            try:
                domain(value, name)
            except ValidationError:
                return False
        return True

    return passes


_QUICK: dict[str, dict[str, Callable[[Any], bool]]] = {}


def quick_checks(entity: str) -> dict[str, Callable[[Any], bool]]:
    """Per field of the entity, a check that is True only for a value `check_field` takes without an error.

    A device adopting a snapshot checks every field of every row (400,000 on a first sync of 1,000 cases): most
    values are plain, and this settles them without `check_field`'s steps. False means "not sure": the caller
    runs `check_field`, which raises with the Dutch message. Fields without a short form are not in the map.
    """
    found = _QUICK.get(entity)
    if found is None:
        built = {name: _quick(rule, DOMAIN.get((entity, name)), name) for name, rule in FIELDS.get(entity, {}).items()}
        found = _QUICK[entity] = {name: check for name, check in built.items() if check is not None}
    return found
