"""The audit trail on the wire: a device sends its hash-chained audit events to central, append-only.

``GET /v1/sync/audit`` answers `TrailHeld`: the last sequence central holds of the asking device's chain.
``POST /v1/sync/audit`` with a `TrailBatch` (the events right after it, in order) answers the same, after
central checked the events extend the chain it holds: each links to the hash before it, each hash is the
device's own over its fields (workbench.audit.digest), and the hash at the device's anchored tip is the
anchored one. A batch central already holds (a replay after a cut answer) changes nothing; one that differs
from what central holds is a rewrite: refused with a Dutch reason, and the device is flagged.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from workbench.audit.digest import EventFields
from workbench.sync.protocol import MAX_ANCHOR, Sha256Hex, Strict, Uuid

MAX_TRAIL_BATCH = 500  # events per upload; 500 full events stay far below the request size limit


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("tekst met een NUL-teken")
    return value


def _canonical_moment(value: str) -> str:
    """The moment exactly as the device hashed it: UTC with microseconds and "+00:00"."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("geen tijdstip") from None
    if moment.tzinfo is None or not 1970 <= moment.year <= 9000:
        raise ValueError("tijdstip zonder tijdzone of buiten het mogelijke bereik")
    if moment.astimezone(dt.UTC).isoformat(timespec="microseconds") != value:
        raise ValueError("tijdstip niet in UTC met microseconden")
    return value


Short = Annotated[str, StringConstraints(max_length=64), AfterValidator(_no_nul)]
Word = Annotated[str, StringConstraints(min_length=1, max_length=40), AfterValidator(_no_nul)]
Detail = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_no_nul)]
Stamp = Annotated[str, StringConstraints(max_length=40), AfterValidator(_canonical_moment)]


class TrailEvent(Strict):
    """One audit event as the device holds it (workbench.audit.models.AuditEvent), with its chain hashes."""

    seq: int = Field(ge=1, le=MAX_ANCHOR)
    id: Short
    at: Stamp
    user_id: Short
    device_id: Short
    verb: Word
    entity: Word
    entity_id: Annotated[str, StringConstraints(max_length=200), AfterValidator(_no_nul)]
    case_id: Short | None = None
    result: Word
    detail: Detail
    prev_hash: Sha256Hex
    hash: Sha256Hex

    def fields(self) -> EventFields:
        return EventFields(self.seq, self.id, self.at, self.user_id, self.device_id, self.verb, self.entity,
                           self.entity_id, self.case_id, self.result, self.detail)


class TrailBatch(Strict):
    """Consecutive events of the device's chain (``seq`` one apart), oldest first."""

    device_id: Uuid
    events: list[TrailEvent] = Field(min_length=1, max_length=MAX_TRAIL_BATCH)


class TrailHeld(Strict):
    """How far central holds the device's chain: the last sequence number (0 before the first upload)."""

    seq: int = Field(ge=0, le=MAX_ANCHOR)
