"""Writing a row version: update the current record, bump its rev and append one change-log entry."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import JSON, CursorResult, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from central.models import ChangeLog, Record, Stamp

# Prepared Core statements on purpose: a push writes thousands of rows, and building ORM units of work
# (or even statements with literal values) costs more than the SQL itself here.
_RECORD = cast(Table, Record.__table__)
_LOG = cast(Table, ChangeLog.__table__)
_INSERT_RECORD = insert(_RECORD)
_INSERT_LOG = insert(_LOG)
_UPDATE_RECORD = (
    update(_RECORD).where(_RECORD.c.entity == bindparam("k_entity"), _RECORD.c.row_id == bindparam("k_row_id"))
    .values(rev=bindparam("rev"), data=bindparam("data", type_=JSON()), deleted=bindparam("deleted"),
            updated_at=bindparam("updated_at", type_=Stamp()))
)


@dataclass
class RowState:
    """The current server version of one row, as a write sees it.

    Attributes:
        rev: 0 for a row central does not hold yet.
        data: every data field, as JSON values.
    """

    entity: str
    row_id: str
    rev: int
    data: dict[str, Any]
    case_id: str | None
    parent_id: str | None
    created_by: str | None

    @property
    def exists(self) -> bool:
        return self.rev > 0


def is_deleted(data: dict[str, Any]) -> bool:
    """A row is a tombstone when its ``deleted_at`` field is set."""
    return data.get("deleted_at") is not None


def load_rows(session: Session, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], RowState]:
    """The rows central holds among ``keys`` (missing ones are simply absent)."""
    by_entity: dict[str, set[str]] = defaultdict(set)
    for entity, row_id in keys:
        by_entity[entity].add(row_id)
    out: dict[tuple[str, str], RowState] = {}
    for entity, row_ids in by_entity.items():
        ids = sorted(row_ids)
        for i in range(0, len(ids), 500):
            rows = session.execute(select(
                Record.row_id, Record.rev, Record.data, Record.case_id, Record.parent_id, Record.created_by,
            ).where(Record.entity == entity, Record.row_id.in_(ids[i:i + 500])))
            for row_id, rev, data, case_id, parent_id, created_by in rows:
                out[(entity, row_id)] = RowState(entity, row_id, rev, dict(data), case_id, parent_id, created_by)
    return out


def write_row(
    session: Session,
    *,
    state: RowState,
    fields: dict[str, Any],
    origin_change_id: str | None,
    now: dt.datetime,
) -> int:
    """Set ``fields`` on the row (creating it when new), log it and return its sequence number.

    The caller holds the write lock, so the sequence number drawn here orders commits. ``state`` is
    updated in place (rev and data), so a batch can keep working with it.
    """
    data = {**state.data, **fields}
    deleted = is_deleted(data)
    if state.exists:
        session.execute(_UPDATE_RECORD, {"k_entity": state.entity, "k_row_id": state.row_id, "rev": state.rev + 1,
                                         "data": data, "deleted": deleted, "updated_at": now})
    else:
        session.execute(_INSERT_RECORD, {
            "entity": state.entity, "row_id": state.row_id, "rev": 1, "data": data, "case_id": state.case_id,
            "parent_id": state.parent_id, "deleted": deleted, "created_by": state.created_by, "updated_at": now})
    state.rev += 1
    state.data = data
    result = cast(CursorResult[Any], session.execute(_INSERT_LOG, {
        "entity": state.entity, "row_id": state.row_id, "rev": state.rev, "fields": dict(fields),
        "case_id": state.case_id, "parent_id": state.parent_id, "deleted": deleted,
        "origin_change_id": origin_change_id, "created_at": now}))
    seq = result.inserted_primary_key[0] if result.inserted_primary_key else None
    assert seq is not None
    return int(seq)


def new_row(entity: str, row_id: str, *, case_id: str | None = None, parent_id: str | None = None,
            created_by: str | None = None) -> RowState:
    return RowState(entity, row_id, 0, {}, case_id, parent_id, created_by)


def head_seq(session: Session) -> int:
    """The newest sequence number (0 for an empty log)."""
    return int(session.scalar(select(func.coalesce(func.max(ChangeLog.seq), 0))) or 0)
