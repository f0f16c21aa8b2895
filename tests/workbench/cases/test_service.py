"""Cases: opening, references, allowed and refused phase changes, tracks, urgency, deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers.factories import make_case
from workbench.cases.phases import PHASES, TRANSITIONS
from workbench.cases.service import CaseService
from workbench.errors import NotAllowed, ValidationError
from workbench.store.unit_of_work import Actor, Store

cases = CaseService()


def test_open_case_gets_next_reference_and_starts_registered(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, first = make_case(uow, 0)
        _, second = make_case(uow, 1)
        a, b = cases.get(uow, first), cases.get(uow, second)
    assert (a.reference, b.reference) == ("UHT-2026-000001", "UHT-2026-000002")
    assert a.phase == "aangemeld" and a.history[0].to_phase == "aangemeld"
    assert a.handler_id == actor.user_id


def test_every_phase_is_reachable_and_has_a_way_on() -> None:
    reachable = {"aangemeld"}
    frontier = ["aangemeld"]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(PHASES)
    assert all(TRANSITIONS[p] for p in PHASES)


def test_allowed_phase_change_is_dated_and_kept_in_history(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        cases.change_phase(uow, cid, to_phase="eerste_toets", on_date="01-12-2026", reason="Toets gestart")
        detail = cases.change_phase(uow, cid, to_phase="integrale_beoordeling", on_date=dt.date(2026, 12, 5))
    assert detail.phase == "integrale_beoordeling" and detail.phase_since == dt.date(2026, 12, 5)
    assert [s.to_phase for s in detail.history] == ["aangemeld", "eerste_toets", "integrale_beoordeling"]


def test_refused_phase_change_names_both_phases_and_writes_nothing(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
    with pytest.raises(NotAllowed, match=r"Aangemeld.*Beroep"), store.unit_of_work(actor) as uow:
        cases.change_phase(uow, cid, to_phase="beroep")
    with store.unit_of_work(actor) as uow:
        assert len(cases.get(uow, cid).history) == 1


def test_phase_change_cannot_go_back_in_time(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        with pytest.raises(ValidationError) as err:
            cases.change_phase(uow, cid, to_phase="eerste_toets", on_date="01-01-2020")
    assert err.value.field == "on_date"


def test_tracks_urgency_and_deadlines(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        cases.start_track(uow, cid, track="kindregeling")
        with pytest.raises(NotAllowed):
            cases.start_track(uow, cid, track="kindregeling")
        cases.set_urgency(uow, cid, urgent_eviction=True)
        detail = cases.set_deadlines(uow, cid, decision_due_on="2027-01-31", objection_due_on=None)
        ended = cases.end_track(uow, detail.tracks[0].id, ended_on="2026-12-31")
    assert detail.urgency == ("urgent_eviction",)
    assert detail.decision_due_on == dt.date(2027, 1, 31)
    assert ended.tracks[0].ended_on == dt.date(2026, 12, 31)


def test_bad_reference_and_unknown_track_name_the_field(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        pid, cid = make_case(uow)
        with pytest.raises(ValidationError) as ref_err:
            cases.open_case(uow, parent_id=pid, reference="ZAAK-1")
        with pytest.raises(ValidationError) as track_err:
            cases.start_track(uow, cid, track="loterij")
    assert ref_err.value.field == "reference" and track_err.value.field == "track"
