"""The audit chain's part in every unit of work: one event per written row, the events an action states
itself (`UnitOfWork.audit`), and the chain tip anchored outside the store after each commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workbench.audit import chain
from workbench.audit.anchor import AnchorKeeper
from workbench.errors import BugError
from workbench.store.hooks import Hook, Write
from workbench.store.unit_of_work import Store, UnitOfWork


class AuditJournal(Hook):
    """Chains the audit events of a store's units of work.

    Attributes:
        anchor: keeps the chain tip outside the store (workbench.audit.anchor); None for bare test stores.
    """

    def __init__(self, anchor: AnchorKeeper | None = None) -> None:
        self.anchor = anchor

    def written(self, uow: UnitOfWork, write: Write) -> None:
        detail = "" if write.verb == "create" else ",".join(sorted(write.fields))
        self._append(uow, chain.AuditEntry(write.verb, write.row.__entity__, write.row.id, write.case_id,
                                           detail=detail))

    def noted(self, uow: UnitOfWork, entry: object) -> bool:
        if not isinstance(entry, chain.AuditEntry):
            raise BugError(f"an audit event is an AuditEntry, not {type(entry).__name__}")
        self._append(uow, entry)
        return True

    def committed(self, session: Session) -> None:
        chain.note_commit(session)

    def rolled_back(self, session: Session) -> None:
        chain.forget_tip(session)

    def finished(self, session: Session) -> None:
        tip = chain.committed_tip(session)
        if tip is not None and self.anchor is not None:
            # Anchored outside the store after the commit, in the background (see AnchorKeeper).
            self.anchor.note(*tip)

    def close(self) -> None:
        if self.anchor is not None:
            self.anchor.close()

    @staticmethod
    def _append(uow: UnitOfWork, entry: chain.AuditEntry) -> None:
        chain.append(uow.session, clock=uow.clock, user_id=uow.actor.user_id, device_id=uow.actor.device_id,
                     entry=entry)


def anchor_of(store: Store) -> AnchorKeeper | None:
    """The keeper that anchors this store's chain tip, None when it has none."""
    journal = store.hook(AuditJournal)
    return journal.anchor if journal is not None else None
