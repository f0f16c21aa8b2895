"""The four-eyes lifecycle: draft, review, approval by someone else, issue; issued letters are immutable."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from tests.helpers.factories import make_case, seed_local_user
from tests.workbench.letters.samples import beschikking_values, child_facts, facts, kindregeling_values, pdf_text
from workbench.errors import NotAllowed, ValidationError
from workbench.letters.organisation import organisation
from workbench.letters.service import LetterService
from workbench.parties.service import ParentService
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store


def _draft(store: Store, actor: Actor) -> tuple[str, str]:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        letter = service.create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                      values=beschikking_values(), facts=facts())
        service.submit(uow, letter.id)
    return case_id, letter.id


def test_author_cannot_approve_own_letter_even_as_reviewer(store: Store) -> None:
    author = seed_local_user(store, role=Role.REVIEWER, username="rev-author")
    _case, letter_id = _draft(store, author)
    with store.unit_of_work(author) as uow, pytest.raises(NotAllowed):
        LetterService().approve(uow, letter_id, reviewer_id=author.user_id)


def test_non_reviewer_cannot_approve(store: Store, actor: Actor) -> None:
    _case, letter_id = _draft(store, actor)
    other = seed_local_user(store, role=Role.HANDLER, username="collega")
    with store.unit_of_work(other) as uow, pytest.raises(NotAllowed):
        LetterService().approve(uow, letter_id, reviewer_id=other.user_id)


def test_reject_returns_to_draft_with_comment(store: Store, actor: Actor) -> None:
    _case, letter_id = _draft(store, actor)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        with pytest.raises(ValidationError):
            LetterService().reject(uow, letter_id, comment=" ")
        info = LetterService().reject(uow, letter_id, comment="Feiten aanvullen a.u.b.")
    assert info.status == "draft" and info.review_comment == "Feiten aanvullen a.u.b."


def test_a_draft_stores_the_organisation_defaults(store: Store, actor: Actor) -> None:
    from workbench.letters.models import Letter
    _case, letter_id = _draft(store, actor)
    with store.unit_of_work(actor) as uow:
        stored = uow.session.get(Letter, letter_id)
        assert stored is not None
        assert stored.field_values["objection_address"] == organisation().defaults["objection_address"]
        assert stored.field_values["contact_phone"] == organisation().defaults["contact_phone"]


def test_kindregeling_beschikking_goes_through_review_and_is_issued(store: Store, actor: Actor) -> None:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        parent_id, case_id = make_case(uow)
        with pytest.raises(ValidationError) as err:
            service.create_draft(uow, case_id, template_id="beschikking_kindregeling", values=kindregeling_values())
        assert err.value.field == "child_id"
        child = ParentService().add_child(uow, parent_id, voornamen="Daan", achternaam="Jansen",
                                          birth_date=child_facts().child_birth_dates[0])
        letter = service.create_draft(uow, case_id, template_id="beschikking_kindregeling",
                                      values=kindregeling_values(), facts=child_facts(), child_id=child.id)
        service.submit(uow, letter.id)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, letter.id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        info = service.issue(uow, letter.id)
        body = " ".join(pdf_text(service.preview(uow, letter.id)).split())
    assert info.status == "issued"
    assert "€ 6.000,00" in body and "De wettelijk vertegenwoordiger van Daan Jansen M. Jansen Lindelaan 12" in body


def test_issue_and_issued_letter_is_immutable(store: Store, actor: Actor) -> None:
    service = LetterService()
    _case, letter_id = _draft(store, actor)
    with store.unit_of_work(actor) as uow, pytest.raises(NotAllowed):
        service.issue(uow, letter_id)  # not approved yet
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, letter_id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        info = service.issue(uow, letter_id)
        pdf = service.preview(uow, letter_id)
    assert info.status == "issued" and info.pdf_sha256 and info.issued_at
    assert hashlib.sha256(pdf).hexdigest() == info.pdf_sha256
    assert "CONCEPT" not in pdf_text(pdf)
    with store.unit_of_work(actor) as uow:
        with pytest.raises(NotAllowed):
            service.update_draft(uow, letter_id, values=beschikking_values(), facts=facts())
        with pytest.raises(NotAllowed):
            service.delete_draft(uow, letter_id)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE letter SET rev = 7 WHERE id = :id"), {"id": letter_id})  # sync bookkeeping
    for sql in ("UPDATE letter SET review_comment = 'x' WHERE id = :id", "DELETE FROM letter WHERE id = :id"):
        with pytest.raises(Exception, match="immutable"), store.engine.begin() as conn:
            conn.execute(text(sql), {"id": letter_id})
