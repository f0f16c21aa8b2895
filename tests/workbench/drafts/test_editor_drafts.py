"""Editor drafts: one per user, editor and target; blank content is no draft."""

from __future__ import annotations

import pytest

from tests.helpers.factories import FixedClock, make_case
from workbench.drafts.service import EditorDraftService
from workbench.errors import ValidationError
from workbench.store.unit_of_work import Actor, Store

drafts = EditorDraftService()


def test_a_draft_is_kept_replaced_and_read_back(store: Store, actor: Actor, clock: FixedClock) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        drafts.save(uow, "story_entry", cid, {"text": "Eerste zin.", "location": ""}, case_id=cid)
    clock.advance(minutes=3)
    with store.unit_of_work(actor) as uow:
        drafts.save(uow, "story_entry", cid, {"text": "Eerste zin. Tweede zin.", "location": "thuis"}, case_id=cid)
    with store.unit_of_work(actor) as uow:
        back = drafts.get(uow, "story_entry", cid)
        assert [d.target_id for d in drafts.waiting(uow)] == [cid]
    assert back is not None
    assert back.content == {"text": "Eerste zin. Tweede zin.", "location": "thuis"}
    assert back.saved_at == clock.now()


def test_blank_content_removes_the_draft_and_discard_forgets_it(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        drafts.save(uow, "story_entry", cid, {"text": "Iets"})
        assert drafts.save(uow, "story_entry", cid, {"text": "  \n", "present": ""}) is None
        assert drafts.get(uow, "story_entry", cid) is None
        drafts.save(uow, "parent", "p-1", {"values": {"city": "Zaandam"}})
        drafts.discard(uow, "parent", "p-1")
        drafts.discard(uow, "parent", "p-1")  # nothing left: still fine
        assert drafts.waiting(uow) == []


def test_drafts_are_per_user(store: Store, actor: Actor) -> None:
    other = Actor("00000000-0000-0000-0000-0000000000ff", actor.device_id)
    with store.unit_of_work(actor) as uow:
        drafts.save(uow, "story_entry", "case-1", {"text": "Van mij"})
    with store.unit_of_work(other) as uow:
        assert drafts.get(uow, "story_entry", "case-1") is None
        drafts.save(uow, "story_entry", "case-1", {"text": "Van de ander"})
    with store.unit_of_work(actor) as uow:
        mine = drafts.get(uow, "story_entry", "case-1")
    assert mine is not None and mine.content == {"text": "Van mij"}


def test_unknown_kinds_and_huge_content_are_refused(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow, pytest.raises(ValidationError) as caught:
        drafts.save(uow, "dagboek", "x", {"text": "a"})
    assert caught.value.field == "kind"
    with store.unit_of_work(actor) as uow, pytest.raises(ValidationError, match="te lang"):
        drafts.save(uow, "story_entry", "x", {"text": "a" * 500_000})
