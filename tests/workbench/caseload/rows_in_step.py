"""What the derived caseload tables must hold, computed from their source rows the slow way, for comparing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, func, select

from workbench.caseload.models import CaseContact, CaseloadAction, CaseloadCase, CaseloadCommitment, CaseloadTrack
from workbench.caseload.terms import CONTACT_KINDS
from workbench.cases.models import Case, CaseTrack
from workbench.plans.models import Action, Commitment
from workbench.story.models import StoryEntry

TRIGGERS = {
    "story_contact_insert", "story_contact_update", "story_contact_delete",
    *(f"caseload_{table}_{event}" for table in ("case", "contact", "track", "action", "commitment")
      for event in ("insert", "update", "delete")),
}


def _open() -> Any:
    return and_(Case.closed_on.is_(None), Case.deleted_at.is_(None))


def expected(conn: Connection) -> dict[str, set[tuple[Any, ...]]]:
    """Each derived table as its definition gives it (see `workbench.caseload.models`)."""
    newest = (select(StoryEntry.case_id, func.max(StoryEntry.occurred_at).label("at"))
              .where(StoryEntry.kind.in_(CONTACT_KINDS), StoryEntry.deleted_at.is_(None))
              .group_by(StoryEntry.case_id).subquery())
    return {
        "case_contact": set(conn.execute(select(newest.c.case_id, newest.c.at))),
        "caseload_case": set(conn.execute(
            select(Case.id, Case.handler_id, Case.opened_on, newest.c.at)
            .outerjoin(newest, newest.c.case_id == Case.id).where(_open()))),
        "caseload_track": set(conn.execute(
            select(CaseTrack.case_id, CaseTrack.track, Case.handler_id).distinct().join(Case)
            .where(_open(), CaseTrack.ended_on.is_(None), CaseTrack.deleted_at.is_(None)))),
        "caseload_action": set(conn.execute(
            select(Action.id, Action.case_id, Case.handler_id, Action.status, Action.due_on).join(Case)
            .where(_open(), Action.deleted_at.is_(None)))),
        "caseload_commitment": set(conn.execute(
            select(Commitment.id, Commitment.case_id, Case.handler_id, Case.closed_on.is_(None), Commitment.status,
                   Commitment.due_on, func.coalesce(Commitment.first_due_on, Commitment.due_on),
                   Commitment.resolved_on).join(Case)
            .where(Case.deleted_at.is_(None), Commitment.deleted_at.is_(None)))),
    }


def stored(conn: Connection) -> dict[str, set[tuple[Any, ...]]]:
    """Each derived table as the store holds it, in the shape of `expected`."""
    c, t, a, m = CaseloadCase, CaseloadTrack, CaseloadAction, CaseloadCommitment
    return {
        "case_contact": set(conn.execute(select(CaseContact.case_id, CaseContact.last_contact_at))),
        "caseload_case": set(conn.execute(select(c.case_id, c.handler_id, c.opened_on, c.last_contact_at))),
        "caseload_track": set(conn.execute(select(t.case_id, t.track, t.handler_id))),
        "caseload_action": set(conn.execute(select(a.action_id, a.case_id, a.handler_id, a.status, a.due_on))),
        "caseload_commitment": set(conn.execute(
            select(m.commitment_id, m.case_id, m.handler_id, m.case_open, m.status, m.due_on, m.first_due_on,
                   m.resolved_on))),
    }


def assert_in_step(conn: Connection) -> dict[str, int]:
    """The derived tables hold exactly what their definitions give; returns how many rows each holds."""
    want, have = expected(conn), stored(conn)
    for name in want:
        extra, missing = sorted(have[name] - want[name]), sorted(want[name] - have[name])
        assert not extra and not missing, (name, extra[:3], missing[:3])
    names = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
    assert names >= TRIGGERS, sorted(TRIGGERS - names)
    return {name: len(rows) for name, rows in have.items()}
