"""Test helpers: a letter taken through draft, review, approval and issue on a chosen day of a FixedClock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.helpers.factories import FixedClock, seed_local_user
from workbench.letters.models import Letter
from workbench.letters.service import LetterInfo, LetterService
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store, UnitOfWork


def at(clock: FixedClock, day: dt.date) -> None:
    """Move the clock to 09:30 UTC on `day` (forward or back)."""
    clock.advance(seconds=(dt.datetime.combine(day, dt.time(9, 30), tzinfo=dt.UTC) - clock.now()).total_seconds())


def reviewer(store: Store) -> Actor:
    return seed_local_user(store, role=Role.REVIEWER, username="controleur")


def issue_on(store: Store, clock: FixedClock, day: dt.date, author: Actor, checker: Actor,
             make: Callable[[UnitOfWork], LetterInfo]) -> tuple[LetterInfo, bytes]:
    """Draft (through `make`), submit, approve and issue on `day`; the issued info and its stored PDF."""
    at(clock, day)
    service = LetterService()
    with store.unit_of_work(author) as uow:
        draft = make(uow)
        service.submit(uow, draft.id)
    with store.unit_of_work(checker) as uow:
        service.approve(uow, draft.id, reviewer_id=checker.user_id)
    with store.unit_of_work(author) as uow:
        info = service.issue(uow, draft.id)
        row = uow.session.get(Letter, draft.id)
        assert row is not None and row.pdf is not None
        return info, bytes(row.pdf)
