"""The aanhef of a letter to a person, from their aanspreekvorm: "Beste mevrouw Van Nus", "Beste Amira van Nus"."""

from __future__ import annotations

from typing import Protocol

TITLES = {"mevrouw": "mevrouw", "meneer": "meneer"}


class Named(Protocol):
    """Anything with Dutch name parts (a parent, a child); an aanspreekvorm is optional (neutral without)."""

    voornamen: str
    voorletters: str
    tussenvoegsel: str
    achternaam: str


def _capitalised(tussenvoegsel: str) -> str:
    # Starting the name, a tussenvoegsel takes a capital ("mevrouw Van Nus"); "'t" keeps its apostrophe first.
    return tussenvoegsel[:1].upper() + tussenvoegsel[1:]


def surname(person: Named) -> str:
    """The surname as it stands after a title or on its own: `Van der Berg`, `'t Hart`, `Jansen`."""
    tussenvoegsel = (person.tussenvoegsel or "").strip()
    return " ".join(p for p in (_capitalised(tussenvoegsel), (person.achternaam or "").strip()) if p)


def full_name(person: Named) -> str:
    """First voornaam (or the voorletters) with the surname: `Amira van Nus`, `A. van Nus`."""
    first = (person.voornamen or "").split()[:1] or [(person.voorletters or "").strip()]
    tussenvoegsel = (person.tussenvoegsel or "").strip()
    if not first[0]:
        return surname(person)
    return " ".join(p for p in (first[0], tussenvoegsel, (person.achternaam or "").strip()) if p)


def salutation(person: Named) -> str:
    """The aanhef without its comma: `Beste mevrouw Van Nus`, `Beste meneer Jansen`, `Beste Amira van Nus`."""
    title = TITLES.get(getattr(person, "aanspreekvorm", "neutraal") or "neutraal")
    return f"Beste {title} {surname(person)}" if title else f"Beste {full_name(person)}"
