"""The origin of a unit of work is chosen when it opens, and decides what its writes record."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import delete, func, select

from tests.helpers.factories import make_case
from workbench.audit.chain import AuditEntry
from workbench.audit.models import AuditEvent
from workbench.errors import BugError
from workbench.parties.models import Parent
from workbench.store.hooks import Origin
from workbench.store.unit_of_work import Actor, Store
from workbench.story.models import StoryEntry
from workbench.sync.models import OutboxEntry
from workbench.sync.purge import purge_case


def _counts(store: Store, actor: Actor) -> tuple[int, int]:
    with store.unit_of_work(actor) as uow:
        return (int(uow.session.scalar(select(func.count()).select_from(OutboxEntry)) or 0),
                int(uow.session.scalar(select(func.count()).select_from(AuditEvent)) or 0))


def _parent(store: Store, actor: Actor) -> str:
    with store.unit_of_work(actor) as uow:
        parent_id, _case_id = make_case(uow)
    return parent_id


@pytest.mark.parametrize(("origin", "records"), [(Origin.LOCAL, True), (Origin.SYNC, False),
                                                  (Origin.PURGE, False)])
def test_only_the_devices_own_writes_reach_the_outbox_and_the_audit_trail(
        store: Store, actor: Actor, origin: Origin, records: bool) -> None:
    parent_id = _parent(store, actor)
    before = _counts(store, actor)
    with store.unit_of_work(actor, origin) as uow:
        parent = uow.session.get(Parent, parent_id)
        assert parent is not None
        parent.city = "Haarlem"
    after = _counts(store, actor)
    assert (after != before) is records
    assert uow.changes.entities == frozenset({"parent"})  # every origin says what it touched


@pytest.mark.parametrize("origin", [Origin.LOCAL, Origin.SYNC])
def test_a_hard_delete_is_refused_outside_a_purge(store: Store, actor: Actor, origin: Origin) -> None:
    parent_id = _parent(store, actor)
    with pytest.raises(BugError), store.unit_of_work(actor, origin) as uow:
        parent = uow.session.get(Parent, parent_id)
        uow.session.delete(parent)


def test_purging_a_case_needs_a_unit_of_work_opened_for_a_purge(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _parent_id, case_id = make_case(uow)
    with store.unit_of_work(actor, Origin.SYNC) as uow:
        uow.session.execute(delete(OutboxEntry))
    with pytest.raises(BugError), store.unit_of_work(actor, Origin.SYNC) as uow:
        purge_case(uow, case_id)
    with store.unit_of_work(actor, Origin.PURGE) as uow:
        assert purge_case(uow, case_id) is True


def test_an_import_keeps_the_rows_bookkeeping_and_ends_as_a_local_unit_of_work(
        store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _parent_id, case_id = make_case(uow)
    elsewhere, then = str(uuid.uuid4()), dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC)
    entry = {"case_id": case_id, "kind": "telefoon", "text": "Gebeld.", "author_id": actor.user_id,
             "occurred_at": then, "updated_at": then, "updated_by": elsewhere}
    with store.unit_of_work(actor) as uow:
        with pytest.raises(RuntimeError), uow.importing():
            assert uow.origin is Origin.IMPORT
            raise RuntimeError("cut")
        assert uow.origin is Origin.LOCAL
        with uow.importing():
            imported = StoryEntry(**entry)
            uow.session.add(imported)
            uow.session.flush()
        mine = StoryEntry(**entry)
        uow.session.add(mine)
    assert (imported.updated_at, imported.updated_by) == (then, elsewhere)
    assert (mine.updated_at, mine.updated_by) != (then, elsewhere)
    with store.unit_of_work(actor) as uow:
        queued = set(uow.session.scalars(select(OutboxEntry.row_id)))
    assert {imported.id, mine.id} <= queued  # an import is shared with central like the device's own rows


def test_an_import_runs_in_a_local_or_an_import_unit_of_work(store: Store, actor: Actor) -> None:
    with pytest.raises(BugError), store.unit_of_work(actor, Origin.SYNC) as uow, uow.importing():
        pass
    with store.unit_of_work(actor, Origin.IMPORT) as uow:
        with uow.importing():
            assert uow.origin is Origin.IMPORT
        assert uow.origin is Origin.IMPORT  # opened for an import, it stays one


def test_a_store_without_an_audit_hook_refuses_to_lose_an_event(store: Store, actor: Actor) -> None:
    bare = Store(store.engine, store.clock, hooks=())
    with pytest.raises(BugError), bare.unit_of_work(actor) as uow:
        uow.audit(AuditEntry("view", "case", "x"))
    with pytest.raises(BugError), store.unit_of_work(actor) as uow:
        uow.audit("view")
