"""Every write records its outbox row and audit event in the same transaction; failures write nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.helpers.factories import make_case
from workbench.audit.models import AuditEvent
from workbench.errors import BugError, NotAllowed
from workbench.parties.models import Parent
from workbench.parties.service import ParentService
from workbench.store.unit_of_work import Actor, Store
from workbench.story.models import StoryEntry
from workbench.story.service import StoryService
from workbench.sync.models import OutboxEntry

parents = ParentService()


def _count(store: Store, actor: Actor, model: type) -> int:
    with store.unit_of_work(actor) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_insert_writes_outbox_with_all_fields_and_audit(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        pid, _ = make_case(uow)
    with store.unit_of_work(actor) as uow:
        row = uow.session.scalars(select(OutboxEntry).where(OutboxEntry.row_id == pid)).one()
        event = uow.session.scalars(select(AuditEvent).where(AuditEvent.entity_id == pid)).one()
    assert row.op == "insert" and row.entity == "parent" and row.base_rev == 0
    assert row.fields["achternaam"] == [None, "Jansen"] and row.fields["postcode"] == [None, "1234 AB"]
    assert "rev" not in row.fields and "updated_at" not in row.fields
    assert event.verb == "create" and event.entity == "parent"


def test_update_records_old_and_new_and_audit_names_fields_not_values(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        pid, _ = make_case(uow)
    with store.unit_of_work(actor) as uow:
        parents.update(uow, pid, achternaam="Pietersen", city="Haarlem")
    with store.unit_of_work(actor) as uow:
        row = uow.session.scalars(
            select(OutboxEntry).where(OutboxEntry.row_id == pid, OutboxEntry.op == "update")).one()
        event = uow.session.scalars(select(AuditEvent).where(AuditEvent.entity_id == pid,
                                                             AuditEvent.verb == "update")).one()
    assert row.fields == {"achternaam": ["Jansen", "Pietersen"], "city": ["Zaandam", "Haarlem"]}
    assert event.detail == "achternaam,city" and "Pietersen" not in event.detail


def test_an_error_mid_action_leaves_nothing_written(store: Store, actor: Actor) -> None:
    before = (_count(store, actor, Parent), _count(store, actor, OutboxEntry), _count(store, actor, AuditEvent))
    with pytest.raises(RuntimeError), store.unit_of_work(actor) as uow:
        make_case(uow)
        raise RuntimeError("boom")
    after = (_count(store, actor, Parent), _count(store, actor, OutboxEntry), _count(store, actor, AuditEvent))
    assert before == after


def test_hard_delete_is_refused(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        pid, _ = make_case(uow)
    with pytest.raises(BugError), store.unit_of_work(actor) as uow:
        uow.session.delete(uow.session.get(Parent, pid))
        uow.session.flush()


def test_story_text_cannot_be_rewritten_but_can_be_confirmed(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, cid = make_case(uow)
        entry = StoryService().add(uow, cid, kind="telefoon", text="Moeder belde over de huurachterstand.")
    with pytest.raises(NotAllowed), store.unit_of_work(actor) as uow:
        uow.session.get(StoryEntry, entry.id).text = "Iets anders"  # type: ignore[union-attr]
        uow.session.flush()
    with store.unit_of_work(actor) as uow:
        confirmed = StoryService().confirm(uow, entry.id)
    assert confirmed.confirmed_by_parent and confirmed.text == "Moeder belde over de huurachterstand."
