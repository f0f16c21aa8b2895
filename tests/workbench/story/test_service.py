"""Story entries: validation (including a 10 MB text), the timeline, confirmation by the parent."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers.factories import make_case
from workbench.errors import NotAllowed, ValidationError
from workbench.store.unit_of_work import Actor, Store
from workbench.story.service import StoryService

story = StoryService()


def test_timeline_newest_first_and_filter_by_kind(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        base = dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC)
        story.add(uow, cid, kind="huisbezoek", text="Eerste bezoek aan huis.", occurred_at=base,
                  location="Thuis", present="Moeder, tolk")
        story.add(uow, cid, kind="telefoon", text="Nagebeld over de afspraak.", occurred_at=base + dt.timedelta(days=2))
        all_entries = story.timeline(uow, cid)
        visits = story.timeline(uow, cid, kind="huisbezoek")
    assert [e.kind for e in all_entries] == ["telefoon", "huisbezoek"]
    assert [e.present for e in visits] == ["Moeder, tolk"]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"kind": "telefoon", "text": "   "}, "text"),
    ({"kind": "duif", "text": "Post"}, "kind"),
    ({"kind": "notitie", "text": "x" * 10_000_000}, "text"),
    ({"kind": "notitie", "text": "ok", "location": "x" * 201}, "location"),
])
def test_invalid_entries_are_refused_by_field(store: Store, actor: Actor, kwargs: dict, field: str) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
    with pytest.raises(ValidationError) as err, store.unit_of_work(actor) as uow:
        story.add(uow, cid, **kwargs)
    assert err.value.field == field
    with store.unit_of_work(actor) as uow:
        assert story.timeline(uow, cid) == []


def test_ten_megabyte_message_is_readable() -> None:
    from workbench.story.service import validate_entry
    with pytest.raises(ValidationError, match=r"te lang \(10\.000\.000 tekens; maximaal 100\.000\)"):
        validate_entry(kind="notitie", text="x" * 10_000_000)


def test_confirm_once(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        e = story.add(uow, cid, kind="huisbezoek", text="Verslag")
        confirmed = story.confirm(uow, e.id, on_date="30-11-2026")
        with pytest.raises(NotAllowed):
            story.confirm(uow, e.id)
    assert confirmed.confirmed_on == dt.date(2026, 11, 30)
