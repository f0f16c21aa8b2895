"""The device side of sync without a network: adopting central's rows, purging a reassigned case, conflicts."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from tests.helpers.factories import make_case
from workbench.audit.models import AuditEvent
from workbench.cases.models import Case
from workbench.parties.models import Parent
from workbench.plans.models import Commitment, CommitmentStatusChange
from workbench.plans.service import PlanService
from workbench.store.hooks import Origin
from workbench.store.unit_of_work import Actor, Store
from workbench.story.models import StoryEntry
from workbench.story.service import StoryService
from workbench.sync.adopt import adopt, pending_fields
from workbench.sync.conflicts import KEEP_LOCAL, KEEP_SERVER, ConflictService
from workbench.sync.models import Conflict, OutboxEntry
from workbench.sync.purge import purge_case
from workbench.sync.rows import scope_of


def _confirm_outbox(store: Store, actor: Actor) -> None:
    """What a successful push does to the outbox: every row answered and removed."""
    with store.unit_of_work(actor, Origin.SYNC) as uow:
        uow.session.execute(delete(OutboxEntry))


def _count(store: Store, actor: Actor, model: type) -> int:
    with store.unit_of_work(actor) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_purge_waits_for_the_outbox_then_removes_the_whole_case(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, case_id = make_case(uow)
        StoryService().add(uow, case_id, kind="telefoon", text="Mevrouw belde over de brief van de gemeente.")
        plan = PlanService().add_commitment(uow, case_id, description="Wij bellen de gemeente.",
                                            promised_by="pzb", due_on="2026-12-15")
        PlanService().keep(uow, plan.id, on_date="2026-11-29")
    with store.unit_of_work(actor, Origin.PURGE) as uow:
        assert purge_case(uow, case_id) is False  # its changes have not reached central yet
    assert _count(store, actor, Case) == 1
    _confirm_outbox(store, actor)
    with store.unit_of_work(actor, Origin.PURGE) as uow:
        assert purge_case(uow, case_id) is True
    for model in (Case, Parent, StoryEntry, Commitment, CommitmentStatusChange):
        assert _count(store, actor, model) == 0, model
    with store.unit_of_work(actor) as uow:
        verbs = uow.session.scalars(select(AuditEvent.verb).where(AuditEvent.case_id == case_id)).all()
    assert "purge" in verbs and "create" in verbs  # the audit trail stays, without content
    assert parent_id


def test_purge_keeps_a_parent_who_still_has_another_case(store: Store, actor: Actor) -> None:
    from workbench.cases.service import CaseService

    with store.unit_of_work(actor) as uow:
        parent_id, first = make_case(uow)
        CaseService().open_case(uow, parent_id=parent_id)
    _confirm_outbox(store, actor)
    with store.unit_of_work(actor, Origin.PURGE) as uow:
        assert purge_case(uow, first)
    assert _count(store, actor, Case) == 1 and _count(store, actor, Parent) == 1


def test_adopt_never_overwrites_a_field_waiting_in_the_outbox(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, _case_id = make_case(uow)
    _confirm_outbox(store, actor)
    with store.unit_of_work(actor) as uow:
        parent = uow.session.get(Parent, parent_id)
        assert parent is not None
        parent.city = "Haarlem"  # typed on this device, not yet pushed
    with store.unit_of_work(actor, Origin.SYNC) as uow:
        assert pending_fields(uow.session, "parent", parent_id) == {"city"}
        adopt(uow.session, "parent", parent_id, rev=5, values={"city": "Leiden", "phone": "06 87654321"})
    with store.unit_of_work(actor) as uow:
        parent = uow.session.get(Parent, parent_id)
        assert parent is not None
        assert (parent.city, parent.phone, parent.rev) == ("Haarlem", "06 87654321", 5)
        # central's write made no outbox row of its own
        assert uow.session.scalar(select(func.count()).select_from(OutboxEntry)) == 1
        assert scope_of(uow.session, parent).parent_id == parent_id


def test_adopt_skips_an_older_revision(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, _ = make_case(uow)
    _confirm_outbox(store, actor)
    with store.unit_of_work(actor, Origin.SYNC) as uow:
        adopt(uow.session, "parent", parent_id, rev=3, values={"city": "Leiden"})
        adopt(uow.session, "parent", parent_id, rev=2, values={"city": "Delft"})
    with store.unit_of_work(actor) as uow:
        parent = uow.session.get(Parent, parent_id)
        assert parent is not None and parent.city == "Leiden"


def _conflict(store: Store, actor: Actor, row_id: str) -> str:
    import datetime as dt
    import uuid

    with store.unit_of_work(actor, Origin.SYNC) as uow:
        conflict = Conflict(id=str(uuid.uuid4()), entity="parent", row_id=row_id, field="city",
                            local_value="Haarlem", server_value="Leiden", server_rev=4,
                            created_at=dt.datetime(2026, 11, 29, tzinfo=dt.UTC))
        uow.session.add(conflict)
        return conflict.id


def test_keeping_the_local_value_writes_an_ordinary_change(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, _ = make_case(uow, city="Leiden")
    _confirm_outbox(store, actor)
    conflict_id = _conflict(store, actor, parent_id)
    service = ConflictService()
    with store.unit_of_work(actor) as uow:
        assert [c.field for c in service.open_conflicts(uow)] == ["city"]
        service.resolve(uow, conflict_id, choice=KEEP_LOCAL)
    with store.unit_of_work(actor) as uow:
        assert service.open_conflicts(uow) == []
        entry = uow.session.scalars(select(OutboxEntry)).one()
        assert entry.fields == {"city": ["Leiden", "Haarlem"]}


def test_keeping_the_server_value_writes_nothing(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, _ = make_case(uow, city="Leiden")
    _confirm_outbox(store, actor)
    conflict_id = _conflict(store, actor, parent_id)
    with store.unit_of_work(actor) as uow:
        ConflictService().resolve(uow, conflict_id, choice=KEEP_SERVER)
    assert _count(store, actor, OutboxEntry) == 0
