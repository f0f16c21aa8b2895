"""What `workbench letters` reads from its options: --set FIELD=VALUE per the template's field types, --facts
FILE.json as CaseFacts, and errors that name a field by its Dutch label instead of its key."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from workbench.errors import NotFound, UserError, ValidationError
from workbench.letters.queries import CONSENT_FIELDS, derived_fields
from workbench.letters.templates import Template, load_template
from workbench.money import parse_euro
from workbench.policy.facts import SCHEMES, CaseFacts, ToeslagYear
from workbench.policy.stored_facts import facts_from_json
from workbench.store.unit_of_work import UnitOfWork

OPTIONS = {"case": "--case", "reference": "--case", "template": "--template", "set": "--set",
           "assessment": "--facts", "out": "--out", "phase": "--phase", "status": "--status",
           "comment": "--comment", "letter": "LETTER_ID", "child_id": "--child",
           "related_letter_id": "--set"}
_PATH = re.compile(r"^(?P<name>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<sub>\w+))?$")


def is_besluit(template: Template) -> bool:
    """A template that decides (a beschikking, or any later decision kind) rather than a plain letter."""
    return template.kind != "letter"


def kind_word(template: Template) -> str:
    return "besluit" if is_besluit(template) else "brief"


def template_named(template_id: str) -> Template:
    """The template, or one Dutch line that says how to find the right id."""
    try:
        return load_template(template_id)
    except NotFound:
        raise NotFound(f"Sjabloon {template_id!r} bestaat niet. Zie `workbench letters templates`.",
                       field="template") from None


def parse_sets(template: Template, pairs: list[str] | None) -> dict[str, Any]:
    """The values given with --set, each converted for its field's type: text and dates as typed (dd-mm-jjjj),
    money as "30.000,00", whole numbers as digits and lists as JSON."""
    values: dict[str, Any] = {}
    for pair in pairs or ():
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValidationError(f"--set verwacht VELD=WAARDE, niet {pair!r}.", field="set")
        spec = template.field(name)
        if spec is None:
            known = ", ".join(f.name for f in template.fields)
            raise ValidationError(f"Sjabloon {template.id} kent het veld {name!r} niet. Velden: {known}.",
                                  field="set")
        if name in values:
            raise ValidationError(f"Het veld {name} staat twee keer in --set.", field="set")
        label = plain_label(spec.label)
        if name in CONSENT_FIELDS:  # filled from the records: the consent, the payment behind a pause
            raise ValidationError(f"{label} komt uit wat is vastgelegd (toestemming of betaling); geef het niet met "
                                  "--set.", field="set")
        if name in derived_fields(template):  # computed for the letter date; a typed value would be overwritten
            if is_besluit(template) or spec.derived == "assessment":
                raise ValidationError(f"{label} berekent de Zaakwerkbank uit de feiten; geef die met --facts.",
                                      field="set")
            raise ValidationError(f"{label} berekent de Zaakwerkbank voor de datum van de brief; geef het niet "
                                  "met --set.", field="set")
        values[name] = _typed(spec.type, raw, name=name, label=label)
    return values


def _typed(kind: str, raw: str, *, name: str, label: str) -> Any:
    if kind == "money":
        return parse_euro(raw, field=name)
    if kind == "int":
        if not raw.strip().isdigit():
            raise ValidationError(f"{label} moet een heel getal zijn.", field=name)
        return int(raw)
    if kind == "list":
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = None
        if not isinstance(value, list):
            raise ValidationError(f'{label} is een lijst: geef JSON, zoals ["eerste", "tweede"].', field=name)
        return value
    return raw


def load_facts(path: Path | None, template: Template, *, today: dt.date) -> CaseFacts | None:
    """The facts a besluit (or a letter that shows amounts) is computed from (--facts FILE.json), or None.

    The file holds one CaseFacts as JSON: amounts in whole cents, dates as jjjj-mm-dd; `scheme` defaults to the
    template's, `decision_date` to today (the service computes the amounts for the letter date anyway).
    Raises ValidationError naming --facts and the path inside the file.
    """
    computed = any(f.derived == "assessment" for f in template.fields)  # a vooraankondiging shows amounts too
    if not is_besluit(template):
        if path is not None and not computed:
            raise ValidationError(f"Sjabloon {template.id} rekent niets uit: --facts hoort er niet bij.",
                                  field="--facts")
        if path is None:
            return None
    if path is None:
        if template.addressee_role == "child":  # the facts are the child's own birth date (child_addressee.py)
            return None
        raise ValidationError(f"Sjabloon {template.id} is een besluit: geef de feiten met --facts BESTAND.json.",
                              field="--facts")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(f"Kan {path} niet lezen: {exc.strerror or exc}.", field="--facts") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(f"{path} is geen geldige JSON.", field="--facts") from None
    return _facts(data, default_scheme=_scheme_for(template), today=today)


def _scheme_for(template: Template) -> str:
    scheme = template.id.removeprefix("beschikking_")
    return scheme if scheme in SCHEMES else "integrale_beoordeling"


def _facts(data: Any, *, default_scheme: str, today: dt.date) -> CaseFacts:
    if not isinstance(data, dict):
        raise ValidationError("Het feitenbestand moet één JSON-object zijn.", field="--facts")
    data = {"scheme": default_scheme, **data}
    day = _day(data.pop("decision_date", None), "decision_date") or today
    # Unknown names are refused here with their place; the types are checked by CaseFacts itself.
    _known(data, frozenset(f.name for f in dataclasses.fields(CaseFacts)), "")
    for i, year in enumerate(data.get("years") or ()):
        if isinstance(year, dict):
            _known(year, frozenset(f.name for f in dataclasses.fields(ToeslagYear)), f"years[{i}].")
    wrong_kind = ValidationError("Het feitenbestand klopt niet: controleer de soort van elk gegeven (bedragen in "
                                 "hele centen, datums als jjjj-mm-dd, lijsten als [...]).", field="--facts")
    try:
        return facts_from_json(data, decision_date=day)
    except (AttributeError, TypeError, ValueError):  # a value of the wrong kind where an object or list belongs
        raise wrong_kind from None
    except ValidationError as exc:
        if exc.field == "facts":  # the stored-facts reader's own message speaks of stored data
            raise wrong_kind from None
        raise ValidationError(exc.message, field=f"--facts {exc.field}" if exc.field else "--facts") from None


def _known(data: dict[str, Any], keys: frozenset[str], prefix: str) -> None:
    unknown = sorted(set(data) - keys)
    if unknown:
        raise ValidationError(f"Onbekend gegeven in het feitenbestand: {prefix}{unknown[0]}.",
                              field=f"--facts {prefix}{unknown[0]}")


def _day(value: Any, path: str) -> dt.date | None:
    if value is None:
        return None
    try:
        if isinstance(value, str):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ValidationError(f"{path} is geen geldige datum: gebruik jjjj-mm-dd.", field=f"--facts {path}")


def plain_label(label: str) -> str:
    """`Aanhef (bijvoorbeeld: Beste mevrouw Jansen)` -> `Aanhef`."""
    return label.split(" (", 1)[0]


def labelled(exc: UserError, template: Template | None) -> UserError:
    """The error with its field named as the user knows it: the template's Dutch label or the option; no field
    at all when the message already names it."""
    field = exc.field
    if not field or field.startswith("--"):
        return _with_field(exc, field if field and field.removeprefix("--facts ") not in exc.message else None)
    match = _PATH.match(field)
    spec = template.field(match.group("name")) if template is not None and match else None
    if spec is not None and match is not None:
        label = plain_label(spec.label)
        if match.group("index") is not None:
            label += f", regel {int(match.group('index')) + 1}"
        if match.group("sub"):
            label += f", {match.group('sub')}"
    else:
        label = OPTIONS.get(field, field)
    return _with_field(exc, None if label in exc.message else label)


def _with_field(exc: UserError, field: str | None) -> UserError:
    try:
        copy = type(exc)(exc.message, field=field)
    except TypeError:  # an error that builds its own message (Cancelled)
        return exc
    copy.__cause__ = exc.__cause__
    return copy


def child_named(uow: UnitOfWork, case_id: str, text: str | None) -> str | None:
    """The id of the case's child given with --child: its id, its full name or its first voornaam."""
    if text is None:
        return None
    from workbench.letters.child_addressee import children_of_case

    children = children_of_case(uow, case_id)
    wanted = " ".join(text.split()).casefold()
    found = [c for c in children if wanted in (c.id, c.name.casefold(), c.name.split()[0].casefold())]
    if len(found) == 1:
        return found[0].id
    names = ", ".join(c.name for c in children) or "geen"
    if found:
        raise ValidationError(f"Er zijn meer kinderen met de naam {text!r}; geef de volledige naam. Kinderen: "
                              f"{names}.", field="child_id")
    raise ValidationError(f"Deze zaak heeft geen kind {text!r}. Kinderen: {names}.", field="child_id")
