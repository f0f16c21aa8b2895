"""Row versions from central this device cannot adopt: why (in Dutch, naming the field), kept aside, sync goes on.

Central is the authority, but a compromised server or a row forced into its database must not stop a
device from syncing. Each incoming row is checked with the field checks central runs on every push
(`workbench.sync.values`: types, lengths, 11-proef, vocabularies); what still fails when written (a constraint,
a reference to a row the device does not have) is explained from the database error. The row version is
then kept whole in ``quarantined_row`` and shown on the Conflicten page; a later version that fits clears it.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, func, inspect, select
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, ProgrammingError, StatementError
from sqlalchemy.orm import Session

from workbench.audit.chain import AuditEntry
from workbench.errors import ValidationError
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync.fields import FIELDS
from workbench.sync.models import QuarantinedRow
from workbench.sync.rows import entity_class, known_fields
from workbench.sync.values import check_field, quick_checks

if TYPE_CHECKING:
    from workbench.sync.adopt import Incoming

FIELD_NOTES = {("case", "reference"): " (zaaknummer)"}
_CONSTRAINT = re.compile(r"(UNIQUE|NOT NULL) constraint failed: ([a-z_]+)\.([a-z_]+)")


class Unadoptable(Exception):
    """A row version this device cannot take in; `reason` is Dutch and names the field."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


# Errors that adopting one row may raise because of its values; anything else (a full disk, a damaged
# store, a lock) is not the row's fault and stops the sync as before.
ROW_ERRORS: tuple[type[Exception], ...] = (Unadoptable, IntegrityError, InterfaceError, DataError,
                                           ProgrammingError, TypeError, ValueError, OverflowError, KeyError)


def row_error(exc: Exception) -> bool:
    """True if `exc` comes from one row's values (a wrapped bind error counts; a database failure does not)."""
    if isinstance(exc, ROW_ERRORS):
        return True
    return isinstance(exc, StatementError) and isinstance(exc.orig, (TypeError, ValueError, OverflowError))


def _label(entity: str, field: str) -> str:
    return f"'{field}'{FIELD_NOTES.get((entity, field), '')}"


@cache
def _columns(entity: str) -> dict[str, Column[Any]]:
    cls = entity_class(entity)
    table = inspect(cls).local_table
    return {c.key: table.c[c.columns[0].name] for c in inspect(cls).column_attrs if c.key in known_fields(cls)}


def check_values(entity: str, values: dict[str, Any]) -> None:
    """Raise Unadoptable for the first value the shared field checks (`workbench.sync.values`: type, length,
    11-proef, vocabularies) refuse; central runs the same checks on every push."""
    try:
        entity_class(entity)
    except ValueError:
        raise Unadoptable(f"Dit apparaat kent het soort gegeven '{entity[:40]}' niet.") from None
    # Rows only central writes (team, user) have no field table; a wrong value there fails when written and
    # is explained below.
    rules = FIELDS.get(entity, {})
    quick = quick_checks(entity)
    for key, value in values.items():
        if key not in rules or key == "id":
            continue  # a field this version of the device does not know is left out, as before
        plain = quick.get(key)
        if plain is not None and plain(value):
            continue  # a value check_field takes as it is (workbench.sync.values.quick_checks)
        try:
            check_field(entity, key, value)
        except ValidationError as exc:
            raise Unadoptable(f"Het veld {_label(entity, key)}: {exc}", key) from None


def explain(session: Session, entity: str, values: dict[str, Any], exc: Exception) -> Unadoptable:
    """A Dutch reason for why writing a row failed; never the database's own message (it may hold values)."""
    if isinstance(exc, Unadoptable):
        return exc
    if isinstance(exc, IntegrityError):
        found = _CONSTRAINT.search(str(exc.orig))
        if found and found.group(1) == "UNIQUE":
            key = found.group(3)
            return Unadoptable(f"Het veld {_label(entity, key)} is op dit apparaat al in gebruik door een ander "
                               "gegeven.", key)
        if found:
            key = found.group(3)
            return Unadoptable(f"Het veld {_label(entity, key)} mag niet leeg zijn.", key)
        missing = missing_reference(session, entity, values)
        if missing is not None:
            return missing
    return Unadoptable("Dit gegeven past niet in de opslag van dit apparaat.")


def missing_reference(session: Session, entity: str, values: dict[str, Any]) -> Unadoptable | None:
    """The first field of `values` that refers to a row this device does not hold."""
    for key, column in _columns(entity).items():
        value = values.get(key)
        if value is None or not column.foreign_keys:
            continue
        target = next(iter(column.foreign_keys)).column
        if session.scalar(select(func.count()).select_from(target.table).where(target == value)) == 0:
            return Unadoptable(f"Het veld {_label(entity, key)} verwijst naar een gegeven dat niet op dit apparaat "
                               "staat.", key)
    return None


def incomplete(entity: str, values: dict[str, Any]) -> bool:
    """True if a new row lacks a column it needs: a change to a row the device does not have yet, not the whole
    row (the sanity check fetches it whole)."""
    return any(not column.nullable and column.default is None and column.server_default is None
               and key not in values for key, column in _columns(entity).items())


def hold(session: Session, row: Incoming, why: Unadoptable) -> None:
    """Keep this row version aside (the newest failing version per row), in the caller's transaction."""
    entity, row_id, rev, values = row.entity, row.row_id, row.rev, row.values
    uow = session.info.get("uow")
    now = uow.clock.now() if uow is not None else dt.datetime.now(dt.UTC)
    held = session.scalars(select(QuarantinedRow).where(QuarantinedRow.entity == entity,
                                                        QuarantinedRow.row_id == row_id)).first()
    if held is not None and held.rev > rev:
        return
    if held is None:
        held = QuarantinedRow(id=str(uuid.uuid4()), entity=entity, row_id=row_id)
        session.add(held)
    held.rev, held.fields, held.field, held.reason, held.quarantined_at = rev, dict(values), why.field, why.reason, now
    held.case_id, held.parent_id = row.case_id, row.parent_id
    if uow is not None:
        uow.audit(AuditEntry("sync", entity, row_id, result="quarantined",
                             detail=f"rev={rev} field={why.field or '-'}"))


def release(session: Session, adopted: list[tuple[str, str, int, frozenset[str]]]) -> None:
    """Clear the quarantine of rows a later version replaced: newer, and setting every field that did not fit."""
    if not adopted or session.scalar(select(func.count()).select_from(QuarantinedRow)) == 0:
        return
    ids = list({row_id for _entity, row_id, _rev, _keys in adopted})
    held = {(h.entity, h.row_id): h for h in session.scalars(select(QuarantinedRow)
                                                             .where(QuarantinedRow.row_id.in_(ids)))}
    for entity, row_id, rev, keys in adopted:
        row = held.get((entity, row_id))
        if row is not None and rev > row.rev and set(row.fields) <= keys:
            session.delete(row)
            del held[(entity, row_id)]


def quarantined_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(QuarantinedRow)) or 0)


@dataclass(frozen=True)
class QuarantineInfo:
    """One row version in quarantine, for the Conflicten page.

    Attributes:
        field: the field that did not fit (None when the store could not say).
        reason: why, in Dutch.
        fields: the server change as it came.
        where: whose data it is (parent and case), when this device holds the row.
    """

    id: str
    entity: str
    row_id: str
    rev: int
    field: str | None
    reason: str
    quarantined_at: dt.datetime
    fields: dict[str, Any]
    where: str = ""


class QuarantineService:
    def open_rows(self, uow: UnitOfWork) -> list[QuarantineInfo]:
        rows = uow.session.scalars(select(QuarantinedRow).order_by(QuarantinedRow.quarantined_at)).all()
        return [QuarantineInfo(r.id, r.entity, r.row_id, r.rev, r.field, r.reason, r.quarantined_at, dict(r.fields))
                for r in rows]
