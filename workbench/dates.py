"""Dates as the handler types them (`29-11-2026`, `29112026`, `5-1-27`, `5-1` or ISO) and as letters print them."""

from __future__ import annotations

import datetime as dt
import re

from workbench.errors import ValidationError

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
_SEP = r"[-/. ]"
_FULL = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{4}})$")
_SHORT_YEAR = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{1,2}}){_SEP}(\d{{2}})$")
_NO_YEAR = re.compile(rf"^(\d{{1,2}}){_SEP}(\d{{1,2}})$")
_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A two-digit year means the century that puts it at most this many years after today: with 2026, "46" is
# 2046 and "47" is 1947. Deadlines lie a few years ahead at most; birth dates lie decades back.
YEARS_AHEAD = 20
FORMS = "dd-mm-jjjj, ddmmjjjj, d-m-jj of d-m"


def full_year(two_digits: int, today: dt.date) -> int:
    """`27` -> 2027 (with today in 2026); `78` -> 1978: see YEARS_AHEAD."""
    century = today.year - today.year % 100
    year = century + two_digits
    if year > today.year + YEARS_AHEAD:
        year -= 100
    elif year <= today.year + YEARS_AHEAD - 100:
        year += 100
    return year


def _parts(text: str, today: dt.date) -> tuple[int, int, int] | None:
    """(year, month, day) as typed, or None when the text has none of the accepted forms."""
    for pattern in (_FULL, _DIGITS):
        m = pattern.match(text)
        if m:
            return int(m.group(3)), int(m.group(2)), int(m.group(1))
    m = _SHORT_YEAR.match(text)
    if m:
        return full_year(int(m.group(3)), today), int(m.group(2)), int(m.group(1))
    m = _NO_YEAR.match(text)
    if m:  # this year, also when the day has passed: simple to predict, and the field shows the year it took
        return today.year, int(m.group(2)), int(m.group(1))
    if _ISO.match(text):
        return int(text[:4]), int(text[5:7]), int(text[8:])
    return None


def parse_date(value: str | dt.date | None, *, field: str, label: str, required: bool = True,
               today: dt.date | None = None) -> dt.date | None:
    """A date from the forms in FORMS or ISO `jjjj-mm-dd`; a clear message naming the field otherwise.

    `today` decides the century of a two-digit year and the year of `d-m` (the system date when not given).
    """
    if isinstance(value, dt.date):
        return value
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError(f"{label} is verplicht.", field=field)
        return None
    parts = _parts(text, today or dt.date.today())
    if parts is None:
        raise ValidationError(f"{label} is geen geldige datum: typ bijvoorbeeld 15-12-2026, 15122026 of 15-12.",
                              field=field)
    year, month, day = parts
    if not 1 <= month <= 12:
        raise ValidationError(f"{label} is geen geldige datum: maand {month} bestaat niet.", field=field)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(f"{label} is geen geldige datum: {MONTHS[month - 1]} {year} heeft geen dag {day}.",
                              field=field) from None


def dutch_date(day: dt.date) -> str:
    """`29 november 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
