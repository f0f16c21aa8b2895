"""Kindregeling per child: one beschikking per child, to the child (or its legal representative), naming the child,
its amount, who is paid, and the child's own bezwaar clause."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers.factories import make_case, seed_local_user
from tests.workbench.letters.samples import flat_text
from workbench.errors import ValidationError
from workbench.letters import queries
from workbench.letters.kindregeling import draft_kindregeling_per_child
from workbench.letters.models import Letter
from workbench.letters.service import LetterService
from workbench.parties.models import Child
from workbench.parties.service import ParentService
from workbench.policy.facts import CaseFacts
from workbench.policy.stored_facts import facts_from_json
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store, UnitOfWork

KIND = "beschikking_kindregeling"
TYPED = {"signatory_name": "Sanne de Vries", "signatory_function": "Persoonlijk zaakbehandelaar",
         "parent_decision_date": "2025-06-12",
         "motivation": "De ouder is gedupeerd. Het kind is op of vóór 5 november 2022 geboren en was op 1 januari 2005 "
                       "niet ouder dan 20 jaar.",
         "payment": "Wij betalen het geld binnen 6 weken na de datum van deze brief."}
PAYEE = {"payee": "de wettelijk vertegenwoordiger, op het rekeningnummer dat bij ons bekend is"}


def _family(uow: UnitOfWork) -> tuple[str, dict[str, str]]:
    """A parent (M. Jansen, Lindelaan 12, Zaandam) with four children; returns the case id and child ids by name."""
    parent_id, case_id = make_case(uow)
    parties = ParentService()
    ids = {
        "Sanne": parties.add_child(uow, parent_id, voornamen="Sanne", achternaam="Jansen", birth_date="15-01-2003").id,
        "Daan": parties.add_child(uow, parent_id, voornamen="Daan", achternaam="Jansen", birth_date="30-09-2010").id,
        "Noor": parties.add_child(uow, parent_id, voornamen="Noor", achternaam="Jansen").id,
        "Mila": parties.add_child(uow, parent_id, voornamen="Mila", achternaam="Jansen", birth_date="01-03-2023").id,
    }
    sanne = uow.session.get(Child, ids["Sanne"])
    sanne.street, sanne.house_number, sanne.postcode, sanne.city = "Kerkstraat", "5", "9999 AA", "Voorbeeldstad"
    uow.session.flush()
    return case_id, ids


def _pdf_text(uow: UnitOfWork, letter_id: str) -> str:
    return flat_text(LetterService().preview(uow, letter_id))


def test_a_letter_to_a_child_needs_the_child(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        case_id, _ids = _family(uow)
        with pytest.raises(ValidationError) as err:
            LetterService().create_draft(uow, case_id, template_id=KIND, values={**TYPED, **PAYEE})
    assert err.value.field == "child_id" and "kind" in err.value.text()


def test_one_draft_per_eligible_child_and_the_others_reported(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        case_id, ids = _family(uow)
        result = draft_kindregeling_per_child(uow, case_id, {**TYPED, **PAYEE})
        rows = {uow.session.get(Letter, info.id).child_id: uow.session.get(Letter, info.id) for info in result.drafted}
    assert set(rows) == {ids["Sanne"], ids["Daan"]}
    skipped = dict(result.skipped)
    assert set(skipped) == {"Noor Jansen", "Mila Jansen"}
    assert "geboortedatum" in skipped["Noor Jansen"] and "5 november 2022" in skipped["Mila Jansen"]
    for child_id, born in ((ids["Sanne"], dt.date(2003, 1, 15)), (ids["Daan"], dt.date(2010, 9, 30))):
        row = rows[child_id]
        stored = facts_from_json(row.facts, decision_date=dt.date(2026, 11, 29))
        assert stored.child_birth_dates == (born,) and stored.scheme == "kindregeling"  # exactly this child
    assert rows[ids["Sanne"]].field_values["total"] == 1_000_000  # 20 on 1 July 2023
    assert rows[ids["Daan"]].field_values["total"] == 600_000  # 12 on 1 July 2023


def test_an_adult_child_is_the_addressee_and_is_paid_into_its_own_account(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        case_id, ids = _family(uow)
        info = LetterService().create_draft(uow, case_id, template_id=KIND, values=dict(TYPED), child_id=ids["Sanne"])
        text = _pdf_text(uow, info.id)
    head = text.split("Besluit over")[0]
    assert "Sanne Jansen Kerkstraat 5 9999 AA Voorbeeldstad" in head and "Lindelaan" not in head
    assert "Beste Sanne Jansen," in text
    assert "U, Sanne Jansen, geboren op 15 januari 2003, krijgt € 10.000,00 uit de kindregeling." in text
    assert "Daarom betalen wij het geld aan u zelf, op uw eigen rekening." in text
    assert "Dit besluit gaat over u. U kunt er bezwaar tegen maken." in text
    assert "uiterlijk 21 maart 2027" in text and "wettelijk vertegenwoordiger" not in text


def test_an_adult_child_without_its_own_address_gets_the_letter_at_the_parents_address(
        store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        case_id, ids = _family(uow)
        sanne = uow.session.get(Child, ids["Sanne"])
        sanne.street = sanne.house_number = sanne.postcode = sanne.city = ""
        uow.session.flush()
        info = LetterService().create_draft(uow, case_id, template_id=KIND, values=dict(TYPED), child_id=ids["Sanne"])
        head = _pdf_text(uow, info.id).split("Besluit over")[0]
    assert "Sanne Jansen Lindelaan 12 1234 AB Zaandam" in head and "M. Jansen" not in head


def test_a_minor_child_is_written_to_through_its_legal_representative(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        case_id, ids = _family(uow)
        with pytest.raises(ValidationError) as err:
            LetterService().create_draft(uow, case_id, template_id=KIND, values=dict(TYPED), child_id=ids["Daan"])
        assert err.value.field == "payee"
        info = LetterService().create_draft(uow, case_id, template_id=KIND, values={**TYPED, **PAYEE},
                                            child_id=ids["Daan"])
        text = _pdf_text(uow, info.id)
    head = text.split("Besluit over")[0]
    assert "De wettelijk vertegenwoordiger van Daan Jansen M. Jansen Lindelaan 12 1234 AB Zaandam" in head
    assert "U krijgt deze brief als wettelijk vertegenwoordiger van Daan Jansen." in text
    assert "Daan Jansen, geboren op 30 september 2010, krijgt € 6.000,00 uit de kindregeling." in text
    assert f"Wij betalen het geld aan: {PAYEE['payee']}." in text
    assert "Als wettelijk vertegenwoordiger kunt u namens Daan Jansen bezwaar maken." in text


def test_the_wizard_preview_is_addressed_like_the_letter(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        case_id, ids = _family(uow)
        assert [c.name for c in queries.case_children(uow, case_id)] == [
            "Sanne Jansen", "Daan Jansen", "Mila Jansen", "Noor Jansen"]  # oldest first, unknown birth date last
        with pytest.raises(ValidationError) as err:
            queries.draft_preview(uow, case_id, template_id=KIND, values={**TYPED, **PAYEE})
        assert err.value.field == "child_id"
        text = flat_text(queries.draft_preview(uow, case_id, template_id=KIND, values={**TYPED, **PAYEE},
                                               child_id=ids["Daan"]))
    assert "De wettelijk vertegenwoordiger van Daan Jansen M. Jansen Lindelaan 12" in text and "CONCEPT" in text


def test_the_child_is_taken_from_the_record_never_typed(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        case_id, ids = _family(uow)
        info = LetterService().create_draft(
            uow, case_id, template_id=KIND, child_id=ids["Sanne"],
            values={**TYPED, "child_name": "Iemand Anders", "child_birth_date": "2020-01-01"})
        row = uow.session.get(Letter, info.id)
        assert row.field_values["child_name"] == "Sanne Jansen"
        assert row.field_values["child_birth_date"] == "2003-01-15"
        wrong = CaseFacts(decision_date=dt.date(2026, 11, 29), scheme="kindregeling",
                          child_birth_dates=(dt.date(2003, 1, 15), dt.date(2010, 9, 30)))
        with pytest.raises(ValidationError) as err:
            LetterService().create_draft(uow, case_id, template_id=KIND, values=dict(TYPED), child_id=ids["Sanne"],
                                         facts=wrong)
        assert err.value.field == "child_birth_dates"
        other_parent, _other_case = make_case(uow, 1)
        stranger = ParentService().add_child(uow, other_parent, voornamen="Eva", achternaam="Bakker",
                                             birth_date="01-01-2004").id
        with pytest.raises(ValidationError) as err:
            LetterService().create_draft(uow, case_id, template_id=KIND, values=dict(TYPED), child_id=stranger)
        assert err.value.field == "child_id"


def test_a_child_letter_is_issued_and_one_without_its_child_is_refused(store: Store, actor: Actor) -> None:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        case_id, ids = _family(uow)
        info = service.create_draft(uow, case_id, template_id=KIND, values=dict(TYPED), child_id=ids["Sanne"])
        orphan = service.create_draft(uow, case_id, template_id=KIND, values=dict(TYPED), child_id=ids["Sanne"])
        uow.session.get(Letter, orphan.id).child_id = None
        uow.session.flush()
        with pytest.raises(ValidationError) as err:
            service.submit(uow, orphan.id)
        assert "belanghebbende" in err.value.text()
        service.submit(uow, info.id)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, info.id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        issued = service.issue(uow, info.id)
        text = _pdf_text(uow, info.id)
    assert issued.status == "issued" and "wht-kindregeling-2022-11-05" in issued.policy_versions
    assert "Sanne Jansen Kerkstraat 5" in text and "€ 10.000,00" in text and "CONCEPT" not in text


def test_nothing_is_drafted_when_one_child_cannot_be(store: Store, actor: Actor) -> None:
    """A minor without a payee stops the whole batch: no half set of letters."""
    with store.unit_of_work(actor) as uow:
        case_id, _ids = _family(uow)
    with pytest.raises(ValidationError) as err, store.unit_of_work(actor) as uow:
        draft_kindregeling_per_child(uow, case_id, dict(TYPED))
    assert err.value.field == "payee"
    with store.unit_of_work(actor) as uow:
        assert uow.session.query(Letter).count() == 0
