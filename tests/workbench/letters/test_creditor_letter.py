"""The letter to a creditor states the pauzeknop as it is: dates from the payment register, reminders allowed,
no titel and no beslag, no claim about registration or the Wht; it needs the parent's consent and is disclosed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers.factories import make_case, seed_local_user
from tests.workbench.letters.samples import VALUES, flat_text
from workbench.consent.models import Disclosure
from workbench.consent.service import ConsentService
from workbench.errors import NotAllowed
from workbench.letters.models import Letter
from workbench.letters.pause_dates import pause_policy_versions
from workbench.letters.service import LetterService
from workbench.letters.templates import list_templates, load_template
from workbench.payments.service import PaymentService
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store

CREDITOR = "brief_aan_schuldeiser_moratorium"
CREDITOR_NAME = "Incassobureau Voorbeeld B.V."
# What a handler types: every field but the ones the core takes from the records (consent, payments).
TYPED = {k: v for k, v in VALUES[CREDITOR].items()
         if k not in ("pause_start", "pause_end", "pause_debts_before", "consent_date")}


def _case_with(store: Store, actor: Actor, *, paid_on: str | None = "2026-11-03",
               consent: bool = True) -> str:
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        if paid_on is not None:
            PaymentService().record(uow, case_id, kind="catshuis", amount_cents=3_000_000, paid_on=paid_on)
        if consent:
            ConsentService().give(uow, case_id, partner=CREDITOR_NAME, scope="Brief over de pauzeknop",
                                  given_on="2026-11-10")
    return case_id


def _issue(store: Store, actor: Actor, letter_id: str) -> None:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        service.submit(uow, letter_id)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, letter_id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        service.issue(uow, letter_id)


def _stored(store: Store, actor: Actor, letter_id: str) -> dict[str, Any]:
    with store.unit_of_work(actor) as uow:
        row = uow.session.get(Letter, letter_id)
        assert row is not None
        return dict(row.field_values)


def test_the_pause_dates_come_from_the_payment_and_typed_dates_are_overwritten(store: Store, actor: Actor) -> None:
    case_id = _case_with(store, actor)
    typed = {**TYPED, "pause_start": "2026-01-01", "pause_end": "2026-02-01"}
    with store.unit_of_work(actor) as uow:
        letter = LetterService().create_draft(uow, case_id, template_id=CREDITOR, values=typed)
    values = _stored(store, actor, letter.id)
    assert values["pause_start"] == "2026-11-03" and values["pause_end"] == "2027-11-03"  # one year later
    assert values["pause_debts_before"] == "2021-06-01"
    with store.unit_of_work(actor) as uow:
        body = flat_text(LetterService().preview(uow, letter.id))
    assert "3 november 2026" in body and "3 november 2027" in body and "1 juni 2021" in body
    with store.unit_of_work(actor) as uow:
        versions = pause_policy_versions(uow, load_template(CREDITOR), case_id)
        assert pause_policy_versions(uow, load_template("overdracht_aan_gemeente"), case_id) == ()
    assert versions == ("uht-pauzeknop-2022-11-05", "wht-catshuis-2022-11-05")


def test_without_the_payment_the_letter_is_refused_naming_the_payment(store: Store, actor: Actor) -> None:
    case_id = _case_with(store, actor, paid_on=None)
    with store.unit_of_work(actor) as uow:
        # EUR 20,000 is not yet the Catshuis amount: the pause has not started
        PaymentService().record(uow, case_id, kind="voorschot", amount_cents=2_000_000, paid_on="2026-11-01")
    with store.unit_of_work(actor) as uow, pytest.raises(NotAllowed) as err:
        LetterService().create_draft(uow, case_id, template_id=CREDITOR,
                                     values={**TYPED, "pause_start": "2026-11-01"})
    assert err.value.field == "pause_start"
    assert "betaling" in err.value.text() and "€ 30.000,00" in err.value.text()
    assert "betalingsregister" in err.value.text()


def test_without_consent_for_the_creditor_draft_submit_and_issue_are_refused(store: Store, actor: Actor) -> None:
    case_id = _case_with(store, actor, consent=False)
    with store.unit_of_work(actor) as uow:
        ConsentService().give(uow, case_id, partner="Gemeente Zaanstad", scope="Brede ondersteuning",
                              given_on="2026-11-10")
    with store.unit_of_work(actor) as uow, pytest.raises(NotAllowed) as err:
        LetterService().create_draft(uow, case_id, template_id=CREDITOR, values=TYPED)
    assert err.value.field == "creditor_name"
    assert "toestemming" in err.value.text() and CREDITOR_NAME in err.value.text()
    # consent given, a draft made and submitted; then withdrawn: issuing is refused and nothing is disclosed
    with store.unit_of_work(actor) as uow:
        consent = ConsentService().give(uow, case_id, partner=CREDITOR_NAME, scope="Pauzeknop",
                                        given_on="2026-11-10")
        letter = LetterService().create_draft(uow, case_id, template_id=CREDITOR, values=TYPED)
        approved = LetterService().create_draft(uow, case_id, template_id=CREDITOR, values=TYPED)
        LetterService().submit(uow, approved.id)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        LetterService().approve(uow, approved.id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        ConsentService().withdraw(uow, consent.id)
    with store.unit_of_work(actor) as uow, pytest.raises(NotAllowed) as submit:
        LetterService().submit(uow, letter.id)
    assert submit.value.field == "creditor_name"
    with store.unit_of_work(actor) as uow, pytest.raises(NotAllowed) as issue:
        LetterService().issue(uow, approved.id)
    assert issue.value.field == "creditor_name" and "toestemming" in issue.value.text()
    with store.unit_of_work(actor) as uow:
        assert LetterService().get(uow, approved.id).status == "approved"
    with store.unit_of_work(actor) as uow:
        assert list(uow.session.scalars(select(Disclosure))) == []


def test_issuing_records_the_disclosure_with_the_consent_and_what_was_shared(store: Store, actor: Actor) -> None:
    case_id = _case_with(store, actor)
    with store.unit_of_work(actor) as uow:
        letter = LetterService().create_draft(uow, case_id, template_id=CREDITOR, values=TYPED)
        consent = ConsentService().active_consent(uow, case_id, partner=CREDITOR_NAME)
    _issue(store, actor, letter.id)
    with store.unit_of_work(actor) as uow:
        disclosures = list(uow.session.scalars(select(Disclosure).where(Disclosure.case_id == case_id)))
        info = LetterService().get(uow, letter.id)
    assert consent is not None
    assert [(d.partner, d.basis, d.consent_id) for d in disclosures] == [(CREDITOR_NAME, "toestemming", consent.id)]
    what = disclosures[0].what
    assert info.reference in what
    for shared in ("naam van de ouder", "geboortedatum van de ouder", "kenmerk of dossiernummer"):
        assert shared in what.lower(), what
    assert "ondertekenaar" not in what.lower() and "aanhef" not in what.lower()


def test_the_letter_states_the_pauzeknop_and_nothing_it_does_not_say() -> None:
    body = flat_text(_render_sample())
    lower = body.lower()
    assert "pauzeknop" in lower
    assert "De pauze is begonnen op 3 november 2026" in body and "tot 3 november 2027" in body
    assert "ontstaan vóór 1 juni 2021" in body
    # reminders and aanmaningen stay allowed; titel and beslag do not
    assert "herinneringen en aanmaningen sturen" in body
    assert "een titel halen" in body and "beslag leggen" in body
    for wrong in ("niet toegestaan", "verboden", "geen incassomaatregelen, aanmaningen", "stop met",
                  "aangemeld", "aanmelding", "wet hersteloperatie", "wht", "moratorium"):
        assert wrong not in lower, wrong
    assert "30.000" not in body  # the parent's payment is not told to the creditor


def _render_sample() -> bytes:
    from tests.workbench.letters.samples import render
    return render(CREDITOR)


def test_every_letter_to_someone_other_than_the_parent_needs_consent() -> None:
    # A letter with its own address block goes to a third party, unless it goes to another belanghebbende
    # (the ex-partner of an ex-partner beschikking, a child): those are decisions about them, not disclosures.
    assert all(t.addressee_role != "parent" for t in list_templates() if t.addressee)
    others = [t for t in list_templates() if t.addressee_role == "third_party"]
    assert {t.id for t in others} >= {CREDITOR, "overdracht_aan_gemeente"}
    missing = [t.id for t in others if t.consent_for is None]
    assert missing == [], f"letters to a third party without consent_for: {missing}"
    for template in others:
        assert template.consent_for in template.addressee, template.id


def test_the_creditor_template_names_its_facts_in_the_policy_note() -> None:
    from workbench.resources import load_json
    raw = load_json("letters", f"{CREDITOR}.json")
    note = raw["policy_note"]
    assert "[V]" in note and "[I]" in note and "pauzeknop" in note
    assert load_template(CREDITOR).version >= 3


def test_a_withdrawn_payment_stops_a_draft_that_printed_its_dates(store: Store, actor: Actor) -> None:
    case_id = _case_with(store, actor)
    with store.unit_of_work(actor) as uow:
        letter = LetterService().create_draft(uow, case_id, template_id=CREDITOR, values=TYPED)
        first = PaymentService().list_for_case(uow, case_id)[0]
        PaymentService().withdraw(uow, first.id)
        PaymentService().record(uow, case_id, kind="catshuis", amount_cents=3_000_000, paid_on="2026-11-06")
    with store.unit_of_work(actor) as uow, pytest.raises(NotAllowed) as err:
        LetterService().submit(uow, letter.id)
    assert err.value.field == "pause_start" and "betaling" in err.value.text()
    with store.unit_of_work(actor) as uow:
        LetterService().update_draft(uow, letter.id, values=TYPED)
        assert LetterService().submit(uow, letter.id).status == "in_review"
    assert _stored(store, actor, letter.id)["pause_start"] == "2026-11-06"
    assert dt.date.fromisoformat(_stored(store, actor, letter.id)["pause_end"]) == dt.date(2027, 11, 6)
