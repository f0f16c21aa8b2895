"""After each sync: compare counts and a hash of row ids and revisions with central; repair only what differs.

Anki and CommCare do the same: a mismatch after a "successful" sync means a bug or a lost page somewhere,
and the cure is to fetch exactly the rows whose revision differs, never to start the device afresh.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.store.hooks import Origin
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync import epoch, state
from workbench.sync.adopt import CREATED, UPDATED
from workbench.sync.protocol import (
    CENTRAL_OWNED,
    DEPENDENCY_ORDER,
    ENTITIES,
    FetchRequest,
    SummaryWanted,
    summary_digest,
)
from workbench.sync.rows import entity_class

if TYPE_CHECKING:
    from workbench.sync.engine import SyncEngine, SyncReport

# Parents before children, so a fetched row finds the rows it refers to.
REPAIR_ORDER = DEPENDENCY_ORDER
CHUNK = 500
LAST_CHECK = "last_check"
CHECK_EVERY = dt.timedelta(hours=24)


def versions_in(session: Session, entity: str) -> dict[str, int]:
    """Row id -> revision of every row of an entity that central has seen (rev > 0)."""
    cls = entity_class(entity)
    return {row_id: rev for row_id, rev in session.execute(select(cls.id, cls.rev).where(cls.rev > 0))}


def local_digest(engine: SyncEngine) -> tuple[dict[str, int], str]:
    """Counts and the digest over ``entity:row_id:rev`` of every row central has seen, read in one transaction."""
    with engine.store.unit_of_work(engine.actor) as uow:
        return digest_in(uow.session)


def digest_in(session: Session) -> tuple[dict[str, int], str]:
    counts: dict[str, int] = {}
    lines: list[str] = []
    for entity in ENTITIES:
        cls = entity_class(entity)
        rows = session.execute(select(cls.id, cls.rev).where(cls.rev > 0)).all()
        if rows:
            counts[entity] = len(rows)
        lines.extend([f"{entity}:{row_id}:{rev}" for row_id, rev in rows])
    return counts, summary_digest(lines)


def summary_wanted(uow: UnitOfWork, report: SyncReport, *, sending: int | None = None) -> SummaryWanted | None:
    """What the pull should ask of its last page for the check after it (see check_and_repair).

    "always" when the check will run whatever the pull brings (something pushed, cases to purge, a day since
    the last check), "moved" when it runs only if the pull moves something; nothing while changes wait.
    ``sending``: asked before the push of the outbox's last batch, of that many changes (workbench.sync.rounds),
    what the pull will ask once they are pushed.
    """
    from workbench.sync.engine import outbox_size

    if sending is None and outbox_size(uow):
        return None
    last = state.get(uow.session, LAST_CHECK)
    due = not last or uow.clock.now() - dt.datetime.fromisoformat(last) >= CHECK_EVERY
    if due or report.pushed or sending or report.purged or state.pending_revocations(uow.session):
        return "always"
    return "moved"


def check_and_repair(engine: SyncEngine, report: SyncReport) -> bool:
    """Compare with central after a sync that moved something, and at least once a day; True when compared
    (the caller notes when, as LAST_CHECK, with the rest of the run's bookkeeping).

    Only meaningful once the outbox is empty; with changes still waiting, the next run checks. A sync
    with nothing to do skips it, so its cost does not grow with the store.
    """
    from workbench.sync.engine import outbox_size

    mine: str | None = None
    with engine.store.unit_of_work(engine.actor) as uow:
        if outbox_size(uow):
            report.in_step = False
            return False
        now = uow.clock.now()
        last = state.get(uow.session, LAST_CHECK)
        quiet = not (report.pushed or report.pulled or report.purged or report.unplaced)
        if quiet and last and now - dt.datetime.fromisoformat(last) < CHECK_EVERY:
            return False
        if engine.summary is not None:  # no request in between: read ours in the same transaction
            mine = digest_in(uow.session)[1]
    # The pull's last page carries the summary when it was asked for; a central of an earlier version sends none.
    server = engine.summary or engine.transport.summary()
    engine.summary = None
    digest = mine if mine is not None else local_digest(engine)[1]
    if digest == server.digest:
        report.in_step = True
        return True
    theirs_all = {entity: engine.transport.row_versions(entity).revs for entity in REPAIR_ORDER}
    with engine.store.unit_of_work(engine.actor) as uow:
        ours_all = {entity: versions_in(uow.session, entity) for entity in REPAIR_ORDER}
    if epoch.behind(theirs_all, ours_all) and not report.central_behind \
            and epoch.recover(engine, report, epoch=None, theirs=theirs_all) is not None:
        # Central holds rows older than we do: it forgot changes (a restore without a new epoch). Give them
        # back first, then check again; never take central's older version over ours.
        engine.push(report)
        engine.pull(report)
        return check_and_repair(engine, report)
    for entity in REPAIR_ORDER:
        theirs, ours = theirs_all[entity], ours_all[entity]
        # Central's own rows (users, teams) are taken as central has them; our other rows only when central
        # holds a newer revision (an older one is central having forgotten, see above).
        wanted = [row_id for row_id, rev in theirs.items()
                  if ours.get(row_id, 0) < rev or (entity in CENTRAL_OWNED and ours.get(row_id) != rev)]
        for start in range(0, len(wanted), CHUNK):
            fetched = engine.transport.fetch(FetchRequest(entity=entity,  # type: ignore[arg-type]
                                                          row_ids=wanted[start:start + CHUNK]))
            with engine.store.unit_of_work(engine.actor, Origin.SYNC) as uow:
                outcomes = engine.apply_changes(uow, fetched.changes, report, force=True)
                # A row still in quarantine is fetched again at each check, but was not repaired.
                report.repaired += sum(outcome in (CREATED, UPDATED) for outcome in outcomes)
    _counts, digest = local_digest(engine)
    report.in_step = digest == engine.transport.summary().digest
    return True
