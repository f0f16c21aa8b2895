"""Dates as people type them: dd-mm-jjjj, ddmmjjjj, d-m-jj (two-digit year pivot), d-m (this year), ISO."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.dates import full_year, parse_date
from workbench.errors import ValidationError

TODAY = dt.date(2026, 12, 5)


@pytest.mark.parametrize(("typed", "day"), [
    ("15-12-2026", dt.date(2026, 12, 15)),
    ("15/12/2026", dt.date(2026, 12, 15)),
    ("15.12.2026", dt.date(2026, 12, 15)),
    ("5-1-2027", dt.date(2027, 1, 5)),
    ("15122026", dt.date(2026, 12, 15)),
    ("05012027", dt.date(2027, 1, 5)),
    ("5-1-27", dt.date(2027, 1, 5)),
    ("05-01-27", dt.date(2027, 1, 5)),
    ("3-4-78", dt.date(1978, 4, 3)),       # a birth date: decades back
    ("1-1-46", dt.date(2046, 1, 1)),       # 20 years ahead is the last year of this century
    ("1-1-47", dt.date(1947, 1, 1)),
    ("5-1", dt.date(2026, 1, 5)),          # d-m is this year, also when that day has passed
    ("24-12", dt.date(2026, 12, 24)),
    (" 2026-12-15 ", dt.date(2026, 12, 15)),
])
def test_the_forms_people_type_are_accepted(typed: str, day: dt.date) -> None:
    assert parse_date(typed, field="due_on", label="Uiterste datum", today=TODAY) == day


@pytest.mark.parametrize(("typed", "says"), [
    ("15132026", "maand 13 bestaat niet"),
    ("31-02-2026", "februari 2026 heeft geen dag 31"),
    ("31-4", "april 2026 heeft geen dag 31"),
    ("1512202", "typ bijvoorbeeld 15-12-2026"),
    ("morgen", "typ bijvoorbeeld 15-12-2026"),
    ("15-12-026", "typ bijvoorbeeld 15-12-2026"),
])
def test_a_wrong_date_is_named_with_the_field(typed: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(typed, field="due_on", label="Uiterste datum", today=TODAY)
    assert caught.value.field == "due_on"
    assert caught.value.text().startswith("Uiterste datum is geen geldige datum")
    assert says in caught.value.text()


def test_two_digit_years_follow_the_pivot_as_time_goes_on() -> None:
    assert full_year(30, dt.date(2026, 1, 1)) == 2030
    assert full_year(50, dt.date(2035, 1, 1)) == 2050 and full_year(56, dt.date(2035, 1, 1)) == 1956
    assert full_year(5, dt.date(2095, 1, 1)) == 2105


def test_empty_is_none_unless_required() -> None:
    assert parse_date("  ", field="due_on", label="Datum", required=False) is None
    with pytest.raises(ValidationError, match="Datum is verplicht"):
        parse_date("", field="due_on", label="Datum")
