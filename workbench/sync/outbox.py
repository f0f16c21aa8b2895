"""Recording every local change to a syncable row in the outbox, in the change's own transaction.

`OutboxHook` plugs into the store's unit of work (workbench.store.hooks): each row a LOCAL or IMPORT
unit of work writes becomes one outbox entry; rows written by sync never do.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from workbench.store.hooks import Hook, Write
from workbench.store.schema import Syncable, jsonable
from workbench.store.unit_of_work import UnitOfWork, changed_fields, data_columns
from workbench.sync.models import OutboxEntry

__all__ = ["OutboxHook", "changed_fields", "data_columns", "jsonable", "record"]


def record(session: Session, obj: Syncable, *, op: str, fields: dict[str, list[Any]], now: dt.datetime) -> None:
    """Add the outbox row for one change; the caller's transaction commits both or neither."""
    session.add(
        OutboxEntry(
            change_id=str(uuid.uuid4()), entity=obj.__entity__, row_id=obj.id, op=op,
            base_rev=obj.rev or 0, fields=fields, created_at=now,
        )
    )


class OutboxHook(Hook):
    """The outbox's part in every unit of work: one entry per written row (a delete is an update of the
    tombstone)."""

    def written(self, uow: UnitOfWork, write: Write) -> None:
        op = "insert" if write.verb == "create" else "update"
        record(uow.session, write.row, op=op, fields=write.fields, now=write.at)
