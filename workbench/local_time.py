"""Moments as a person reads them: the date and clock time in the Netherlands, whatever zone a value came in.

Stored and synced moments are UTC. A value without a zone (an older central, a hand-made file) is UTC too:
reading it as local time, or taking its date as it stands, put a sync just after midnight on "gisteren".
"""

from __future__ import annotations

import datetime as dt

from workbench.clock import AMSTERDAM


def local(moment: dt.datetime) -> dt.datetime:
    """`moment` in Dutch local time; a value without a zone is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(AMSTERDAM)


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day in the Netherlands of `moment`."""
    return local(moment).date()


def parse_moment(text: str) -> dt.datetime | None:
    """An ISO moment from a setting or a file, or None when it is not one."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def clock_text(moment: dt.datetime, *, seconds: bool = False) -> str:
    """`14:05` (or `14:05:09`) in local time."""
    return local(moment).strftime("%H:%M:%S" if seconds else "%H:%M")


def moment_text(moment: dt.datetime | None, *, seconds: bool = False, year: bool = True) -> str:
    """`29-11-2026 14:05` in local time (`29-11 14:05` without the year); empty for None."""
    if moment is None:
        return ""
    day = local(moment).strftime("%d-%m-%Y" if year else "%d-%m")
    return f"{day} {clock_text(moment, seconds=seconds)}"
