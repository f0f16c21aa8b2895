"""A letter to a gemeente warns, without refusing, when the gemeente is not the parent's place of residence."""

from __future__ import annotations

import pytest

from tests.helpers.factories import make_case
from tests.workbench.letters.samples import VALUES
from workbench.letters.templates import load_template
from workbench.letters.third_party import municipality_name, third_party_warnings
from workbench.store.unit_of_work import Actor, Store

HANDOVER = load_template("overdracht_aan_gemeente")


@pytest.mark.parametrize(("city", "gemeente"), [
    ("Zaanstad", "Gemeente Zaanstad"), ("Zaanstad", "gemeente  zaanstad"), ("ZAANSTAD", "Zaanstad"),
    ("Den Haag", "Gemeente Den Haag"),
])
def test_the_parents_own_gemeente_gives_no_warning(store: Store, actor: Actor, city: str, gemeente: str) -> None:
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow, city=city)
        warnings = third_party_warnings(uow, case_id, HANDOVER, {**VALUES[HANDOVER.id], "gemeente": gemeente})
    assert warnings == []


def test_another_gemeente_is_named_in_a_dutch_warning(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow, city="Heerlen")
        warnings = third_party_warnings(uow, case_id, HANDOVER, VALUES[HANDOVER.id])
    assert len(warnings) == 1
    assert "Heerlen" in warnings[0] and "Gemeente Zaanstad" in warnings[0] and "Controleer" in warnings[0]


def test_an_unknown_city_asks_to_check_and_other_letters_have_no_warning(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow, city="", street="", house_number="", postcode="")
        unknown = third_party_warnings(uow, case_id, HANDOVER, VALUES[HANDOVER.id])
        creditor = load_template("brief_aan_schuldeiser_moratorium")
        other = third_party_warnings(uow, case_id, creditor, VALUES[creditor.id])
    assert len(unknown) == 1 and "geen woonplaats" in unknown[0]
    assert other == []


def test_names_compare_without_the_word_gemeente_case_or_spacing() -> None:
    assert municipality_name(" Gemeente   Súdwest-Fryslân ") == municipality_name("súdwest-fryslân")
    assert municipality_name("Gemeentebelang") == "gemeentebelang"
