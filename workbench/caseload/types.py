"""The shapes caseload figures take (plain frozen dataclasses shared by the service, the Team page and reports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Names of the figures a person can drill into (`CaseloadService.cases_behind(figure=...)`).
FIGURE_OPEN = "open_cases"
FIGURE_URGENT = "urgent"
FIGURE_NO_CONTACT = "no_recent_contact"
FIGURE_ACTIONS_OVERDUE = "actions_overdue"
FIGURE_COMMITMENTS_OPEN = "commitments_open"
FIGURE_COMMITMENTS_OVERDUE = "commitments_overdue"
FIGURE_PAST_TERM = "decisions_past_term"
FIGURE_NEAR_TERM = "decisions_near_term"
FIGURE_OBJECTION_RUNNING = "objection_terms_running"
FIGURE_IN_REVIEW = "letters_in_review"


@dataclass(frozen=True)
class DeviceFreshness:
    """How fresh one device's data is, as central last heard from it.

    Attributes:
        last_sync_at: the device's last successful sync (None: it never synced).
        pending_changes: changes waiting in its outbox when it last reported.
        open_conflicts: conflicts waiting for a person when it last reported.
        reported_at: when central received that report.
        audit_pending: audit events on it that had not reached central yet when it last reported.
    """

    device_id: str
    user_id: str
    device_name: str
    last_sync_at: dt.datetime | None
    pending_changes: int
    open_conflicts: int
    reported_at: dt.datetime | None
    audit_pending: int = 0


@dataclass(frozen=True)
class Figures:
    """The figures of one handler, or of the whole team (handler_id None). Each is defined in the service."""

    handler_id: str | None
    name: str
    open_cases: int
    by_phase: dict[str, int]
    by_track: dict[str, int]
    urgent: int
    days_since_contact_median: float | None
    days_since_contact_max: int | None
    no_recent_contact: int
    actions_overdue: int
    commitments_open: int
    commitments_overdue: int
    promises_due_90d: int
    promises_kept_on_time_90d: int
    promise_reliability: float | None
    promises_first_due_90d: int
    promises_kept_first_date_90d: int
    promises_kept_first_date: float | None
    decisions_past_term: int
    decisions_near_term: int
    objection_terms_running: int
    letters_in_review: int
    oldest_review_days: int | None
    devices: tuple[DeviceFreshness, ...]
    signals: tuple[str, ...]


@dataclass(frozen=True)
class TeamFigures:
    """The team's totals first, then one row per handler, as of a day."""

    team: Figures
    handlers: tuple[Figures, ...]
    as_of: dt.date


@dataclass(frozen=True)
class CaseRef:
    """A case behind a figure; `detail` says why it is in the list (in Dutch)."""

    case_id: str
    reference: str
    parent_name: str
    handler_id: str
    handler_name: str
    detail: str
