"""Device freshness: each device reports after its sync; a team lead reads the reports of the team's devices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from central.accounts import Principal
from central.database import Database
from central.errors import OTHER_DEVICE, ApiError
from central.models import Device, User
from workbench.sync.protocol import DeviceFreshnessWire, DeviceReport, TeamDevices


def record_report(db: Database, user: Principal, report: DeviceReport, now: dt.datetime) -> None:
    """Store what the device says about itself; a token reports only for its own device."""
    if report.device_id != user.device_id:
        raise ApiError(403, OTHER_DEVICE)
    with db.write(device_only=report.device_id) as session:
        device = session.get(Device, report.device_id)
        if device is None:
            raise ApiError(404, "Dit apparaat is niet bekend bij de centrale.")
        device.last_sync_at = report.last_sync_at
        device.pending_changes = report.pending_changes
        device.open_conflicts = report.open_conflicts
        device.quarantined_rows = report.quarantined_rows
        device.audit_pending = report.audit_pending
        device.reported_at = now


def team_devices(db: Database, user: Principal) -> TeamDevices:
    """A handler or reviewer sees their own devices; a team lead every device of the team's users."""
    with db.read() as session:
        query = select(Device, User.id).join(User, User.id == Device.user_id).where(Device.revoked_at.is_(None))
        if user.role == "team_lead" and user.team_id is not None:
            query = query.where(User.team_id == user.team_id)
        else:
            query = query.where(User.id == user.user_id)
        rows = session.execute(query.order_by(User.id, Device.device_id)).all()
        return TeamDevices(devices=[DeviceFreshnessWire(
            device_id=device.device_id, user_id=user_id, device_name=device.name, last_sync_at=device.last_sync_at,
            pending_changes=device.pending_changes, open_conflicts=device.open_conflicts,
            quarantined_rows=device.quarantined_rows, audit_pending=device.audit_pending,
            reported_at=device.reported_at) for device, user_id in rows])
