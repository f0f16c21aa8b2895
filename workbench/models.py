"""Imports every feature's ORM models so `Base.metadata` describes the whole local store."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.audit.models import AuditEvent
from workbench.caseload.models import CaseContact
from workbench.cases.models import Case, CaseTrack, PhaseChange
from workbench.consent.models import Consent, Disclosure
from workbench.drafts.models import EditorDraft
from workbench.letters.models import Letter
from workbench.parties.models import Child, ExPartner, Parent
from workbench.payments.models import Payment
from workbench.plans.models import Action, Commitment, CommitmentStatusChange, Need
from workbench.staff.models import Team, User
from workbench.store.schema import Base
from workbench.story.models import StoryEntry
from workbench.sync.models import Conflict, DeviceStatus, OutboxEntry, SyncState
from workbench.visits.models import VisitDraft

__all__ = [
    "Action", "AuditEvent", "Base", "Case", "CaseContact", "CaseTrack", "Child", "Commitment", "CommitmentStatusChange",
    "Conflict", "Consent", "DeviceStatus", "Disclosure", "EditorDraft", "ExPartner", "Letter", "Need",
    "OutboxEntry", "Parent", "Payment", "PhaseChange", "StoryEntry", "SyncState", "Team", "User", "VisitDraft",
]

COUNTED: dict[str, type[Base]] = {
    "parents": Parent, "children": Child, "ex_partners": ExPartner, "cases": Case, "phase_changes": PhaseChange,
    "tracks": CaseTrack, "story_entries": StoryEntry, "needs": Need, "actions": Action,
    "commitments": Commitment, "consents": Consent, "disclosures": Disclosure, "letters": Letter, "payments": Payment,
    "users": User, "teams": Team, "audit_events": AuditEvent, "outbox": OutboxEntry, "conflicts": Conflict,
    "visit_drafts": VisitDraft, "editor_drafts": EditorDraft,
}


def entity_counts(session: Session) -> dict[str, int]:
    """Rows per entity (tombstoned rows included: they are still held on the device)."""
    return {name: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in COUNTED.items()}
