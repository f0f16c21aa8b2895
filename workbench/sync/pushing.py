"""The device side of a push: reading a batch from the outbox, and recording central's answers for it.

Both work a batch at a time (a query per entity, not per row): a first push of a caseload is tens of
thousands of changes.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, inspect, select, update
from sqlalchemy.orm import Session

from workbench.store.case_scope import Fetch, preloaded, scope_of, via_key
from workbench.store.schema import Syncable
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync.adopt import Incoming, adopt_many
from workbench.sync.models import Conflict, OutboxEntry
from workbench.sync.protocol import CENTRAL_OWNED, Change, ChangeResult, Scope
from workbench.sync.rows import entity_class, wire_scope

if TYPE_CHECKING:
    from workbench.sync.engine import SyncReport

REFUSED = "Geweigerd door de centrale."


def _rows(session: Session, wanted: dict[str, set[str]]) -> dict[tuple[str, str], Syncable]:
    found: dict[tuple[str, str], Syncable] = {}
    for entity, ids in wanted.items():
        cls = entity_class(entity)
        for obj in session.scalars(select(cls).where(cls.id.in_(list(ids)))):
            found[(entity, obj.id)] = obj
    return found


def _scope(obj: Syncable | None, fetch: Fetch) -> Scope:
    return wire_scope(scope_of(obj, fetch)) if obj is not None else Scope()


def next_batch(session: Session, limit: int) -> list[tuple[int, Change]]:
    """The oldest `limit` outbox entries as protocol changes, each with the scope central needs."""
    entries = session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq).limit(limit)).all()
    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        wanted[entry.entity].add(entry.row_id)
    rows = _rows(session, wanted)
    # Rows that reach their case through another row (a commitment's status change): load those at once.
    through: dict[str, set[str]] = defaultdict(set)
    for obj in rows.values():
        if (key := via_key(obj)) is not None:
            through[key[0].__entity__].add(key[1])
    fetch = preloaded(_rows(session, through).values())
    return [(entry.seq, Change(
        change_id=entry.change_id, entity=entry.entity, row_id=entry.row_id, op=entry.op,  # type: ignore[arg-type]
        base_rev=entry.base_rev, fields={k: (v[0], v[1]) for k, v in entry.fields.items()},
        scope=_scope(rows.get((entry.entity, entry.row_id)), fetch))) for entry in entries]


def record_answers(uow: UnitOfWork, batch: list[tuple[int, Change]], results: list[ChangeResult],
                   report: SyncReport) -> dict[str, set[str]]:
    """Delete the answered outbox entries, note revisions, adopt merged rows, keep conflicts and refusals.

    Returns the rows central refused, by entity: the device takes central's version of them back (the
    refused values stay in a Conflict with central's reason), so it never acts on a state central rejected.
    """
    refused: dict[str, set[str]] = defaultdict(set)
    session = uow.session
    seqs = [seq for seq, _ in batch]
    still_there = set(session.scalars(select(OutboxEntry.seq).where(OutboxEntry.seq.in_(seqs))))
    session.execute(delete(OutboxEntry).where(OutboxEntry.seq.in_(seqs)))
    now = uow.clock.now()
    revs: dict[str, list[dict[str, object]]] = defaultdict(list)
    merged: list[Incoming] = []
    for (seq, change), result in zip(batch, results, strict=True):
        if seq not in still_there:  # answered already by an earlier run
            continue
        report.pushed += 1
        report.touched_entities.add(change.entity)
        if change.scope.case_id:
            report.touched_cases.add(change.scope.case_id)
        if result.status == "refused":
            report.refused += 1
            if (result.reason or REFUSED) not in report.refusals:
                report.refusals.append(result.reason or REFUSED)
            refused[change.entity].add(change.row_id)
            session.add_all([Conflict(id=str(uuid.uuid4()), entity=change.entity, row_id=change.row_id, field=name,
                                      local_value=new, server_value=None, server_rev=0, created_at=now,
                                      reason=result.reason or REFUSED)
                             for name, (_old, new) in change.fields.items()])
            continue
        if result.status == "ignored" or change.entity in CENTRAL_OWNED:
            continue
        if result.status == "conflict":
            for name, server_value in (result.conflicts or {}).items():
                report.conflicts += 1
                local = change.fields[name][1] if name in change.fields else None
                session.add(Conflict(id=str(uuid.uuid4()), entity=change.entity, row_id=change.row_id, field=name,
                                     local_value=local, server_value=server_value, server_rev=result.rev,
                                     created_at=now))
        if result.status == "applied" or not result.row:
            revs[change.entity].append({"id": change.row_id, "rev": result.rev})
        else:
            merged.append(Incoming(change.entity, change.row_id, result.rev, result.row, change.scope.case_id,
                                   change.scope.parent_id))
    for entity, values in revs.items():
        cls = entity_class(entity)
        # A later answer in the same batch may carry a higher revision: keep the highest per row.
        highest: dict[object, dict[str, object]] = {}
        for value in values:
            if value["id"] not in highest or int(str(value["rev"])) > int(str(highest[value["id"]]["rev"])):
                highest[value["id"]] = value
        _bump(session, cls, list(highest.values()))
    adopt_many(session, merged)
    return refused


def _bump(session: Session, cls: type[Syncable], values: list[dict[str, object]]) -> None:
    """Set each row's revision to central's answer (never lower it); one statement for the whole batch."""
    table = inspect(cls).local_table
    statement = (update(table).where(table.c.id == bindparam("row_id"), table.c.rev < bindparam("new_rev"))
                 .values(rev=bindparam("new_rev")))
    session.execute(statement, [{"row_id": v["id"], "new_rev": v["rev"]} for v in values])
