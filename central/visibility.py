"""What a user may see, as SQL: change-log entries at the time they happened, and current rows.

A reviewer sees a letter of their own team or review pool (central.review_pool), its case and its parent,
from the change that first put the letter in review until the change that issued it (`central.push`); a
handler sees a case during their assignment periods.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Executable,
    Integer,
    Row,
    String,
    and_,
    bindparam,
    exists,
    false,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import SQLColumnExpression

from central.accounts import Principal
from central.models import CaseAccess, ChangeLog, Record, ReviewAccess
from central.review_pool import reviews_team
from workbench.sync.protocol import CENTRAL_OWNED, PARENT_SCOPED

CENTRAL_ENTITIES = sorted(CENTRAL_OWNED)
PARENT_ENTITIES = sorted(PARENT_SCOPED)
_ENTITY_NAME = re.compile(r"[a-z_]+")

# A user's ids as bound parameters: a statement built over `bound` serves every user of the same role shape,
# so it is built once and SQLAlchemy's compiled cache finds it without building and keying it anew per request.
USER_ID = bindparam("user_id", type_=String())
TEAM_ID = bindparam("team_id", type_=String())


def among(column: SQLColumnExpression[str], entities: list[str]) -> ColumnElement[bool]:
    """``column IN ('a', 'b')`` over entity names of the code, written into the SQL: a list of parameters would be
    expanded into the statement's text anew on every execution."""
    if not all(_ENTITY_NAME.fullmatch(entity) for entity in entities):
        raise ValueError(f"not an entity name: {entities}")
    return column.in_([literal_column(f"'{entity}'") for entity in entities])


def shape(user: Principal) -> tuple[str, bool]:
    """What the visibility clauses' form depends on: the role, and whether the user has a team."""
    return user.role, user.team_id is not None


def bound(user: Principal) -> Principal:
    """The user's role shape with `USER_ID` and `TEAM_ID` for their ids (pass `ids` with the statement).

    Only the clause builders here and in central.review_pool read it; they compare the ids in SQL only.
    """
    return dataclasses.replace(user, user_id=cast(str, USER_ID), username="", device_id="", token_sha256="",
                               team_id=cast(str, TEAM_ID) if user.team_id is not None else None)


def ids(user: Principal) -> dict[str, Any]:
    """The parameters of a statement built over `bound`."""
    return {"user_id": user.user_id, "team_id": user.team_id}


def sees_period(user: Principal) -> ColumnElement[bool]:
    """Which assignment periods make a case visible: own cases, and the whole team for a team lead."""
    if user.role == "reviewer":
        return false()
    own = CaseAccess.handler_id == user.user_id
    if user.role == "team_lead" and user.team_id is not None:
        return or_(own, CaseAccess.team_id == user.team_id)
    return own


def period_visible(user: Principal, handler_id: str, team_id: str | None) -> bool:
    """The Python twin of `sees_period`, for one period."""
    if user.role == "reviewer":
        return False
    if handler_id == user.user_id:
        return True
    return user.role == "team_lead" and user.team_id is not None and team_id == user.team_id


def visible_events(user: Principal) -> ColumnElement[bool]:
    """Change-log entries the user may receive: rows of a case they had access to when the change happened."""
    everyone = among(ChangeLog.entity, CENTRAL_ENTITIES)
    if user.role == "reviewer":
        seen = and_(reviews_team(user), ReviewAccess.from_seq <= ChangeLog.seq,
                    or_(ReviewAccess.to_seq.is_(None), ChangeLog.seq < ReviewAccess.to_seq))
        return or_(
            everyone,
            and_(ChangeLog.entity == "letter", exists().where(ReviewAccess.letter_id == ChangeLog.row_id, seen)),
            and_(ChangeLog.entity == "case", exists().where(ReviewAccess.case_id == ChangeLog.row_id, seen)),
            and_(ChangeLog.entity == "parent", exists().where(ReviewAccess.parent_id == ChangeLog.row_id, seen)),
        )
    during = and_(sees_period(user), CaseAccess.from_seq <= ChangeLog.seq,
                  or_(CaseAccess.to_seq.is_(None), ChangeLog.seq < CaseAccess.to_seq))
    return or_(
        everyone,
        and_(ChangeLog.case_id.is_not(None), exists().where(CaseAccess.case_id == ChangeLog.case_id, during)),
        and_(among(ChangeLog.entity, PARENT_ENTITIES),
             exists().where(CaseAccess.parent_id == ChangeLog.parent_id, during)),
    )


def visible_records(user: Principal) -> ColumnElement[bool]:
    """Current rows the user may see (the set the after-sync summary is computed over)."""
    everyone = among(Record.entity, CENTRAL_ENTITIES)
    if user.role == "reviewer":
        live = and_(ReviewAccess.to_seq.is_(None), reviews_team(user))
        return or_(
            everyone,
            and_(Record.entity == "letter", Record.row_id.in_(select(ReviewAccess.letter_id).where(live))),
            and_(Record.entity == "case", Record.row_id.in_(select(ReviewAccess.case_id).where(live))),
            and_(Record.entity == "parent", Record.row_id.in_(select(ReviewAccess.parent_id).where(live))),
        )
    current = and_(sees_period(user), CaseAccess.to_seq.is_(None))
    return or_(
        everyone,
        Record.case_id.in_(select(CaseAccess.case_id).where(current)),
        and_(among(Record.entity, PARENT_ENTITIES), Record.parent_id.in_(select(CaseAccess.parent_id).where(current))),
    )


@dataclass
class ReviewMoves:
    """What changed for reviewers after a cursor: letters granted and cases revoked, by sequence.

    Attributes:
        grants: (seq, letter id) for each review that began after the cursor and still lasts.
        revokes: (seq, case id) where the last live review of a case ended (its letter was issued).
        horizons: sequences from which this answer is incomplete (a query hit its limit).
        reviews: the review row (letter, case and parent id) of each granted letter, by letter id.
    """

    grants: list[tuple[int, str]] = field(default_factory=list)
    revokes: list[tuple[int, str]] = field(default_factory=list)
    horizons: list[int] = field(default_factory=list)
    reviews: dict[str, Row[Any]] = field(default_factory=dict)


def review_moves(session: Session, user: Principal, cursor: int, head: int, limit: int) -> ReviewMoves:
    """Reviews of the reviewer's teams that began, and reviews of any team that ended, in ``(cursor, head]``;
    a review that already ended sends no snapshot. One select: the first ``limit + 1`` starts and ends, and the
    reviewer's other reviews of the ended letters' cases."""
    moves = ReviewMoves()
    rows: Sequence[Any] = session.connection().execute(_review_moves_statement(*shape(user)), {
        **ids(user), "cursor": cursor, "head": head, "limit": limit + 1}).all()
    # A flag may come back NULL (SQL's unknown) where the reviewer's team is: not the reviewer's.
    starts_ = sorted((r for r in rows if r.started), key=lambda r: (r.from_seq, r.letter_id))
    ends_ = sorted((r for r in rows if r.ended), key=lambda r: (r.to_seq, r.letter_id))
    if len(starts_) > limit:
        moves.horizons.append(starts_[-1].from_seq)
    if len(ends_) > limit:
        moves.horizons.append(ends_[-1].to_seq or 0)
    starts_, ends_ = starts_[:limit], ends_[:limit]
    moves.grants = [(r.from_seq, r.letter_id) for r in starts_ if r.to_seq is None]
    moves.reviews = {r.letter_id: r for r in starts_ if r.to_seq is None}
    others: dict[str, list[Row[Any]]] = defaultdict(list)
    for r in rows:
        if r.beside:
            others[r.case_id].append(r)
    for r in ends_:
        end = r.to_seq or 0
        live = [o for o in others[r.case_id] if o.letter_id != r.letter_id and o.from_seq < end
                and (o.to_seq is None or o.to_seq > end)]
        if not live:
            moves.revokes.append((end, r.case_id))
    return moves


@functools.cache
def _review_moves_statement(role: str, has_team: bool) -> Executable:
    """`review_moves`' select for users of this shape; bound: the user's ids, cursor, head and limit (+ 1)."""
    user = bound(Principal("", "", role, "" if has_team else None, ""))
    cursor, head, limit = (bindparam(name, type_=Integer()) for name in ("cursor", "head", "limit"))
    mine = reviews_team(user)
    starts = (select(ReviewAccess.letter_id).where(mine, ReviewAccess.from_seq > cursor, ReviewAccess.from_seq <= head)
              .order_by(ReviewAccess.from_seq, ReviewAccess.letter_id).limit(limit).subquery())
    # Ends of every team: a revocation of a case the device does not hold is nothing to it, and a device that
    # received another team's letter before review scopes existed still purges it once the letter is issued.
    ends = (select(ReviewAccess.letter_id, ReviewAccess.case_id)
            .where(ReviewAccess.to_seq > cursor, ReviewAccess.to_seq <= head)
            .order_by(ReviewAccess.to_seq, ReviewAccess.letter_id).limit(limit).subquery())
    started = ReviewAccess.letter_id.in_(select(starts.c.letter_id))
    ended = ReviewAccess.letter_id.in_(select(ends.c.letter_id))
    beside = and_(mine, ReviewAccess.case_id.in_(select(ends.c.case_id)))
    return select(
        ReviewAccess.letter_id, ReviewAccess.case_id, ReviewAccess.parent_id, ReviewAccess.from_seq,
        ReviewAccess.to_seq, started.label("started"), ended.label("ended"), beside.label("beside"),
    ).where(or_(started, ended, beside))
