"""The aanhef from the parent's aanspreekvorm: the three forms, the capital on a leading tussenvoegsel, and every
letter to the parent starting with it when it is drafted from the case."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from tests.helpers.factories import make_case
from workbench.errors import ValidationError
from workbench.letters import queries
from workbench.letters.case_defaults import case_defaults
from workbench.letters.salutation import salutation
from workbench.letters.service import LetterService
from workbench.letters.templates import list_templates, load_template
from workbench.parties.service import ParentService
from workbench.store.unit_of_work import Actor, Store


@dataclass
class Person:
    achternaam: str
    voornamen: str = ""
    voorletters: str = ""
    tussenvoegsel: str = ""
    aanspreekvorm: str = "neutraal"


@pytest.mark.parametrize(("person", "expected"), [
    (Person("Nus", "Amira Fatima", "A.F.", "van", "mevrouw"), "Beste mevrouw Van Nus"),
    (Person("Berg", "", "J.", "van der", "meneer"), "Beste meneer Van der Berg"),
    (Person("Hart", "", "", "'t", "mevrouw"), "Beste mevrouw 't Hart"),
    (Person("Jansen", "Piet", "P.", "", "meneer"), "Beste meneer Jansen"),
    (Person("Nus", "Amira Fatima", "A.F.", "van"), "Beste Amira van Nus"),
    (Person("Nus", "", "A.F.", "van"), "Beste A.F. van Nus"),
    (Person("Nus", "", "", "van"), "Beste Van Nus"),
])
def test_the_three_forms_and_a_capital_where_the_tussenvoegsel_starts_the_name(person: Person, expected: str) -> None:
    assert salutation(person) == expected


def test_a_child_without_an_aanspreekvorm_is_greeted_by_full_name() -> None:
    @dataclass
    class Child:
        achternaam: str = "Nus"
        voornamen: str = "Noor"
        voorletters: str = ""
        tussenvoegsel: str = "van"

    assert salutation(Child()) == "Beste Noor van Nus"


def test_the_aanspreekvorm_is_kept_and_a_wrong_one_is_refused_naming_the_field(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, _case = make_case(uow)
        assert ParentService().get(uow, parent_id).aanspreekvorm == "neutraal"
        assert ParentService().update(uow, parent_id, aanspreekvorm="mevrouw").aanspreekvorm == "mevrouw"
        with pytest.raises(ValidationError, match="Aanspreekvorm") as err:
            ParentService().update(uow, parent_id, aanspreekvorm="juffrouw")
        assert err.value.field == "aanspreekvorm"
        assert ParentService().get(uow, parent_id).aanspreekvorm == "mevrouw"


def test_case_defaults_greet_the_parent_and_sign_as_the_user(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _p, case_id = make_case(uow, voornamen="Amira", voorletters="A.", tussenvoegsel="van", achternaam="Nus",
                                aanspreekvorm="mevrouw")
        to_parent = {t.id: case_defaults(uow, case_id, t) for t in list_templates() if not t.addressee}
        creditor = case_defaults(uow, case_id, load_template("brief_aan_schuldeiser_moratorium"))
        assert queries.case_defaults is case_defaults  # the wizard and the service use the same defaults
    assert to_parent and all(v["aanhef"] == "Beste mevrouw Van Nus" for v in to_parent.values())
    assert all(v["signatory_name"] == "Sanne Pzb" and v["signatory_function"] == "Persoonlijk zaakbehandelaar"
               for v in to_parent.values())
    assert creditor["aanhef"] == "Geachte heer, mevrouw" and creditor["parent_name"] == "A. van Nus"


def test_a_letter_drafted_for_mevrouw_starts_with_her_aanhef_and_typed_values_win(store: Store,
                                                                                     actor: Actor) -> None:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _p, case_id = make_case(uow, voornamen="Amira", voorletters="A.", tussenvoegsel="van", achternaam="Nus",
                                aanspreekvorm="mevrouw")
        letter = service.create_draft(uow, case_id, template_id="uitnodiging_huisbezoek",
                                      values={"visit_date": "10-12-2026", "visit_time": "10.00 uur"})
        pdf = service.preview(uow, letter.id)
        typed = service.create_draft(uow, case_id, template_id="uitnodiging_huisbezoek",
                                     values={"visit_date": "10-12-2026", "visit_time": "10.00 uur",
                                             "aanhef": "Lieve Amira"})
        assert queries.draft_values(uow, typed.id).values["aanhef"] == "Lieve Amira"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    body = text[text.index("Uitnodiging voor een gesprek"):]
    assert "Beste mevrouw Van Nus," in body
    assert body.split("Beste", 1)[1].startswith(" mevrouw Van Nus,")


def test_a_letter_for_a_minor_child_greets_the_parent_by_aanspreekvorm(store: Store, actor: Actor) -> None:
    from tests.workbench.letters.test_kindregeling_per_child import KIND, PAYEE, TYPED, _family, _pdf_text
    from workbench.cases.service import CaseService

    with store.unit_of_work(actor) as uow:
        case_id, ids = _family(uow)
        ParentService().update(uow, CaseService().get(uow, case_id).parent_id, aanspreekvorm="mevrouw")
        info = LetterService().create_draft(uow, case_id, template_id=KIND, values={**TYPED, **PAYEE},
                                            child_id=ids["Daan"])
        text = _pdf_text(uow, info.id)
    assert "Beste mevrouw Jansen," in text and "wettelijk vertegenwoordiger" in text
