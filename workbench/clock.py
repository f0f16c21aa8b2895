"""The time source: UTC now and today in Europe/Amsterdam, replaceable in tests."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real clock, always timezone-aware UTC."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


def today(clock: Clock) -> dt.date:
    """The calendar date in the Netherlands at this moment."""
    return clock.now().astimezone(AMSTERDAM).date()
