"""Validated value types for people: BSN (11-proef), Dutch postcode, name parts, contact details."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn

from workbench.errors import ValidationError

CHANNELS = {"telefoon": "Telefoon", "email": "E-mail", "post": "Post", "huisbezoek": "Huisbezoek"}
# How letters address the parent (letters/salutation.py): "Beste mevrouw Van Nus", or the full name without a title.
AANSPREEKVORMEN = {"mevrouw": "Mevrouw", "meneer": "Meneer", "neutraal": "Neutraal (volledige naam)"}
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Z]{2})$")
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]*)*\.?$")
_VOORLETTERS = re.compile(r"^(?:[^\W\d_]{1,2}\.)+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")
TUSSENVOEGSELS = frozenset(
    {"", "van", "de", "van de", "van der", "van den", "den", "der", "ter", "ten", "te", "van 't", "in 't",
     "'t", "op de", "op den", "in de", "van het", "el", "al", "da", "du", "la", "le", "von", "zu"}
)


def valid_bsn(value: str, *, field: str = "bsn") -> str:
    """The BSN as nine digits if it passes the 11-proef (python-stdnum); 000000000 is refused too."""
    raw = (value or "").strip().replace(".", "").replace(" ", "")
    if not raw:
        raise ValidationError("BSN is verplicht.", field=field)
    try:
        number = stdnum_bsn.validate(raw)
    except StdnumError:
        raise ValidationError("BSN is ongeldig: het moet 9 cijfers zijn en de 11-proef doorstaan.",
                              field=field) from None
    if int(number) == 0:
        raise ValidationError("BSN is ongeldig: 000000000 bestaat niet.", field=field)
    return str(number)


def mask_bsn(bsn: str) -> str:
    """The BSN as shown by default: only the last four digits."""
    return "•••••" + bsn[-4:] if bsn else ""


def valid_postcode(value: str, *, field: str = "postcode") -> str:
    """A Dutch postcode in its written form `1234 AB`; SA, SD and SS are never issued."""
    raw = (value or "").strip().upper()
    m = _POSTCODE.match(raw)
    if not m or m.group(2) in {"SA", "SD", "SS"}:
        raise ValidationError("Postcode is ongeldig: gebruik vier cijfers en twee letters, zoals 1234 AB.",
                              field=field)
    return f"{m.group(1)} {m.group(2)}"


def valid_name(value: str, *, field: str, label: str, required: bool = True, max_len: int = 200) -> str:
    """A name part: letters (with diacritics), spaces, hyphens, apostrophes; no digits."""
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise ValidationError(f"{label} is verplicht.", field=field)
        return ""
    if len(text) > max_len:
        raise ValidationError(f"{label} is te lang (maximaal {max_len} tekens).", field=field)
    if not _NAME.match(text):
        raise ValidationError(f"{label} mag alleen letters, spaties, koppeltekens en apostrofs bevatten.",
                              field=field)
    return text


@dataclass(frozen=True)
class NameParts:
    """A Dutch name as its parts; `display` gives the form used in lists and letters."""

    achternaam: str
    voorletters: str = ""
    voornamen: str = ""
    tussenvoegsel: str = ""

    @classmethod
    def parse(cls, *, achternaam: str, voorletters: str = "", voornamen: str = "",
              tussenvoegsel: str = "") -> NameParts:
        tv = " ".join((tussenvoegsel or "").split()).lower()
        if tv not in TUSSENVOEGSELS:
            raise ValidationError("Tussenvoegsel is onbekend (bijvoorbeeld: van, de, van der).",
                                  field="tussenvoegsel")
        vl = (voorletters or "").replace(" ", "")
        if vl and not _VOORLETTERS.match(vl):
            raise ValidationError("Voorletters zijn ongeldig: schrijf ze als J.A.", field="voorletters")
        return cls(
            achternaam=valid_name(achternaam, field="achternaam", label="Achternaam"),
            voorletters=vl,
            voornamen=valid_name(voornamen, field="voornamen", label="Voornamen", required=False),
            tussenvoegsel=tv,
        )

    @property
    def display(self) -> str:
        first = self.voornamen.split(" ")[0] if self.voornamen else self.voorletters
        return " ".join(p for p in (first, self.tussenvoegsel, self.achternaam) if p)

    @property
    def formal(self) -> str:
        """`J.A. van der Berg`: the form for an address block."""
        return " ".join(p for p in (self.voorletters, self.tussenvoegsel, self.achternaam) if p)


def valid_email(value: str, *, field: str = "email") -> str:
    text = (value or "").strip()
    if text and (len(text) > 200 or not _EMAIL.match(text)):
        raise ValidationError("E-mailadres is ongeldig.", field=field)
    return text


def valid_phone(value: str, *, field: str = "phone") -> str:
    text = (value or "").strip()
    if text and not _PHONE.match(text):
        raise ValidationError("Telefoonnummer is ongeldig: gebruik 10 cijfers, zoals 06 12345678.", field=field)
    return text
