"""Half-years of hardship over the periods of one case, for the immaterial damage (component 5).

DOMAIN.md section 2 leaves the start and end points of the half-year count unverified [I]. The reading chosen here
(also in resources/policy/compensatie.json): periods are joined into their union (periods that touch, one ending the
day before the next begins, make one stretch); each stretch counts the half-years it has started, counted from its
first day, so a stretch of one day is one half-year and a stretch of exactly six calendar months is one half-year.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from workbench.policy.facts import HardshipPeriod

MONTHS_PER_HALF_YEAR = 6


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 August + 6 months = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stretches(periods: Iterable[HardshipPeriod]) -> list[HardshipPeriod]:
    """The union of the periods as separate stretches, in date order; touching periods are joined."""
    joined: list[HardshipPeriod] = []
    for period in sorted(periods, key=lambda p: p.start):
        if joined and period.start <= joined[-1].end + dt.timedelta(days=1):
            last = joined[-1]
            joined[-1] = HardshipPeriod(last.start, max(last.end, period.end))
        else:
            joined.append(period)
    return joined


def started_half_years(period: HardshipPeriod) -> int:
    """Half-years started in `period`: the smallest n for which n half-years from its start reach past its end."""
    n = 1
    while add_months(period.start, MONTHS_PER_HALF_YEAR * n) <= period.end:
        n += 1
    return n


def half_years(periods: Iterable[HardshipPeriod]) -> int:
    """The half-years of hardship over the union of `periods` (0 without periods)."""
    return sum(started_half_years(stretch) for stretch in stretches(periods))
