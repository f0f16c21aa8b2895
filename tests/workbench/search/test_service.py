"""Full-text search: names, references and story text; prefixes; diacritics; kept in step with writes."""

from __future__ import annotations

import pytest

from tests.helpers.factories import make_case
from workbench.parties.service import ParentService
from workbench.search.service import SearchService, fts_query
from workbench.store.unit_of_work import Actor, Store
from workbench.story.service import StoryService

search = SearchService()


@pytest.fixture
def two_cases(store: Store, actor: Actor) -> tuple[str, str]:
    with store.unit_of_work(actor) as uow:
        _pa, a = make_case(uow, 0, achternaam="Çelik", voornamen="Ayşe")
        _, b = make_case(uow, 1, achternaam="Bakker", voornamen="Ruud")
        StoryService().add(uow, b, kind="telefoon", text="Beslag op het loon door de deurwaarder in Zaandam.")
    return a, b


def _refs(store: Store, actor: Actor, typed: str) -> list[str]:
    with store.unit_of_work(actor) as uow:
        return [h.reference for h in search.cases(uow, typed)]


def test_names_with_and_without_diacritics_and_prefix(store: Store, actor: Actor, two_cases: tuple) -> None:
    assert _refs(store, actor, "celik") == ["UHT-2026-000001"]
    assert _refs(store, actor, "Ays") == ["UHT-2026-000001"]
    assert _refs(store, actor, "bak") == ["UHT-2026-000002"]


def test_reference_and_story_text(store: Store, actor: Actor, two_cases: tuple) -> None:
    assert _refs(store, actor, "UHT-2026-000002") == ["UHT-2026-000002"]
    assert _refs(store, actor, "deurwaard") == ["UHT-2026-000002"]
    assert _refs(store, actor, "deurwaarder zaandam") == ["UHT-2026-000002"]
    assert _refs(store, actor, "deurwaarder haarlem") == []


def test_renamed_parent_is_found_under_the_new_name_only(store: Store, actor: Actor, two_cases: tuple) -> None:
    with store.unit_of_work(actor) as uow:
        case = uow.session.execute(__import__("sqlalchemy").text(
            "SELECT parent_id FROM case_file WHERE reference = 'UHT-2026-000002'")).scalar_one()
        ParentService().update(uow, case, achternaam="Visser")
    assert _refs(store, actor, "bakker") == []
    assert _refs(store, actor, "visser") == ["UHT-2026-000002"]


def test_fts_operators_are_plain_text(store: Store, actor: Actor, two_cases: tuple) -> None:
    assert fts_query('NEAR("a" OR *') == '"NEAR" "a" "OR"*'
    assert _refs(store, actor, 'bakker "') == ["UHT-2026-000002"]
    assert _refs(store, actor, 'bakker OR') == []  # OR is a word here, and no case has it
    assert fts_query("   ") is None and _refs(store, actor, "--") == []
