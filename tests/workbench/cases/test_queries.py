"""The case list: known answers for names, urgency, next action, last contact and (overdue) commitments."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.helpers.factories import FixedClock, make_case
from workbench.cases.models import Case
from workbench.cases.phases import URGENCY_FLAGS
from workbench.cases.queries import CaseRow, case_list_rows
from workbench.cases.service import CaseService
from workbench.demo.generator import generate
from workbench.parties.models import Parent
from workbench.parties.values import NameParts
from workbench.plans.models import Action, Commitment
from workbench.plans.service import PlanService
from workbench.progress import CancelToken, NoProgress
from workbench.store.unit_of_work import Actor, Store
from workbench.story.models import StoryEntry
from workbench.story.service import StoryService

cases, plans, story = CaseService(), PlanService(), StoryService()
UTC = dt.UTC


@pytest.fixture
def case_ids(store: Store, actor: Actor, clock: FixedClock) -> dict[str, str]:
    """Four cases (today is 29-11-2026); the third one is tombstoned and must not be listed."""
    with store.unit_of_work(actor) as uow:
        _, busy = make_case(uow, 0)
        _, quiet = make_case(uow, 1, voornamen="", voorletters="J.A.", tussenvoegsel="van der",
                             achternaam="Berg")
        _, gone = make_case(uow, 2, achternaam="Weg")
        _, urgent = make_case(uow, 3, voornamen="Anna Maria", tussenvoegsel="de", achternaam="Vries")

        cases.change_phase(uow, busy, to_phase="eerste_toets")
        cases.set_urgency(uow, busy, urgent_energy=True)
        cases.set_urgency(uow, urgent, urgent_eviction=True, urgent_garnishment=True)

        plans.add_action(uow, busy, description="Later", owner="pzb", due_on="10-12-2026")
        plans.add_action(uow, busy, description="Eerst", owner="gemeente", owner_name="Gemeente Zaanstad",
                         due_on="03-12-2026")
        plans.add_action(uow, busy, description="Zonder datum", owner="backoffice")
        done = plans.add_action(uow, busy, description="Al gedaan", owner="pzb", due_on="01-11-2026")
        plans.complete_action(uow, done.id, done_on="02-11-2026")
        dropped = plans.add_action(uow, busy, description="Vervallen", owner="pzb", due_on="20-11-2026")
        plans.cancel_action(uow, dropped.id)

        story.add(uow, busy, kind="telefoon", text="Eerste gesprek",
                  occurred_at=dt.datetime(2026, 10, 1, 10, 0, tzinfo=UTC))
        story.add(uow, busy, kind="huisbezoek", text="Huisbezoek",
                  occurred_at=dt.datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
        story.add(uow, urgent, kind="notitie", text="Notitie",
                  occurred_at=dt.datetime(2026, 11, 28, 8, 15, tzinfo=UTC))

        plans.add_commitment(uow, busy, description="Terugbellen", promised_by="Sanne", promised_on="01-11-2026",
                             due_on="15-11-2026")  # open and overdue
        plans.add_commitment(uow, busy, description="Brief sturen", promised_by="Sanne", promised_on="20-11-2026",
                             due_on="05-12-2026")  # open, not yet due
        kept = plans.add_commitment(uow, busy, description="Uitzoeken", promised_by="Sanne",
                                    promised_on="01-10-2026", due_on="15-10-2026")
        plans.keep(uow, kept.id, on_date="10-10-2026")
        moved = plans.add_commitment(uow, busy, description="Gemeente bellen", promised_by="Sanne",
                                     promised_on="01-11-2026", due_on="10-11-2026")
        plans.renegotiate(uow, moved.id, new_due_on="20-12-2026", note="Ouder vroeg om meer tijd.")
        broken = plans.add_commitment(uow, urgent, description="Langskomen", promised_by="Sanne",
                                      promised_on="01-11-2026", due_on="05-11-2026")
        plans.break_commitment(uow, broken.id, on_date="06-11-2026", note="Ziek")

        row = uow.session.get(Case, gone)
        assert row is not None
        row.deleted_at = clock.now()
    return {"busy": busy, "quiet": quiet, "gone": gone, "urgent": urgent}


def test_case_list_gives_the_known_answers(store: Store, actor: Actor, case_ids: dict[str, str]) -> None:
    with store.unit_of_work(actor) as uow:
        rows = case_list_rows(uow)
    assert [r.case_id for r in rows] == [case_ids["busy"], case_ids["quiet"], case_ids["urgent"]]
    busy, quiet, urgent = rows
    assert busy == CaseRow(
        case_id=case_ids["busy"], reference="UHT-2026-000001", parent_name="Marieke Jansen", phase="eerste_toets",
        urgency=("urgent_energy",), next_action_due=dt.date(2026, 12, 3),
        last_contact=dt.datetime(2026, 11, 20, 14, 0, tzinfo=UTC), open_commitments=3, overdue_commitments=1)
    assert quiet == CaseRow(
        case_id=case_ids["quiet"], reference="UHT-2026-000002", parent_name="J.A. van der Berg",
        phase="aangemeld", urgency=(), next_action_due=None, last_contact=None, open_commitments=0,
        overdue_commitments=0)
    assert (urgent.reference, urgent.parent_name, urgent.urgency) == (
        "UHT-2026-000004", "Anna de Vries", ("urgent_eviction", "urgent_garnishment"))
    assert (urgent.open_commitments, urgent.overdue_commitments) == (0, 0)  # broken is history
    assert urgent.last_contact == dt.datetime(2026, 11, 28, 8, 15, tzinfo=UTC)


def test_overdue_is_counted_against_the_given_day(store: Store, actor: Actor, case_ids: dict[str, str]) -> None:
    with store.unit_of_work(actor) as uow:
        later = {r.case_id: r for r in case_list_rows(uow.session, day=dt.date(2026, 12, 29))}
    # Now the open one due 5 December and the renegotiated one due 20 December are late too.
    assert (later[case_ids["busy"]].open_commitments, later[case_ids["busy"]].overdue_commitments) == (3, 3)


def test_limit_gives_the_first_rows_by_reference(store: Store, actor: Actor, case_ids: dict[str, str]) -> None:
    with store.unit_of_work(actor) as uow:
        first = case_list_rows(uow, limit=2)
    assert [r.reference for r in first] == ["UHT-2026-000001", "UHT-2026-000002"]


def test_tombstoned_plan_rows_do_not_count(store: Store, actor: Actor, case_ids: dict[str, str],
                                           clock: FixedClock) -> None:
    with store.unit_of_work(actor) as uow:
        early = plans.add_action(uow, case_ids["quiet"], description="Weg", owner="pzb", due_on="01-12-2026")
        promise = plans.add_commitment(uow, case_ids["quiet"], description="Weg", promised_by="Sanne",
                                       promised_on="01-11-2026", due_on="02-11-2026")
        for model, row_id in ((Action, early.id), (Commitment, promise.id)):
            row = uow.session.get(model, row_id)
            assert row is not None
            row.deleted_at = clock.now()
    with store.unit_of_work(actor) as uow:
        quiet = next(r for r in case_list_rows(uow) if r.case_id == case_ids["quiet"])
    assert (quiet.next_action_due, quiet.open_commitments, quiet.overdue_commitments) == (None, 0, 0)


def test_case_list_agrees_with_a_naive_count_over_a_demo_caseload(store: Store, actor: Actor) -> None:
    generate(store, actor, cases=80, seed=5, progress=NoProgress(), cancel=CancelToken())
    day = dt.date(2026, 11, 29)
    with store.unit_of_work(actor) as uow:
        rows = case_list_rows(uow, day=day)
        s = uow.session
        parents = {p.id: p for p in s.scalars(select(Parent))}
        expected = []
        for c in s.scalars(select(Case).order_by(Case.reference)):
            p = parents[c.parent_id]
            dues = [a.due_on for a in s.scalars(select(Action).where(Action.case_id == c.id))
                    if a.status == "open" and a.due_on is not None and a.deleted_at is None]
            times = [e.occurred_at for e in s.scalars(select(StoryEntry).where(StoryEntry.case_id == c.id))]
            live = [m for m in s.scalars(select(Commitment).where(Commitment.case_id == c.id))
                    if m.status in ("open", "renegotiated") and m.deleted_at is None]
            expected.append(CaseRow(
                c.id, c.reference,
                NameParts(p.achternaam, p.voorletters, p.voornamen, p.tussenvoegsel).display, c.phase,
                tuple(f for f in URGENCY_FLAGS if getattr(c, f)), min(dues, default=None),
                max(times, default=None), len(live), sum(m.due_on < day for m in live)))
    assert rows == expected
    assert any(r.urgency for r in rows) and any(r.overdue_commitments for r in rows)
