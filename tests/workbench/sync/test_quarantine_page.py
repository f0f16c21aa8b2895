"""Adopting a page without a network: a row that does not fit is quarantined, the rest of the page is taken in."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select

from tests.helpers.factories import make_case
from workbench.cases.models import Case
from workbench.parties.models import Parent
from workbench.store.hooks import Origin
from workbench.store.unit_of_work import Actor, Store
from workbench.story.models import StoryEntry
from workbench.sync.adopt import CREATED, QUARANTINED, UPDATED, Incoming, adopt_many
from workbench.sync.models import OutboxEntry, QuarantinedRow


def _story(case_id: str, author: str, **over: object) -> dict[str, object]:
    values: dict[str, object] = {"case_id": case_id, "occurred_at": "2026-11-29T09:00:00+00:00", "kind": "telefoon",
                                 "text": "Mevrouw belde terug.", "author_id": author}
    values.update(over)
    return values


def test_one_bad_row_in_a_page_is_held_and_the_others_are_adopted(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, case_id = make_case(uow)
    with store.unit_of_work(actor, Origin.SYNC) as uow:  # as after a push: nothing of this device waits any more
        uow.session.execute(delete(OutboxEntry))
    good, naive, deep = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    page = [
        Incoming("story_entry", good, 1, _story(case_id, actor.user_id)),
        Incoming("story_entry", naive, 1, _story(case_id, actor.user_id, occurred_at="2026-11-29T09:00:00")),
        Incoming("case", case_id, 5, {"closed_on": "2027-02-01"}),
        Incoming("parent", parent_id, 7, {"achternaam": ["Jansen"], "city": "Leiden"}),
        Incoming("story_entry", deep, 1, _story(case_id, actor.user_id, author_id=str(uuid.uuid4()))),
    ]
    with store.unit_of_work(actor, Origin.SYNC) as uow:
        outcomes = adopt_many(uow.session, page, force=True)
    assert outcomes == [CREATED, QUARANTINED, UPDATED, QUARANTINED, QUARANTINED]
    with store.unit_of_work(actor) as uow:
        held = {r.row_id: r for r in uow.session.scalars(select(QuarantinedRow))}
        assert set(held) == {naive, parent_id, deep}
        assert "mist een tijdzone" in held[naive].reason and held[naive].field == "occurred_at"
        assert "Verwacht tekst" in held[parent_id].reason and held[parent_id].field == "achternaam"
        assert "verwijst naar" in held[deep].reason and held[deep].field == "author_id"
        parent = uow.session.get(Parent, parent_id)
        assert parent is not None and parent.city != "Leiden", "half of the parent's row was written"
        case = uow.session.get(Case, case_id)
        assert case is not None and case.closed_on is not None and case.rev == 5
        assert uow.session.get(StoryEntry, good) is not None
        assert uow.session.get(StoryEntry, naive) is None and uow.session.get(StoryEntry, deep) is None
