"""The missing letters (issue 9 item 8): bevestiging aanmelding, bezwaar letters, O/GS and ex-partner beschikkingen."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.helpers.factories import FixedClock, make_case
from tests.workbench.letters.issuing import at, issue_on, reviewer
from tests.workbench.letters.samples import (
    DAY,
    SIGN,
    beschikking_values,
    ex_partner_values,
    facts,
    flat_text,
    ogs_facts,
    ogs_values,
    render,
    typed_values,
    values_for,
)
from workbench.cases.models import Case
from workbench.errors import NotAllowed, ValidationError
from workbench.letters.content_check import check_decision
from workbench.letters.letter_check import check_letter
from workbench.letters.models import Letter
from workbench.letters.organisation import with_defaults
from workbench.letters.service import LetterService, letter_reference
from workbench.letters.templates import load_template
from workbench.money import format_euro
from workbench.parties.service import ParentService
from workbench.policy.engine import compute
from workbench.store.unit_of_work import Actor, Store, UnitOfWork

NEW = ("bevestiging_aanmelding", "ontvangstbevestiging_bezwaar", "beslissing_op_bezwaar", "beschikking_ogs",
       "beschikking_ex_partner", "herziening")
BEZWAAR = {**SIGN, "objection_received_on": "2026-11-20", "advisory_committee": "nee"}


@pytest.mark.parametrize("template_id", NEW)
def test_each_new_template_names_its_sources_and_reads_as_plain_dutch(template_id: str) -> None:
    template = load_template(template_id)
    assert "DOMAIN" in template.policy_note or "issue 9" in template.policy_note
    assert "[I]" in template.policy_note or "[V]" in template.policy_note
    findings = check_letter(template, with_defaults(template, values_for(template_id)), letter_date=DAY,
                            derived={}, context={"reference": "K", "case_reference": "C", "letter_date": DAY})
    own_words = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", " ".join(b.text for b in template.body)).lower()
    # the template's own wording is short and explains its jargon; typed values and engine labels are the author's
    assert [f.message for f in findings if f.severity == "warning" and (
        f.message.startswith("Lange zin") or f.message.split('"')[1].lower() in own_words)] == []


def test_registration_confirmation_pauses_only_public_debts_from_before_2021() -> None:
    text = flat_text(render("bevestiging_aanmelding"))
    assert "Op 23 november 2026 heeft u zich bij ons aangemeld." in text
    assert "ontstaan vóór 1 januari 2021? Dan staan die schulden op pauze vanaf de dag van uw aanmelding." in text
    assert "deze pauze geldt niet voor schulden bij bedrijven of bij andere mensen" in text
    assert "€" not in text


def test_a_beslissing_op_bezwaar_needs_its_beroep_clause() -> None:
    template = load_template("beslissing_op_bezwaar")
    values = with_defaults(template, values_for("beslissing_op_bezwaar"))
    check_decision(template, values)
    no_clause = type(template)(**{**template.__dict__, "body": tuple(b for b in template.body if b.style != "clause")})
    with pytest.raises(ValidationError) as err:
        check_decision(no_clause, values)
    assert err.value.field == "appeal_term" and "beroepsclausule" in err.value.text()


def _case(uow: UnitOfWork, n: int = 0) -> tuple[str, str, str]:
    parent_id, case_id = make_case(uow, n)
    case = uow.session.get(Case, case_id)
    assert case is not None
    return parent_id, case_id, case.reference


def _issued_beschikking(store: Store, clock: FixedClock, actor: Actor, case_id: str,
                        day: dt.date = dt.date(2026, 9, 14)) -> str:
    info, _pdf = issue_on(store, clock, day, actor, reviewer(store), lambda uow: LetterService().create_draft(
        uow, case_id, template_id="beschikking_integrale_beoordeling", values=beschikking_values(), facts=facts()))
    at(clock, DAY)
    return info.id


def test_the_contested_decision_is_chosen_and_its_kenmerk_and_date_are_never_typed(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    with store.unit_of_work(actor) as uow:
        _parent, case_id, reference = _case(uow)
    decision_id = _issued_beschikking(store, clock, actor, case_id)
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        draft = service.create_draft(uow, case_id, template_id="ontvangstbevestiging_bezwaar",
                                     related_letter_id=decision_id,
                                     values={**BEZWAAR, "contested_reference": "X-1", "contested_date": "2020-01-01"})
        row = uow.session.get(Letter, draft.id)
        assert row is not None
        assert row.field_values["contested_reference"] == letter_reference(reference, decision_id)
        assert row.field_values["contested_date"] == "2026-09-14"
        # 16 weeks to 4 January 2027, then 6 weeks without the BAC
        assert row.field_values["decision_weeks"] == 6 and row.field_values["decision_deadline"] == "2027-02-15"
        # a later edit cannot point the draft at another decision or type the kenmerk
        service.update_draft(uow, draft.id, values={**BEZWAAR, "contested_letter_id": draft.id,
                                                    "contested_reference": "X-2"})
        assert row.field_values["contested_letter_id"] == decision_id
        assert row.field_values["contested_reference"] == letter_reference(reference, decision_id)


def test_only_an_issued_besluit_of_the_same_case_can_be_contested(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id, _ref = _case(uow)
        _other_parent, other_case_id, _other_ref = _case(uow, 1)
    decision_id = _issued_beschikking(store, clock, actor, case_id)
    with store.unit_of_work(actor) as uow:
        concept = service.create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                       values=beschikking_values(), facts=facts())
        letter = service.create_draft(uow, case_id, template_id="bevestiging_aanmelding",
                                      values=typed_values("bevestiging_aanmelding"))
        with pytest.raises(ValidationError) as err:
            service.create_draft(uow, case_id, template_id="beslissing_op_bezwaar", values=BEZWAAR)
        assert err.value.field == "contested_letter_id"
        with pytest.raises(ValidationError) as err:
            service.create_draft(uow, other_case_id, template_id="ontvangstbevestiging_bezwaar", values=BEZWAAR,
                                 related_letter_id=decision_id)
        assert err.value.field == "contested_letter_id" and "deze zaak" in err.value.text()
        with pytest.raises(NotAllowed, match="al is verstuurd"):
            service.create_draft(uow, case_id, template_id="ontvangstbevestiging_bezwaar", values=BEZWAAR,
                                 related_letter_id=concept.id)
        with pytest.raises(ValidationError) as err:  # a letter that relates to no decision
            service.create_draft(uow, case_id, template_id="bevestiging_aanmelding",
                                 values=typed_values("bevestiging_aanmelding"), related_letter_id=decision_id)
        assert err.value.field == "related_letter_id"
        assert letter.status == "draft"


@pytest.mark.parametrize(("field", "value", "words"), [
    ("outcome", "half gegrond", "kies gegrond, ongegrond of deels gegrond"),
    ("outcome", "", "kies gegrond, ongegrond of deels gegrond"),
    ("advisory_committee", "misschien", "kies ja of nee"),
])
def test_a_choice_outside_its_words_is_refused_in_dutch(store: Store, actor: Actor, clock: FixedClock,
                                                        field: str, value: str, words: str) -> None:
    with store.unit_of_work(actor) as uow:
        _parent, case_id, _ref = _case(uow)
    decision_id = _issued_beschikking(store, clock, actor, case_id)
    template_id = "beslissing_op_bezwaar" if field == "outcome" else "ontvangstbevestiging_bezwaar"
    values = {**typed_values(template_id), field: value}
    with store.unit_of_work(actor) as uow, pytest.raises(ValidationError) as err:
        LetterService().create_draft(uow, case_id, template_id=template_id, values=values,
                                     related_letter_id=decision_id)
    assert err.value.field == field and words in err.value.text()


@pytest.mark.parametrize(("received", "words"), [("2026-09-01", "vóór de datum van het besluit"),
                                                 ("2026-11-30", "in de toekomst")])
def test_a_bezwaar_received_before_the_decision_or_after_today_is_refused(
        store: Store, actor: Actor, clock: FixedClock, received: str, words: str) -> None:
    with store.unit_of_work(actor) as uow:
        _parent, case_id, _ref = _case(uow)
    decision_id = _issued_beschikking(store, clock, actor, case_id)  # the clock is then at 29 November 2026
    with store.unit_of_work(actor) as uow, pytest.raises(ValidationError) as err:
        LetterService().create_draft(uow, case_id, template_id="ontvangstbevestiging_bezwaar",
                                     values={**BEZWAAR, "objection_received_on": received},
                                     related_letter_id=decision_id)
    assert err.value.field == "objection_received_on" and words in err.value.text()


def test_ogs_beschikking_lists_each_year_with_its_original_decision_number_and_the_engine_amount(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    with store.unit_of_work(actor) as uow:
        _parent, case_id, _ref = _case(uow)
    info, pdf = issue_on(store, clock, dt.date(2026, 12, 7), actor, reviewer(store), lambda uow: LetterService()
                         .create_draft(uow, case_id, template_id="beschikking_ogs", values=ogs_values(),
                                       facts=ogs_facts()))
    text = flat_text(pdf)
    assessment = compute(ogs_facts(dt.date(2026, 12, 7)))
    for line in assessment.lines:
        assert f"{line.label} {format_euro(line.amount_cents)}" in text
    assert "2014 (toeslagjaar), besluit 1234.56.789.T.01.4" in text
    assert "2015 (toeslagjaar), besluit 1234.56.789.T.01.5" in text
    assert f"Totaal {format_euro(assessment.total_cents)}" in text and info.status == "issued"
    assert "wht-ogs-2022-11-05" in info.policy_versions


@pytest.mark.parametrize(("numbers", "field"), [
    ([{"year": "2014", "number": "A"}], "original_decisions"),
    ([{"year": "2014", "number": "A"}, {"year": "2015", "number": "B"}, {"year": "2016", "number": "C"}],
     "original_decisions[2].year"),
    ([{"year": "2014", "number": "A"}, {"year": "2014", "number": "B"}], "original_decisions[1].year"),
])
def test_ogs_decision_numbers_must_match_the_years_of_the_calculation(
        store: Store, actor: Actor, numbers: list[dict[str, str]], field: str) -> None:
    with store.unit_of_work(actor) as uow, pytest.raises(ValidationError) as err:
        _parent, case_id, _ref = _case(uow)
        LetterService().create_draft(uow, case_id, template_id="beschikking_ogs",
                                     values={**ogs_values(), "original_decisions": numbers}, facts=ogs_facts())
    assert err.value.field == field and "oeslagjaar" in err.value.text()


def test_ex_partner_beschikking_goes_to_the_ex_partner_named_from_the_record(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, case_id, _ref = _case(uow)
        other_parent, _other_case, _other_ref = _case(uow, 1)
        ex = ParentService().add_ex_partner(uow, parent_id, achternaam="Boer", tussenvoegsel="de", voorletters="P.")
        stranger = ParentService().add_ex_partner(uow, other_parent, achternaam="Vreemd", voorletters="Q.")
        with pytest.raises(ValidationError) as err:
            LetterService().create_draft(uow, case_id, template_id="beschikking_ex_partner",
                                         values={**ex_partner_values(), "ex_partner_id": stranger.id},
                                         facts=compute_facts())
        assert err.value.field == "ex_partner_id"
    info, pdf = issue_on(store, clock, DAY, actor, reviewer(store), lambda uow: LetterService().create_draft(
        uow, case_id, template_id="beschikking_ex_partner", facts=compute_facts(),
        values={**ex_partner_values(), "ex_partner_id": ex.id, "ex_partner_name": "Iemand Anders"}))
    text = flat_text(pdf)
    assert "P. de Boer Kastanjelaan 3 9999 XA Voorbeeldstad" in text
    assert "Iemand Anders" not in text and "Lindelaan" not in text  # not the parent's address
    amount = compute(compute_facts()).total_cents
    assert f"Wij betalen u {format_euro(amount)}" in text and "warht-ex-partner-2023-07-12" in info.policy_versions


def compute_facts():  # type: ignore[no-untyped-def]
    from tests.workbench.letters.samples import ex_partner_facts
    return ex_partner_facts()


def test_a_bezwaar_filed_before_the_bac_change_keeps_its_right_to_bac_advice(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    with store.unit_of_work(actor) as uow:
        _parent, case_id, _ref = _case(uow)
    decision_id = _issued_beschikking(store, clock, actor, case_id, day=dt.date(2023, 6, 1))
    at(clock, dt.date(2023, 9, 5))
    early = {**BEZWAAR, "objection_received_on": "2023-09-01"}
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        with pytest.raises(ValidationError) as err:
            service.create_draft(uow, case_id, template_id="ontvangstbevestiging_bezwaar", values=early,
                                 related_letter_id=decision_id)
        assert err.value.field == "advisory_committee" and "vóór 26 oktober 2023" in err.value.text()
        draft = service.create_draft(uow, case_id, template_id="ontvangstbevestiging_bezwaar",
                                     values={**early, "advisory_committee": "ja"}, related_letter_id=decision_id)
        assert "uht-bac-niet-altijd-2023-10-26" in draft.policy_versions
    assert "Sinds 26 oktober 2023 hoeven wij niet elk bezwaar aan de BAC voor te leggen." in flat_text(
        render("ontvangstbevestiging_bezwaar"))
