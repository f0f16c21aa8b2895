"""Money as integer euro cents: parsing and the Dutch written form (`€ 30.000,00`)."""

from __future__ import annotations

import re

from workbench.errors import ValidationError

_AMOUNT = re.compile(r"^(-)?(?:€\s*)?(\d{1,3}(?:\.\d{3})*|\d+)(?:,(\d{2}))?$")


def format_euro(cents: int) -> str:
    """`3000000` -> `€ 30.000,00`; negative amounts get a leading minus."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}€ {euros:,}".replace(",", ".") + f",{rest:02d}"


def parse_euro(text: str, *, field: str) -> int:
    """Dutch notation (`30.000,00`, `€ 1500`) to cents; never goes through float."""
    raw = (text or "").strip().replace(" ", "")
    m = _AMOUNT.match(raw.replace("€", "€")) if raw else None
    if not m:
        raise ValidationError("Bedrag is ongeldig: schrijf het als 1.234,56.", field=field)
    euros = int(m.group(2).replace(".", ""))
    cents = euros * 100 + int(m.group(3) or 0)
    return -cents if m.group(1) else cents
