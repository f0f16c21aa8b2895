"""One sync run: push the outbox oldest-first, pull what central has, purge reassigned cases, check the sums.

Network calls never run inside a store transaction: each batch is read in one short transaction, sent,
and its answers written in another. An outbox row is deleted only in the transaction that records
central's answer for it, so a cut connection re-sends at most that one batch (central answers a replayed
``change_id`` with its first answer).

The usual sync is one request: the push's round trip (workbench.sync.rounds) carries the anchor claim and the
audit trail and brings the first pull page. A sync that brought something (changes of others, conflicts, a
repair, a purge) writes an event of its own at the end, which goes in a second request.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from workbench.audit.chain import AuditEntry
from workbench.store.hooks import Origin
from workbench.store.unit_of_work import Actor, Store, UnitOfWork
from workbench.sync import anchoring, epoch, freshness, numbers, purge, rounds, state, trail
from workbench.sync.adopt import CREATED, MISSING, UPDATED, Incoming, adopt_many
from workbench.sync.models import OutboxEntry
from workbench.sync.protocol import (
    MAX_BATCH,
    MAX_PULL,
    AnchorClaim,
    FetchRequest,
    PageWanted,
    PullResponse,
    PushRequest,
    ServerChange,
    Summary,
)
from workbench.sync.pushing import next_batch, record_answers
from workbench.sync.quarantine import quarantined_count
from workbench.sync.round_protocol import RoundRequest
from workbench.sync.sanity import LAST_CHECK, check_and_repair, summary_wanted
from workbench.sync.snapshot import take_snapshot
from workbench.sync.trail_protocol import MAX_TRAIL_BATCH
from workbench.sync.transport import Transport

log = logging.getLogger(__name__)
MAX_RECOVERIES = 2  # per run: central beginning epoch after epoch must not keep a device from syncing


@dataclass
class SyncReport:
    """What one run did, for the status bar and the CLI.

    Attributes:
        quarantined: row versions from central this device could not adopt, held aside after this run.
        unplaced: changes to rows this device does not have yet (adopt.MISSING); the check fetches them whole.
    """

    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    refused: int = 0
    refusals: list[str] = field(default_factory=list)  # central's reasons for the refused changes, each once
    purged: list[str] = field(default_factory=list)
    repaired: int = 0
    handed_over: list[str] = field(default_factory=list)
    in_step: bool = True
    quarantined: int = 0
    unplaced: int = 0
    touched_cases: set[str] = field(default_factory=set)
    touched_entities: set[str] = field(default_factory=set)
    numbers_left: int | None = None  # reserved case numbers left after the run (None: not numbered by central)
    audit_sent: int = 0  # audit events central took this run (workbench.sync.trail)
    audit_pending: int = 0  # audit events still only on this device after this run
    audit_problem: str = ""  # why the trail could not go on (Dutch), "" when it could
    # Central had forgotten changes (workbench.sync.epoch): a new epoch, or rows it held older than we did.
    epoch_changed: bool = False
    central_behind: bool = False
    repushed: int = 0  # rows and changes put back in the outbox for central
    kept: list[str] = field(default_factory=list)  # cases central no longer showed, kept here after a recovery


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
        self.trail_batch = MAX_TRAIL_BATCH  # audit events per upload
        self.trail_limit = trail.MAX_PER_RUN  # audit events per run
        self.summary: Summary | None = None  # central's summary from the last page of the last pull, if it sent one
        # The first pull page the opening push's round trip brought, with what it asked (workbench.sync.rounds).
        self.first_page: tuple[PageWanted, PullResponse] | None = None

    def _remote_uow(self, origin: Origin = Origin.SYNC) -> Any:
        """A unit of work for what central sent: its writes are not this device's changes."""
        return self.store.unit_of_work(self.actor, origin)

    def run(self) -> SyncReport:
        """Push, pull, purge, check; raises CentralUnreachable/CentralRefused, keeping every change."""
        report = SyncReport()
        # Central refuses (and flags) a chain that does not extend what it holds: the claim goes first, in the
        # push's first round trip when it can (rounds), or on its own.
        by_round = rounds.known(self)
        claim = anchoring.opening_claim(self) if by_round else None
        if claim is None:
            anchoring.exchange(self)
        self.push(report, by_round=by_round, claim=claim)
        self.pull(report)
        self.purge_revoked(report)
        report.numbers_left = numbers.exchange(self)  # after the push: central has seen the numbers used
        checked = check_and_repair(self, report)
        with self._remote_uow() as uow:
            now = uow.clock.now()
            state.put(uow.session, state.LAST_SYNC, now.isoformat(timespec="seconds"))
            if checked:
                state.put(uow.session, LAST_CHECK, now.isoformat())
            report.quarantined = quarantined_count(uow.session)
            trail_kept = state.get(uow.session, trail.SENT)
            if report.pulled or report.conflicts or report.repaired or report.purged:
                # Only a sync that brought something is audited: the quiet ones every minute would drown the log,
                # and what a push carries has an event of its own already, which reached central with it.
                uow.audit(AuditEntry("sync", "device", self.actor.device_id,
                                     detail=f"pushed={report.pushed} pulled={report.pulled} "
                                            f"conflicts={report.conflicts} repaired={report.repaired} "
                                            f"quarantined={report.quarantined}"))
        # The trail written before this run went with the push's round trip (rounds); what is left goes once, at
        # the end: this run's own sync event, the views meanwhile, a trail longer than a round trip carries, or
        # all of it when central did not take it in the round trip; at most trail_limit events per run.
        self.send_trail(report, trail_kept)
        report.audit_pending = freshness.exchange(self, now)
        return report

    def send_trail(self, report: SyncReport, kept: str | None) -> None:
        """Send the audit trail on (workbench.sync.trail); an event that cannot travel stops only the trail."""
        try:
            _held, sent = trail.upload(self, kept=kept, limit=self.trail_limit - report.audit_sent)
        except trail.TrailUnsendable as exc:
            log.warning("audit trail stuck: %s", exc.message)
            report.audit_problem = exc.message
            return
        report.audit_sent += sent

    # -- push ----------------------------------------------------------------------------------

    def push(self, report: SyncReport, *, by_round: bool = False, claim: AnchorClaim | None = None) -> None:
        """Push the outbox oldest-first, a batch at a time.

        ``by_round``: the run's opening push, in round trips (workbench.sync.rounds): the first request carries
        ``claim`` and the audit trail written before this run, the last batch (or, with nothing to push, a request
        of its own) asks for the first pull page, which `pull` then starts from. Any later push (an epoch
        recovery, a repair) goes on its own.
        """
        self.first_page = None
        sent = False
        while True:
            with self._remote_uow() as uow:
                batch = next_batch(uow.session, self.batch)
                wanted = rounds.page_wanted(self, uow, report, batch) if by_round and len(batch) < self.batch else None
                events = rounds.trail_wanted(self, uow) if by_round and not sent else []
            if not batch and (sent or not by_round or (claim is None and wanted is None and not events)):
                return
            changes = [c for _, c in batch]
            if by_round:
                request = RoundRequest(device_id=self.actor.device_id, anchor=claim, changes=changes, trail=events,
                                       pull=wanted)
                answer = rounds.send(self, request)
                claim = None
                if answer is None:  # a central of an earlier version: this push goes on as before
                    by_round = False
                    continue
                report.audit_sent += rounds.trail_taken(self, request, answer)
                results = answer.results
                # Only the page after the last batch is the first page; a batch after it makes it stale.
                self.first_page = (wanted, answer.page) if wanted is not None and answer.page is not None else None
            else:
                results = self.transport.push(PushRequest(device_id=self.actor.device_id, changes=changes)).results
                self.first_page = None
            sent = True
            self.on_batch("pushed")
            if not batch:
                return
            with self._remote_uow() as uow:
                refused = record_answers(uow, batch, results, report)
            self.on_batch("recorded")
            if refused:
                self.first_page = None  # read before the restore: the pull runs on its own after it
            for entity, row_ids in refused.items():
                self.restore(entity, sorted(row_ids), report)

    def restore(self, entity: str, row_ids: list[str], report: SyncReport) -> None:
        """Take central's version of rows whose change it refused (rows central never had stay as they are)."""
        fetched = self.transport.fetch(FetchRequest(entity=entity, row_ids=row_ids))  # type: ignore[arg-type]
        with self._remote_uow() as uow:
            self.apply_changes(uow, fetched.changes, report, force=True)

    # -- pull ----------------------------------------------------------------------------------

    def pull(self, report: SyncReport) -> None:
        """Pull every page; the last one brings central's summary for the check when it will be needed."""
        self.summary = None
        first, self.first_page = self.first_page, None
        with self._remote_uow() as uow:
            cursor: int | None = state.cursor(uow.session)
            known = epoch.known(uow.session)
            wanted = summary_wanted(uow, report)
        if cursor == 0:  # a device that never pulled takes central's snapshot instead of replaying the change log
            take_snapshot(self, report)
            cursor = None
        recoveries = 0
        while True:
            if cursor is None:  # where the last page (or the snapshot, or a recovery) left it
                with self._remote_uow() as uow:
                    cursor = state.cursor(uow.session)
                    known = epoch.known(uow.session)
            if wanted == "moved" and (report.pulled or report.unplaced):
                wanted = "always"  # an earlier page moved something: the check runs
            if first is not None and first[0] == PageWanted(cursor=cursor, limit=self.page, epoch=known,
                                                            summary=wanted):
                page = first[1]  # the push's round trip brought it
            else:
                page = self.transport.pull(cursor, self.page, epoch=known, summary=wanted)
            first = None
            if page.epoch is not None and known is not None and page.epoch != known and recoveries < MAX_RECOVERIES:
                # Central was restored: give it back what it lacks before taking anything from it.
                recoveries += 1
                epoch.recover(self, report, epoch=page.epoch)
                self.push(report)
                cursor = None
                continue
            self.apply_page(page, report)
            self.on_batch("pulled")
            if not page.more:
                self.summary = page.summary
                return
            cursor = None

    def apply_page(self, page: PullResponse, report: SyncReport) -> None:
        """Adopt one page and move the cursor in the same transaction (a crash repeats the page only)."""
        with self._remote_uow() as uow:
            outcomes = self.apply_changes(uow, page.changes, report)
            regained = {c.row_id for c in page.changes if c.snapshot and c.entity == "case"}
            handed_over = handovers(page, outcomes, self.actor.user_id,
                                    enrolled_before=state.get(uow.session, state.LAST_SYNC) is not None
                                    and not epoch.replaying(uow.session))
            if handed_over:
                state.add_pending_handovers(uow.session, handed_over)
                report.handed_over.extend(handed_over)
            waiting = state.pending_revocations(uow.session)
            if regained & set(waiting):
                state.set_pending_revocations(uow.session, [c for c in waiting if c not in regained])
            revoked = page.revoked
            if epoch.replaying(uow.session):
                # Pulling again after central forgot: a case it no longer shows may be one whose assignment
                # it forgot. Keep it; never delete local data because central lost its own.
                report.kept.extend(c for c in revoked if c not in report.kept)
                revoked = []
                if not page.more:
                    epoch.replay_done(uow.session)
            if revoked:
                state.set_pending_revocations(uow.session, state.pending_revocations(uow.session) + revoked)
            if page.epoch is not None:
                epoch.remember(uow.session, page.epoch)
            state.put(uow.session, state.CURSOR, str(max(page.next_cursor, state.cursor(uow.session))))

    def apply_changes(self, uow: UnitOfWork, changes: list[ServerChange], report: SyncReport,
                      *, force: bool = False) -> list[str]:
        """Adopt central's rows; returns one outcome per change (adopt.CREATED, UPDATED, SKIPPED, MISSING,
        QUARANTINED)."""
        rows = [Incoming(c.entity, c.row_id, c.rev, c.fields, c.scope.case_id, c.scope.parent_id) for c in changes]
        outcomes = adopt_many(uow.session, rows, force=force)
        for change, outcome in zip(changes, outcomes, strict=True):
            report.unplaced += outcome == MISSING
            if outcome in (CREATED, UPDATED):
                report.pulled += 1
                report.touched_entities.add(change.entity)
                if change.scope.case_id:
                    report.touched_cases.add(change.scope.case_id)
        return outcomes

    # -- purge ---------------------------------------------------------------------------------

    def purge_revoked(self, report: SyncReport) -> None:
        """Purge cases reassigned away whose changes have all reached central; keep the rest for later."""
        with self._remote_uow(Origin.PURGE) as uow:
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


def handovers(page: PullResponse, outcomes: list[str], user_id: str, *, enrolled_before: bool) -> list[str]:
    """Cases of this page that someone else handed to this user: central says the case was reassigned to
    them from another handler, the case's snapshot names them as handler, and the device had finished a
    sync before (on a newly enrolled device every case arrives; none of them is a handover).
    """
    if not enrolled_before or not page.handed_over:
        return []
    reassigned = set(page.handed_over)
    return [c.row_id for c, outcome in zip(page.changes, outcomes, strict=True)
            if c.snapshot and c.entity == "case" and c.row_id in reassigned and outcome in (CREATED, UPDATED)
            and c.fields.get("handler_id") == user_id]


def outbox_size(uow: UnitOfWork) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def parse_last_sync(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None
