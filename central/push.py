"""Applying a pushed batch: idempotency, authorization and the per-field merge of workbench.sync.protocol."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from central import access, anchors, approval, faults, numbering
from central import values as wire_values
from central.accounts import Principal
from central.database import Database
from central.errors import OTHER_DEVICE, ApiError
from central.ledger import Entry, LedgerBatch, RowState, new_row
from central.models import AppliedChange, CaseAccess, ReviewAccess
from workbench.sync import values as wire_fields
from workbench.sync.protocol import (
    CENTRAL_OWNED,
    ENTITIES,
    PARENT_SCOPED,
    Change,
    ChangeResult,
    PushRequest,
    PushResponse,
)

log = logging.getLogger(__name__)

Status = Literal["applied", "merged", "conflict"]
_APPLIED = cast(Table, AppliedChange.__table__)
# RETURNING, whose answer nobody reads: SQLAlchemy then sends a batch's rows as one INSERT with many VALUES, where
# psycopg's pipelined executemany cost 100-190 us more CPU, under the write lock, for these few narrow rows.
_INSERT_APPLIED = insert(_APPLIED).returning(_APPLIED.c.change_id)
# The first answers to the batch's change_ids (a replay): one select built once, the ids an expanding parameter.
_STORED = select(_APPLIED.c.change_id, _APPLIED.c.user_id, _APPLIED.c.digest, _APPLIED.c.result).where(
    _APPLIED.c.change_id.in_(bindparam("ids", expanding=True)))
_INSERT_CASE_ACCESS = insert(cast(Table, CaseAccess.__table__)).returning(CaseAccess.id)  # as _INSERT_APPLIED
_REVIEWS = cast(Table, ReviewAccess.__table__)
_INSERT_REVIEW = insert(_REVIEWS)
_END_REVIEW = update(_REVIEWS).where(_REVIEWS.c.letter_id == bindparam("k_letter_id")).values(
    to_seq=bindparam("to_seq"))

REUSED_CHANGE_ID = ("Wijziging {change_id} is al eerder met andere inhoud verstuurd; central weigert deze batch. "
                    "Een wijziging krijgt bij elke nieuwe inhoud een nieuw change_id.")


def push(db: Database, user: Principal, request: PushRequest, now: dt.datetime, *,
         unflagged: bool = False) -> PushResponse:
    """Apply the changes in order in one serialized transaction; a replay returns the first answers.

    ``unflagged``: the same request just had the device's anchor claim taken, which central does only for a
    device it has not flagged (central.anchors.claim); the push does not ask again under the write lock. A flag
    is set by the device's own claims and trail uploads, which never wait for the write lock: the check under
    it was no firmer than the claim's.
    """
    if request.device_id != user.device_id:
        raise ApiError(403, OTHER_DEVICE)
    digests = [change.digest() for change in request.changes]
    first: dict[str, str] = {}
    for change, digest in zip(request.changes, digests, strict=True):
        if first.setdefault(change.change_id, digest) != digest:
            raise ApiError(409, REUSED_CHANGE_ID.format(change_id=change.change_id))
    with db.write() as session:
        if not unflagged:
            anchors.refuse_flagged(session, user.device_id)
        ids = list(first)
        stored = {row.change_id: row for row in session.connection().execute(_STORED, {"ids": ids})}
        for change_id, row in stored.items():
            if row.digest != first[change_id] or row.user_id != user.user_id:
                raise ApiError(409, REUSED_CHANGE_ID.format(change_id=change_id))
        answers: dict[str, ChangeResult] = {cid: ChangeResult.model_validate(row.result)
                                            for cid, row in stored.items()}
        batch = LedgerBatch(session, now)
        unanswered = [change for change in request.changes if change.change_id not in answers]
        work = _Work(batch, *_read_once(session, user, unanswered, batch, now))
        results: list[ChangeResult] = []
        fresh: list[dict[str, Any]] = []
        for change, digest in zip(request.changes, digests, strict=True):
            result = answers.get(change.change_id)
            if result is None:
                result = _apply(work, user, change, now)
                answers[change.change_id] = result
                fresh.append({"change_id": change.change_id, "user_id": user.user_id, "digest": digest,
                              "result": result.model_dump(mode="json"), "applied_at": now})
            results.append(result)
        batch.flush()
        if fresh:
            session.execute(_INSERT_APPLIED, fresh)
        session.flush()
        faults.crash_point("before_commit")
    faults.crash_point("after_commit")
    counts = Counter(r.status for r in results)
    log.info("push device=%s user=%s changes=%d %s", user.device_id, user.user_id, len(results),
             " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return PushResponse(results=results)


@dataclass(frozen=True)
class _Work:
    """What applying a push's changes works with: its batch of writes and what it read once for all changes."""

    batch: LedgerBatch
    facts: access.AccessFacts
    numbers: numbering.NumberBook
    approvals: approval.ApprovalBook


def _read_once(session: Session, user: Principal, changes: list[Change], batch: LedgerBatch,
               now: dt.datetime) -> tuple[access.AccessFacts, numbering.NumberBook, approval.ApprovalBook]:
    """Read what the changes will ask, in a few selects: their rows, the rows they point at, the assignment
    periods of their cases and parents, their letters' reviews and approvals, and their case numbers."""
    values = [{name: pair[1] for name, pair in c.fields.items()} for c in changes]
    keys: list[tuple[str, str]] = [(c.entity, c.row_id) for c in changes]
    keys += [("case", c.scope.case_id) for c in changes if c.scope.case_id]
    keys += [("parent", c.scope.parent_id) for c in changes if c.scope.parent_id]
    keys += [(target, row_id) for c, v in zip(changes, values, strict=True)
             for _, target, row_id in wire_fields.references(c.entity, v)]
    rows = access.RowCache(session, keys)
    facts = access.AccessFacts(session, user, rows, now, flush=batch.flush)
    cases: set[str] = set()
    parents: set[str] = set()
    for c, v in zip(changes, values, strict=True):
        record = rows.get(c.entity, c.row_id)
        for found, ids in ((c.scope.case_id, cases), (v.get("case_id"), cases), (c.scope.parent_id, parents),
                           (v.get("parent_id"), parents)):
            if isinstance(found, str):
                ids.add(found)
        if record is not None and record.case_id is not None:
            cases.add(record.case_id)
        if record is not None and record.parent_id is not None:
            parents.add(record.parent_id)
        if c.entity == "case":
            cases.add(c.row_id)
        if c.entity == "parent":
            parents.add(c.row_id)
    letters = [c.row_id for c in changes if c.entity == "letter"]
    facts.preload(cases, parents, letters)
    approving = [c.row_id for c, v in zip(changes, values, strict=True) if c.entity == "letter" and (
        v.get("status") == "approved" or _status(rows.get("letter", c.row_id)) == "approved")]
    numbers = numbering.NumberBook(session, batch, [v.get("reference") for c, v in zip(changes, values, strict=True)
                                                    if c.entity == "case" and rows.get("case", c.row_id) is None])
    return facts, numbers, approval.ApprovalBook(session, approving, batch.flush)


def _status(record: RowState | None) -> object:
    return record.data.get("status") if record is not None else None


@dataclass(frozen=True)
class _Scope:
    case_id: str | None
    parent_id: str | None


def _refused(change: Change, reason: str) -> ChangeResult:
    return ChangeResult(change_id=change.change_id, status="refused", reason=reason)


def _apply(work: _Work, user: Principal, change: Change, now: dt.datetime) -> ChangeResult:
    if change.entity in CENTRAL_OWNED:
        return ChangeResult(change_id=change.change_id, status="ignored")
    facts = work.facts
    record = facts.rows.get(change.entity, change.row_id)
    values = {name: pair[1] for name, pair in change.fields.items()}
    scope = _scope_of(change, values) if record is None else _Scope(record.case_id, record.parent_id)
    if isinstance(scope, str):
        return _refused(change, scope)
    if record is not None:
        moved = _moves_scope(change, record, values)
        if moved:
            return _refused(change, moved)
    reason = access.refusal(facts, user, change, record, case_id=scope.case_id, parent_id=scope.parent_id,
                            values=values)
    reason = reason or wire_values.refusal(facts.rows, change, values)
    if reason:
        return _refused(change, reason)
    is_new = record is None
    taken, conflicts, status = _merge(change, record)
    if change.entity == "letter":
        ruled = approval.verdict(work.approvals, user, change, record, taken, now)
        if isinstance(ruled, str):
            return _refused(change, ruled)
        taken, status = {**taken, **(ruled or {})}, ("merged" if ruled and status == "applied" else status)
    if change.entity == "case":
        settled = numbering.settle(work.numbers, user, change.row_id, taken, is_new=is_new,
                                   stored=record.data if record is not None else None, now=now)
        if isinstance(settled, str):
            return _refused(change, settled)
        status = "merged" if settled and status == "applied" else status
    if change.entity == "case" and is_new and taken.get("team_id") is None:
        # A new case belongs to its handler's team; the device adopts the team through the answer.
        taken["team_id"] = user.team_id
        status = "merged" if user.team_id is not None else status
    state = record or new_row(change.entity, change.row_id, case_id=scope.case_id, parent_id=scope.parent_id,
                              created_by=user.user_id)
    entry = work.batch.write(state, taken, change.change_id)
    facts.rows.put(state)
    if change.entity == "case" and is_new:
        assert scope.parent_id is not None
        work.batch.later(_INSERT_CASE_ACCESS, {
            "case_id": change.row_id, "parent_id": scope.parent_id, "handler_id": user.user_id,
            "team_id": user.team_id, "from_seq": entry, "to_seq": None, "assigned_at": now, "reason": "nieuwe zaak"})
        facts.case_opened(change.row_id, scope.parent_id, user.team_id)
    if change.entity == "letter" and state.data.get("status") == "in_review":
        _open_for_review(work, state, entry)
    if change.entity == "letter" and state.data.get("status") == "issued":
        _end_review(work, state.row_id, entry)
    if status == "applied":
        return ChangeResult(change_id=change.change_id, status="applied", rev=state.rev)
    return ChangeResult(change_id=change.change_id, status=status, rev=state.rev, row=dict(state.data),
                        conflicts=conflicts or None)


def _merge(change: Change, record: RowState | None) -> tuple[dict[str, Any], dict[str, Any], Status]:
    """The fields to take, the clashing server values, and the answer's status."""
    values = {name: pair[1] for name, pair in change.fields.items()}
    if record is None:
        return values, {}, "applied"
    base = 0 if change.op == "insert" else change.base_rev
    if base == record.rev:
        return values, {}, "applied"
    if ENTITIES[change.entity]:
        # Append-only: never a clash; the newer change (in server order) wins its mutable fields.
        return values, {}, "merged"
    taken: dict[str, Any] = {}
    conflicts: dict[str, Any] = {}
    for name, (old, new) in change.fields.items():
        server = record.data.get(name)
        if server in (new, old):
            taken[name] = new
        else:
            conflicts[name] = server
    return taken, conflicts, ("conflict" if conflicts else "merged")


def _scope_of(change: Change, values: dict[str, Any]) -> _Scope | str:
    """Where a new row belongs, from its fields and the change's scope; a Dutch refusal when unclear."""
    given = change.scope
    if change.entity == "case":
        parent = _one(values.get("parent_id"), given.parent_id)
        if given.case_id not in (None, change.row_id) or parent is None:
            return "Een nieuwe zaak moet naar zichzelf en naar een ouder (parent_id) verwijzen."
        return _Scope(change.row_id, parent)
    if change.entity == "parent":
        if given.parent_id not in (None, change.row_id):
            return "Een ouder moet naar zichzelf verwijzen (scope.parent_id)."
        return _Scope(None, change.row_id)
    if change.entity in PARENT_SCOPED:
        parent = _one(values.get("parent_id"), given.parent_id)
        if parent is None:
            return "Deze gegevens moeten bij één ouder horen (parent_id)."
        return _Scope(None, parent)
    case = _one(values.get("case_id"), given.case_id)
    if case is None:
        return "Deze gegevens moeten bij één zaak horen (case_id)."
    return _Scope(case, None)


def _one(field_value: Any, scope_value: str | None) -> str | None:
    """The single id both sources agree on; None when missing, not text, or contradictory."""
    if field_value is not None and not isinstance(field_value, str):
        return None
    if field_value is not None and scope_value is not None and field_value != scope_value:
        return None
    return field_value or scope_value


def _moves_scope(change: Change, record: RowState, values: dict[str, Any]) -> str | None:
    for key in ("case_id", "parent_id"):
        if key in values and key in record.data and values[key] != record.data[key]:
            return "Gegevens kunnen niet naar een andere zaak of ouder worden verplaatst."
    return None


def _open_for_review(work: _Work, letter: RowState, entry: Entry) -> None:
    """From the first time a letter is in review, reviewers see it (and its case and parent)."""
    if letter.case_id is None or work.facts.has_review(letter.row_id):
        return
    case = work.facts.rows.get("case", letter.case_id)
    parent_id = case.parent_id if case is not None else None
    # The letter belongs to the team of its case now: that team's reviewers (and pools) see it.
    params = work.batch.later(_INSERT_REVIEW, {
        "letter_id": letter.row_id, "case_id": letter.case_id, "parent_id": parent_id or "", "from_seq": entry,
        "to_seq": None, "team_id": work.facts.current_team(letter.case_id)})
    work.facts.reviews_from(letter.row_id, params)


def _end_review(work: _Work, letter_id: str, entry: Entry) -> None:
    """The letter was issued at ``entry``: from then on reviewers receive nothing of it, nor of its case."""
    review = work.facts.review_ends(letter_id)
    if review is None:
        return
    if review.params is not None and work.batch.pending(review.params):
        review.params["to_seq"] = entry
    else:
        work.batch.later(_END_REVIEW, {"k_letter_id": letter_id, "to_seq": entry})
