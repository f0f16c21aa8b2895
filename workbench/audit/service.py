"""Reading the audit log: a case's history for the Historie tab, and verifying the whole chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from workbench.audit import anchor, chain
from workbench.audit.models import AuditEvent
from workbench.staff.models import User
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync.models import DeviceStatus


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
    user_name: str = ""  # the person's display name, "" when this device does not know them
    user_role: str = ""  # a Role value, "" when unknown
    device_name: str = ""  # as central last reported it, "" when unknown
    this_device: bool = False


def _info(ev: AuditEvent, user: User | None = None, device_name: str | None = None,
          this_device: bool = False) -> AuditEventInfo:
    return AuditEventInfo(ev.seq, ev.at, ev.user_id, ev.device_id, ev.verb, ev.entity, ev.entity_id, ev.case_id,
                          ev.result, ev.detail, user.display_name if user else "", str(user.role) if user else "",
                          device_name or "", this_device)


class AuditService:
    def for_case(self, uow: UnitOfWork, case_id: str, *, limit: int = 1000,
                 views: bool = True) -> list[AuditEventInfo]:
        """The newest events about one case, with who and which device by name; `views=False` leaves out reading."""
        query = (select(AuditEvent, User, DeviceStatus.device_name)
                 .outerjoin(User, User.id == AuditEvent.user_id)
                 .outerjoin(DeviceStatus, DeviceStatus.device_id == AuditEvent.device_id)
                 .where(AuditEvent.case_id == case_id))
        if not views:
            query = query.where(AuditEvent.verb != "view")
        rows = uow.session.execute(query.order_by(AuditEvent.seq.desc()).limit(limit)).all()
        here = uow.actor.device_id
        return [_info(ev, user, name, ev.device_id == here) for ev, user, name in rows]

    def verify(self, uow: UnitOfWork) -> chain.ChainReport:
        return chain.verify(uow.session)

    def anchored(self, uow: UnitOfWork, keeper: anchor.AnchorKeeper | None) -> anchor.AnchorCheck:
        """The store compared with the tip anchored in the keyring (unanchored when there is no keeper)."""
        return anchor.check(uow.session, keeper.read() if keeper is not None else None)

    def record(self, uow: UnitOfWork, entry: chain.AuditEntry) -> None:
        uow.audit(entry)
