"""Queueing rows that were loaded without an outbox entry (demo data, bulk loads) so the next sync sends them."""

from __future__ import annotations

import uuid

from sqlalchemy import insert, inspect, select

from workbench.store.schema import Syncable
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync.models import OutboxEntry
from workbench.sync.outbox import jsonable
from workbench.sync.protocol import CENTRAL_OWNED
from workbench.sync.rows import entity_class
from workbench.sync.sanity import REPAIR_ORDER


def enqueue_unsynced(uow: UnitOfWork) -> int:
    """Write an insert change for every row central never saw (rev 0) and the outbox does not hold yet.

    Rows go in dependency order (parents before their cases), so central can place each one.
    Returns how many changes were queued.
    """
    session = uow.session
    queued = set(session.scalars(select(OutboxEntry.row_id)))
    now = uow.clock.now()
    total = 0
    for entity in REPAIR_ORDER:
        if entity in CENTRAL_OWNED:
            continue
        cls = entity_class(entity)
        attrs = [a for a in inspect(cls).column_attrs if a.key not in Syncable.BOOKKEEPING]
        keys = [a.key for a in attrs]
        rows = session.execute(select(*(a.columns[0] for a in attrs)).where(cls.rev == 0)).all()
        batch = []
        for row in rows:
            values = dict(zip(keys, row, strict=True))
            row_id = values["id"]
            if row_id in queued:
                continue
            fields = {k: [None, jsonable(v)] for k, v in values.items()}
            batch.append({"change_id": str(uuid.uuid4()), "entity": entity, "row_id": row_id, "op": "insert",
                          "base_rev": 0, "fields": fields, "created_at": now})
        if batch:
            session.execute(insert(OutboxEntry), batch)
            total += len(batch)
    return total
