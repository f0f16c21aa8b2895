"""The handover letter to a gemeente exists only while the parent's consent for that gemeente is on record."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers.factories import FixedClock, make_case, seed_local_user
from tests.workbench.letters.samples import VALUES, pdf_text
from workbench.consent.models import Disclosure
from workbench.consent.service import ConsentService
from workbench.errors import NotAllowed, ValidationError
from workbench.letters.models import Letter
from workbench.letters.service import LetterService
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store

HANDOVER = "overdracht_aan_gemeente"
# What the handler types; the consent date and purpose come from the consent record.
TYPED = {k: v for k, v in VALUES[HANDOVER].items() if k not in ("consent_date", "consent_scope")}


def _count(store: Store, actor: Actor, model: Any) -> int:
    with store.unit_of_work(actor) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_without_consent_nothing_is_written_and_the_field_is_named(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        # a consent for another gemeente does not count
        ConsentService().give(uow, case_id, partner="Gemeente Heerlen", scope="Brede ondersteuning",
                              given_on="2026-11-02")
    with store.unit_of_work(actor) as uow, pytest.raises(NotAllowed) as err:
        LetterService().create_draft(uow, case_id, template_id=HANDOVER, values=TYPED)
    assert err.value.field == "gemeente"
    assert "toestemming" in err.value.text() and "Gemeente Zaanstad" in err.value.text()
    assert _count(store, actor, Letter) == 0
    with store.unit_of_work(actor) as uow, pytest.raises(ValidationError) as missing:
        LetterService().create_draft(uow, case_id, template_id=HANDOVER, values={**TYPED, "gemeente": " "})
    assert missing.value.field == "gemeente"


def test_with_consent_the_letter_states_it_is_issued_and_the_disclosure_recorded(
        store: Store, actor: Actor) -> None:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        ConsentService().give(uow, case_id, partner="Gemeente  Zaanstad", scope="Brede ondersteuning: schulden",
                              given_on="2026-11-02")
        # the handler cannot type another date or purpose: the record wins
        letter = service.create_draft(uow, case_id, template_id=HANDOVER,
                                      values={**TYPED, "consent_scope": "Alles", "consent_date": "2020-01-01"})
        stored = uow.session.get(Letter, letter.id)
        assert stored is not None
        assert stored.field_values["consent_scope"] == "Brede ondersteuning: schulden"
        assert stored.field_values["consent_date"] == "2026-11-02"
        service.submit(uow, letter.id)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, letter.id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        info = service.issue(uow, letter.id)
        body = " ".join(pdf_text(service.preview(uow, letter.id)).split())
        disclosures = list(uow.session.scalars(select(Disclosure).where(Disclosure.case_id == case_id)))
    assert info.status == "issued"
    assert "op 2 november 2026 toestemming gegeven" in body and "Het doel is: Brede ondersteuning: schulden" in body
    assert "Gemeente Zaanstad t.a.v. Team Brede Ondersteuning" in body  # the gemeente is the addressee
    assert "Lindelaan" not in body  # and not the parent's home address
    assert [(d.partner, d.basis) for d in disclosures] == [("Gemeente Zaanstad", "toestemming")]
    assert disclosures[0].consent_id is not None and info.reference in disclosures[0].what


def test_a_withdrawn_consent_stops_submit_and_issue(store: Store, actor: Actor, clock: FixedClock) -> None:
    service, consents = LetterService(), ConsentService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        consent = consents.give(uow, case_id, partner="Gemeente Zaanstad", scope="Wonen", given_on="2026-11-02")
        draft = service.create_draft(uow, case_id, template_id=HANDOVER, values=TYPED)
        approved = service.create_draft(uow, case_id, template_id=HANDOVER, values=TYPED)
        service.submit(uow, approved.id)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, approved.id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        consents.withdraw(uow, consent.id)
    with store.unit_of_work(actor) as uow:
        with pytest.raises(NotAllowed) as err:
            service.submit(uow, draft.id)
        assert err.value.field == "gemeente"
        with pytest.raises(NotAllowed):
            service.issue(uow, approved.id)
        with pytest.raises(NotAllowed):
            service.update_draft(uow, draft.id, values=TYPED)
    with store.unit_of_work(actor) as uow:
        assert service.get(uow, draft.id).status == "draft"
        assert service.get(uow, approved.id).status == "approved"
    assert _count(store, actor, Disclosure) == 0
    # a renewed consent with another purpose: the draft must be brought up to date before review
    clock.advance(days=1)
    with store.unit_of_work(actor) as uow:
        consents.give(uow, case_id, partner="Gemeente Zaanstad", scope="Wonen en werk")
    with store.unit_of_work(actor) as uow, pytest.raises(NotAllowed) as changed:
        service.submit(uow, draft.id)
    assert "veranderd" in changed.value.text()
    with store.unit_of_work(actor) as uow:
        service.update_draft(uow, draft.id, values=TYPED)
        assert service.submit(uow, draft.id).status == "in_review"
