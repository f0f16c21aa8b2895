"""Story entries: validation (including a 10 MB text), the timeline, confirmation by the parent."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

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


def test_sending_for_confirmation_is_recorded_and_silence_is_never_agreement(store: Store, actor: Actor) -> None:
    from workbench.story.service import confirmation_state
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        sent = story.add(uow, cid, kind="huisbezoek", text="Verslag van het bezoek")
        done = story.add(uow, cid, kind="telefoon", text="Al bevestigd")
        story.confirm(uow, done.id, on_date="28-11-2026")
        story.mark_sent(uow, [sent.id, done.id], on_date=dt.date(2026, 12, 1), letter_id="brief-1")
        by_id = {e.id: e for e in story.timeline(uow, cid)}
    waiting, confirmed = by_id[sent.id], by_id[done.id]
    assert (waiting.sent_for_confirmation_on, waiting.confirmation_letter_id) == (dt.date(2026, 12, 1), "brief-1")
    assert not waiting.confirmed_by_parent
    assert confirmed.sent_for_confirmation_on is None  # already confirmed: nothing to ask
    state = {day: confirmation_state(waiting, today=dt.date(2026, 12, day), reply_within_days=14)
             for day in (1, 15, 16)}
    assert state == {1: "sent", 15: "sent", 16: "unanswered"}
    assert confirmation_state(confirmed, today=dt.date(2027, 6, 1), reply_within_days=14) == "confirmed"
    assert confirmation_state(replace(waiting, sent_for_confirmation_on=None), today=dt.date(2027, 6, 1),
                              reply_within_days=14) == "not_sent"
    with store.unit_of_work(actor) as uow:
        after = story.confirm(uow, sent.id, on_date="20-12-2026")
    assert confirmation_state(after, today=dt.date(2027, 1, 1), reply_within_days=14) == "confirmed"
    assert after.sent_for_confirmation_on == dt.date(2026, 12, 1)  # the history of asking stays


def test_entries_are_given_in_time_order_and_must_be_of_the_case(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        _, other = make_case(uow, 1)
        base = dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC)
        late = story.add(uow, cid, kind="telefoon", text="Later", occurred_at=base + dt.timedelta(hours=1))
        early = story.add(uow, cid, kind="notitie", text="Eerder", occurred_at=base)
        theirs = story.add(uow, other, kind="notitie", text="Andere zaak")
        assert [e.text for e in story.entries(uow, cid, [late.id, early.id])] == ["Eerder", "Later"]
        for ids in ([theirs.id], [], [early.id, "bestaat-niet"]):
            with pytest.raises(ValidationError) as err:
                story.entries(uow, cid, ids, field="visit_entry_id")
            assert err.value.field == "visit_entry_id"
