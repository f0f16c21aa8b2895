"""A device's first sync: central's snapshot of every row the user may see, bulk-inserted as it streams in.

Replaying the change log page by page went through the ORM for every row version. Here the rows a device
does not hold yet go into the store with one Core executemany per entity and chunk (no ORM objects, no
identity map). Each row still passes the field checks of `quarantine` first; a row that fails them is
quarantined, and a chunk whose bulk insert fails (or that holds rows the device already has) is adopted
row-aware by `adopt.adopt_many`, which keeps pending local changes and quarantines only the rows at fault.

Every chunk is its own transaction; the pull cursor moves to the snapshot's sequence only once the whole
stream arrived, so a cut stream is simply read again at the next sync (rows already taken are skipped).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby, islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.store.hooks import Origin
from workbench.sync import state
from workbench.sync.adopt import (
    CREATED,
    MISSING,
    QUARANTINED,
    RANK,
    UPDATED,
    Incoming,
    adopt_many,
    insert_rows,
    new_values,
)
from workbench.sync.models import OutboxEntry
from workbench.sync.protocol import ServerChange
from workbench.sync.quarantine import Unadoptable, check_values, hold, release, row_error
from workbench.sync.rows import entity_class
from workbench.sync.transport import CentralRefused

if TYPE_CHECKING:
    from workbench.sync.engine import SyncEngine, SyncReport

CHUNK = 2_000  # rows per transaction while the snapshot streams in
NOT_OFFERED = 404  # a central without the snapshot endpoint: the device replays the change log instead


def take_snapshot(engine: SyncEngine, report: SyncReport) -> bool:
    """Fill a device that never pulled from central's snapshot; False when central offers none."""
    try:
        with engine.transport.snapshot() as (header, changes):
            for chunk in batched(changes, CHUNK):
                with engine.store.unit_of_work(engine.actor, Origin.SYNC) as uow:
                    _tally(report, list(chunk), adopt_snapshot(uow.session, [_incoming(c) for c in chunk]))
                engine.on_batch("pulled")
    except CentralRefused as exc:
        if exc.status == NOT_OFFERED:
            return False
        raise
    with engine.store.unit_of_work(engine.actor, Origin.SYNC) as uow:
        state.put(uow.session, state.CURSOR, str(max(header.cursor, state.cursor(uow.session))))
    return True


def batched(items: Iterable[Any], size: int) -> Iterator[tuple[Any, ...]]:
    """`itertools.batched` (Python 3.12) for 3.11."""
    it = iter(items)
    while part := tuple(islice(it, size)):
        yield part


def _incoming(change: ServerChange) -> Incoming:
    return Incoming(change.entity, change.row_id, change.rev, change.fields, change.scope.case_id,
                    change.scope.parent_id)


def _tally(report: SyncReport, changes: list[ServerChange], outcomes: list[str]) -> None:
    for change, outcome in zip(changes, outcomes, strict=True):
        report.unplaced += outcome == MISSING
        if outcome in (CREATED, UPDATED):
            report.pulled += 1
            report.touched_entities.add(change.entity)
            if change.scope.case_id:
                report.touched_cases.add(change.scope.case_id)


def adopt_snapshot(session: Session, rows: list[Incoming]) -> list[str]:
    """Adopt one chunk of whole rows; one outcome per row, as `adopt.adopt_many` gives them.

    Rows the device does not hold go in by bulk insert, inside a savepoint; the rest (rows it holds, rows
    that fail the field checks) and, when the bulk insert fails, the whole chunk take the row-aware path.
    """
    outcomes = [QUARANTINED] * len(rows)
    fitting: list[int] = []
    for index, row in enumerate(rows):
        try:
            check_values(row.entity, row.values)
            fitting.append(index)
        except Unadoptable as why:
            hold(session, row, why)
    held = _held(session, [rows[i] for i in fitting])
    fresh = [i for i in fitting if (rows[i].entity, rows[i].row_id) not in held]
    if len({(rows[i].entity, rows[i].row_id) for i in fresh}) != len(fresh) or _has_outbox(session):
        fresh = []  # a row twice in one chunk, or local changes waiting: leave it all to adopt_many
    if fresh and _bulk_insert(session, [rows[i] for i in fresh]):
        for index in fresh:
            outcomes[index] = CREATED
        release(session, [(rows[i].entity, rows[i].row_id, rows[i].rev, frozenset(rows[i].values)) for i in fresh])
        inserted = set(fresh)
        rest = [i for i in fitting if i not in inserted]
    else:
        rest = fitting
    if rest:
        for index, outcome in zip(rest, adopt_many(session, [rows[i] for i in rest]), strict=True):
            outcomes[index] = outcome
    return outcomes


def _held(session: Session, rows: list[Incoming]) -> set[tuple[str, str]]:
    """(entity, row id) of the rows of `rows` the device already has: ids only, no ORM objects."""
    by_entity: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_entity[row.entity].append(row.row_id)
    found: set[tuple[str, str]] = set()
    for entity, ids in by_entity.items():
        cls = entity_class(entity)
        for part in batched(ids, 500):
            found.update((entity, row_id) for row_id in session.scalars(select(cls.id).where(cls.id.in_(part))))
    return found


def _has_outbox(session: Session) -> bool:
    return session.scalar(select(OutboxEntry.seq).limit(1)) is not None


def _bulk_insert(session: Session, rows: list[Incoming]) -> bool:
    """Insert new rows, parents first, all or nothing; False when any of them does not fit."""
    uow = session.info.get("uow")
    stamp: dict[str, Any] = {"updated_at": uow.clock.now(), "updated_by": uow.actor.user_id} if uow else {}
    ordered = sorted(rows, key=lambda r: RANK.get(r.entity, len(RANK)))
    try:
        with session.begin_nested():
            for entity, group in groupby(ordered, key=lambda r: r.entity):
                insert_rows(session, entity, [new_values(r, stamp) for r in group])
    except Exception as exc:
        if not row_error(exc):
            raise
        return False
    return True
