"""The parameters each policy rule must carry, their kinds, and their validation when a table is loaded."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from workbench.errors import BugError

CENTS = "cents"  # whole euro cents, an integer >= 0
PERCENT = "percent"  # "25" or "12.5" (a string, or an integer); never a float, so no binary rounding creeps in
COUNT = "count"  # an integer >= 0 (weeks, years of age)
DATE = "date"  # "jjjj-mm-dd"
AGE_BANDS = "age_bands"  # [{"min_age": 0, "max_age": 5, "amount_cents": 200000}, ..., {..., "max_age": null, ...}]
TERM = "term"  # exactly one of {"weeks": n}, {"years": n}, {"ends_before": "jjjj-mm-dd"}

RULES: dict[str, dict[str, str]] = {
    "catshuis": {"amount_cents": CENTS},
    "compensatie": {"material_damage_percent": PERCENT, "immaterial_per_half_year_cents": CENTS,
                    "extra_percent": PERCENT},
    "ogs": {"percent": PERCENT},
    "kindregeling": {"age_reference_date": DATE, "eligibility_age_date": DATE, "eligibility_max_age": COUNT,
                     "born_on_or_before": DATE, "age_bands": AGE_BANDS, "own_account_from_age": COUNT},
    "ex_partner": {"amount_cents": CENTS},
    "bezwaartermijn": {"term": TERM},
    "bezwaartermijn_awb": {"term": TERM},
    "beslistermijn_bezwaar": {"weeks": COUNT, "weeks_with_advisory_committee": COUNT},
    "beroepstermijn": {"term": TERM},
    "aanvullende_schade": {"request_months_after_final": COUNT, "last_day_at_least": DATE},
    "pauzeknop_private_schulden": {"months": COUNT, "debts_arisen_before": DATE},
    "bac_advies": {"advice_optional_from": DATE},
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^\d{1,3}(\.\d+)?$")


@dataclass(frozen=True)
class AgeBand:
    """One row of an age table.

    Attributes:
        min_age: the lowest age in whole years this row covers.
        max_age: the highest age it covers, or None for "and older".
        amount_cents: what a child of that age receives.
    """

    min_age: int
    max_age: int | None
    amount_cents: int

    def describe(self) -> str:
        """The band in plain Dutch for a letter: `6 tot en met 11 jaar`, `18 jaar of ouder`."""
        if self.max_age is None:
            return f"{self.min_age} jaar of ouder"
        return f"{self.min_age} tot en met {self.max_age} jaar"


@dataclass(frozen=True)
class AgeTable:
    """Contiguous age bands from 0 upwards; the last band is open-ended.

    Attributes:
        bands: the rows, youngest first.
    """

    bands: tuple[AgeBand, ...]

    def amount_for(self, age: int) -> int:
        """The amount for a child of `age` whole years."""
        return self.band_for(age).amount_cents

    def band_for(self, age: int) -> AgeBand:
        """The row that covers a child of `age` whole years."""
        for band in self.bands:
            if band.min_age <= age and (band.max_age is None or age <= band.max_age):
                return band
        raise BugError(f"age table has no band for age {age}")


@dataclass(frozen=True)
class Term:
    """A period to act in: a number of weeks or years from the day after a date, or a fixed end.

    Attributes:
        weeks: the length in weeks, or None.
        years: the length in years, or None.
        ends_before: the term runs until (not including) this day, whatever the start; or None.
    """

    weeks: int | None = None
    years: int | None = None
    ends_before: dt.date | None = None


ParamValue = int | Fraction | dt.date | AgeTable | Term


def parse_parameters(rule: str, raw: Any, where: str) -> dict[str, ParamValue]:
    """Validate `raw` against the rule's schema; `where` (file and field path) starts every error message."""
    schema = RULES[rule]
    obj = _object(raw, where)
    unknown = sorted(set(obj) - set(schema))
    if unknown:
        raise BugError(f"{where}.{unknown[0]}: unknown parameter for rule {rule!r}")
    values: dict[str, ParamValue] = {}
    for name, kind in schema.items():
        if name not in obj:
            raise BugError(f"{where}.{name}: missing ({kind})")
        values[name] = _PARSERS[kind](obj[name], f"{where}.{name}")
    return values


def parse_date(raw: Any, where: str) -> dt.date:
    """An ISO date string (`2022-11-05`) and nothing looser."""
    if not isinstance(raw, str) or not _ISO_DATE.match(raw):
        raise BugError(f"{where}: expected a date as \"jjjj-mm-dd\", got {raw!r}")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BugError(f"{where}: {raw!r} is not a real date") from None


def _object(raw: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(raw, dict):
        raise BugError(f"{where}: expected an object, got {type(raw).__name__}")
    return raw


def _count(raw: Any, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise BugError(f"{where}: expected a whole number >= 0, got {raw!r}")
    return raw


def _cents(raw: Any, where: str) -> int:
    if isinstance(raw, float):
        raise BugError(f"{where}: amounts are whole cents as an integer (3000000 for EUR 30,000), not {raw!r}")
    return _count(raw, where)


def _percent(raw: Any, where: str) -> Fraction:
    if isinstance(raw, bool | float):
        raise BugError(f"{where}: write a percentage as a string such as \"25\" or \"12.5\", not the float {raw!r}")
    if isinstance(raw, int):
        raw = str(raw)
    if not isinstance(raw, str) or not _DECIMAL.match(raw):
        raise BugError(f"{where}: expected a percentage such as \"25\" or \"12.5\", got {raw!r}")
    value = Fraction(raw)
    if value > 100:
        raise BugError(f"{where}: a percentage cannot be above 100, got {raw!r}")
    return value


def _age_bands(raw: Any, where: str) -> AgeTable:
    if not isinstance(raw, list) or not raw:
        raise BugError(f"{where}: expected a non-empty list of age bands")
    bands: list[AgeBand] = []
    expected_min = 0
    for i, item in enumerate(raw):
        here = f"{where}[{i}]"
        obj = _object(item, here)
        if set(obj) != {"min_age", "max_age", "amount_cents"}:
            raise BugError(f"{here}: needs exactly min_age, max_age and amount_cents")
        min_age = _count(obj["min_age"], f"{here}.min_age")
        if min_age != expected_min:
            raise BugError(f"{here}.min_age: bands must follow on without gaps or overlaps; expected {expected_min}")
        last = i == len(raw) - 1
        max_age: int | None = None
        if obj["max_age"] is None:
            if not last:
                raise BugError(f"{here}.max_age: only the last band may be open-ended (null)")
        else:
            max_age = _count(obj["max_age"], f"{here}.max_age")
            if max_age < min_age:
                raise BugError(f"{here}.max_age: {max_age} is below min_age {min_age}")
            if last:
                raise BugError(f"{here}.max_age: the last band must be open-ended (null)")
            expected_min = max_age + 1
        bands.append(AgeBand(min_age, max_age, _cents(obj["amount_cents"], f"{here}.amount_cents")))
    return AgeTable(tuple(bands))


def _term(raw: Any, where: str) -> Term:
    obj = _object(raw, where)
    if len(obj) != 1 or not set(obj) <= {"weeks", "years", "ends_before"}:
        raise BugError(f"{where}: expected exactly one of weeks, years or ends_before, got {sorted(obj)}")
    if "ends_before" in obj:
        return Term(ends_before=parse_date(obj["ends_before"], f"{where}.ends_before"))
    key = next(iter(obj))
    length = _count(obj[key], f"{where}.{key}")
    if length == 0:
        raise BugError(f"{where}.{key}: a term must be at least 1")
    return Term(weeks=length) if key == "weeks" else Term(years=length)


_PARSERS: dict[str, Callable[[Any, str], ParamValue]] = {
    CENTS: _cents, PERCENT: _percent, COUNT: _count, DATE: parse_date, AGE_BANDS: _age_bands, TERM: _term,
}
