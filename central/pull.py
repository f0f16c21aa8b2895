"""Pull pages: visible changes after a cursor, whole-case snapshots on a grant, and revocations."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Connection, Executable, Integer, Row, and_, bindparam, func, or_, select, true, union
from sqlalchemy.orm import Session

from central import epochs
from central.accounts import Principal
from central.database import Database
from central.ledger import head_seq
from central.models import CaseAccess, ChangeLog, Epoch, Record
from central.visibility import (
    PARENT_ENTITIES,
    among,
    bound,
    ids,
    period_visible,
    review_moves,
    sees_period,
    shape,
    visible_events,
    visible_records,
)
from workbench.sync.protocol import PullResponse, Scope, ServerChange, Summary, SummaryWanted, summary_digest

log = logging.getLogger(__name__)


# Column selects, not ORM entities: a first pull reads tens of thousands of rows.
_RECORD_COLUMNS = (Record.entity, Record.row_id, Record.rev, Record.data, Record.deleted, Record.case_id,
                   Record.parent_id)
_LOG_COLUMNS = (ChangeLog.seq, ChangeLog.entity, ChangeLog.row_id, ChangeLog.rev, ChangeLog.fields,
                ChangeLog.deleted, ChangeLog.case_id, ChangeLog.parent_id, ChangeLog.origin_change_id)


def record_rows(session: Session, *conditions: Any) -> list[Row[Any]]:
    return list(session.execute(select(*_RECORD_COLUMNS).where(*conditions)
                                .order_by(Record.entity, Record.row_id)))


def snapshot(record: Any, seq: int, origin_change_id: str | None = None) -> ServerChange:
    """A whole row as the device should hold it now (``record``: a Record or a row of its columns)."""
    return _change(seq, record.entity, record.row_id, record.rev, record.data, record.deleted, record.case_id,
                   record.parent_id, origin_change_id, True)


# A pull page holds up to 1,000 changes: validating each (and its scope) again was a good part of a pull's CPU.
# Central validated every row and id at intake, or wrote it itself, so the page's models are built as pydantic's
# model_construct builds them, without its per-field search for aliases and defaults.
_CHANGE_FIELDS = ("seq", "entity", "row_id", "rev", "fields", "deleted", "scope", "origin_change_id", "snapshot")
_SCOPE_FIELDS = ("case_id", "parent_id")
_set = object.__setattr__
M = TypeVar("M", bound=BaseModel)


def _trusted(model: type[M], names: tuple[str, ...], values: dict[str, Any]) -> M:
    """``model.model_construct(**values)`` where ``values`` name every field of the model, in its order."""
    built = model.__new__(model)
    _set(built, "__dict__", values)
    _set(built, "__pydantic_fields_set__", set(names))
    _set(built, "__pydantic_extra__", None)
    _set(built, "__pydantic_private__", None)
    return built


def _change(seq: int, entity: str, row_id: str, rev: int, fields: dict[str, Any], deleted: bool,
            case_id: str | None, parent_id: str | None, origin_change_id: str | None, whole: bool) -> ServerChange:
    scope = _trusted(Scope, _SCOPE_FIELDS, {"case_id": case_id, "parent_id": parent_id})
    return _trusted(ServerChange, _CHANGE_FIELDS, {
        "seq": seq, "entity": entity, "row_id": row_id, "rev": rev, "fields": dict(fields), "deleted": bool(deleted),
        "scope": scope, "origin_change_id": origin_change_id, "snapshot": whole})


def _built_as_pydantic_builds(model: type[BaseModel], names: tuple[str, ...]) -> None:
    """`_trusted` holds for ``model`` (checked once, at import): these fields in this order, nothing else to set."""
    if (tuple(model.model_fields) != names or model.__pydantic_post_init__ or model.__private_attributes__
            or model.__pydantic_root_model__ or model.model_config.get("extra") == "allow"):
        raise TypeError(f"{model.__name__} is not built as central.pull expects")


_built_as_pydantic_builds(ServerChange, _CHANGE_FIELDS)
_built_as_pydantic_builds(Scope, _SCOPE_FIELDS)


@dataclass
class _Point:
    """Everything that happened at one sequence number, for this user."""

    revokes: list[str] = field(default_factory=list)
    grants: list[tuple[str, str]] = field(default_factory=list)  # (case or letter id, kind)
    handovers: list[str] = field(default_factory=list)  # granted cases reassigned from someone else to the user
    event: Row[Any] | None = None


def summary_in(session: Session, user: Principal, *, head: int | None = None) -> Summary:
    """Counts and a digest over ``entity:row_id:rev`` of every row the user may see, in the caller's read.

    ``head``: the newest sequence number, when the caller already read it in this read.
    """
    cursor = head_seq(session) if head is None else head
    rows = session.connection().execute(_statements(*shape(user)).summary, ids(user)).all()
    counts = Counter(entity for entity, _, _ in rows)
    digest = summary_digest([f"{entity}:{row_id}:{rev}" for entity, row_id, rev in rows])
    return Summary(cursor=cursor, counts=dict(sorted(counts.items())), digest=digest)


def pull(db: Database, user: Principal, cursor: int, limit: int, *, epoch: str | None = None,
         now: dt.datetime | None = None, summary: SummaryWanted | None = None) -> PullResponse:
    """One page after ``cursor``; a page ends on a sequence boundary, and a grant's snapshot is never split.

    ``epoch`` is the epoch the device knows; every answer carries central's (see central.epochs). The last
    page carries the summary when ``summary`` asks for it (see `PullResponse`), taken in the page's own read.
    """
    with db.read() as session:
        conn = session.connection()
        head, current, events = _head_epoch_and_events(conn, user, cursor, limit)
        if cursor > head and epoch is not None and epoch == current:
            current = epochs.device_ahead(db, device_id=user.device_id, known=epoch, cursor=cursor, head=head,
                                          now=now or dt.datetime.now(dt.UTC))
        if cursor >= head:
            return PullResponse(changes=[], next_cursor=cursor, more=False, epoch=current,
                                summary=summary_in(session, user, head=head) if summary == "always" else None)
        points: dict[int, _Point] = defaultdict(_Point)
        horizons: list[int] = []
        if len(events) > limit:
            horizons.append(events[-1].seq)
        for row in events[:limit]:
            points[row.seq].event = row
        # Nothing at or after the events' horizon makes it into this page, so look no further.
        upto = min([head, *horizons])
        history: dict[str, list[Row[Any]]] = {}
        reviews: dict[str, Row[Any]] = {}
        if user.role == "reviewer":
            reviews = _collect_reviews(session, user, cursor, upto, limit, points, horizons)
        else:
            history = _collect_periods(session, user, cursor, upto, limit, points, horizons)
        horizon = min(horizons) if horizons else None
        seqs = sorted(seq for seq in points if horizon is None or seq < horizon)
        snapshots = _Snapshots(session, [g for s in seqs for g in points[s].grants], history, reviews)
        page = _page(points, seqs, snapshots, limit)
        if page.stopped_at is not None:
            next_cursor, more = page.stopped_at - 1, True
        elif horizon is not None:
            next_cursor, more = horizon - 1, True
        else:
            next_cursor, more = head, False
        moved = bool(page.changes or page.revoked)
        summed = summary_in(session, user, head=head) if not more and (
            summary == "always" or (summary == "moved" and moved)) else None
    log.info("pull user=%s cursor=%d rows=%d revoked=%d more=%s", user.user_id, cursor, len(page.changes),
             len(page.revoked), more)
    return PullResponse(changes=page.changes, next_cursor=next_cursor, more=more, revoked=page.revoked,
                        handed_over=page.handed_over, epoch=current, summary=summed)


@dataclass(frozen=True)
class _Statements:
    """The pull's selects for users of one role shape (`visibility.shape`), built once: the user's ids and the
    cursor, head and limit (+ 1) are bound parameters."""

    now_and_events: Executable
    periods: Executable
    summary: Executable


@functools.cache
def _statements(role: str, has_team: bool) -> _Statements:
    user = bound(Principal("", "", role, "" if has_team else None, ""))
    cursor, head, limit = (bindparam(name, type_=Integer()) for name in ("cursor", "head", "limit"))
    # A read sees one snapshot, so every entry it sees is at or before the head it reads: the first entries after
    # the cursor come in the same select as the head and the epoch, and the head needs no select of its own.
    now = select(
        select(func.coalesce(func.max(ChangeLog.seq), 0)).scalar_subquery().label("head"),
        select(Epoch.epoch).where(Epoch.id == epochs.ROW).scalar_subquery().label("epoch"),
    ).subquery("now")
    events = (select(*_LOG_COLUMNS).where(ChangeLog.seq > cursor, visible_events(user))
              .order_by(ChangeLog.seq).limit(limit).subquery("events"))
    now_and_events = (select(now.c.head, now.c.epoch, events).select_from(now.outerjoin(events, true()))
                      .order_by(events.c.seq))
    sees = sees_period(user)
    starts = (select(CaseAccess.case_id).where(sees, CaseAccess.from_seq > cursor, CaseAccess.from_seq <= head)
              .order_by(CaseAccess.from_seq, CaseAccess.id).limit(limit).subquery())
    ends = (select(CaseAccess.case_id).where(sees, CaseAccess.to_seq > cursor, CaseAccess.to_seq <= head)
            .order_by(CaseAccess.to_seq, CaseAccess.id).limit(limit).subquery())
    moved = union(select(starts.c.case_id), select(ends.c.case_id))
    periods = (select(*_PERIOD_COLUMNS).where(CaseAccess.case_id.in_(moved))
               .order_by(CaseAccess.case_id, CaseAccess.from_seq, CaseAccess.id))
    summary = select(Record.entity, Record.row_id, Record.rev).where(visible_records(user))
    return _Statements(now_and_events, periods, summary)


def _bounds(user: Principal, cursor: int, head: int, limit: int) -> dict[str, Any]:
    return {**ids(user), "cursor": cursor, "head": head, "limit": limit + 1}


def _head_epoch_and_events(conn: Connection, user: Principal, cursor: int,
                           limit: int) -> tuple[int, str | None, list[Row[Any]]]:
    """The newest sequence number (0 for an empty log), the epoch (see `epochs.current_id`) and the first
    ``limit + 1`` entries after ``cursor`` the user may receive, in one select."""
    rows = conn.execute(_statements(*shape(user)).now_and_events, {**ids(user), "cursor": cursor,
                                                                   "limit": limit + 1}).all()
    return int(rows[0].head or 0), rows[0].epoch, [row for row in rows if row.seq is not None]


_PERIOD_COLUMNS: tuple[Any, ...] = (CaseAccess.id, CaseAccess.case_id, CaseAccess.parent_id,
                                    CaseAccess.handler_id, CaseAccess.team_id, CaseAccess.from_seq, CaseAccess.to_seq)


def _moved_periods(session: Session, user: Principal, cursor: int, head: int,
                   limit: int) -> dict[str, list[Row[Any]]]:
    """Every assignment period, by case in ``from_seq`` order, of the cases among the first ``limit + 1`` visible
    periods that start in ``(cursor, head]`` and the first ``limit + 1`` that end there: one select."""
    history: dict[str, list[Row[Any]]] = defaultdict(list)
    for p in session.connection().execute(_statements(*shape(user)).periods,
                                          _bounds(user, cursor, head, limit)).all():
        history[p.case_id].append(p)
    return history


def _collect_periods(session: Session, user: Principal, cursor: int, head: int, limit: int,
                     points: dict[int, _Point], horizons: list[int]) -> dict[str, list[Row[Any]]]:
    """Grants (a visible run of periods starts) and revokes (it ends) after the cursor; returns the periods
    of every case concerned (`_moved_periods`).

    A grant's snapshot is the case as it is now, so it is only sent for a run that still lasts: a run
    that began and ended after the cursor sends no snapshot (only its revocation).
    """
    history = _moved_periods(session, user, cursor, head, limit)

    def seen(p: Row[Any] | None) -> bool:
        return p is not None and period_visible(user, p.handler_id, p.team_id)

    # The first limit + 1 starts and ends are all among the cases' periods (and only visible ones in range
    # are taken here), so ordering them as the select did and cutting there gives the select's own.
    periods = [(p, at) for runs in history.values() for at, p in enumerate(runs) if seen(p)]
    starts = sorted(((p, at) for p, at in periods if cursor < p.from_seq <= head),
                    key=lambda pa: (pa[0].from_seq, pa[0].id))[:limit + 1]
    ends = sorted(((p, at) for p, at in periods if p.to_seq is not None and cursor < p.to_seq <= head),
                  key=lambda pa: (pa[0].to_seq, pa[0].id))[:limit + 1]
    if len(starts) > limit:
        horizons.append(starts[-1][0].from_seq)
    if len(ends) > limit:
        horizons.append(ends[-1][0].to_seq or 0)
    for p, at in starts[:limit]:
        runs = history[p.case_id]
        if at > 0 and seen(runs[at - 1]):
            continue  # access did not change (a reassignment within the team lead's team)
        first_unseen = next((q for q in runs[at:] if not seen(q)), None)
        if first_unseen is None:
            points[p.from_seq].grants.append((p.case_id, "case"))
            if at > 0 and p.handler_id == user.user_id and runs[at - 1].handler_id != user.user_id:
                points[p.from_seq].handovers.append(p.case_id)
    for p, at in ends[:limit]:
        runs = history[p.case_id]
        if at + 1 < len(runs) and seen(runs[at + 1]):
            continue
        points[p.to_seq].revokes.append(p.case_id)
    return history


def _collect_reviews(session: Session, user: Principal, cursor: int, head: int, limit: int,
                     points: dict[int, _Point], horizons: list[int]) -> dict[str, Row[Any]]:
    """As `_collect_periods` for a reviewer; returns the review row of each granted letter."""
    moves = review_moves(session, user, cursor, head, limit)
    horizons.extend(moves.horizons)
    for seq, letter_id in moves.grants:
        points[seq].grants.append((letter_id, "letter"))
    for seq, case_id in moves.revokes:
        points[seq].revokes.append(case_id)
    return moves.reviews


class _Snapshots:
    """The current rows behind every grant of a page, fetched in one select.

    ``history``: the assignment periods of every case a handler's page grants (`_collect_periods`);
    ``granted``: the review row of every letter a reviewer's page grants (`_collect_reviews`).
    """

    def __init__(self, session: Session, grants: list[tuple[str, str]], history: dict[str, list[Row[Any]]],
                 granted: dict[str, Row[Any]]) -> None:
        self._by_key: dict[tuple[str, str], list[Row[Any]]] = defaultdict(list)
        ids = [gid for gid, _ in grants]
        if not ids:
            return
        if any(kind == "letter" for _, kind in grants):  # a reviewer's page: every grant is a letter's
            reviews = {letter_id: granted[letter_id] for letter_id in dict.fromkeys(ids) if letter_id in granted}
            wanted = [("letter", r.letter_id) for r in reviews.values()]
            wanted += [("case", r.case_id) for r in reviews.values()] + [("parent", r.parent_id)
                                                                          for r in reviews.values()]
            found = _records(session, wanted)
            for r in reviews.values():
                self._by_key[("letter", r.letter_id)] = [found[k] for k in (
                    ("letter", r.letter_id), ("case", r.case_id), ("parent", r.parent_id)) if k in found]
            return
        # Every period of a case names the same parent (a reassignment keeps it).
        parents = {case_id: history[case_id][-1].parent_id for case_id in dict.fromkeys(ids)}
        rows = session.connection().execute(
            _GRANTED_CASES, {"case_ids": ids, "parent_ids": list(set(parents.values()))}).all()
        by_parent: dict[str, list[Row[Any]]] = defaultdict(list)
        for row in rows:
            if row.case_id is not None:
                self._by_key[("case", row.case_id)].append(row)
            elif row.parent_id is not None:
                by_parent[row.parent_id].append(row)
        for case_id, parent_id in parents.items():
            self._by_key[("case", case_id)] = by_parent.get(parent_id, []) + self._by_key[("case", case_id)]

    def rows(self, grant_id: str, kind: str) -> list[Row[Any]]:
        return self._by_key.get((kind, grant_id), [])


# The rows of granted cases and of their parents.
_GRANTED_CASES = select(*_RECORD_COLUMNS).where(or_(
    Record.case_id.in_(bindparam("case_ids", expanding=True)),
    and_(among(Record.entity, PARENT_ENTITIES), Record.parent_id.in_(bindparam("parent_ids", expanding=True)))),
).order_by(Record.entity, Record.row_id)
# The rows of granted letters, with their cases and parents.
_REVIEWED = ("letter", "case", "parent")
_GRANTED_LETTERS = select(*_RECORD_COLUMNS).where(or_(*(
    and_(Record.entity == entity, Record.row_id.in_(bindparam(entity, expanding=True))) for entity in _REVIEWED)),
).order_by(Record.entity, Record.row_id)


def _records(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Row[Any]]:
    """The rows of these letters, cases and parents, by (entity, row_id)."""
    by_entity: dict[str, set[str]] = {entity: set() for entity in _REVIEWED}
    for entity, row_id in keys:
        by_entity[entity].add(row_id)
    if not keys:
        return {}
    return {(row.entity, row.row_id): row for row in session.connection().execute(
        _GRANTED_LETTERS, {entity: list(row_ids) for entity, row_ids in by_entity.items()}).all()}


@dataclass
class _Page:
    changes: list[ServerChange] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    handed_over: list[str] = field(default_factory=list)
    stopped_at: int | None = None


def _page(points: dict[int, _Point], seqs: list[int], snapshots: _Snapshots, limit: int) -> _Page:
    page = _Page()
    sent: dict[tuple[str, str], int] = {}  # (entity, row_id) -> rev already in this page
    for seq in seqs:
        point = points[seq]
        event = point.event
        if not (point.grants or point.revokes or point.handovers):  # one change, the most common point by far
            new = event is not None and sent.get((event.entity, event.row_id), 0) < event.rev
            if page.changes and len(page.changes) + new > limit:
                page.stopped_at = seq
                return page
            if new and event is not None:
                page.changes.append(_event(event))
                sent[(event.entity, event.row_id)] = event.rev
            continue
        rows: list[ServerChange] = []
        granted: set[str] = set()
        pending: dict[tuple[str, str], int] = {}
        for grant_id, kind in point.grants:
            granted.add(grant_id)
            for record in snapshots.rows(grant_id, kind):
                if record.entity == "case":  # a reviewer's grant is a letter's: it grants its case too
                    granted.add(record.row_id)
                key = (record.entity, record.row_id)
                if max(sent.get(key, 0), pending.get(key, 0)) < record.rev:
                    # When the snapshot is exactly this change's result, keep its origin for echo detection.
                    same = event is not None and (event.entity, event.row_id, event.rev) == (*key, record.rev)
                    rows.append(snapshot(record, seq, event.origin_change_id if same and event else None))
                    pending[key] = record.rev
        if event is not None:
            key = (event.entity, event.row_id)
            if max(sent.get(key, 0), pending.get(key, 0)) < event.rev:
                rows.append(_event(event))
                pending[key] = event.rev
        # A case revoked and granted again within one page: let the next page carry the grant, so the
        # device purges before it receives the new snapshot, never after.
        regrant = bool(granted & set(page.revoked))
        if regrant or (page.changes and len(page.changes) + len(rows) > limit):
            page.stopped_at = seq
            return page
        page.changes.extend(rows)
        page.revoked.extend(c for c in point.revokes if c not in page.revoked)
        page.handed_over.extend(c for c in point.handovers if c not in page.handed_over)
        sent.update(pending)
    return page


def _event(entry: Row[Any]) -> ServerChange:
    return _change(entry.seq, entry.entity, entry.row_id, entry.rev, entry.fields, entry.deleted, entry.case_id,
                   entry.parent_id, entry.origin_change_id, False)
