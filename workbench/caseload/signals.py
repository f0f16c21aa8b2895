"""Short Dutch attention lines for a team lead, made from a handler's (or the team's) figures."""

from __future__ import annotations

import datetime as dt

from workbench.caseload.figures import Tally
from workbench.caseload.terms import (
    NO_CONTACT_DAYS,
    RELIABILITY_MIN_DUE,
    RELIABILITY_SIGNAL,
    REVIEW_WAIT_DAYS,
    STALE_SYNC_DAYS,
    local_day,
    plural,
)
from workbench.caseload.types import DeviceFreshness


def device_name(device: DeviceFreshness) -> str:
    return device.device_name or "apparaat"


def days_since_sync(device: DeviceFreshness, today: dt.date) -> int | None:
    """Whole days since the device's last successful sync (None: it never synced)."""
    return None if device.last_sync_at is None else max(0, (today - local_day(device.last_sync_at)).days)


def stale(device: DeviceFreshness, today: dt.date) -> bool:
    """Never synced, or not for more than STALE_SYNC_DAYS days: central (and the team lead) miss its work."""
    days = days_since_sync(device, today)
    return days is None or days > STALE_SYNC_DAYS


def device_signals(device: DeviceFreshness, today: dt.date) -> list[str]:
    """A stale device; changes still on it when it is stale or synced before today; conflicts waiting."""
    out = []
    days = days_since_sync(device, today)
    name = device_name(device)
    if days is None:
        out.append(f"{name} nooit gesynchroniseerd")
    elif days > STALE_SYNC_DAYS:
        out.append(f"{name} {days} dagen niet gesynchroniseerd")
    if device.pending_changes and (days is None or days >= 1):
        out.append(plural(device.pending_changes, "wijziging wacht", "wijzigingen wachten")
                   + " op synchronisatie")
    if device.open_conflicts:
        out.append(plural(device.open_conflicts, "conflict wacht", "conflicten wachten") + " op een keuze")
    if device.audit_pending:
        out.append(f"{name}: " + _trail_waiting(device.audit_pending))
    return out


def _trail_waiting(n: int) -> str:
    """After a sync a device's audit trail is on central; what is still on the laptop is lost with it."""
    return plural(n, "auditgebeurtenis", "auditgebeurtenissen") + " nog niet op de centrale"


def signals(t: Tally, devices: tuple[DeviceFreshness, ...], today: dt.date, *, team: bool = False) -> tuple[str, ...]:
    """The attention lines, most pressing first. For the team, devices are summed instead of named."""
    out = []
    if t.past_term:
        out.append(plural(t.past_term, "beslissing", "beslissingen") + " over de termijn")
    if t.urgent:
        out.append(plural(t.urgent, "acute zaak", "acute zaken"))
    if t.commitments_overdue:
        out.append(plural(t.commitments_overdue, "toezegging", "toezeggingen") + " te laat")
    rate = t.reliability
    if rate is not None and t.promises_due >= RELIABILITY_MIN_DUE and rate < RELIABILITY_SIGNAL:
        out.append(f"{round(rate * 100)}% van de toezeggingen op tijd (90 dagen)")
    if t.no_recent_contact:
        out.append(plural(t.no_recent_contact, "ouder", "ouders") + f" > {NO_CONTACT_DAYS} dagen geen contact")
    if t.actions_overdue:
        out.append(plural(t.actions_overdue, "actie", "acties") + " te laat")
    if t.near_term:
        out.append(plural(t.near_term, "beslissing", "beslissingen") + " binnen 14 dagen")
    if t.oldest_review_days is not None and t.oldest_review_days > REVIEW_WAIT_DAYS:
        out.append(f"brief wacht {t.oldest_review_days} dagen op controle")
    if team:
        behind = sum(1 for d in devices if stale(d, today))
        if behind:
            out.append(plural(behind, "apparaat", "apparaten") + " achter met synchroniseren")
        pending = sum(d.pending_changes for d in devices)
        if pending:
            out.append(plural(pending, "wijziging wacht", "wijzigingen wachten") + " op synchronisatie")
        trail = sum(d.audit_pending for d in devices)
        if trail:
            out.append(_trail_waiting(trail))
    else:
        for device in devices:
            out.extend(device_signals(device, today))
    return tuple(out)
