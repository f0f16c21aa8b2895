"""The few values sync keeps in the store: server address, pull cursor, last success, pending revocations."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.sync.models import SyncState

SERVER_URL = "server_url"
CURSOR = "cursor"
LAST_SYNC = "last_sync"
REVOKED = "pending_revocations"


def get(session: Session, key: str) -> str | None:
    return session.scalar(select(SyncState.value).where(SyncState.key == key))


def put(session: Session, key: str, value: str) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value))
    else:
        row.value = value


def cursor(session: Session) -> int:
    return int(get(session, CURSOR) or 0)


def pending_revocations(session: Session) -> list[str]:
    raw = get(session, REVOKED)
    return list(json.loads(raw)) if raw else []


def set_pending_revocations(session: Session, case_ids: list[str]) -> None:
    put(session, REVOKED, json.dumps(sorted(set(case_ids))))


# Renamed from "pending_handovers": that list also held every case a newly enrolled device received, so it
# is left unread (devices that filled it are not asked about hundreds of cases that were never handed over).
HANDOVERS = "reassigned_unread"


def pending_handovers(session: Session) -> list[str]:
    """Cases handed to this user that they have not opened the handover summary of yet."""
    raw = get(session, HANDOVERS)
    return list(json.loads(raw)) if raw else []


def add_pending_handovers(session: Session, case_ids: list[str]) -> None:
    put(session, HANDOVERS, json.dumps(sorted(set(pending_handovers(session)) | set(case_ids))))


def acknowledge_handover(session: Session, case_id: str) -> None:
    put(session, HANDOVERS, json.dumps([c for c in pending_handovers(session) if c != case_id]))
