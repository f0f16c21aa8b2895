"""One sync run: push the outbox oldest-first, pull what central has, purge reassigned cases, check the sums.

Network calls never run inside a store transaction: each batch is read in one short transaction, sent,
and its answers written in another. An outbox row is deleted only in the transaction that records
central's answer for it, so a cut connection re-sends at most that one batch (central answers a replayed
``change_id`` with its first answer).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from workbench.audit.chain import AuditEntry
from workbench.store.unit_of_work import Actor, Store, UnitOfWork
from workbench.sync import purge, state
from workbench.sync.adopt import CREATED, UPDATED, adopt
from workbench.sync.models import Conflict, OutboxEntry
from workbench.sync.protocol import (
    CENTRAL_OWNED,
    MAX_BATCH,
    MAX_PULL,
    Change,
    ChangeResult,
    PullResponse,
    PushRequest,
    Scope,
    ServerChange,
)
from workbench.sync.rows import entity_class, scope_of
from workbench.sync.transport import Transport


@dataclass
class SyncReport:
    """What one run did, for the status bar and the CLI."""

    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    refused: int = 0
    purged: list[str] = field(default_factory=list)
    repaired: int = 0
    in_step: bool = True
    touched_cases: set[str] = field(default_factory=set)
    touched_entities: set[str] = field(default_factory=set)


class SyncEngine:
    """Runs sync for one profile against one central.

    Attributes:
        on_batch: called after each pushed or pulled batch (tests use it to inject faults).
    """

    def __init__(self, store: Store, actor: Actor, transport: Transport, *, batch: int = MAX_BATCH,
                 page: int = MAX_PULL) -> None:
        self.store = store
        self.actor = actor
        self.transport = transport
        self.batch = batch
        self.page = page
        self.on_batch: Callable[[str], None] = lambda _stage: None

    def _remote_uow(self) -> Any:
        return self.store.unit_of_work(self.actor)

    def run(self) -> SyncReport:
        """Push, pull, purge, check; raises CentralUnreachable/CentralRefused, keeping every change."""
        report = SyncReport()
        self.push(report)
        self.pull(report)
        self.purge_revoked(report)
        from workbench.sync.sanity import check_and_repair

        check_and_repair(self, report)
        with self._remote_uow() as uow:
            uow.session.info["remote"] = True
            state.put(uow.session, state.LAST_SYNC, uow.clock.now().isoformat(timespec="seconds"))
            uow.audit(AuditEntry("sync", "device", self.actor.device_id,
                                 detail=f"pushed={report.pushed} pulled={report.pulled} "
                                        f"conflicts={report.conflicts} repaired={report.repaired}"))
        return report

    # -- push ----------------------------------------------------------------------------------

    def _next_batch(self) -> list[tuple[int, Change]]:
        with self._remote_uow() as uow:
            uow.session.info["remote"] = True
            rows = uow.session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq).limit(self.batch)).all()
            out: list[tuple[int, Change]] = []
            for row in rows:
                obj = uow.session.get(entity_class(row.entity), row.row_id)
                scope = scope_of(uow.session, obj) if obj is not None else None
                out.append((row.seq, Change(
                    change_id=row.change_id, entity=row.entity, row_id=row.row_id,
                    op=row.op, base_rev=row.base_rev,
                    fields={k: (v[0], v[1]) for k, v in row.fields.items()},
                    scope=scope or Scope())))
            return out

    def push(self, report: SyncReport) -> None:
        while True:
            batch = self._next_batch()
            if not batch:
                return
            response = self.transport.push(PushRequest(device_id=self.actor.device_id,
                                                       changes=[c for _, c in batch]))
            self.on_batch("pushed")
            with self._remote_uow() as uow:
                uow.session.info["remote"] = True
                for (seq, change), result in zip(batch, response.results, strict=True):
                    self._record_answer(uow, seq, change, result, report)
            self.on_batch("recorded")

    def _record_answer(self, uow: UnitOfWork, seq: int, change: Change, result: ChangeResult,
                       report: SyncReport) -> None:
        session = uow.session
        entry = session.get(OutboxEntry, seq)
        if entry is None:  # answered already by an earlier run
            return
        session.delete(entry)
        session.flush()
        report.pushed += 1
        report.touched_entities.add(change.entity)
        if change.scope.case_id:
            report.touched_cases.add(change.scope.case_id)
        now = uow.clock.now()
        if result.status == "refused":
            report.refused += 1
            for name, (_old, new) in change.fields.items():
                session.add(Conflict(id=str(uuid.uuid4()), entity=change.entity, row_id=change.row_id,
                                     field=name, local_value=new, server_value=None, server_rev=0,
                                     created_at=now, reason=result.reason or "Geweigerd door de centrale."))
            return
        if result.status == "ignored" or change.entity in CENTRAL_OWNED:
            return
        values = result.row or {}
        if result.status == "conflict":
            for name, server_value in (result.conflicts or {}).items():
                report.conflicts += 1
                session.add(Conflict(id=str(uuid.uuid4()), entity=change.entity, row_id=change.row_id,
                                     field=name, local_value=change.fields[name][1] if name in change.fields
                                     else None, server_value=server_value, server_rev=result.rev,
                                     created_at=now))
        obj = session.get(entity_class(change.entity), change.row_id)
        if obj is not None and result.status == "applied":
            obj.rev = max(obj.rev, result.rev)
        elif values:
            adopt(session, change.entity, change.row_id, rev=result.rev, values=values)

    # -- pull ----------------------------------------------------------------------------------

    def pull(self, report: SyncReport) -> None:
        while True:
            with self._remote_uow() as uow:
                cursor = state.cursor(uow.session)
            page = self.transport.pull(cursor, self.page)
            self.apply_page(page, report)
            self.on_batch("pulled")
            if not page.more:
                return

    def apply_page(self, page: PullResponse, report: SyncReport) -> None:
        """Adopt one page and move the cursor in the same transaction (a crash repeats the page only)."""
        with self._remote_uow() as uow:
            uow.session.info["remote"] = True
            regained = set()
            for change in page.changes:
                self.apply_change(uow, change, report)
                if change.snapshot and change.entity == "case":
                    regained.add(change.row_id)
            waiting = state.pending_revocations(uow.session)
            if regained & set(waiting):
                state.set_pending_revocations(uow.session, [c for c in waiting if c not in regained])
            if page.revoked:
                state.set_pending_revocations(uow.session, state.pending_revocations(uow.session) + page.revoked)
            state.put(uow.session, state.CURSOR, str(max(page.next_cursor, state.cursor(uow.session))))

    def apply_change(self, uow: UnitOfWork, change: ServerChange, report: SyncReport,
                     *, force: bool = False) -> None:
        outcome = adopt(uow.session, change.entity, change.row_id, rev=change.rev, values=change.fields, force=force)
        if outcome in (CREATED, UPDATED):
            report.pulled += 1
            report.touched_entities.add(change.entity)
            if change.scope.case_id:
                report.touched_cases.add(change.scope.case_id)

    # -- purge ---------------------------------------------------------------------------------

    def purge_revoked(self, report: SyncReport) -> None:
        """Purge cases reassigned away whose changes have all reached central; keep the rest for later."""
        with self._remote_uow() as uow:
            uow.session.info["remote"] = True
            waiting = state.pending_revocations(uow.session)
            kept = []
            for case_id in waiting:
                if purge.purge_case(uow, case_id):
                    report.purged.append(case_id)
                    report.touched_cases.add(case_id)
                else:
                    kept.append(case_id)
            if waiting:
                state.set_pending_revocations(uow.session, kept)


def outbox_size(uow: UnitOfWork) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def parse_last_sync(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None
