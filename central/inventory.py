"""The after-sync sanity check: what a user may see now (summary, per-entity revisions) and fetching rows."""

from __future__ import annotations

from sqlalchemy import select

from central.accounts import Principal
from central.database import Database
from central.ledger import head_seq
from central.models import Record
from central.pull import record_rows, snapshot, summary_in
from central.visibility import visible_records
from workbench.sync.protocol import FetchRequest, FetchResponse, RowVersions, Summary


def summary(db: Database, user: Principal) -> Summary:
    """Counts and a digest over ``entity:row_id:rev`` of every row the user may see."""
    with db.read() as session:
        return summary_in(session, user)


def row_versions(db: Database, user: Principal, entity: str) -> RowVersions:
    with db.read() as session:
        rows = session.execute(select(Record.row_id, Record.rev).where(
            Record.entity == entity, visible_records(user))).all()
    return RowVersions(entity=entity, revs={row_id: rev for row_id, rev in rows})  # type: ignore[arg-type]


def fetch(db: Database, user: Principal, request: FetchRequest) -> FetchResponse:
    """The current version of the asked rows the user may see (others are left out, without saying why)."""
    with db.read() as session:
        seq = head_seq(session)
        rows = record_rows(session, Record.entity == request.entity, Record.row_id.in_(set(request.row_ids)),
                           visible_records(user))
        return FetchResponse(changes=[snapshot(row, seq) for row in rows])
