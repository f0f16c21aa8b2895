"""The team figures equal those of before (figures_before.py), on a generated team that exercises every one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from tests.helpers.factories import seed_local_user
from tests.workbench.caseload.figures_before import gather_before, handlers_before
from workbench.caseload.figures import Tally, gather
from workbench.caseload.scope import resolve
from workbench.cases.models import Case, CaseTrack
from workbench.demo.generator import generate
from workbench.letters.models import Letter
from workbench.plans.models import Action, Commitment
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
    of another team; and what the generator does not write: letters in review (and a tombstoned one, a draft,
    one of a closed case), promises moved to a later date and kept by it, tombstoned and ended rows of every
    table a figure reads, and a track running twice on one case."""
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
        _rows_the_generator_does_not_write(uow.session, cases[len(moments) + 2:], list(closed_ids(uow, team_id)),
                                           actor.user_id)
    with store.engine.begin() as conn:  # a team case held by someone of another team; letters in review
        outsider = conn.scalar(select(User.id).where(User.team_id != team_id).order_by(User.username))
        assert outsider is not None
        conn.execute(update(Case).where(Case.id == cases[len(moments) + 1].id).values(handler_id=outsider))
        conn.execute(update(User).where(User.id == actor.user_id).values(role=Role.TEAM_LEAD))
        letter_cases = [c.id for c in cases[20:60:4]] + list(closed_ids(conn, team_id))[:1]
        conn.execute(insert(Letter), [
            {"id": f"00000000-0000-4000-9000-{n:012d}", "case_id": case_id, "template_id": "uitnodiging_huisbezoek",
             "template_version": 1, "kind": "brief", "field_values": {}, "author_id": actor.user_id,
             "review_comment": "", "rev": 1, "updated_by": actor.user_id,
             "status": "draft" if n == 1 else "in_review",
             "deleted_at": dt.datetime(2026, 11, 2, tzinfo=UTC) if n == 2 else None,
             "updated_at": dt.datetime(2026, 11, 1 + n, 22 + n % 2, 30, tzinfo=UTC)}
            for n, case_id in enumerate(letter_cases)])
    return actor, team_id


def closed_ids(uow_or_conn: Any, team_id: str) -> list[str]:
    session = getattr(uow_or_conn, "session", uow_or_conn)
    return list(session.scalars(select(Case.id).where(Case.team_id == team_id, Case.closed_on.is_not(None))
                                .order_by(Case.reference).limit(3)))


def _rows_the_generator_does_not_write(session: Any, cases: list[Case], closed: list[str], author: str) -> None:
    gone = dt.datetime(2026, 11, 3, tzinfo=UTC)
    for n, case in enumerate(cases[:12]):
        first = dt.date(2026, 10, 1 + n)  # first promised for October, moved by 30 or 60 days
        session.add(Commitment(case_id=case.id, description="aanvraag indienen", promised_by="Anna",
                               promised_on=dt.date(2026, 9, 1), first_due_on=first,
                               due_on=first + dt.timedelta(days=30 + n % 2 * 30),
                               status=("kept", "renegotiated", "kept_late", "kept")[n % 4],
                               resolved_on=None if n % 4 == 1 else first + dt.timedelta(days=n % 3 * 20 - 1)))
        session.add(CaseTrack(case_id=case.id, track="kindregeling", started_on=dt.date(2026, 1, 1),
                              ended_on=dt.date(2026, 6, 1) if n % 3 == 0 else None,
                              deleted_at=gone if n % 3 == 1 else None))
        session.add(Action(case_id=case.id, description="bellen", owner="pzb", due_on=dt.date(2026, 11, 1),
                           status="open", deleted_at=gone if n % 2 else None))
        session.add(Commitment(case_id=case.id, description="terugbellen", promised_by="Anna",
                               promised_on=dt.date(2026, 9, 1), due_on=dt.date(2026, 11, 1), status="open",
                               deleted_at=gone))
        session.add(StoryEntry(case_id=case.id, occurred_at=dt.datetime(2026, 11, 28, 9, tzinfo=UTC),
                               kind="huisbezoek", text="bezoek", author_id=author, deleted_at=gone))
    for case_id in closed:  # an open action of a closed case is not overdue work
        session.add(Action(case_id=case_id, description="bellen", owner="pzb", due_on=dt.date(2026, 11, 1),
                           status="open"))


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


def test_the_generated_team_exercises_every_figure(store: Store, generated: Any) -> None:
    """Each figure is non-zero for the team, so the comparison above cannot pass on a figure nobody fills."""
    actor, _team_id = generated
    with store.unit_of_work(actor) as uow:
        tallies = gather_before(uow.session.connection(), resolve(uow), dt.date(2026, 11, 29))
    team = Tally()
    for t in tallies.values():
        team.add(t)
    counts = {f.name: getattr(team, f.name) for f in dataclasses.fields(team)}
    assert all(counts.values()), {name: value for name, value in counts.items() if not value}
    assert team.promises_first_due != team.promises_due and team.promises_kept_first != team.promises_kept
    assert team.no_recent_contact and len(team.by_track) >= 5 and len(team.by_phase) >= 8


def test_a_tally_reads_its_days_since_contact_in_order_and_again_after_adding() -> None:
    one = Tally(contact_days=[45, 0, 30, 31])
    assert (one.no_recent_contact, one.contact_median) == (2, 30.5)  # 30 days is still recent
    one.add(Tally(contact_days=[100, 2, 31]))
    assert (one.no_recent_contact, one.contact_median, sorted(one.contact_days)) == (4, 31.0,
                                                                                   [0, 2, 30, 31, 31, 45, 100])
