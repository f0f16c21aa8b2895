"""Plans: needs per life domain, action owners, commitment status history, overdue flags, due items."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers.factories import FixedClock, make_case, seed_local_user
from workbench.audit.models import AuditEvent
from workbench.cases.service import CaseService
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.plans.models import Action, CommitmentStatusChange, Need
from workbench.plans.service import PlanService
from workbench.store.unit_of_work import Actor, Store, UnitOfWork
from workbench.sync.models import OutboxEntry

plans = PlanService()
TODAY = dt.date(2026, 11, 29)  # the FixedClock's date in Amsterdam
YESTERDAY, TOMORROW = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)


def _case(store: Store, actor: Actor, n: int = 0) -> str:
    with store.unit_of_work(actor) as uow:
        return make_case(uow, n)[1]


def _ops(uow: UnitOfWork, row_id: str) -> list[str]:
    return list(uow.session.scalars(select(OutboxEntry.op).where(OutboxEntry.row_id == row_id)
                                    .order_by(OutboxEntry.seq)))


def _verbs(uow: UnitOfWork, row_id: str) -> list[str]:
    return list(uow.session.scalars(select(AuditEvent.verb).where(AuditEvent.entity_id == row_id)
                                    .order_by(AuditEvent.seq)))


def test_needs_are_grouped_per_life_domain_with_their_actions(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        rent = plans.add_need(uow, cid, life_domain="wonen", description="Huurachterstand oplossen")
        debts = plans.add_need(uow, cid, life_domain="financien", description="Schuldenlijst opstellen")
        plans.add_action(uow, cid, description="Verhuurder bellen", owner="pzb", need_id=rent.id)
        plans.add_action(uow, cid, description="Intake wijkteam", owner="gemeente",
                         owner_name="Gemeente Zaanstad")
        met = plans.set_need_status(uow, debts.id, status="met")
        plan = plans.plan_for_case(uow, cid)
    assert rent.life_domain_label == "Wonen" and met.status_label == "Opgelost"
    assert [d.code for d in plan.domains] == ["financien", "wonen", "zorg", "werk", "gezin"]
    wonen = plan.domains[1]
    assert [n.need.description for n in wonen.needs] == ["Huurachterstand oplossen"]
    assert [a.description for a in wonen.needs[0].actions] == ["Verhuurder bellen"]
    assert [a.owner_name for a in plan.loose_actions] == ["Gemeente Zaanstad"]
    assert plan.domains[2].needs == ()


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"life_domain": "vakantie", "description": "Reis"}, "life_domain"),
    ({"life_domain": "wonen", "description": "   "}, "description"),
    ({"life_domain": "wonen", "description": "x" * 2_001}, "description"),
])
def test_invalid_needs_are_refused_by_field(store: Store, actor: Actor, kwargs: dict[str, Any],
                                            field: str) -> None:
    cid = _case(store, actor)
    with pytest.raises(ValidationError) as err, store.unit_of_work(actor) as uow:
        plans.add_need(uow, cid, **kwargs)
    assert err.value.field == field


def test_need_description_of_exactly_2000_characters_is_accepted(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        need = plans.add_need(uow, cid, life_domain="zorg", description="x" * 2_000)
        with pytest.raises(ValidationError) as err:
            plans.set_need_status(uow, need.id, status="klaar")
    assert len(need.description) == 2_000 and err.value.field == "status"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"description": "Bellen", "owner": "buurman"}, "owner"),
    ({"description": "Intake", "owner": "gemeente"}, "owner_name"),
    ({"description": "Intake", "owner": "partner", "owner_name": "   "}, "owner_name"),
    ({"description": "", "owner": "pzb"}, "description"),
    ({"description": "Bellen", "owner": "pzb", "due_on": "31-02-2027"}, "due_on"),
])
def test_invalid_actions_are_refused_by_field(store: Store, actor: Actor, kwargs: dict[str, Any],
                                              field: str) -> None:
    cid = _case(store, actor)
    with pytest.raises(ValidationError) as err, store.unit_of_work(actor) as uow:
        plans.add_action(uow, cid, **kwargs)
    assert err.value.field == field


def test_action_owner_name_is_optional_for_pzb_and_kept_for_partners(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        own = plans.add_action(uow, cid, description="Brief sturen", owner="pzb", due_on="15-12-2026")
        sbn = plans.add_action(uow, cid, description="Aanmelden loket", owner="partner",
                               owner_name="  SBN   loket private schulden ")
    assert (own.owner_label, own.owner_name, own.due_on) == ("Pzb'er", "", dt.date(2026, 12, 15))
    assert sbn.owner_name == "SBN loket private schulden"


def test_action_need_must_belong_to_the_same_case(store: Store, actor: Actor) -> None:
    cid, other = _case(store, actor, 0), _case(store, actor, 1)
    with store.unit_of_work(actor) as uow:
        need = plans.add_need(uow, other, life_domain="werk", description="Werk zoeken")
    with pytest.raises(ValidationError) as err, store.unit_of_work(actor) as uow:
        plans.add_action(uow, cid, description="Cv maken", owner="pzb", need_id=need.id)
    assert err.value.field == "need_id"
    with store.unit_of_work(actor) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Action)) == 0


def test_complete_cancel_and_reschedule_only_open_actions(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        first = plans.add_action(uow, cid, description="Bellen", owner="pzb", due_on=YESTERDAY)
        second = plans.add_action(uow, cid, description="Mailen", owner="backoffice")
        done = plans.complete_action(uow, first.id, done_on="28-11-2026")
        moved = plans.reschedule_action(uow, second.id, due_on="2027-01-10")
        with pytest.raises(NotAllowed):
            plans.complete_action(uow, first.id)
        with pytest.raises(NotAllowed):
            plans.reschedule_action(uow, first.id, due_on="2027-01-10")
        with pytest.raises(ValidationError) as past:
            plans.reschedule_action(uow, second.id, due_on=YESTERDAY)
        with pytest.raises(ValidationError) as future:
            plans.complete_action(uow, second.id, done_on=TOMORROW)
        cancelled = plans.cancel_action(uow, second.id)
        with pytest.raises(NotAllowed):
            plans.cancel_action(uow, second.id)
        with pytest.raises(NotFound):
            plans.cancel_action(uow, "geen-actie")
    assert (done.status, done.done_on, done.overdue) == ("done", dt.date(2026, 11, 28), False)
    assert moved.due_on == dt.date(2027, 1, 10) and cancelled.status_label == "Vervallen"
    assert past.value.field == "due_on" and future.value.field == "done_on"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"due_on": None}, "due_on"),
    ({"due_on": "01-11-2026", "promised_on": "02-11-2026"}, "due_on"),
    ({"promised_by": " "}, "promised_by"),
    ({"promised_on": TOMORROW, "due_on": "2027-01-01"}, "promised_on"),
    ({"description": "x" * 2_001}, "description"),
])
def test_invalid_commitments_are_refused_by_field(store: Store, actor: Actor, kwargs: dict[str, Any],
                                                  field: str) -> None:
    cid = _case(store, actor)
    values: dict[str, Any] = {"description": "Beschikking voor kerst", "promised_by": "Sanne (pzb)",
                              "due_on": "2026-12-20", **kwargs}
    with pytest.raises(ValidationError) as err, store.unit_of_work(actor) as uow:
        plans.add_commitment(uow, cid, **values)
    assert err.value.field == field


def test_commitment_due_on_the_promise_date_itself_is_allowed(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        same_day = plans.add_commitment(uow, cid, description="Terugbellen", promised_by="Sanne",
                                        due_on=TODAY)
    assert same_day.promised_on == same_day.due_on == TODAY and same_day.status == "open"


def test_kept_on_the_due_date_counts_as_kept_and_later_as_kept_late(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        on_time = plans.add_commitment(uow, cid, description="Terugbellen", promised_by="Sanne",
                                       promised_on="20-11-2026", due_on="25-11-2026")
        late = plans.add_commitment(uow, cid, description="Brief sturen", promised_by="Sanne",
                                    promised_on="20-11-2026", due_on="25-11-2026")
        kept = plans.keep(uow, on_time.id, on_date="25-11-2026")
        kept_late = plans.keep(uow, late.id, on_date="26-11-2026")
    assert (kept.status, kept.resolved_on, kept.overdue) == ("kept", dt.date(2026, 11, 25), False)
    assert (kept_late.status, kept_late.status_label) == ("kept_late", "Te laat nagekomen")
    assert [(s.from_status, s.to_status) for s in kept.history] == [(None, "open"), ("open", "kept")]


def test_status_history_keeps_every_change_in_order(store: Store, actor: Actor, clock: FixedClock) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        c = plans.add_commitment(uow, cid, description="Schulden in kaart", promised_by="Sanne",
                                 promised_on="01-11-2026", due_on="20-11-2026")
        first = plans.renegotiate(uow, c.id, new_due_on="2026-12-05", note="Stukken van DUO ontbreken")
        second = plans.renegotiate(uow, c.id, new_due_on="2026-12-10", note="Ouder was ziek")
    assert (first.status, first.due_on, first.resolved_on) == ("renegotiated", dt.date(2026, 12, 5), None)
    clock.advance(days=14)
    with store.unit_of_work(actor) as uow:
        done = plans.keep(uow, c.id)
    assert second.due_on == dt.date(2026, 12, 10)
    assert done.status == "kept_late" and done.resolved_on == dt.date(2026, 12, 13)
    assert [(s.from_status, s.to_status, s.on_date, s.note) for s in done.history] == [
        (None, "open", dt.date(2026, 11, 1), "Toegezegd"),
        ("open", "renegotiated", TODAY, "Stukken van DUO ontbreken"),
        ("renegotiated", "renegotiated", TODAY, "Ouder was ziek"),
        ("renegotiated", "kept_late", dt.date(2026, 12, 13), ""),
    ]


def test_broken_commitment_needs_a_note_and_then_cannot_change(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        c = plans.add_commitment(uow, cid, description="Huisbezoek", promised_by="Sanne",
                                 promised_on="01-11-2026", due_on="10-11-2026")
    with pytest.raises(ValidationError) as no_note, store.unit_of_work(actor) as uow:
        plans.break_commitment(uow, c.id, note="  ")
    with store.unit_of_work(actor) as uow:
        broken = plans.break_commitment(uow, c.id, on_date="12-11-2026", note="Afspraak vergeten")
        for refused in (lambda: plans.keep(uow, c.id),
                        lambda: plans.break_commitment(uow, c.id, note="Nog eens"),
                        lambda: plans.renegotiate(uow, c.id, new_due_on="2027-01-01", note="Nieuwe kans")):
            with pytest.raises(NotAllowed):
                refused()
    assert no_note.value.field == "note"
    assert (broken.status, broken.resolved_on, broken.overdue) == ("broken", dt.date(2026, 11, 12), False)
    assert [s.to_status for s in broken.history] == ["open", "broken"]


def test_renegotiate_and_keep_refusals_name_the_field(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        c = plans.add_commitment(uow, cid, description="Huisbezoek", promised_by="Sanne",
                                 promised_on="01-11-2026", due_on="10-12-2026")
        errors = []
        for call in (lambda: plans.renegotiate(uow, c.id, new_due_on="2026-12-20", note=""),
                     lambda: plans.renegotiate(uow, c.id, new_due_on=YESTERDAY, note="Later"),
                     lambda: plans.renegotiate(uow, c.id, new_due_on="2026-12-10", note="Zelfde dag"),
                     lambda: plans.keep(uow, c.id, on_date="31-10-2026"),
                     lambda: plans.keep(uow, c.id, on_date=TOMORROW)):
            with pytest.raises(ValidationError) as err:
                call()
            errors.append(err.value.field)
        with pytest.raises(NotFound):
            plans.keep(uow, "geen-toezegging")
    assert errors == ["note", "new_due_on", "new_due_on", "on_date", "on_date"]


def test_refused_change_leaves_no_row_behind(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        c = plans.add_commitment(uow, cid, description="Terugbellen", promised_by="Sanne",
                                 due_on="2026-12-01")
    with pytest.raises(ValidationError), store.unit_of_work(actor) as uow:
        plans.renegotiate(uow, c.id, new_due_on="2026-12-20", note="")
    with pytest.raises(ValidationError), store.unit_of_work(actor) as uow:
        plans.add_need(uow, cid, life_domain="onbekend", description="Iets")
    with store.unit_of_work(actor) as uow:
        plan = plans.plan_for_case(uow, cid)
        needs = uow.session.scalar(select(func.count()).select_from(Need))
        changes = uow.session.scalar(select(func.count()).select_from(CommitmentStatusChange))
        pending = set(uow.session.scalars(select(OutboxEntry.entity)))
    assert plan.commitments[0].status == "open" and plan.commitments[0].due_on == dt.date(2026, 12, 1)
    assert needs == 0 and changes == 1 and "need" not in pending


def test_every_write_has_an_outbox_row_and_an_audit_event(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        need = plans.add_need(uow, cid, life_domain="gezin", description="Opvoedondersteuning")
        plans.set_need_status(uow, need.id, status="dropped")
        action = plans.add_action(uow, cid, description="Bellen", owner="pzb", due_on=TOMORROW)
        plans.reschedule_action(uow, action.id, due_on="2026-12-24")
        plans.complete_action(uow, action.id)
        other = plans.add_action(uow, cid, description="Mailen", owner="pzb")
        plans.cancel_action(uow, other.id)
        c = plans.add_commitment(uow, cid, description="Terugbellen", promised_by="Sanne", due_on=TOMORROW)
        plans.renegotiate(uow, c.id, new_due_on="2026-12-03", note="Ouder vroeg later")
        plans.keep(uow, c.id)
    with store.unit_of_work(actor) as uow:
        assert _ops(uow, need.id) == ["insert", "update"] and _verbs(uow, need.id) == ["create", "update"]
        assert _ops(uow, action.id) == ["insert", "update", "update"]
        assert _verbs(uow, action.id) == ["create", "update", "update"]
        assert _ops(uow, other.id) == ["insert", "update"]
        assert _ops(uow, c.id) == ["insert", "update", "update"]
        assert _verbs(uow, c.id) == ["create", "update", "update"]
        steps = list(uow.session.scalars(select(CommitmentStatusChange.id)))
        assert len(steps) == 3
        assert all(_ops(uow, s) == ["insert"] and _verbs(uow, s) == ["create"] for s in steps)


def test_overdue_flags_follow_the_clock(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        need = plans.add_need(uow, cid, life_domain="wonen", description="Woning zoeken")
        plans.add_action(uow, cid, description="Gisteren", owner="pzb", due_on=YESTERDAY, need_id=need.id)
        plans.add_action(uow, cid, description="Vandaag", owner="pzb", due_on=TODAY)
        plans.add_action(uow, cid, description="Zonder datum", owner="pzb")
        finished = plans.add_action(uow, cid, description="Klaar", owner="pzb", due_on="01-11-2026")
        plans.complete_action(uow, finished.id)
        plans.add_commitment(uow, cid, description="Te laat", promised_by="Sanne", promised_on="01-11-2026",
                             due_on=YESTERDAY)
        plans.add_commitment(uow, cid, description="Op tijd", promised_by="Sanne", due_on=TODAY)
        plan = plans.plan_for_case(uow, cid)
    wonen = next(d for d in plan.domains if d.code == "wonen")
    assert wonen.needs[0].overdue and wonen.needs[0].actions[0].overdue
    assert {a.description: a.overdue for a in plan.loose_actions} == {
        "Klaar": False, "Vandaag": False, "Zonder datum": False}
    assert [(c.description, c.overdue) for c in plan.commitments] == [("Te laat", True), ("Op tijd", False)]


def test_due_items_cover_only_the_handlers_open_cases(store: Store, actor: Actor) -> None:
    other = seed_local_user(store, username="pzb2")
    with store.unit_of_work(actor) as uow:
        first, second = make_case(uow, 0)[1], make_case(uow, 1)[1]
        closed = make_case(uow, 2)[1]
        plans.add_action(uow, first, description="Bellen", owner="gemeente", owner_name="Gemeente Zaanstad",
                         due_on="05-12-2026")
        plans.add_action(uow, first, description="Later", owner="pzb", due_on="01-02-2027")
        plans.add_action(uow, first, description="Zonder datum", owner="pzb")
        done = plans.add_action(uow, second, description="Gedaan", owner="pzb", due_on=TOMORROW)
        plans.complete_action(uow, done.id)
        plans.add_commitment(uow, second, description="Uitbetaling", promised_by="Sanne",
                             promised_on="01-11-2026", due_on="20-11-2026")
        plans.add_action(uow, closed, description="Gesloten zaak", owner="pzb", due_on=TOMORROW)
        CaseService().change_phase(uow, closed, to_phase="afgesloten")
    with store.unit_of_work(other) as uow:
        theirs = make_case(uow, 3)[1]
        plans.add_action(uow, theirs, description="Niet van mij", owner="pzb", due_on=TOMORROW)
    with store.unit_of_work(actor) as uow:
        refs = {cid: CaseService().get(uow, cid).reference for cid in (first, second)}
        items = plans.due_items(uow, handler_id=actor.user_id, until=dt.date(2026, 12, 31))
        overdue_only = plans.due_items(uow, handler_id=actor.user_id, until=dt.date(2026, 11, 1))
        theirs_items = plans.due_items(uow, handler_id=other.user_id, until=dt.date(2026, 12, 31))
    assert [(i.kind, i.description, i.case_reference, i.due_on, i.overdue) for i in items] == [
        ("commitment", "Uitbetaling", refs[second], dt.date(2026, 11, 20), True),
        ("action", "Bellen", refs[first], dt.date(2026, 12, 5), False),
    ]
    assert items[1].who == "Gemeente Zaanstad" and items[0].kind_label == "Toezegging"
    assert [i.description for i in overdue_only] == ["Uitbetaling"]
    assert [i.description for i in theirs_items] == ["Niet van mij"]


def test_plan_of_a_missing_case_is_not_found(store: Store, actor: Actor) -> None:
    with pytest.raises(NotFound), store.unit_of_work(actor) as uow:
        plans.plan_for_case(uow, "geen-zaak")
    with pytest.raises(NotFound), store.unit_of_work(actor) as uow:
        plans.add_need(uow, "geen-zaak", life_domain="wonen", description="Iets")


def test_a_renegotiation_keeps_the_first_promised_date_and_every_date_since(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        c = plans.add_commitment(uow, cid, description="Schulden in kaart", promised_by="Sanne",
                                 promised_on="01-11-2026", due_on="20-11-2026")
        assert (c.first_due_on, c.times_moved) == (dt.date(2026, 11, 20), 0)
        plans.renegotiate(uow, c.id, new_due_on="2026-12-05", note="Stukken van DUO ontbreken")
        moved = plans.renegotiate(uow, c.id, new_due_on="2026-12-10", note="Ouder was ziek")
        stored = uow.session.scalars(select(CommitmentStatusChange.previous_due_on, )
                                     .where(CommitmentStatusChange.commitment_id == c.id)).all()
    assert (moved.due_on, moved.first_due_on, moved.times_moved) == (dt.date(2026, 12, 10), dt.date(2026, 11, 20), 2)
    assert [(s.previous_due_on, s.due_on) for s in moved.history] == [
        (None, dt.date(2026, 11, 20)), (dt.date(2026, 11, 20), dt.date(2026, 12, 5)),
        (dt.date(2026, 12, 5), dt.date(2026, 12, 10))]
    assert stored == [None, dt.date(2026, 11, 20), dt.date(2026, 12, 5)]


def test_a_commitment_has_an_owner_from_the_vocabulary(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        ours = plans.add_commitment(uow, cid, description="Bellen", promised_by="Sanne", due_on=TOMORROW)
        theirs = plans.add_commitment(uow, cid, description="Intake", promised_by="Wijkteam", due_on=TOMORROW,
                                      owner="gemeente")
        with pytest.raises(ValidationError) as err:
            plans.add_commitment(uow, cid, description="Intake", promised_by="Wijkteam", due_on=TOMORROW,
                                 owner="buurman")
    assert (ours.owner, ours.owner_label) == ("pzb", "Pzb'er")
    assert (theirs.owner, theirs.owner_label) == ("gemeente", "Gemeente")
    assert err.value.field == "owner"


def test_an_owner_name_that_says_its_kind_is_not_repeated() -> None:
    from workbench.plans.vocabulary import owner_text

    assert owner_text("Gemeente", "Gemeente Zaanstad") == "Gemeente Zaanstad"
    assert owner_text("Gemeente", "Zaanstad") == "Gemeente: Zaanstad"
    assert owner_text("Pzb'er", "") == "Pzb'er"
