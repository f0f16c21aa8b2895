"""Factories for synthetic test data: a fixed clock, a local user, parents and cases with fake BSNs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from workbench.clock import SystemClock, today
from workbench.staff.models import Role, Team, User
from workbench.store.unit_of_work import Actor, Store, UnitOfWork

# Synthetic BSNs from the 999xxxxxx range that pass the 11-proef; never a real person's.
TEST_BSNS = ("999990019", "999990020", "999990032", "999990044", "999990056", "999990068", "999990081",
             "999990093")


class FixedClock:
    """A clock that stands still until told to move."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = start

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += dt.timedelta(**delta)


def days_from_today(days: int) -> dt.date:
    """The Dutch calendar date `days` from the real today: for a test on the real clock that needs a date ahead
    (a visit a letter invites to must lie after the letter date, whichever day the suite runs)."""
    return today(SystemClock()) + dt.timedelta(days=days)


def dutch_day(day: dt.date) -> str:
    """A date as a pzb'er types it: dd-mm-jjjj."""
    return day.strftime("%d-%m-%Y")


def seed_local_user(store: Store, *, role: Role = Role.HANDLER, username: str = "pzb") -> Actor:
    """A team and a user written directly (outside any unit of work), as `Workspace.create` does."""
    actor = Actor(str(uuid.uuid4()), str(uuid.uuid4()))
    with store.unit_of_work(actor) as uow:
        team = Team(name="Team Noord")
        uow.session.add(team)
        uow.session.flush()
        uow.session.add(User(id=actor.user_id, username=username, display_name="Sanne Pzb", role=role,
                             team_id=team.id))
    return actor


def parent_fields(n: int = 0, **over: Any) -> dict[str, Any]:
    fields: dict[str, Any] = dict(
        bsn=TEST_BSNS[n % len(TEST_BSNS)], achternaam="Jansen", voorletters="M.", voornamen="Marieke",
        tussenvoegsel="", birth_date="12-03-1984", street="Lindelaan", house_number="12",
        postcode="1234 AB", city="Zaandam", phone="06 12345678", email="m.jansen@example.org",
    )
    fields.update(over)
    return fields


def make_case(uow: UnitOfWork, n: int = 0, **parent_over: Any) -> tuple[str, str]:
    """Register a parent and open a case; returns (parent_id, case_id)."""
    from workbench.cases.service import CaseService
    from workbench.parties.service import ParentService

    parent = ParentService().register(uow, **parent_fields(n, **parent_over))
    case = CaseService().open_case(uow, parent_id=parent.id)
    return parent.id, case.id
