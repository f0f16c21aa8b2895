"""What a reviewer checks a letter against: the facts behind its amounts, the case's promises, a story summary.

Each part only as far as this device holds it for this role. Central gives a reviewer the letter in review with
its case and parent rows, nothing else (central/visibility.py, central/pull.py): no promises, no story, no
children or payments. Those parts are then None ("not visible to your role"), never an empty list or a zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from workbench.caseload.terms import local_day
from workbench.errors import NotFound
from workbench.letters.models import Letter
from workbench.money import format_euro
from workbench.plans import vocabulary as vocab
from workbench.plans.models import Commitment
from workbench.policy.facts import CaseFacts, ToeslagYear
from workbench.policy.stored_facts import facts_from_json
from workbench.staff.models import Role, User
from workbench.store.unit_of_work import UnitOfWork
from workbench.story.models import StoryEntry
from workbench.story.service import KINDS

HIDDEN = "Niet zichtbaar voor uw rol"
STORY_SHOWN = 5  # newest entries in the summary
FIRST_LINE = 140  # characters of an entry's first line

SCHEME_LABELS = {"integrale_beoordeling": "Integrale beoordeling", "catshuis": "Catshuisregeling",
                 "ogs": "Opzet/grove schuld (O/GS)", "kindregeling": "Kindregeling",
                 "ex_partner": "Regeling ex-partners"}
YEAR_AMOUNTS = (("startbedrag_cents", "startbedrag"), ("interest_on_startbedrag_cents", "rente in startbedrag"),
                ("interest_and_costs_paid_cents", "betaalde rente en kosten"),
                ("legal_aid_cents", "kosten rechtshulp"), ("interest_entitled_cents", "rente over recht op KOT"),
                ("reclaimed_cents", "teruggevorderd"))


@dataclass(frozen=True)
class PromiseLine:
    """A live promise: what, who promised it, by when; overdue when that day has passed."""

    description: str
    promised_by: str
    due_on: dt.date
    overdue: bool


@dataclass(frozen=True)
class StoryLine:
    """One story entry in the summary: its day, kind and first line."""

    day: dt.date
    kind: str
    text: str


@dataclass(frozen=True)
class ReviewContext:
    """The context of one letter in review.

    Attributes:
        scheme: the regeling the facts are for (None: the letter has no stored facts).
        facts: the facts behind the amounts, one line each (toeslagjaren, children, hardship, earlier payments).
        promises: the case's live promises; None when this role does not receive them (not: none made).
        story_total: how many story entries the case has; None when this role does not receive the story.
        story: the newest STORY_SHOWN entries; None when not visible.
    """

    letter_id: str
    scheme: str | None
    facts: tuple[str, ...]
    promises: tuple[PromiseLine, ...] | None
    story_total: int | None
    story: tuple[StoryLine, ...] | None


def _year_line(year: ToeslagYear) -> str:
    parts = [f"{label} {format_euro(getattr(year, name))}" for name, label in YEAR_AMOUNTS if getattr(year, name)]
    if year.hardship_half_years:
        parts.append(f"{year.hardship_half_years} halve jaren zware tijd")
    return f"Toeslagjaar {year.year}: " + ("; ".join(parts) if parts else "geen bedragen opgegeven")


def fact_lines(facts: CaseFacts) -> tuple[str, ...]:
    """The facts as Dutch lines, in the order a beschikking uses them."""
    lines = [_year_line(y) for y in facts.years]
    lines += [f"Kind {n}: geboren op {day:%d-%m-%Y}" for n, day in enumerate(facts.child_birth_dates, 1)]
    lines += [f"Zware tijd: {p.describe()}" for p in facts.hardship_periods]
    if facts.catshuis_paid_cents:
        lines.append(f"Al ontvangen (Catshuisregeling): {format_euro(facts.catshuis_paid_cents)}")
    lines += [f"Eerder betaald ({p.label}): {format_euro(p.amount_cents)} op {p.paid_on:%d-%m-%Y}"
              for p in facts.earlier_payments]
    return tuple(lines)


def sees_case_details(uow: UnitOfWork) -> bool:
    """Whether sync gives this user a case's promises and story: handlers and team leads yes, reviewers no."""
    me = uow.session.get(User, uow.actor.user_id)
    return me is not None and me.role != Role.REVIEWER


def review_context(uow: UnitOfWork, letter_id: str) -> ReviewContext:
    """The context of a letter for whoever reviews it on this device."""
    letter = uow.session.get(Letter, letter_id)
    if letter is None or letter.deleted_at is not None:
        raise NotFound("Deze brief bestaat niet (meer) op dit apparaat.")
    today = local_day(uow.clock.now())
    scheme: str | None = None
    lines: tuple[str, ...] = ()
    if letter.facts:
        facts = facts_from_json(letter.facts, decision_date=letter.dated_on or today)
        scheme, lines = SCHEME_LABELS.get(facts.scheme, facts.scheme), fact_lines(facts)
    if not sees_case_details(uow):
        return ReviewContext(letter_id, scheme, lines, None, None, None)
    session = uow.session
    promises = session.execute(
        select(Commitment.description, Commitment.promised_by, Commitment.due_on)
        .where(Commitment.case_id == letter.case_id, Commitment.status.in_(sorted(vocab.COMMITMENT_LIVE)),
               Commitment.deleted_at.is_(None))
        .order_by(Commitment.due_on, Commitment.description)).all()
    total = session.scalar(select(func.count()).select_from(StoryEntry).where(
        StoryEntry.case_id == letter.case_id, StoryEntry.deleted_at.is_(None))) or 0
    newest = session.execute(
        select(StoryEntry.occurred_at, StoryEntry.kind, StoryEntry.text)
        .where(StoryEntry.case_id == letter.case_id, StoryEntry.deleted_at.is_(None))
        .order_by(StoryEntry.occurred_at.desc(), StoryEntry.id).limit(STORY_SHOWN)).all()
    return ReviewContext(
        letter_id, scheme, lines,
        tuple(PromiseLine(text, who, due, due < today) for text, who, due in promises),
        int(total),
        tuple(StoryLine(local_day(at), KINDS.get(kind, kind), _first_line(text)) for at, kind, text in newest))


def _first_line(text: str) -> str:
    line = (text.strip().splitlines() or [""])[0]
    return line if len(line) <= FIRST_LINE else line[:FIRST_LINE - 1].rstrip() + "…"
