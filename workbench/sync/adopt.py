"""Taking central's version of rows into the local store without ever overwriting a change not yet pushed.

Rows arrive in pages of hundreds; they are adopted a page at a time (one query per entity to find what the
device has, one for the outbox, one flush), because a query per row made a first sync of 1,000 cases take
minutes. A row the device cannot take in is quarantined (see `quarantine`): the page is tried whole inside
a savepoint, and only when that fails row by row, each in its own savepoint, so nothing is half-written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import insert, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench.store.schema import Syncable
from workbench.sync.models import OutboxEntry
from workbench.sync.protocol import DEPENDENCY_ORDER
from workbench.sync.quarantine import (
    Unadoptable,
    check_values,
    explain,
    hold,
    incomplete,
    missing_reference,
    release,
    row_error,
)
from workbench.sync.rows import entity_class, known_fields, to_python

CREATED, UPDATED, SKIPPED, MISSING = "created", "updated", "skipped", "missing"
QUARANTINED = "quarantined"
CHUNK = 500
RANK = {entity: n for n, entity in enumerate(DEPENDENCY_ORDER)}


@dataclass(frozen=True)
class Incoming:
    """One row version from central."""

    entity: str
    row_id: str
    rev: int
    values: dict[str, Any]
    case_id: str | None = None
    parent_id: str | None = None


def pending_fields(session: Session, entity: str, row_id: str) -> set[str]:
    """Fields of a row that have a local change still waiting in the outbox."""
    return _pending(session, [row_id]).get((entity, row_id), set())


def _pending(session: Session, row_ids: list[str]) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for start in range(0, len(row_ids), CHUNK):
        rows = session.execute(select(OutboxEntry.entity, OutboxEntry.row_id, OutboxEntry.fields)
                               .where(OutboxEntry.row_id.in_(row_ids[start:start + CHUNK])))
        for entity, row_id, fields in rows:
            out[(entity, row_id)].update(fields)
    return out


def _existing(session: Session, rows: list[Incoming]) -> dict[tuple[str, str], Syncable]:
    by_entity: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_entity[row.entity].append(row.row_id)
    found: dict[tuple[str, str], Syncable] = {}
    for entity, ids in by_entity.items():
        cls = entity_class(entity)
        for start in range(0, len(ids), CHUNK):
            for obj in session.scalars(select(cls).where(cls.id.in_(ids[start:start + CHUNK]))):
                found[(entity, obj.id)] = obj
    return found


def new_values(row: Incoming, stamp: dict[str, Any]) -> dict[str, Any]:
    """Column values for a row this device does not have yet (central sends every data field)."""
    cls = entity_class(row.entity)
    allowed = known_fields(cls)
    data = {k: to_python(cls, k, v) for k, v in row.values.items() if k in allowed}
    data.update(stamp, id=row.row_id, rev=row.rev)
    return data


def insert_rows(session: Session, entity: str, values: list[dict[str, Any]]) -> None:
    """Core executemany insert: a page of new rows in one statement per shape, no ORM objects."""
    table = inspect(entity_class(entity)).local_table
    shapes: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for value in values:
        shapes[frozenset(value)].append(value)
    for batch in shapes.values():
        session.execute(insert(table), batch)


def _update(obj: Syncable, row: Incoming, skip: set[str], force: bool) -> str:
    if obj.rev >= row.rev and not force:
        return SKIPPED
    cls = type(obj)
    allowed = known_fields(cls)
    for key, value in row.values.items():
        if key in allowed and key not in skip and key != "id":
            setattr(obj, key, to_python(cls, key, value))
    obj.rev = row.rev if force else max(obj.rev, row.rev)
    return UPDATED


def adopt_many(session: Session, rows: list[Incoming], *, force: bool = False) -> list[str]:
    """Write central's values for a page of rows; one outcome per row: CREATED, UPDATED, SKIPPED, MISSING
    or QUARANTINED.

    Fields with a pending local change keep the local value: the push that follows carries the old value,
    so central sees the clash and a person decides. An older or equal revision is skipped unless `force`
    (the repair after a failed sanity check). MISSING: the row could not be created yet (its case is not
    on this device); the sanity check fetches it whole later, and if it then still refers to a row the
    device does not have, it is quarantined. QUARANTINED: the row version does not fit this device; it is
    kept aside whole, the rest of the page is adopted, and a later version that fits clears it.
    """
    outcomes: list[str] = [QUARANTINED] * len(rows)
    fitting: list[int] = []
    for index, row in enumerate(rows):
        try:
            check_values(row.entity, row.values)
            fitting.append(index)
        except Unadoptable as why:
            hold(session, row, why)
    try:
        with session.begin_nested():
            done = _adopt_page(session, [rows[i] for i in fitting], force)
    except Exception as exc:
        if not row_error(exc):
            raise
        # One by one, parents before the rows that refer to them (central's order within an entity).
        alone = {i: _adopt_alone(session, rows[i], force)
                 for i in sorted(fitting, key=lambda i: RANK.get(rows[i].entity, len(RANK)))}
        done = [alone[i] for i in fitting]
    for index, outcome in zip(fitting, done, strict=True):
        outcomes[index] = outcome
        if outcome == MISSING and force:
            # Fetched whole, in dependency order, and still it cannot be placed: it points at a row this
            # device does not have.
            row = rows[index]
            dangling = missing_reference(session, row.entity, row.values)
            if dangling is not None:
                hold(session, row, dangling)
                outcomes[index] = QUARANTINED
    release(session, [(r.entity, r.row_id, r.rev, frozenset(r.values)) for r, outcome in zip(rows, outcomes,
                                                                                             strict=True)
                      if outcome in (CREATED, UPDATED)])
    return outcomes


def _adopt_alone(session: Session, row: Incoming, force: bool) -> str:
    """One row in its own savepoint; what its values break is rolled back and the row quarantined."""
    try:
        with session.begin_nested():
            return _adopt_page(session, [row], force)[0]
    except Exception as exc:
        if not row_error(exc):
            raise
        hold(session, row, explain(session, row.entity, row.values, exc))
        return QUARANTINED


def _adopt_page(session: Session, rows: list[Incoming], force: bool) -> list[str]:
    if not rows:
        return []
    pending = _pending(session, list({r.row_id for r in rows}))
    uow = session.info.get("uow")
    stamp = {"updated_at": uow.clock.now(), "updated_by": uow.actor.user_id} if uow is not None else {}
    outcomes: list[str] = []
    fresh: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    updates: list[tuple[int, Syncable, Incoming]] = []
    with session.no_autoflush:
        have = _existing(session, rows)
        for index, row in enumerate(rows):
            key = (row.entity, row.row_id)
            obj = have.get(key)
            if obj is not None:
                updates.append((index, obj, row))
                outcomes.append(SKIPPED)
                continue
            if key in fresh:  # new in this page and changed again further on
                _index, values = fresh[key]
                if row.rev > values["rev"]:
                    values.update(new_values(row, stamp))
                outcomes.append(SKIPPED)
                continue
            fresh[key] = (index, new_values(row, stamp))
            outcomes.append(CREATED)
    if fresh:
        _insert_fresh(session, fresh, outcomes)
    # Updates after the inserts (an update may refer to a row new in this page), and only then: a savepoint
    # rolled back among the inserts would take unflushed updates with it.
    with session.no_autoflush:
        for index, obj, row in updates:
            outcomes[index] = _update(obj, row, pending.get((row.entity, row.row_id), set()), force)
    session.flush()
    return outcomes


def _insert_fresh(session: Session, fresh: dict[tuple[str, str], tuple[int, dict[str, Any]]],
                  outcomes: list[str]) -> None:
    # Parents before the rows that refer to them, whatever order central sent them in.
    ordered = sorted(fresh.items(), key=lambda item: RANK.get(item[0][0], len(RANK)))
    try:
        with session.begin_nested():
            for entity, group in groupby(ordered, key=lambda item: item[0][0]):
                insert_rows(session, entity, [values for _key, (_index, values) in group])
        return
    except IntegrityError:
        pass
    # Some new row refers to a row this device does not have: place them one by one, keep what fits.
    for (entity, row_id), (index, values) in ordered:
        if entity == "case" and _reference_taken(session, values.get("reference"), row_id):
            values["reference"] = local_reference(values["reference"], row_id)
        try:
            with session.begin_nested():
                insert_rows(session, entity, [values])
        except IntegrityError:
            if missing_reference(session, entity, values) is None and not incomplete(entity, values):
                raise  # neither a row that comes later nor a part of one: this row is quarantined
            outcomes[index] = MISSING


def _reference_taken(session: Session, reference: Any, row_id: str) -> bool:
    from workbench.cases.models import Case

    found = session.scalar(select(Case.id).where(Case.reference == reference))
    return found is not None and found != row_id


def local_reference(reference: str, row_id: str) -> str:
    """Case numbers are made on each device, so two handlers' devices can number a case alike. A device that
    holds both (a team lead's, or after a reassignment) keeps the second under its number plus a suffix from
    its id, e.g. ``UHT-2026-000001/3F2A``, instead of losing it. Central stays as it was."""
    return f"{reference}/{row_id[:4].upper()}"


def adopt(session: Session, entity: str, row_id: str, *, rev: int, values: dict[str, Any],
          force: bool = False) -> str:
    """Adopt one row (see `adopt_many`)."""
    return adopt_many(session, [Incoming(entity, row_id, rev, values)], force=force)[0]
