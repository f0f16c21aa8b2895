"""Each synced model declares its case scope once; the audit trail, the guard and sync all read it."""

from __future__ import annotations

from sqlalchemy import select

from tests.helpers.factories import make_case
from workbench.audit.models import AuditEvent
from workbench.audit.service import AuditService
from workbench.plans.models import CommitmentStatusChange
from workbench.plans.service import PlanService
from workbench.store.unit_of_work import Actor, Store

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
        events = uow.session.scalars(select(AuditEvent).where(AuditEvent.verb == "create",
                                                              AuditEvent.entity.not_in(("parent", "team", "user")))).all()
    assert events and {e.case_id for e in events} == {case_id}
