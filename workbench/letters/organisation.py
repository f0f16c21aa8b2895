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
        mandate: the mandate line of a besluit: on whose behalf it is taken (Awb 10:10, [I] in DOMAIN.md).
        reply_within_days: how many days a parent gets to reply to a letter that asks for a reaction (a house
            choice, not law; the printed reply-by date is the letter date plus this).
    """

    name: str
    postal_address: str
    defaults: MappingProxyType[str, str]
    mandate: str = ""
    reply_within_days: int = 14


@cache
def organisation() -> Organisation:
    """The shipped organisation file, read once per process."""
    data = load_json("letters", FILE)
    try:
        defaults = data["defaults"]
        org = Organisation(name=str(data["name"]).strip(), postal_address=str(data["postal_address"]).strip(),
                           defaults=MappingProxyType({str(k): str(v).strip() for k, v in defaults.items()}),
                           mandate=str(data["mandate"]).strip(), reply_within_days=int(data["reply_within_days"]))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise BugError(f"letters/{FILE} is malformed: {exc}") from None
    if not org.name or not org.mandate:
        raise BugError(f"letters/{FILE}: name or mandate is empty")
    if not 1 <= org.reply_within_days <= 90:
        raise BugError(f"letters/{FILE}: reply_within_days must be 1-90")
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
