"""The bezwaartermijn for a beschikking and the beslistermijn on a bezwaar, from the dated policy tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbench.dates import dutch_date
from workbench.errors import BugError
from workbench.policy.schema import Term
from workbench.policy.versions import PolicyBook, default_book

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ObjectionTerm:
    """How long a parent has to make bezwaar, as the rechtsmiddelenclausule of the letter states it.

    Attributes:
        weeks: the term in weeks; None when it is a number of years or a fixed last day.
        deadline: the last day on which a bezwaar is on time (inclusive). Weekends and public holidays do
            not move it (the Algemene termijnenwet is not applied here).
        text: the Dutch sentence for the letter, in plain words: "the date of this letter" is its dagtekening.
        version_id: the policy version the term comes from; store it with the letter.
    """

    weeks: int | None
    deadline: dt.date
    text: str
    version_id: str


@dataclass(frozen=True)
class DecisionTerm:
    """How long UHT has to decide on a bezwaar (beslistermijn), for deadline overviews.

    Attributes:
        weeks: the term in weeks.
        deadline: the last day of the term (inclusive).
        version_id: the policy version the term comes from.
    """

    weeks: int
    deadline: dt.date
    version_id: str


def objection_term(decision_date: dt.date, book: PolicyBook | None = None, *,
                   rule: str = "bezwaartermijn") -> ObjectionTerm:
    """The bezwaartermijn that applies to a UHT beschikking with dagtekening `decision_date`.

    The version is chosen by the dagtekening, so the 2024 transitional rules apply to older decisions too.
    A term of weeks or years starts on the day after the dagtekening (Awb 6:8, reading bekendmaking as
    the dagtekening). `rule="bezwaartermijn_awb"` gives the plain Awb default instead.
    """
    version = (book or default_book()).in_force(rule, decision_date)
    term = version.term("term")
    deadline = last_day(decision_date, term)
    if term.weeks is not None:
        unit = "week" if term.weeks == 1 else "weken"
        text = f"U kunt bezwaar maken binnen {term.weeks} {unit} na de datum van deze brief."
    elif term.years is not None:
        text = f"U kunt bezwaar maken binnen {term.years} jaar na de datum van deze brief."
    else:
        text = f"U kunt tot en met {dutch_date(deadline)} bezwaar maken tegen deze beschikking."
    return ObjectionTerm(weeks=term.weeks, deadline=deadline, text=text, version_id=version.id)


def decision_term(objection: ObjectionTerm, *, advisory_committee: bool,
                  book: PolicyBook | None = None) -> DecisionTerm:
    """The beslistermijn on a bezwaar, counted from the day after the bezwaartermijn ends (Awb 7:10)."""
    start = objection.deadline + _ONE_DAY
    version = (book or default_book()).in_force("beslistermijn_bezwaar", start)
    weeks = version.count("weeks_with_advisory_committee" if advisory_committee else "weeks")
    return DecisionTerm(weeks=weeks, deadline=start + dt.timedelta(weeks=weeks) - _ONE_DAY, version_id=version.id)


def last_day(decision_date: dt.date, term: Term) -> dt.date:
    """The last day of `term` for a decision dated `decision_date` (inclusive)."""
    if term.ends_before is not None:
        return term.ends_before - _ONE_DAY
    start = decision_date + _ONE_DAY
    if term.weeks is not None:
        return start + dt.timedelta(weeks=term.weeks) - _ONE_DAY
    if term.years is not None:
        return _add_years(start, term.years) - _ONE_DAY
    raise BugError("a term needs weeks, years or ends_before")


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        # A term that starts on 29 February ends the day before 1 March in a year without 29 February.
        return dt.date(day.year + years, 3, 1)
