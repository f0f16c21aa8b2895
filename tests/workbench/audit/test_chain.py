"""The audit chain: views and changes are logged; edits, deletions and reorderings are detected."""

from __future__ import annotations

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
