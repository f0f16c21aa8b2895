"""Dates as the handler types them (`29-11-2026` or ISO) and as letters print them."""

from __future__ import annotations

import datetime as dt
import re

from workbench.errors import ValidationError

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
_DUTCH = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def parse_date(value: str | dt.date | None, *, field: str, label: str, required: bool = True) -> dt.date | None:
    """A date from `dd-mm-jjjj` or `jjjj-mm-dd`; a clear message naming the field otherwise."""
    if isinstance(value, dt.date):
        return value
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError(f"{label} is verplicht.", field=field)
        return None
    try:
        m = _DUTCH.match(text)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{label} is geen geldige datum: gebruik dd-mm-jjjj.", field=field) from None


def dutch_date(day: dt.date) -> str:
    """`29 november 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
