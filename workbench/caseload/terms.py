"""The thresholds the figures use, and a case's decision term where only the policy tables know it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbench import local_time as local
from workbench.i18n import ngettext
from workbench.policy.versions import PolicyBook, default_book

# More days than this since the last contact with the parent and the case is "no recent contact".
NO_CONTACT_DAYS = 30
# A decision due within this many days from today (today included) is "near its term".
NEAR_TERM_DAYS = 14
# The window of the promise-reliability rate: commitments due in [today - 90, today).
RELIABILITY_DAYS = 90
# Below this rate (with at least RELIABILITY_MIN_DUE promises due) the rate itself becomes a signal.
RELIABILITY_SIGNAL = 0.8
RELIABILITY_MIN_DUE = 3
# A device that has not synced for more than this many days hides its handler's work from the team.
STALE_SYNC_DAYS = 3
# A letter waiting for review longer than this many days is a signal.
REVIEW_WAIT_DAYS = 5
# Story entries that are contact with the parent. `overleg` (a meeting about the parent, with the gemeente
# or colleagues) and `notitie` (the handler's own note) are work on the case, not contact with the parent.
CONTACT_KINDS = ("huisbezoek", "telefoon", "e-mail", "brief")
# The phase whose decision term the policy tables define (beslistermijn op bezwaar, Awb 7:10).
OBJECTION_PHASE = "bezwaar"
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DecisionDue:
    """When a case's decision is due, and where that date comes from.

    Attributes:
        due_on: the last day of the term (inclusive).
        policy_version: None when the case records the date itself (`Case.decision_due_on`); otherwise the
            id of the beslistermijn_bezwaar version it was derived from.
    """

    due_on: dt.date
    policy_version: str | None


def decision_due(*, recorded: dt.date | None, phase: str, objection_due_on: dt.date | None,
                 phase_since: dt.date, book: PolicyBook | None = None) -> DecisionDue | None:
    """The decision term of an open case.

    The date on the case (`decision_due_on`) wins. Without one, a case in phase `bezwaar` gets the
    beslistermijn op bezwaar from the policy version in force on the term's first day, with the advisory
    committee's length (UHT's bezwaren go to the BAC): counted from the day after the bezwaartermijn
    ends (`objection_due_on`), or, when that is not recorded, from the day after the case entered the
    phase (the bezwaar's arrival; earlier than the legal start, so the figure errs towards warning).
    Other phases have no decision term in the policy tables (DOMAIN.md: not verified), so None.
    """
    if recorded is not None:
        return DecisionDue(recorded, None)
    if phase != OBJECTION_PHASE:
        return None
    start = (objection_due_on or phase_since) + _ONE_DAY
    version = (book or default_book()).in_force("beslistermijn_bezwaar", start)
    weeks = version.count("weeks_with_advisory_committee")
    return DecisionDue(start + dt.timedelta(weeks=weeks) - _ONE_DAY, version.id)


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day in the Netherlands of a UTC moment."""
    return local.local_day(moment)


def day_text(day: dt.date | None) -> str:
    """`03-11-2026`, as the handler types dates."""
    return "onbekend" if day is None else f"{day.day:02d}-{day.month:02d}-{day.year}"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {ngettext(one, many, n)}"
