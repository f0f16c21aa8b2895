"""Home visits: autosaved drafts survive, are offered back, and end as one story entry plus agreements."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.helpers.factories import make_case
from workbench.errors import NotFound, ValidationError
from workbench.plans.models import Action, Commitment
from workbench.plans.service import PlanService
from workbench.store.unit_of_work import Actor, Store
from workbench.story.models import StoryEntry
from workbench.story.service import StoryService
from workbench.visits.service import VisitItem, VisitService

visits = VisitService(StoryService(), PlanService())


def _count(store: Store, actor: Actor, model: type) -> int:
    with store.unit_of_work(actor) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_draft_is_saved_and_offered_back(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        draft = visits.start(uow, cid)
    with store.unit_of_work(actor) as uow:
        visits.save(uow, draft.id, location="Thuis", present="Moeder", topics=["wonen", "onzin"],
                    text="Huurachterstand van drie maanden.", items=[])
    with store.unit_of_work(actor) as uow:
        [back] = visits.unfinished(uow)
    assert back.text == "Huurachterstand van drie maanden." and back.topics == ("wonen",)
    assert back.case_reference == "UHT-2026-000001"


def test_finish_creates_entry_actions_and_commitments_at_once(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        draft = visits.start(uow, cid)
        visits.save(uow, draft.id, location="Thuis", present="Moeder, tolk", topics=["financien"],
                    text="We spraken over het beslag.", items=[
                        VisitItem("action", "Schuldhulp aanvragen", dt.date(2026, 12, 10), "gemeente",
                                  "Gemeente Zaanstad"),
                        VisitItem("commitment", "Terugbellen over de uitslag", dt.date(2026, 12, 3), "pzb",
                                  "Sanne"),
                    ])
        outcome = visits.finish(uow, draft.id)
    assert len(outcome.action_ids) == 1 and len(outcome.commitment_ids) == 1
    assert outcome.entry.kind == "huisbezoek"
    assert outcome.entry.text.startswith("Besproken: Geld en schulden.")
    with store.unit_of_work(actor) as uow:
        assert visits.unfinished(uow) == []
        with pytest.raises(NotFound):
            visits.get(uow, draft.id)


def test_a_bad_agreement_stops_the_whole_finish(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        draft = visits.start(uow, cid)
        visits.save(uow, draft.id, location="", present="", topics=[], text="Kort bezoek.", items=[
            VisitItem("action", "Formulier opsturen", None, "pzb"),
            VisitItem("commitment", "Iets beloven zonder datum", None),
        ])
    before = (_count(store, actor, StoryEntry), _count(store, actor, Action), _count(store, actor, Commitment))
    with pytest.raises(ValidationError) as err, store.unit_of_work(actor) as uow:
        visits.finish(uow, draft.id)
    assert err.value.field == "items[1].due_on"
    after = (_count(store, actor, StoryEntry), _count(store, actor, Action), _count(store, actor, Commitment))
    assert before == after
    with store.unit_of_work(actor) as uow:
        assert visits.get(uow, draft.id).text == "Kort bezoek."


def test_empty_visit_cannot_be_finished_but_can_be_discarded(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        draft = visits.start(uow, cid)
        with pytest.raises(ValidationError):
            visits.finish(uow, draft.id)
        visits.discard(uow, draft.id)
        assert visits.unfinished(uow) == []


def test_a_typed_date_that_is_no_date_is_kept_and_stops_finishing(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        draft = visits.start(uow, cid)
        visits.save(uow, draft.id, location="", present="", topics=[], text="Gesprek.", items=[
            VisitItem("action", "Formulier invullen", None, "pzb", "", due_text="31-13")])
    with store.unit_of_work(actor) as uow:
        [item] = visits.get(uow, draft.id).items
    assert item.due_on is None and item.due_text == "31-13"
    with store.unit_of_work(actor) as uow, pytest.raises(ValidationError) as caught:
        visits.finish(uow, draft.id)
    assert caught.value.field == "items[0].due_on" and "31-13" in caught.value.text()
    assert _count(store, actor, Action) == 0
