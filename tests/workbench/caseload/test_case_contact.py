"""The stored last contact per case follows every write of a story entry, whichever path makes it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select, update

from tests.helpers.factories import make_case, seed_local_user
from workbench.caseload.models import CaseContact
from workbench.caseload.terms import CONTACT_KINDS
from workbench.store.unit_of_work import Store
from workbench.story.models import StoryEntry

UTC = dt.UTC


def _entry(case_id: str, author: str, kind: str, day: int, **over: object) -> StoryEntry:
    return StoryEntry(case_id=case_id, author_id=author, kind=kind, text="verslag",
                      occurred_at=dt.datetime(2026, 10, day, 9, tzinfo=UTC), **over)


def _stored(store: Store, actor: object, case_id: str) -> dt.datetime | None:
    with store.unit_of_work(actor) as uow:  # type: ignore[arg-type]
        return uow.session.scalar(select(CaseContact.last_contact_at).where(CaseContact.case_id == case_id))


def _computed(store: Store, actor: object, case_id: str) -> dt.datetime | None:
    """The definition: the newest contact-kind entry that is not tombstoned."""
    with store.unit_of_work(actor) as uow:  # type: ignore[arg-type]
        return uow.session.scalar(
            select(StoryEntry.occurred_at).where(StoryEntry.case_id == case_id,
                                                 StoryEntry.kind.in_(CONTACT_KINDS),
                                                 StoryEntry.deleted_at.is_(None))
            .order_by(StoryEntry.occurred_at.desc()).limit(1))


def test_last_contact_follows_inserts_tombstones_moves_and_removals(store: Store) -> None:
    actor = seed_local_user(store)
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow, 0)
        _parent2, other_id = make_case(uow, 1)
    assert _stored(store, actor, case_id) is None

    with store.unit_of_work(actor) as uow:  # through the ORM; a note is no contact
        uow.session.add_all([_entry(case_id, actor.user_id, "telefoon", 3),
                             _entry(case_id, actor.user_id, "notitie", 20)])
    assert _stored(store, actor, case_id) == _computed(store, actor, case_id) == dt.datetime(2026, 10, 3, 9,
                                                                                             tzinfo=UTC)
    with store.unit_of_work(actor) as uow:  # through Core, as sync's bulk insert writes; an older one changes nothing
        uow.session.execute(insert(StoryEntry), [
            {"id": f"00000000-0000-4000-8000-0000000000{n:02d}", "case_id": case_id, "author_id": actor.user_id,
             "kind": kind, "text": "t", "occurred_at": dt.datetime(2026, 10, day, 9, tzinfo=UTC), "rev": 1,
             "updated_at": dt.datetime(2026, 10, 1, tzinfo=UTC), "updated_by": actor.user_id}
            for n, (kind, day) in enumerate([("huisbezoek", 12), ("brief", 1)])])
    assert _stored(store, actor, case_id) == dt.datetime(2026, 10, 12, 9, tzinfo=UTC)

    visit = "00000000-0000-4000-8000-000000000000"
    with store.unit_of_work(actor) as uow:  # the newest contact is tombstoned: the one before counts again
        uow.session.execute(update(StoryEntry).where(StoryEntry.id == visit)
                            .values(deleted_at=dt.datetime(2026, 10, 13, tzinfo=UTC)))
    assert _stored(store, actor, case_id) == _computed(store, actor, case_id) == dt.datetime(2026, 10, 3, 9,
                                                                                             tzinfo=UTC)
    with store.unit_of_work(actor) as uow:  # an entry moved to another case takes its contact along
        uow.session.execute(update(StoryEntry).where(StoryEntry.kind == "telefoon").values(case_id=other_id))
    assert _stored(store, actor, other_id) == dt.datetime(2026, 10, 3, 9, tzinfo=UTC)
    assert _stored(store, actor, case_id) == _computed(store, actor, case_id) == dt.datetime(2026, 10, 1, 9,
                                                                                             tzinfo=UTC)
    with store.unit_of_work(actor) as uow:  # a purge removes the entries: no contact is left
        uow.session.execute(delete(StoryEntry).where(StoryEntry.case_id == case_id))
    assert _stored(store, actor, case_id) is None
    assert _stored(store, actor, other_id) == _computed(store, actor, other_id)
