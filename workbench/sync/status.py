"""What the status bar shows about sync: changes waiting to be pushed, conflicts waiting for a person, and rows
from central held in quarantine."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from workbench.store.unit_of_work import UnitOfWork
from workbench.sync.models import Conflict, OutboxEntry, SyncState
from workbench.sync.quarantine import quarantined_count


@dataclass(frozen=True)
class SyncStatus:
    pending_changes: int
    open_conflicts: int
    last_sync: str | None
    enrolled: bool
    quarantined: int = 0


class SyncStatusService:
    def status(self, uow: UnitOfWork) -> SyncStatus:
        pending = uow.session.scalar(select(func.count()).select_from(OutboxEntry)) or 0
        conflicts = uow.session.scalar(
            select(func.count()).select_from(Conflict).where(Conflict.resolved_at.is_(None))) or 0
        last = uow.session.scalar(select(SyncState.value).where(SyncState.key == "last_sync"))
        server = uow.session.scalar(select(SyncState.value).where(SyncState.key == "server_url"))
        return SyncStatus(int(pending), int(conflicts), last, server is not None, quarantined_count(uow.session))
