"""A complete integrale-beoordeling beschikking (issue 9, item 5): mandate, zienswijze, aanvullende schade, debt pause,
only the rules applied, no rows of zero, earlier payments on their own rows, no policy ids in the parent's text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from pypdf import PdfReader

from tests.helpers.factories import FixedClock, make_case, seed_local_user
from tests.workbench.letters.samples import DAY, beschikking_values, facts, flat_text, render, typed_values, values_for
from workbench.errors import ValidationError
from workbench.letters import organisation as org_module
from workbench.letters.earlier_payments import earlier_payments
from workbench.letters.models import Letter
from workbench.letters.service import LetterService
from workbench.money import format_euro
from workbench.payments.models import Payment
from workbench.policy.engine import compute
from workbench.policy.facts import CaseFacts, EarlierPayment, HardshipPeriod, ToeslagYear
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store, UnitOfWork

DECISION = "beschikking_integrale_beoordeling"
NOTICE = "vooraankondiging_integrale_beoordeling"
D = dt.date
PAID = (EarlierPayment("catshuis", 3_000_000, D(2021, 4, 20)), EarlierPayment("voorschot", 500_000, D(2023, 5, 1)))


def big_facts(day: dt.date = DAY) -> CaseFacts:
    return CaseFacts(day, "integrale_beoordeling", years=(ToeslagYear(2012, startbedrag_cents=4_000_000),),
                     hardship_periods=(HardshipPeriod(D(2012, 3, 1), D(2014, 8, 31)),), earlier_payments=PAID)


def _at(clock: FixedClock, day: dt.date) -> None:
    clock.advance(seconds=(dt.datetime.combine(day, dt.time(9, 30), tzinfo=dt.UTC) - clock.now()).total_seconds())


# --- the letter's text ------------------------------------------------------------------------------------------

def test_the_beschikking_states_mandate_debt_pause_and_the_aanvullende_schade_route() -> None:
    body = flat_text(render(DECISION))
    assert org_module.organisation().mandate in body
    assert "Met dit besluit is de integrale beoordeling klaar. Daarom stopt die pauze nu." in body
    assert "schulden bij de Belastingdienst of bij Toeslagen? Die hoeft u nog steeds niet te betalen. U betaalt er " \
           "ook geen rente over." in body
    # 6 months after the last day of the bezwaartermijn (21 March 2027), computed for the letter date
    assert "Doe uw verzoek uiterlijk op 21 september 2027. Dat is 6 maanden na de laatste dag" in body
    for name in ("Stichting (Gelijk)waardig Herstel", "MijnHerstel", "Commissie Werkelijke Schade"):
        assert name in body


def test_the_aanvullende_schade_deadline_moves_with_the_letter_date() -> None:
    later = values_for(DECISION, day=D(2026, 12, 9))
    assert later["supplementary_deadline"] == D(2027, 9, 30) and later["supplementary_months"] == 6


def test_no_policy_ids_in_the_parents_text_and_no_rule_that_was_not_applied() -> None:
    values = values_for(DECISION)
    body = flat_text(render(DECISION))
    assert "Voor ons dossier" not in body and "wht-" not in body and "uht-bezwaar" not in body
    above = dataclasses.replace(big_facts(), earlier_payments=PAID[1:])  # above the floor, no Catshuis payment
    assert "Catshuisregeling" not in compute(above).legal_basis
    assert "Catshuisregeling" in values["legal_basis"]  # the sample is topped up to the floor: that rule applied


def test_earlier_payments_get_rows_of_their_own_with_kind_and_date() -> None:
    from workbench.letters.dating import derive
    from workbench.letters.organisation import with_defaults
    from workbench.letters.templates import load_template
    template = load_template(DECISION)
    typed = with_defaults(template, typed_values(DECISION))
    values = {**typed, **derive(template, typed, letter_date=DAY, facts=big_facts()).values}
    body = flat_text(render(DECISION, values=values))
    a = compute(big_facts())
    assert "Catshuisregeling, betaald op 20 april 2021 - € 30.000,00" in body
    assert "Voorschot, betaald op 1 mei 2023 - € 5.000,00" in body
    assert f"Wij betalen u nu {format_euro(a.payable_cents)}" in body and "Al betaald" not in body
    assert a.already_paid_cents == 3_500_000 and "U heeft al € 35.000,00 gekregen" in body
    assert "Over uw hele zaak Immateriële schade (5 halve jaren × € 500,00, zware tijd van 1 maart 2012 tot en " \
           "met 31 augustus 2014) € 2.500,00" in body
    assert "€ 0,00" not in body


# --- the zienswijze ---------------------------------------------------------------------------------------------

def _issue(store: Store, actor: Actor, letter_id: str, reviewer_name: str) -> None:
    reviewer = seed_local_user(store, role=Role.REVIEWER, username=reviewer_name)
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        service.submit(uow, letter_id)
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, letter_id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        service.issue(uow, letter_id)


def _notice_sent(store: Store, actor: Actor) -> str:
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        notice = LetterService().create_draft(uow, case_id, template_id=NOTICE, values=typed_values(NOTICE),
                                              facts=facts())
    _issue(store, actor, notice.id, "controleur1")
    return case_id


def test_after_a_vooraankondiging_the_beschikking_must_answer_the_zienswijze(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    _at(clock, D(2026, 12, 4))
    case_id = _notice_sent(store, actor)
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        letter = service.create_draft(uow, case_id, template_id=DECISION, values=beschikking_values(), facts=facts())
        with pytest.raises(ValidationError) as err:
            service.submit(uow, letter.id)
        assert err.value.field == "zienswijze_received" and "vooraankondiging" in err.value.text()
        service.update_draft(uow, letter.id, values={**beschikking_values(), "zienswijze_received": "misschien"})
        with pytest.raises(ValidationError) as err:
            service.submit(uow, letter.id)
        assert err.value.field == "zienswijze_received" and "ja of nee" in err.value.text()
        service.update_draft(uow, letter.id, values={**beschikking_values(), "zienswijze_received": "ja"})
        with pytest.raises(ValidationError) as err:
            service.submit(uow, letter.id)
        assert err.value.field == "zienswijze_answer"
        answer = "U schreef dat u in 2013 ook een advocaat betaalde. Die kosten hebben wij meegeteld."
        service.update_draft(uow, letter.id, values={**beschikking_values(), "zienswijze_received": "ja",
                                                     "zienswijze_answer": answer})
    _issue(store, actor, letter.id, "controleur2")
    with store.unit_of_work(actor) as uow:
        row = uow.session.get(Letter, letter.id)
        text = flat_text(bytes(row.pdf))
        keywords = PdfReader(io.BytesIO(bytes(row.pdf))).metadata.keywords
    assert row.status == "issued"
    assert "Wat hebben wij gedaan met uw reactie? U heeft gereageerd op onze vooraankondiging" in text
    assert answer in text
    assert all(version in keywords for version in row.policy_versions)  # the ids are in the metadata instead
    assert "wht-" not in text


def test_issue_refuses_when_a_vooraankondiging_went_out_after_approval(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    _at(clock, D(2026, 12, 4))
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        decision = service.create_draft(uow, case_id, template_id=DECISION, values=beschikking_values(),
                                        facts=facts())
        service.submit(uow, decision.id)  # no vooraankondiging yet: no zienswijze section needed
        notice = service.create_draft(uow, case_id, template_id=NOTICE, values=typed_values(NOTICE), facts=facts())
        service.submit(uow, notice.id)
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, decision.id, reviewer_id=reviewer.user_id)
        service.approve(uow, notice.id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        service.issue(uow, notice.id)
        with pytest.raises(ValidationError) as err:
            service.issue(uow, decision.id)
    assert err.value.field == "zienswijze_received"


# --- the vooraankondiging's amounts -------------------------------------------------------------------------

def test_the_vooraankondiging_takes_its_amounts_from_the_facts(store: Store, actor: Actor, clock: FixedClock) -> None:
    _at(clock, D(2026, 12, 4))
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        typed = {**typed_values(NOTICE), "total": "€ 38.000,00"}  # a typed amount is overwritten
        letter = LetterService().create_draft(uow, case_id, template_id=NOTICE, values=typed, facts=big_facts())
        row = uow.session.get(Letter, letter.id)
        pdf = LetterService().preview(uow, letter.id)
    a = compute(big_facts(D(2026, 12, 4)))
    assert (row.field_values["total"], row.field_values["payable"]) == (a.total_cents, a.payable_cents)
    text = flat_text(pdf)
    assert "€ 38.000,00" not in text
    assert "Het bedrag dat u dan in totaal krijgt is voorlopig € 53.025,00." in text
    assert "U heeft al € 35.000,00 gekregen. Dat bedrag halen we eraf. Wij betalen u dan nog € 18.025,00." in text


# --- the payments register --------------------------------------------------------------------------------------

def test_earlier_payments_default_from_the_payments_register(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        _parent2, other_case = make_case(uow, 1)
        add = _payments(uow)
        add(case_id, "voorschot", 500_000, D(2023, 5, 1))
        add(case_id, "catshuis", 3_000_000, D(2021, 4, 20))
        add(case_id, "kindregeling", 200_000, D(2024, 1, 1))  # the child's money: not offset
        add(other_case, "compensatie", 100, D(2022, 1, 1))
        add(case_id, "compensatie", 999, D(2022, 2, 2), gone=uow.clock.now())  # a tombstoned record
        found = earlier_payments(uow, case_id)
    assert found == (EarlierPayment("catshuis", 3_000_000, D(2021, 4, 20)),
                     EarlierPayment("voorschot", 500_000, D(2023, 5, 1)))


def _payments(uow: UnitOfWork):  # type: ignore[no-untyped-def]
    def add(case_id: str, kind: str, cents: int, day: dt.date, gone: dt.datetime | None = None) -> Payment:
        row = Payment(case_id=case_id, kind=kind, amount_cents=cents, paid_on=day, deleted_at=gone)
        uow.session.add(row)
        uow.session.flush()
        return row
    return add


def test_a_one_line_paragraph_pushed_to_the_next_page_is_drawn() -> None:
    """With one toeslagjaar the rounding sentence lands on the last line of page 1 and moves on whole; it was
    drawn without its lines (AttributeError 'blPara') because the wrap cache did not notice the split dropped them."""
    from workbench.letters.dating import derive
    from workbench.letters.organisation import with_defaults
    from workbench.letters.templates import load_template
    template = load_template(DECISION)
    one_year = CaseFacts(DAY, "integrale_beoordeling", years=(ToeslagYear(2012, startbedrag_cents=800_000),))
    typed = with_defaults(template, typed_values(DECISION))
    values = {**typed, **derive(template, typed, letter_date=DAY, facts=one_year).values}
    assert "Elk bedrag is per regel afgerond" in flat_text(render(DECISION, values=values))


def test_the_price_per_half_year_in_a_label_passes_the_letter_check(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    """"5 halve jaren × € 500,00" is the engine's own wording; the check refused it as an amount not computed."""
    _at(clock, D(2026, 12, 4))
    odd = dataclasses.replace(big_facts(D(2026, 12, 4)), years=(ToeslagYear(2012, startbedrag_cents=4_100_000),))
    assert "€ 500,00" not in {format_euro(line.amount_cents) for line in compute(odd).lines}
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        service = LetterService()
        letter = service.create_draft(uow, case_id, template_id=DECISION, values=beschikking_values(),
                                      facts=odd)
        assert service.submit(uow, letter.id).status == "in_review"
