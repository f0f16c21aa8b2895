"""Each synced model declares its case scope once; the audit trail, the guard and sync all read it."""

from __future__ import annotations

from sqlalchemy import select

from tests.helpers.factories import make_case
from workbench.audit.models import AuditEvent
from workbench.audit.service import AuditService
from workbench.cases import holder_guard
from workbench.parties.service import ParentService
from workbench.plans.models import CommitmentStatusChange
from workbench.plans.service import PlanService
from workbench.store.case_scope import declared
from workbench.store.schema import NO_CASE
from workbench.store.unit_of_work import Actor, Store
from workbench.story.service import StoryService
from workbench.sync.protocol import CENTRAL_OWNED
from workbench.sync.pushing import next_batch
from workbench.sync.rows import entity_class, entity_classes, scope_of

plans = PlanService()


def test_a_commitment_status_change_shows_in_the_case_history(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _parent_id, case_id = make_case(uow)
        promise = plans.add_commitment(uow, case_id, description="Terugbellen", promised_by="Sanne",
                                       promised_on="20-11-2026", due_on="25-11-2026")
    with store.unit_of_work(actor) as uow:
        plans.keep(uow, promise.id, on_date="24-11-2026")
    with store.unit_of_work(actor) as uow:
        changes = set(uow.session.scalars(select(CommitmentStatusChange.id)))
        history = AuditService().for_case(uow, case_id)
        loose = uow.session.scalars(select(AuditEvent).where(AuditEvent.entity == "commitment_status_change",
                                                             AuditEvent.case_id.is_(None))).all()
    shown = {e.entity_id for e in history if e.entity == "commitment_status_change"}
    assert len(changes) == 2 and shown == changes
    assert loose == []


def test_every_audited_write_of_a_case_row_names_the_case(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _parent_id, case_id = make_case(uow)
        plans.add_commitment(uow, case_id, description="Terugbellen", promised_by="Sanne",
                             promised_on="20-11-2026", due_on="25-11-2026")
        plans.add_need(uow, case_id, life_domain="financien", description="Schulden")
    with store.unit_of_work(actor) as uow:
        events = uow.session.scalars(select(AuditEvent).where(
            AuditEvent.verb == "create", AuditEvent.entity.not_in(("parent", "team", "user")))).all()
    assert events and {e.case_id for e in events} == {case_id}


def test_every_synced_model_declares_its_case_scope_itself() -> None:
    for entity, model in entity_classes().items():
        scope = declared(model)  # raises for a model that only inherits one
        if entity in CENTRAL_OWNED:
            assert scope == NO_CASE, entity
        else:
            assert scope != NO_CASE, entity


def test_the_audit_trail_the_guard_and_sync_agree_on_each_rows_case(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, case_id = make_case(uow)
        ParentService().add_child(uow, parent_id, achternaam="Jansen", voornamen="Sem", birth_date="01-02-2015")
        StoryService().add(uow, case_id, kind="telefoon", text="Mevrouw belde terug.")
        plans.add_need(uow, case_id, life_domain="financien", description="Schulden")
        promise = plans.add_commitment(uow, case_id, description="Terugbellen", promised_by="Sanne",
                                       promised_on="20-11-2026", due_on="25-11-2026")
        plans.keep(uow, promise.id, on_date="24-11-2026")
    with store.unit_of_work(actor) as uow:
        batch = [change for _, change in next_batch(uow.session, 1000) if change.entity not in CENTRAL_OWNED]
        audited = {e.entity_id: e.case_id for e in uow.session.scalars(select(AuditEvent))}
        assert {c.entity for c in batch} >= {"case", "parent", "child", "story_entry", "need", "commitment",
                                              "commitment_status_change", "phase_change"}
        for change in batch:
            row = uow.session.get(entity_class(change.entity), change.row_id)
            assert row is not None
            assert scope_of(uow.session, row) == change.scope, change.entity
            assert audited[change.row_id] == change.scope.case_id, change.entity
            expected_parent = parent_id if change.entity in ("case", "parent", "child") else None
            assert change.scope.parent_id == expected_parent, change.entity
            assert change.scope.case_id == (None if change.entity in ("parent", "child") else case_id)
            assert holder_guard._holders(uow.session, row) == {actor.user_id}, change.entity
