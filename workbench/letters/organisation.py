"""The sending organisation as configuration (resources/letters/organisation.json): name and field defaults."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from workbench.errors import BugError
from workbench.letters.templates import Template
from workbench.resources import load_json

FILE = "organisation.json"


@dataclass(frozen=True)
class Organisation:
    """Who sends the letters.

    Attributes:
        name: printed in the letterhead, the return address and the PDF's author.
        postal_address: the return address line above the window.
        defaults: values for letter fields that are the same for every letter (objection_address,
            contact_phone); a letter that gives its own value keeps it.
    """

    name: str
    postal_address: str
    defaults: MappingProxyType[str, str]


@cache
def organisation() -> Organisation:
    """The shipped organisation file, read once per process."""
    data = load_json("letters", FILE)
    try:
        defaults = data["defaults"]
        org = Organisation(name=str(data["name"]).strip(), postal_address=str(data["postal_address"]).strip(),
                           defaults=MappingProxyType({str(k): str(v).strip() for k, v in defaults.items()}))
    except (KeyError, TypeError, AttributeError) as exc:
        raise BugError(f"letters/{FILE} is malformed: {exc}") from None
    if not org.name:
        raise BugError(f"letters/{FILE}: name is empty")
    return org


def with_defaults(template: Template, values: dict[str, Any]) -> dict[str, Any]:
    """`values` with the organisation's defaults filled in for the template's fields that were left empty.

    An empty default stays empty, so the template's own check still names the missing field.
    """
    merged = dict(values)
    for name, default in organisation().defaults.items():
        current = merged.get(name)
        if template.field(name) is not None and (current is None or (isinstance(current, str) and not current.strip())):
            merged[name] = default
    return merged
