"""Writing row versions: set the record, bump its rev, append a change-log entry; one at a time or a whole batch."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any, cast

from sqlalchemy import JSON, CursorResult, Executable, Select, Table, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from central.models import ChangeLog, Record, Stamp

# Prepared Core statements on purpose: a push writes thousands of rows, and building ORM units of work
# (or even statements with literal values) costs more than the SQL itself here.
_RECORD = cast(Table, Record.__table__)
_LOG = cast(Table, ChangeLog.__table__)
_INSERT_RECORD = insert(_RECORD)
_INSERT_LOG = insert(_LOG)
# Many entries in one statement (insertmanyvalues), answering each entry's sequence number. PostgreSQL answers in
# the order of the parameters; SQLite cannot promise that without a sentinel column, so its rows are matched by
# (entity, row_id, rev), which names one entry.
_LOG_KEY = (_LOG.c.seq, _LOG.c.entity, _LOG.c.row_id, _LOG.c.rev)
_INSERT_LOG_RETURNING = {"sqlite": insert(_LOG).returning(*_LOG_KEY)}
_INSERT_LOG_IN_ORDER = insert(_LOG).returning(*_LOG_KEY, sort_by_parameter_order=True)
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
    """The rows central holds among ``keys`` (missing ones are simply absent), in one select per 500 keys."""
    wanted = sorted(set(keys))
    out: dict[tuple[str, str], RowState] = {}
    for i in range(0, len(wanted), 500):
        by_entity: dict[str, list[str]] = defaultdict(list)
        for entity, row_id in wanted[i:i + 500]:
            by_entity[entity].append(row_id)
        params: dict[str, Any] = {}
        for n, (entity, ids) in enumerate(by_entity.items()):
            params[f"entity_{n}"], params[f"ids_{n}"] = entity, ids
        rows = session.connection().execute(_rows_of(len(by_entity)), params)
        for entity, row_id, rev, data, case_id, parent_id, created_by in rows:
            out[(entity, row_id)] = RowState(entity, row_id, rev, dict(data), case_id, parent_id, created_by)
    return out


@cache
def _rows_of(entities: int) -> Select[Any]:
    """The select of `load_rows` for this many entities, built once per count: the rows of entity_n among ids_n."""
    return select(
        _RECORD.c.entity, _RECORD.c.row_id, _RECORD.c.rev, _RECORD.c.data, _RECORD.c.case_id, _RECORD.c.parent_id,
        _RECORD.c.created_by,
    ).where(or_(*(and_(_RECORD.c.entity == bindparam(f"entity_{n}"),
                       _RECORD.c.row_id.in_(bindparam(f"ids_{n}", expanding=True))) for n in range(entities))))


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


class Entry:
    """A change-log entry of a batch; ``seq`` is known once the batch is written."""

    __slots__ = ("seq",)

    def __init__(self) -> None:
        self.seq: int | None = None


class LedgerBatch:
    """The row writes of one push, sent as a few statements: one final version per row, the log in request order.

    Writes that need an entry's sequence number are queued with ``later`` (an ``Entry`` as a parameter value
    becomes its sequence number). A read that could see the batch's own writes calls ``flush`` first.
    """

    def __init__(self, session: Session, now: dt.datetime) -> None:
        self._session, self._now = session, now
        self._rows: dict[tuple[str, str], tuple[RowState, bool]] = {}  # the row, and whether it is new
        self._log: list[tuple[Entry, dict[str, Any]]] = []
        self._later: dict[Executable, list[dict[str, Any]]] = {}

    def write(self, state: RowState, fields: dict[str, Any], origin_change_id: str | None) -> Entry:
        """Set ``fields`` on the row as ``write_row`` does (``state`` is updated in place); written at ``flush``."""
        key = (state.entity, state.row_id)
        new = self._rows[key][1] if key in self._rows else not state.exists
        data = {**state.data, **fields}
        state.rev += 1
        state.data = data
        self._rows[key] = (state, new)
        entry = Entry()
        self._log.append((entry, {
            "entity": state.entity, "row_id": state.row_id, "rev": state.rev, "fields": dict(fields),
            "case_id": state.case_id, "parent_id": state.parent_id, "deleted": is_deleted(data),
            "origin_change_id": origin_change_id, "created_at": self._now}))
        return entry

    def later(self, statement: Executable, params: dict[str, Any]) -> dict[str, Any]:
        """Run ``statement`` with ``params`` after the log is written (together with the same statement's others).

        Returns ``params`` itself: the caller may still change it until the batch is flushed.
        """
        self._later.setdefault(statement, []).append(params)
        return params

    def pending(self, params: dict[str, Any]) -> bool:
        """Whether these parameters (as ``later`` returned them) are still waiting to be written."""
        return any(row is params for rows in self._later.values() for row in rows)

    def flush(self) -> None:
        """Write everything pending: rows, change log (in order), then the queued statements."""
        inserts = [_record_params(state) for state, new in self._rows.values() if new]
        updates = [{"k_entity": state.entity, "k_row_id": state.row_id, "rev": state.rev, "data": state.data,
                    "deleted": is_deleted(state.data), "updated_at": self._now}
                   for state, new in self._rows.values() if not new]
        if inserts:
            self._session.execute(_INSERT_RECORD, [{**p, "updated_at": self._now} for p in inserts])
        if updates:
            self._session.execute(_UPDATE_RECORD, updates)
        if self._log:
            log_insert = _INSERT_LOG_RETURNING.get(self._session.get_bind().dialect.name, _INSERT_LOG_IN_ORDER)
            drawn = {(entity, row_id, rev): int(seq) for seq, entity, row_id, rev in self._session.execute(
                log_insert, [params for _, params in self._log])}
            seqs = [drawn[(p["entity"], p["row_id"], p["rev"])] for _, p in self._log]
            if len(drawn) != len(self._log) or any(b <= a for a, b in pairwise(seqs)):
                raise RuntimeError("change log sequence numbers not in the order of the batch")
            for (entry, _), seq in zip(self._log, seqs, strict=True):
                entry.seq = seq
        for statement, rows in self._later.items():
            self._session.execute(statement, [{k: _resolved(v) for k, v in row.items()} for row in rows])
        self._rows, self._log, self._later = {}, [], {}


def _record_params(state: RowState) -> dict[str, Any]:
    return {"entity": state.entity, "row_id": state.row_id, "rev": state.rev, "data": state.data,
            "case_id": state.case_id, "parent_id": state.parent_id, "deleted": is_deleted(state.data),
            "created_by": state.created_by}


def _resolved(value: Any) -> Any:
    if isinstance(value, Entry):
        if value.seq is None:
            raise RuntimeError("a queued write refers to a change-log entry that was not written")
        return value.seq
    return value
