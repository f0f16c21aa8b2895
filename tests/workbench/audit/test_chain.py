"""The audit chain: views and changes are logged; edits, deletions and reorderings are detected."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from tests.helpers.factories import make_case
from workbench.audit import chain
from workbench.audit.service import AuditService
from workbench.cases.service import CaseService
from workbench.parties.service import ParentService
from workbench.store.unit_of_work import Actor, Store

audit = AuditService()


def _build(store: Store, actor: Actor) -> str:
    with store.unit_of_work(actor) as uow:
        pid, cid = make_case(uow)
    with store.unit_of_work(actor) as uow:
        CaseService().get(uow, cid)
        ParentService().reveal_bsn(uow, pid, case_id=cid)
    return cid


def _verify(store: Store, actor: Actor) -> chain.ChainReport:
    with store.unit_of_work(actor) as uow:
        return audit.verify(uow)


def test_intact_chain_verifies_and_case_history_shows_views_and_reveal(store: Store, actor: Actor) -> None:
    cid = _build(store, actor)
    report = _verify(store, actor)
    assert report.ok and report.checked >= 6
    with store.unit_of_work(actor) as uow:
        verbs = [e.verb for e in audit.for_case(uow, cid)]
    assert verbs[:2] == ["reveal_bsn", "view"] and "create" in verbs


def test_events_never_hold_the_bsn(store: Store, actor: Actor) -> None:
    _build(store, actor)
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM audit_event")).fetchall()
    assert not any("999990019" in str(value) for row in rows for value in row)


def test_edited_event_breaks_the_chain(store: Store, actor: Actor) -> None:
    _build(store, actor)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET verb = 'update' WHERE seq = 3"))
    report = _verify(store, actor)
    assert not report.ok and report.broken_at == 3


def test_deleted_event_breaks_the_chain(store: Store, actor: Actor) -> None:
    _build(store, actor)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE seq = 4"))
    report = _verify(store, actor)
    assert not report.ok and report.broken_at == 4


def test_deleting_the_last_event_is_caught_by_the_next_append_only_through_seq(store: Store, actor: Actor) -> None:
    _build(store, actor)
    with store.engine.begin() as conn:
        last = conn.execute(text("SELECT max(seq) FROM audit_event")).scalar_one()
        conn.execute(text("UPDATE audit_event SET seq = seq + 1000 WHERE seq = :s"), {"s": last})
    assert not _verify(store, actor).ok


def test_reordered_events_break_the_chain(store: Store, actor: Actor) -> None:
    _build(store, actor)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET seq = -1 WHERE seq = 2"))
        conn.execute(text("UPDATE audit_event SET seq = 2 WHERE seq = 3"))
        conn.execute(text("UPDATE audit_event SET seq = 3 WHERE seq = -1"))
    report = _verify(store, actor)
    assert not report.ok and report.broken_at == 2


def test_case_history_names_people_and_devices_and_can_leave_out_views(store: Store, actor: Actor) -> None:
    from workbench.staff.models import Role, User
    from workbench.store.unit_of_work import Actor as Who
    from workbench.sync.models import DeviceStatus

    cid = _build(store, actor)
    lead = Who(str(uuid.uuid4()), str(uuid.uuid4()))
    with store.unit_of_work(actor) as uow:
        uow.session.add(User(id=lead.user_id, username="lena", display_name="Lena de Lead", role=Role.TEAM_LEAD))
        uow.session.add(DeviceStatus(device_id=lead.device_id, user_id=lead.user_id, device_name="Laptop Lena"))
    with store.unit_of_work(lead) as uow:
        CaseService().get(uow, cid)
    with store.unit_of_work(actor) as uow:
        events = audit.for_case(uow, cid)
        changes = audit.for_case(uow, cid, views=False)
    newest = events[0]
    assert (newest.user_name, newest.user_role, newest.device_name, newest.this_device) == (
        "Lena de Lead", "team_lead", "Laptop Lena", False)
    mine = events[1]
    assert (mine.user_name, mine.this_device) == ("Sanne Pzb", True)
    assert "view" in {e.verb for e in events}
    assert changes and "view" not in {e.verb for e in changes}
    assert {e.seq for e in changes} == {e.seq for e in events if e.verb != "view"}
