"""Conflicts a person must settle (the same field changed on this device and elsewhere, or a refused change),
and the rows from central this device holds in quarantine."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.parties.models import Parent
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync.models import Conflict
from workbench.sync.quarantine import QuarantineInfo, QuarantineService
from workbench.sync.rows import entity_class, known_fields, scope_of, to_python

KEEP_SERVER = "server"
KEEP_LOCAL = "local"


@dataclass(frozen=True)
class ConflictInfo:
    """One open conflict; both values are kept until a person chooses.

    Attributes:
        local_value: what was typed on this device.
        server_value: what central holds (None for a refused change).
        reason: why central refused the change, if it did.
    """

    id: str
    entity: str
    row_id: str
    field: str
    local_value: Any
    server_value: Any
    reason: str | None
    created_at: dt.datetime
    where: str = ""


def _where(session: Session, entity: str, row_id: str) -> str:
    """Whose data it is: the parent's name and the case reference, so the handler knows what to check."""
    obj = session.get(entity_class(entity), row_id)
    if obj is None:
        return ""
    scope = scope_of(session, obj)
    case = session.get(Case, scope.case_id) if scope.case_id else None
    parent_id = case.parent_id if case is not None else scope.parent_id
    if case is None and parent_id:
        case = session.scalars(select(Case).where(Case.parent_id == parent_id).order_by(Case.reference)).first()
    parent = session.get(Parent, parent_id) if parent_id else None
    name = " ".join(p for p in (parent.voorletters, parent.tussenvoegsel, parent.achternaam) if p) if parent else ""
    return " · ".join(x for x in (name, case.reference if case is not None else "") if x)


def _info(session: Session, row: Conflict) -> ConflictInfo:
    return ConflictInfo(row.id, row.entity, row.row_id, row.field, row.local_value, row.server_value,
                        row.reason, row.created_at, _where(session, row.entity, row.row_id))


class ConflictService:
    def open_conflicts(self, uow: UnitOfWork) -> list[ConflictInfo]:
        rows = uow.session.scalars(select(Conflict).where(Conflict.resolved_at.is_(None))
                                   .order_by(Conflict.created_at)).all()
        return [_info(uow.session, r) for r in rows]

    def quarantined(self, uow: UnitOfWork) -> list[QuarantineInfo]:
        """Row versions from central this device could not adopt, with whose data they are (if known here)."""
        return [dataclasses.replace(info, where=_where(uow.session, info.entity, info.row_id))
                for info in QuarantineService().open_rows(uow)]

    def resolve(self, uow: UnitOfWork, conflict_id: str, *, choice: str, value: Any = None) -> None:
        """Settle a conflict: keep central's value, this device's value, or an edited value.

        Keeping or editing writes an ordinary change, which syncs to every device like any other.
        """
        row = uow.session.get(Conflict, conflict_id)
        if row is None or row.resolved_at is not None:
            raise NotFound("Dit conflict is al opgelost.")
        cls = entity_class(row.entity)
        if row.field not in known_fields(cls):
            raise ValidationError("Dit veld bestaat niet meer.", field=row.field)
        target = uow.session.get(cls, row.row_id)
        if target is None and choice != KEEP_SERVER:
            raise NotAllowed("Deze gegevens staan niet meer op dit apparaat, dus uw waarde kan hier niet worden "
                             "bewaard. Geef haar door en sluit het conflict af met de waarde van de centrale.")
        if choice == KEEP_SERVER:
            chosen = row.server_value
        elif choice == KEEP_LOCAL:
            chosen = row.local_value
        elif choice == "edit":
            chosen = value
        else:
            raise ValidationError("Kies de waarde van de centrale, van dit apparaat of een eigen waarde.",
                                  field="keuze")
        if target is not None and not (choice == KEEP_SERVER and row.reason is None):
            try:
                setattr(target, row.field, to_python(cls, row.field, chosen))
            except (TypeError, ValueError):
                raise ValidationError("Deze waarde past niet in het veld.", field=row.field) from None
        row.resolved_at = uow.clock.now()
        uow.audit(AuditEntry("resolve", "conflict", row.id, detail=f"{row.entity}.{row.field}:{choice}"))
