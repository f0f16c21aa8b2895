"""Dates at issue: every printed date and term is computed for the day the letter is sent, not the day drafted."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from tests.helpers.factories import FixedClock, make_case, seed_local_user
from tests.workbench.letters.samples import beschikking_values, facts, flat_text, typed_values
from workbench.errors import NotAllowed, ValidationError
from workbench.letters.models import Letter
from workbench.letters.service import LetterService
from workbench.policy.objection import objection_term
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store

DECISION = "beschikking_integrale_beoordeling"


def _at(clock: FixedClock, day: dt.date) -> None:
    clock.advance(seconds=(dt.datetime.combine(day, dt.time(9, 30), tzinfo=dt.UTC) - clock.now()).total_seconds())


def _drafted_and_approved(store: Store, actor: Actor, *, template_id: str = DECISION,
                          values: dict[str, object] | None = None, with_facts: bool = True) -> str:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        letter = service.create_draft(uow, case_id, template_id=template_id,
                                      values=values if values is not None else beschikking_values(),
                                      facts=facts() if with_facts else None)
        service.submit(uow, letter.id)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, letter.id, reviewer_id=reviewer.user_id)
    return letter.id


def test_drafted_on_d_and_issued_on_d_plus_8_is_dated_and_termed_from_d_plus_8(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    drafted = dt.date(2026, 12, 4)
    _at(clock, drafted)
    letter_id = _drafted_and_approved(store, actor)
    with store.unit_of_work(actor) as uow:
        at_draft = uow.session.get(Letter, letter_id).field_values["objection_deadline"]
    assert at_draft == "2027-03-26"  # what the old code printed on a letter sent later
    issued = drafted + dt.timedelta(days=8)
    _at(clock, issued)
    with store.unit_of_work(actor) as uow:
        info = LetterService().issue(uow, letter_id)
        row = uow.session.get(Letter, letter_id)
        pdf = bytes(row.pdf)
    assert info.status == "issued" and info.dated_on == issued
    assert row.field_values["objection_deadline"] == "2027-04-03" == (issued + dt.timedelta(weeks=16)).isoformat()
    text = flat_text(pdf)
    assert "12 december 2026" in text and "uiterlijk 3 april 2027" in text and "26 maart 2027" not in text
    assert set(row.policy_versions) >= {objection_term(issued).version_id, "wht-catshuis-2022-11-05"}
    # the policy ids are in the PDF's metadata and the letter record, never in the parent's text
    assert "uht-bezwaar-16-weken" in PdfReader(io.BytesIO(pdf)).metadata["/Keywords"]


def test_a_policy_boundary_between_approval_and_issue_sends_the_letter_back_to_review(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    # 16 weeks since 10 July 2024; a decision dated 1 Jan - 9 Jul 2024 had 1 year (resources/policy/bezwaartermijn)
    _at(clock, dt.date(2024, 7, 5))
    letter_id = _drafted_and_approved(store, actor)
    _at(clock, dt.date(2024, 7, 12))
    with store.unit_of_work(actor) as uow:
        info = LetterService().issue(uow, letter_id)
        row = uow.session.get(Letter, letter_id)
        assert row.pdf is None and row.dated_on is None and row.reviewer_id is None
    assert info.status == "in_review"
    assert "uht-bezwaar-16-weken-2024-07-10" in info.review_comment and "12 juli 2024" in info.review_comment
    assert "uht-bezwaar-16-weken-2024-07-10" in info.policy_versions
    # a reviewer approves again, and then it is sent with the new term
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur2")
    with store.unit_of_work(reviewer) as uow:
        LetterService().approve(uow, letter_id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        assert LetterService().issue(uow, letter_id).status == "issued"
        assert uow.session.get(Letter, letter_id).field_values["objection_deadline"] == "2024-11-01"


def test_approval_refuses_when_the_rules_changed_since_submit(store: Store, actor: Actor, clock: FixedClock) -> None:
    _at(clock, dt.date(2024, 7, 8))
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        letter = service.create_draft(uow, case_id, template_id=DECISION, values=beschikking_values(), facts=facts())
        service.submit(uow, letter.id)
    _at(clock, dt.date(2024, 7, 11))
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow, pytest.raises(NotAllowed, match="regels"):
        service.approve(uow, letter.id, reviewer_id=reviewer.user_id)


def test_an_invitation_for_a_visit_already_past_or_too_close_is_refused_naming_the_date(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    _at(clock, dt.date(2026, 12, 1))
    values = {**typed_values("uitnodiging_huisbezoek"), "visit_date": "2026-12-10"}
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        letter = service.create_draft(uow, case_id, template_id="uitnodiging_huisbezoek", values=values)
        service.submit(uow, letter.id)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, letter.id, reviewer_id=reviewer.user_id)
    for day, word in ((dt.date(2026, 12, 7), "te dichtbij"), (dt.date(2026, 12, 11), "al voorbij")):
        _at(clock, day)
        with store.unit_of_work(actor) as uow, pytest.raises(ValidationError) as err:
            service.issue(uow, letter.id)
        assert err.value.field == "visit_date" and "10 december 2026" in err.value.text() and word in err.value.text()
    with store.unit_of_work(actor) as uow:
        assert uow.session.get(Letter, letter.id).status == "approved"  # nothing half-written
    _at(clock, dt.date(2026, 12, 3))
    with store.unit_of_work(actor) as uow:
        assert service.issue(uow, letter.id).dated_on == dt.date(2026, 12, 3)


def test_submit_refuses_a_visit_date_already_past(store: Store, actor: Actor, clock: FixedClock) -> None:
    _at(clock, dt.date(2026, 12, 1))
    values = {**typed_values("uitnodiging_huisbezoek"), "visit_date": "2026-11-30"}
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        letter = service.create_draft(uow, case_id, template_id="uitnodiging_huisbezoek", values=values)
        with pytest.raises(ValidationError, match="al voorbij"):
            service.submit(uow, letter.id)


def test_a_reply_by_date_is_counted_from_the_issue_date(store: Store, actor: Actor, clock: FixedClock) -> None:
    _at(clock, dt.date(2026, 12, 1))
    letter_id = _drafted_and_approved(store, actor, template_id="vooraankondiging_integrale_beoordeling",
                                      values=typed_values("vooraankondiging_integrale_beoordeling"))
    _at(clock, dt.date(2026, 12, 9))
    with store.unit_of_work(actor) as uow:
        LetterService().issue(uow, letter_id)
        row = uow.session.get(Letter, letter_id)
    assert row.field_values["response_deadline"] == "2026-12-23"  # 14 days (organisation.json) after 9 December


def test_preview_of_a_draft_shows_todays_terms(store: Store, actor: Actor, clock: FixedClock) -> None:
    _at(clock, dt.date(2026, 12, 4))
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        letter = service.create_draft(uow, case_id, template_id=DECISION, values=beschikking_values(), facts=facts())
    _at(clock, dt.date(2026, 12, 14))
    with store.unit_of_work(actor) as uow:
        text = flat_text(service.preview(uow, letter.id))
    assert "14 december 2026" in text and "uiterlijk 5 april 2027" in text
