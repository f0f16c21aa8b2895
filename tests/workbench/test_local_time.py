"""Moments are shown in Dutch local time, also across midnight and for values that came without a zone."""

from __future__ import annotations

import datetime as dt

from workbench.local_time import clock_text, local_day, moment_text, parse_moment

# 23:10 UTC on 4 December is 00:10 on 5 December in Amsterdam (winter time, UTC+1).
JUST_AFTER_MIDNIGHT = dt.datetime(2026, 12, 4, 23, 10, 5, tzinfo=dt.UTC)
SUMMER = dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)  # 00:30 on 2 July (UTC+2)


def test_a_moment_just_after_midnight_is_on_the_dutch_day() -> None:
    assert local_day(JUST_AFTER_MIDNIGHT) == dt.date(2026, 12, 5)
    assert moment_text(JUST_AFTER_MIDNIGHT) == "05-12-2026 00:10"
    assert moment_text(JUST_AFTER_MIDNIGHT, year=False, seconds=True) == "05-12 00:10:05"
    assert clock_text(SUMMER) == "00:30"
    assert local_day(SUMMER) == dt.date(2026, 7, 2)


def test_a_value_without_a_zone_is_utc_not_the_day_it_reads() -> None:
    naive = JUST_AFTER_MIDNIGHT.replace(tzinfo=None)
    assert local_day(naive) == dt.date(2026, 12, 5)
    assert moment_text(naive) == "05-12-2026 00:10"


def test_other_zones_are_converted_and_nothing_is_shown_for_none() -> None:
    new_york = dt.datetime(2026, 12, 4, 18, 10, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert moment_text(new_york) == "05-12-2026 00:10"
    assert moment_text(None) == ""


def test_parse_moment_reads_iso_and_refuses_the_rest() -> None:
    assert parse_moment("2026-12-04T23:10:05+00:00") == JUST_AFTER_MIDNIGHT
    assert parse_moment("gisteren") is None
