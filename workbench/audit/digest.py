"""The hash of one audit event over its canonical fields: the same on the device and on central."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64


@dataclass(frozen=True)
class EventFields:
    """What an event's hash covers. `at` is the moment as canonical text (UTC, microseconds, "+00:00")."""

    seq: int
    id: str
    at: str
    user_id: str
    device_id: str
    verb: str
    entity: str
    entity_id: str
    case_id: str | None
    result: str
    detail: str


def fields_hash(prev_hash: str, ev: EventFields) -> str:
    """SHA-256 over the previous hash and the canonical JSON of the event's fields."""
    body = {
        "seq": ev.seq, "id": ev.id, "at": ev.at, "user": ev.user_id, "device": ev.device_id, "verb": ev.verb,
        "entity": ev.entity, "entity_id": ev.entity_id, "case": ev.case_id, "result": ev.result,
        "detail": ev.detail,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()
