"""After a sync: tell central how fresh this device is, and keep the team's device reports for the team lead."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from workbench.store.hooks import Origin
from workbench.sync import state, trail
from workbench.sync.models import Conflict, DeviceStatus, OutboxEntry
from workbench.sync.protocol import MAX_COUNT, MAX_QUARANTINED, DeviceReport
from workbench.sync.quarantine import quarantined_count

if TYPE_CHECKING:
    from workbench.sync.engine import SyncEngine


REPORT_EVERY = dt.timedelta(minutes=10)
LAST_REPORT = "last_device_report"


def exchange(engine: SyncEngine, now: dt.datetime) -> int:
    """Report this device (last sync now, outbox size, open conflicts, rows in quarantine, audit events not on
    central yet); store the devices central lets us see. Returns how many audit events are not on central yet.

    Only when the counts changed or the last report is ten minutes old: a sync with nothing to do stays a
    single request, and a team lead's view of freshness is minutes old at most.
    """
    with engine.store.unit_of_work(engine.actor) as uow:
        pending = int(uow.session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)
        conflicts = int(uow.session.scalar(select(func.count()).select_from(Conflict)
                                           .where(Conflict.resolved_at.is_(None))) or 0)
        quarantined = quarantined_count(uow.session)
        audit_pending = trail.pending(uow.session)
        last = state.get(uow.session, LAST_REPORT)
    said = f"{pending}:{conflicts}:{quarantined}:{audit_pending}"
    if last:
        when, _, counts = last.partition("|")
        if counts == said and now - dt.datetime.fromisoformat(when) < REPORT_EVERY:
            return audit_pending
    engine.transport.report_device(DeviceReport(device_id=engine.actor.device_id, last_sync_at=now,
                                                pending_changes=pending, open_conflicts=conflicts,
                                                quarantined_rows=min(quarantined, MAX_QUARANTINED),
                                                audit_pending=min(audit_pending, MAX_COUNT)))
    devices = engine.transport.team_devices().devices
    with engine.store.unit_of_work(engine.actor, Origin.SYNC) as uow:
        uow.session.execute(delete(DeviceStatus))
        uow.session.add_all([DeviceStatus(device_id=d.device_id, user_id=d.user_id, device_name=d.device_name,
                                          last_sync_at=d.last_sync_at, pending_changes=d.pending_changes,
                                          open_conflicts=d.open_conflicts, quarantined_rows=d.quarantined_rows,
                                          audit_pending=d.audit_pending,
                                          reported_at=d.reported_at)
                             for d in devices])
        state.put(uow.session, LAST_REPORT, f"{now.isoformat()}|{said}")
    return audit_pending
