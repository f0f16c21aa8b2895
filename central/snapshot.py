"""A device's first sync: every row the user may see now, in one newline-delimited JSON stream.

Replaying the change log page by page sent each row once per version and made a first sync of 1,000 cases
take many seconds; the snapshot sends each visible row once, as it is now, with the sequence it was taken
at. It is the same set of rows the after-sync summary is computed over (`visibility.visible_records`), so a
device that took it in whole is in step by construction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import case, select

from central.accounts import Principal
from central.database import Database
from central.ledger import head_seq
from central.models import Record
from central.visibility import visible_records
from workbench.sync.protocol import DEPENDENCY_ORDER, PROTOCOL_VERSION

LINES_PER_CHUNK = 500  # rows serialised per piece of the streamed body
_COLUMNS = (Record.entity, Record.row_id, Record.rev, Record.data, Record.deleted, Record.case_id,
            Record.parent_id)


def _rank() -> Any:
    """Parents before the rows that refer to them; an entity not in DEPENDENCY_ORDER last."""
    return case({entity: n for n, entity in enumerate(DEPENDENCY_ORDER)}, value=Record.entity,
                else_=len(DEPENDENCY_ORDER))


def _line(row: Any, seq: int) -> str:
    """One `ServerChange` (snapshot) as JSON; the device validates each line."""
    return json.dumps({
        "seq": seq, "entity": row.entity, "row_id": row.row_id, "rev": row.rev, "fields": row.data,
        "deleted": bool(row.deleted), "scope": {"case_id": row.case_id, "parent_id": row.parent_id},
        "origin_change_id": None, "snapshot": True,
    }, separators=(",", ":"), ensure_ascii=False)


def snapshot_lines(db: Database, user: Principal) -> Iterator[bytes]:
    """The header line and then one line per visible row.

    The sequence is read before the rows, in one read snapshot: the rows are at least as new as the cursor
    the device continues from, so a change made meanwhile is at worst sent twice (the device skips the
    second), never lost.
    """
    with db.read() as session:
        head = head_seq(session)
        rows = session.execute(select(*_COLUMNS).where(visible_records(user))
                               .order_by(_rank(), Record.entity, Record.row_id)).all()
    header = {"protocol": PROTOCOL_VERSION, "cursor": head, "count": len(rows)}
    return _stream(json.dumps(header), rows, head)


def _stream(header: str, rows: Sequence[Any], head: int) -> Iterator[bytes]:
    yield (header + "\n").encode("utf-8")
    for start in range(0, len(rows), LINES_PER_CHUNK):
        chunk = rows[start:start + LINES_PER_CHUNK]
        yield ("\n".join(_line(row, head) for row in chunk) + "\n").encode("utf-8")
