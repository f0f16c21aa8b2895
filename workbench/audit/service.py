"""Reading the audit log: a case's history for the Historie tab, and verifying the whole chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from workbench.audit import chain
from workbench.audit.models import AuditEvent
from workbench.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class AuditEventInfo:
    seq: int
    at: dt.datetime
    user_id: str
    device_id: str
    verb: str
    entity: str
    entity_id: str
    case_id: str | None
    result: str
    detail: str


def _info(ev: AuditEvent) -> AuditEventInfo:
    return AuditEventInfo(ev.seq, ev.at, ev.user_id, ev.device_id, ev.verb, ev.entity, ev.entity_id, ev.case_id,
                          ev.result, ev.detail)


class AuditService:
    def for_case(self, uow: UnitOfWork, case_id: str, *, limit: int = 1000) -> list[AuditEventInfo]:
        """The newest events about one case (views included)."""
        rows = uow.session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id)
                                   .order_by(AuditEvent.seq.desc()).limit(limit))
        return [_info(r) for r in rows]

    def verify(self, uow: UnitOfWork) -> chain.ChainReport:
        return chain.verify(uow.session)

    def record(self, uow: UnitOfWork, entry: chain.AuditEntry) -> None:
        uow.audit(entry)
