"""Imports every feature's ORM models so `Base.metadata` describes the whole local store."""

from __future__ import annotations

from workbench.audit.models import AuditEvent
from workbench.cases.models import Case, CaseTrack, PhaseChange
from workbench.consent.models import Consent, Disclosure
from workbench.letters.models import Letter
from workbench.parties.models import Child, ExPartner, Parent
from workbench.plans.models import Action, Commitment, CommitmentStatusChange, Need
from workbench.staff.models import Team, User
from workbench.store.schema import Base
from workbench.story.models import StoryEntry
from workbench.sync.models import Conflict, OutboxEntry, SyncState

__all__ = [
    "Action", "AuditEvent", "Base", "Case", "CaseTrack", "Child", "Commitment", "CommitmentStatusChange",
    "Conflict", "Consent", "Disclosure", "ExPartner", "Letter", "Need", "OutboxEntry", "Parent",
    "PhaseChange", "StoryEntry", "SyncState", "Team", "User",
]
