"""Fixed reference dates and the seeded helpers every demo generator shares (ids, days, times)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

# The demo world's "today": fixed, so one seed always gives the same store, whatever the real date is.
BASE_DATE = dt.date(2026, 11, 29)
# What `updated_at` says on every demo row (the morning of the base date, UTC).
BASE_TIME = dt.datetime(2026, 11, 29, 7, 0, tzinfo=dt.UTC)
# Registration for the recovery operation closed on 1 January 2024 (DOMAIN.md 1.1).
FIRST_OPENED = dt.date(2020, 9, 1)
LAST_OPENED = dt.date(2023, 12, 31)


def new_id(rng: random.Random) -> str:
    """A UUID4 text made from the seeded generator, so ids repeat with the seed."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day in [first, last]; `first` when the range is empty."""
    span = (last - first).days
    return first if span <= 0 else first + dt.timedelta(days=rng.randint(0, span))


def office_time(rng: random.Random, day: dt.date) -> dt.datetime:
    """A UTC moment during office hours on `day`, on a five-minute mark."""
    return dt.datetime(day.year, day.month, day.day, rng.randint(7, 16), 5 * rng.randint(0, 11), tzinfo=dt.UTC)


def weighted(rng: random.Random, options: Sequence[T], weights: Sequence[float]) -> T:
    return rng.choices(options, weights)[0]


def dutch_amount(cents: int) -> str:
    """`1.250,00` style, without the euro sign."""
    euros, rest = divmod(cents, 100)
    return f"{euros:,}".replace(",", ".") + f",{rest:02d}"
