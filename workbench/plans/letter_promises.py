"""Promises and letters: the register's open promises as letter lines, no passed date in a letter, and the dates
an issued letter promises (a payment date, a reply-by date) put into the register as commitments.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select

from workbench.clock import today
from workbench.dates import dutch_date, parse_date
from workbench.errors import BugError, ValidationError
from workbench.letters.models import Letter
from workbench.letters.templates import Template
from workbench.money import format_euro
from workbench.plans import vocabulary as vocab
from workbench.plans.models import Commitment
from workbench.plans.service import PlanService
from workbench.staff.models import User
from workbench.store.unit_of_work import UnitOfWork

# The letter field that lists promises, one {"text", "date", "owner"} per line (bevestiging_toezeggingen).
PROMISES_FIELD = "promises"


def letter_promises(uow: UnitOfWork, case_id: str) -> list[dict[str, Any]]:
    """The case's live promises (open or renegotiated), soonest first, as letter lines: text, date, owner.

    A promise whose date has passed is included: the letter then refuses it until a new date is agreed
    (see `check_promise_dates`), rather than leaving it out without a word.
    """
    rows = uow.session.execute(
        select(Commitment.description, Commitment.due_on, Commitment.owner)
        .where(Commitment.case_id == case_id, Commitment.deleted_at.is_(None),
               Commitment.status.in_(sorted(vocab.COMMITMENT_LIVE)))
        .order_by(Commitment.due_on, Commitment.description))
    return [{"text": text, "date": due, "owner": owner} for text, due, owner in rows]


def _day(value: Any, *, field: str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return parse_date(str(value), field=field, label="Datum", required=False) if value else None


def check_promise_dates(values: dict[str, Any], letter_date: dt.date) -> None:
    """Refuse a letter whose promise lines are not fit to send on `letter_date`.

    Each line needs a known owner (we, the gemeente or another party: the letter sorts them under those
    headings) and a date on or after the letter date: a promise whose date has passed needs a new date,
    agreed with the parent, first. Values without a promises list (other templates) pass unchanged.
    """
    lines = values.get(PROMISES_FIELD)
    if not isinstance(lines, list | tuple):
        return
    for i, line in enumerate(lines):
        if not isinstance(line, dict):
            continue
        text = str(line.get("text") or "").strip()
        if line.get("owner") not in vocab.COMMITMENT_OWNERS:
            raise ValidationError(
                f"Bij de afspraak '{text}' staat niet wie het doet. Kies uit: "
                f"{', '.join(vocab.COMMITMENT_OWNERS)}.", field=f"{PROMISES_FIELD}[{i}].owner")
        day = _day(line.get("date"), field=f"{PROMISES_FIELD}[{i}].date")
        if day is not None and day < letter_date:
            raise ValidationError(
                f"De afspraak '{text}' heeft als datum {dutch_date(day)}. Die datum ligt vóór de datum van deze "
                f"brief ({dutch_date(letter_date)}). Spreek eerst een nieuwe datum af en zet die in het plan.",
                field=f"{PROMISES_FIELD}[{i}].date")


@cache
def _descriptions() -> SandboxedEnvironment:
    """Commitment descriptions are plain text (no letter markup), so nothing is escaped."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    env.filters["datum"] = lambda v: dutch_date(v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)))
    env.filters["euro"] = format_euro
    return env


def _describe(template: Template, field: str, wording: str, values: dict[str, Any]) -> str:
    try:
        return " ".join(_descriptions().from_string(wording).render(values).split())
    except (TemplateError, TypeError, ValueError) as exc:
        raise BugError(f"letter template {template.id}: commitment of {field}: {exc}") from None


def on_issued(uow: UnitOfWork, letter: Letter, template: Template) -> None:
    """Put each date the issued letter promised (fields marked "commitment" in the template) in the register.

    The commitment is ours (owner pzb), promised on the letter date, due on the printed date, and points at
    the letter. Running this again for the same letter adds nothing.
    """
    marked = [f for f in template.fields if f.commitment is not None]
    if not marked:
        return
    # The lead's dating sets the dagtekening before issue effects run; without it the letter is dated today.
    dated = letter.dated_on or today(uow.clock)
    author = uow.session.get(User, letter.author_id)
    plans = PlanService()
    for spec in marked:
        due = _day(letter.field_values.get(spec.name), field=spec.name)
        if due is None:
            continue
        assert spec.commitment is not None
        text = _describe(template, spec.name, spec.commitment, letter.field_values)
        exists = uow.session.scalar(
            select(Commitment.id).where(Commitment.source_letter_id == letter.id, Commitment.description == text,
                                        Commitment.first_due_on == due, Commitment.deleted_at.is_(None)))
        if exists is not None:
            continue
        if due < dated:
            raise ValidationError(f"{spec.label} ({dutch_date(due)}) ligt vóór de datum van de brief.",
                                  field=spec.name)
        plans.add_commitment(uow, letter.case_id, description=text, due_on=due, promised_on=dated, owner="pzb",
                             promised_by=author.display_name if author is not None else "Pzb'er",
                             source_letter_id=letter.id)
