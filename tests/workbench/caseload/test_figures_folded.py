"""The folded figure passes give exactly the figures of before, on a generated team with late-evening contacts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.helpers.factories import seed_local_user
from tests.workbench.caseload.figures_before import gather_before, handlers_before
from workbench.caseload.figures import Tally, gather
from workbench.caseload.scope import resolve
from workbench.cases.models import Case
from workbench.demo.generator import generate
from workbench.plans.models import Commitment
from workbench.progress import CancelToken, NoProgress
from workbench.staff.models import Role, User
from workbench.store.unit_of_work import Store
from workbench.story.models import StoryEntry

UTC = dt.UTC


def _plain(t: Tally) -> dict[str, Any]:
    """A tally as comparable values: its fields, the days since contact in order (row order is SQLite's)."""
    out = {f.name: getattr(t, f.name) for f in dataclasses.fields(t)}
    out["contact_days"] = sorted(t.contact_days)
    return out


@pytest.fixture
def generated(store: Store) -> Any:
    """Six generated handlers in two teams, the actor leading one, plus contacts around midnight in summer and
    winter, one in the future, live promises on closed cases, one tombstoned case and a team case held by someone
    of another team."""
    actor = seed_local_user(store)  # a handler while the data is written, then the lead
    generate(store, actor, cases=400, seed=5, handlers=6, progress=NoProgress(), cancel=CancelToken())
    with store.unit_of_work(actor) as uow:
        me = uow.session.get(User, actor.user_id)
        assert me is not None and me.team_id is not None
        cases = list(uow.session.scalars(select(Case).where(Case.team_id == me.team_id, Case.closed_on.is_(None))
                                         .order_by(Case.reference)))
        moments = [dt.datetime(2026, 7, 14, 22, 30, tzinfo=UTC), dt.datetime(2026, 7, 14, 21, 59, tzinfo=UTC),
                   dt.datetime(2026, 11, 20, 23, 10, tzinfo=UTC), dt.datetime(2026, 11, 20, 22, 5, tzinfo=UTC),
                   dt.datetime(2026, 11, 28, 23, 30, tzinfo=UTC), dt.datetime(2027, 1, 3, 9, tzinfo=UTC)]
        for case, when in zip(cases[:len(moments)], moments, strict=True):
            uow.session.add(StoryEntry(case_id=case.id, occurred_at=when, kind="telefoon", text="gebeld",
                                       author_id=actor.user_id))
        cases[len(moments)].deleted_at = dt.datetime(2026, 11, 1, tzinfo=UTC)
        closed = uow.session.scalars(select(Case).where(Case.team_id == me.team_id, Case.closed_on.is_not(None))
                                     .order_by(Case.reference).limit(3))
        for n, case in enumerate(closed):  # promises still open on closed cases count only in the 90-day rates
            uow.session.add(Commitment(case_id=case.id, description="bellen", promised_by="Anna",
                                       promised_on=dt.date(2026, 8, 1), due_on=dt.date(2026, 9, 1 + n),
                                       status="open"))
        team_id = me.team_id
    with store.engine.begin() as conn:  # a team case held by someone of another team
        outsider = conn.scalar(select(User.id).where(User.team_id != team_id).order_by(User.username))
        assert outsider is not None
        conn.execute(update(Case).where(Case.id == cases[len(moments) + 1].id).values(handler_id=outsider))
        conn.execute(update(User).where(User.id == actor.user_id).values(role=Role.TEAM_LEAD))
    return actor, team_id


@pytest.mark.parametrize("today", [dt.date(2026, 11, 29), dt.date(2026, 7, 15), dt.date(2025, 3, 1)])
def test_folded_passes_give_the_figures_of_before(store: Store, generated: Any, today: dt.date) -> None:
    actor, team_id = generated
    with store.unit_of_work(actor) as uow:
        scope = resolve(uow)
        conn = uow.session.connection()
        assert set(scope.handler_ids) == handlers_before(conn, team_id)
        now, before = gather(conn, scope, today), gather_before(conn, scope, today)
    assert len(now) >= 4 and sum(t.open_cases for t in now.values()) > 100
    assert sum(len(t.contact_days) for t in now.values()) == sum(t.open_cases for t in now.values())
    assert {h: _plain(t) for h, t in now.items()} == {h: _plain(t) for h, t in before.items()}
