"""The store as the workbench runs it: the holder guard, the outbox and the audit chain plugged in."""

from __future__ import annotations

from sqlalchemy import Engine

from workbench.audit.anchor import AnchorKeeper
from workbench.audit.journal import AuditJournal
from workbench.cases.holder_guard import HolderGuard
from workbench.clock import Clock
from workbench.store.hooks import Hook
from workbench.store.unit_of_work import Store
from workbench.sync.outbox import OutboxHook


def hooks(anchor: AnchorKeeper | None = None) -> tuple[Hook, ...]:
    """The hooks in the order they run: the guard refuses first, then the outbox and the audit chain record."""
    return (HolderGuard(), OutboxHook(), AuditJournal(anchor))


def open_store(engine: Engine, clock: Clock, anchor: AnchorKeeper | None = None) -> Store:
    """A store whose local writes are guarded, queued for central and audited."""
    return Store(engine, clock, hooks=hooks(anchor))
