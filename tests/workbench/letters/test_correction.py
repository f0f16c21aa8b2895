"""The herziening: a correction that replaces an issued besluit; the original stays exactly as it was sent."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from tests.helpers.factories import FixedClock, make_case
from tests.workbench.letters.issuing import at, issue_on, reviewer
from tests.workbench.letters.samples import SIGN, beschikking_values, facts, flat_text, typed_values
from workbench.cases.models import Case
from workbench.errors import NotAllowed
from workbench.letters.correction import create_correction
from workbench.letters.models import Letter
from workbench.letters.service import ISSUED_MESSAGE, LetterService, letter_reference
from workbench.policy.facts import CaseFacts, ToeslagYear
from workbench.store.unit_of_work import Actor, Store

CHANGES = {"changes": "In het besluit ontbraken de kosten voor juridische hulp in 2012. Die staan er nu in.",
           "decision": "U krijgt een compensatie voor de jaren 2012 en 2013.",
           "motivation": "U heeft laten zien dat u in 2012 een advocaat betaalde.",
           "payment": "Wij betalen het verschil binnen 6 weken op het rekeningnummer dat bij ons bekend is.", **SIGN}


def _snapshot(row: Letter) -> tuple[object, ...]:
    return (row.status, dict(row.field_values), row.pdf_sha256, hashlib.sha256(bytes(row.pdf or b"")).hexdigest(),
            row.dated_on, row.issued_at, row.reviewer_id, list(row.policy_versions or ()), row.corrects_letter_id)


def test_a_herziening_replaces_an_issued_besluit_with_a_new_term_and_leaves_the_original_untouched(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    checker = reviewer(store)
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        case = uow.session.get(Case, case_id)
        assert case is not None
        case_reference = case.reference
    original, original_pdf = issue_on(store, clock, dt.date(2026, 9, 14), actor, checker, lambda uow: LetterService()
                                      .create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                                    values=beschikking_values(), facts=facts()))
    with store.unit_of_work(actor) as uow:
        row = uow.session.get(Letter, original.id)
        assert row is not None
        before = _snapshot(row)
    assert before[2] == hashlib.sha256(original_pdf).hexdigest()
    corrected = CaseFacts(decision_date=dt.date(2026, 12, 1), scheme="integrale_beoordeling", years=(
        ToeslagYear(2012, startbedrag_cents=800000, hardship_half_years=2, legal_aid_cents=120000),
        ToeslagYear(2013, startbedrag_cents=300000, legal_aid_cents=50000)))
    correction, pdf = issue_on(store, clock, dt.date(2026, 12, 1), actor, checker, lambda uow: create_correction(
        uow, original.id, values={**CHANGES, "original_reference": "getypt", "original_date": "2026-01-01"},
        facts=corrected))
    text = flat_text(pdf)
    kenmerk = letter_reference(case_reference, original.id)
    assert f"Op 14 september 2026 stuurden wij u een besluit met kenmerk {kenmerk}." in text
    assert "Dit nieuwe besluit vervangt het besluit van 14 september 2026." in text and "getypt" not in text
    assert "In het besluit ontbraken de kosten voor juridische hulp in 2012." in text
    # a new bezwaartermijn: 16 weeks from the herziening's own date (1 December 2026), not the original's
    assert "De termijn daarvoor begint opnieuw, vanaf de datum van deze brief." in text
    assert "uiterlijk 23 maart 2027" in text
    assert "4 januari 2027" not in text
    with store.unit_of_work(actor) as uow:
        new = uow.session.get(Letter, correction.id)
        old = uow.session.get(Letter, original.id)
        assert new is not None and old is not None
        assert new.corrects_letter_id == original.id and new.field_values["original_letter_id"] == original.id
        assert new.status == "issued" and new.dated_on == dt.date(2026, 12, 1)
        assert _snapshot(old) == before
        # and the store still refuses any change to the original, with a message that says what to do instead
        with pytest.raises(NotAllowed) as err:
            LetterService().update_draft(uow, original.id, values=beschikking_values())
        assert "herziening" in err.value.text() and err.value.text() == ISSUED_MESSAGE


def test_a_herziening_without_new_facts_reuses_the_originals_calculation(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
    original, _pdf = issue_on(store, clock, dt.date(2026, 9, 14), actor, reviewer(store), lambda uow: LetterService()
                              .create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                            values=beschikking_values(), facts=facts()))
    at(clock, dt.date(2026, 11, 30))
    with store.unit_of_work(actor) as uow:
        draft = create_correction(uow, original.id, values=CHANGES)
        new, old = uow.session.get(Letter, draft.id), uow.session.get(Letter, original.id)
        assert new is not None and old is not None and draft.status == "draft"
        assert new.facts == old.facts and new.field_values["total"] == old.field_values["total"]
        assert new.field_values["objection_deadline"] == "2027-03-22"  # 16 weeks from 30 November 2026


def test_only_an_issued_besluit_with_a_calculation_can_be_corrected(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        concept = service.create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                       values=beschikking_values(), facts=facts())
        with pytest.raises(NotAllowed, match="Een herziening vervangt een besluit dat al is verstuurd"):
            create_correction(uow, concept.id, values=CHANGES)
    checker = reviewer(store)
    brief, _pdf = issue_on(store, clock, dt.date(2026, 11, 30), actor, checker, lambda uow: service.create_draft(
        uow, case_id, template_id="bevestiging_aanmelding", values=typed_values("bevestiging_aanmelding")))
    with store.unit_of_work(actor) as uow, pytest.raises(NotAllowed, match="Deze brief is dat niet"):
        create_correction(uow, brief.id, values=CHANGES)
    decision, _pdf = issue_on(store, clock, dt.date(2026, 9, 14), actor, checker, lambda uow: service.create_draft(
        uow, case_id, template_id="beschikking_integrale_beoordeling", values=beschikking_values(), facts=facts()))
    on_objection, _pdf = issue_on(store, clock, dt.date(2026, 11, 30), actor, checker, lambda uow: service
                                  .create_draft(uow, case_id, template_id="beslissing_op_bezwaar",
                                                related_letter_id=decision.id,
                                                values=typed_values("beslissing_op_bezwaar")))
    with store.unit_of_work(actor) as uow, pytest.raises(NotAllowed, match="geen berekening"):
        create_correction(uow, on_objection.id, values=CHANGES)
    with store.unit_of_work(actor) as uow:
        assert uow.session.get(Letter, on_objection.id).status == "issued"  # type: ignore[union-attr]
