"""Taking central's version of a row into the local store without ever overwriting a change not yet pushed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench.sync.models import OutboxEntry
from workbench.sync.rows import entity_class, known_fields, to_python


def pending_fields(session: Session, entity: str, row_id: str) -> set[str]:
    """Fields of a row that have a local change still waiting in the outbox."""
    out: set[str] = set()
    for fields in session.scalars(select(OutboxEntry.fields).where(
            OutboxEntry.entity == entity, OutboxEntry.row_id == row_id)):
        out.update(fields)
    return out


CREATED, UPDATED, SKIPPED, MISSING = "created", "updated", "skipped", "missing"


def adopt(session: Session, entity: str, row_id: str, *, rev: int, values: dict[str, Any],
          force: bool = False) -> str:
    """Write central's values for one row: CREATED, UPDATED, SKIPPED (already had it) or MISSING.

    MISSING means the row could not be created yet (its case is not on this device); the sanity check
    fetches it whole.

    Fields with a pending local change keep the local value: the push that follows carries the old value,
    so central sees the clash and a person decides. An older or equal revision is skipped unless `force`
    (the repair after a failed sanity check).
    """
    cls = entity_class(entity)
    allowed = known_fields(cls)
    skip = pending_fields(session, entity, row_id)
    obj = session.get(cls, row_id)
    if obj is None:
        data = {k: to_python(cls, k, v) for k, v in values.items() if k in allowed}
        data["id"] = row_id
        try:
            with session.begin_nested():
                obj = cls(**data)
                obj.rev = rev
                session.add(obj)
                session.flush()
        except (IntegrityError, TypeError):
            # An update for a row this device never had (or whose case is not here yet): the sanity
            # check after the sync fetches the whole row.
            return MISSING
        return CREATED
    if obj.rev >= rev and not force:
        return SKIPPED
    for key, value in values.items():
        if key in allowed and key not in skip and key != "id":
            setattr(obj, key, to_python(cls, key, value))
    obj.rev = max(obj.rev, rev) if not force else rev
    return UPDATED
