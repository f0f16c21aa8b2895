"""Removing a case that was reassigned away from this device, once nothing of it waits in the outbox."""

from __future__ import annotations

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case, CaseTrack, PhaseChange
from workbench.consent.models import Consent, Disclosure
from workbench.drafts.models import EditorDraft
from workbench.errors import BugError
from workbench.letters.models import Letter
from workbench.parties.models import Child, ExPartner, Parent
from workbench.plans.models import Action, Commitment, CommitmentStatusChange, Need
from workbench.store.hooks import Origin
from workbench.store.unit_of_work import UnitOfWork
from workbench.story.models import StoryEntry
from workbench.sync.models import Conflict, OutboxEntry, QuarantinedRow, SyncState
from workbench.visits.models import VisitDraft

PURGE_MARK = "purge_in_progress"
GONE = ("Deze zaak is aan een andere behandelaar toegewezen en van dit apparaat verwijderd; uw waarde is niet "
        "overgenomen. Geef haar door aan de nieuwe behandelaar of uw teamleider.")
# In deletion order: a row before the rows it points at (an action before its need, a disclosure before its
# consent, a commitment before the letter it came from).
_CASE_ROWS = (Action, Need, Disclosure, Consent, StoryEntry, PhaseChange, CaseTrack, VisitDraft, EditorDraft,
              Letter)


def case_row_ids(session: Session, case_id: str) -> set[str]:
    """Ids of every row that belongs to a case (the case itself included)."""
    ids = {case_id}
    for model in (*_CASE_ROWS, Commitment):
        ids.update(session.scalars(select(model.id).where(model.case_id == case_id)))
    commitments = select(Commitment.id).where(Commitment.case_id == case_id)
    ids.update(session.scalars(select(CommitmentStatusChange.id).where(
        CommitmentStatusChange.commitment_id.in_(commitments))))
    return ids


def has_pending(session: Session, case_id: str) -> bool:
    """True while any change of this case still waits to be pushed."""
    ids = case_row_ids(session, case_id)
    case = session.get(Case, case_id)
    if case is not None:
        ids.add(case.parent_id)
    pending = session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.row_id.in_(ids)))
    return bool(pending)


def purge_case(uow: UnitOfWork, case_id: str) -> bool:
    """Delete a case and everything of it from this device; the parent too when no other case has them.

    Returns False (and deletes nothing) while the outbox still holds a change of the case. The audit log
    keeps its events (they hold no case content) plus one ``purge`` event. The caller opens the unit of work
    with Origin.PURGE (hard deletes are refused in any other).
    """
    if uow.origin is not Origin.PURGE:
        raise BugError(f"purging a case needs a unit of work opened for a purge, not a {uow.origin.value} one")
    session = uow.session
    case = session.get(Case, case_id)
    if case is None:
        return True
    if has_pending(session, case_id):
        return False
    session.add(SyncState(key=PURGE_MARK, value=case_id))
    session.flush()
    ids = case_row_ids(session, case_id)
    commitments = select(Commitment.id).where(Commitment.case_id == case_id)
    session.execute(delete(CommitmentStatusChange).where(CommitmentStatusChange.commitment_id.in_(commitments)))
    for model in (Commitment, *_CASE_ROWS):
        session.execute(delete(model).where(model.case_id == case_id))
    session.execute(delete(QuarantinedRow).where(or_(QuarantinedRow.row_id.in_(ids),
                                                     QuarantinedRow.case_id == case_id)))
    parent_id = case.parent_id
    session.execute(delete(Case).where(Case.id == case_id))
    others = session.scalar(select(func.count()).select_from(Case).where(Case.parent_id == parent_id))
    if not others:
        ids.add(parent_id)
        ids.update(session.scalars(select(Child.id).where(Child.parent_id == parent_id)))
        ids.update(session.scalars(select(ExPartner.id).where(ExPartner.parent_id == parent_id)))
    _keep_open_conflicts(session, ids)
    if not others:
        session.execute(delete(Child).where(Child.parent_id == parent_id))
        session.execute(delete(ExPartner).where(ExPartner.parent_id == parent_id))
        session.execute(delete(Parent).where(Parent.id == parent_id))
        session.execute(delete(QuarantinedRow).where(or_(QuarantinedRow.row_id == parent_id,
                                                         QuarantinedRow.parent_id == parent_id)))
    session.execute(delete(SyncState).where(SyncState.key == PURGE_MARK))
    session.expunge_all()
    uow.audit(AuditEntry("purge", "case", case_id, case_id, detail="reassigned"))
    uow.touched("case", case_id)
    return True


def _keep_open_conflicts(session: Session, ids: set[str]) -> None:
    """Settled conflicts of the purged rows go; open ones stay on the Conflicten page, for they hold what was
    typed on this device and never reached central (a refused change keeps central's reason, a clash gets one)."""
    session.execute(delete(Conflict).where(Conflict.row_id.in_(ids), Conflict.resolved_at.is_not(None)))
    session.execute(update(Conflict).where(Conflict.row_id.in_(ids), Conflict.reason.is_(None))
                    .values(reason=GONE))
