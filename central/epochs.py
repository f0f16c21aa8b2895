"""Central's epoch: a random id made with the database, and a new one when the database was restored.

A device keeps the epoch it last synced with and sends it with each pull. A different epoch tells the
device that central may have forgotten changes it pushed: it compares its rows with central's and pushes
again what central lacks (workbench.sync.epoch). An operator begins a new epoch after restoring a backup
(``central new-epoch``); central begins one itself when a device that knows the current epoch has pulled
further than central's newest change (the database went back in time without anyone saying so).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from central.database import Database
from central.errors import SetupError
from central.models import Epoch

log = logging.getLogger(__name__)

ROW = 1
MAX_REASON = 500


@dataclass(frozen=True)
class EpochInfo:
    epoch: str
    started_at: dt.datetime
    reason: str


def _row(session: Session) -> Epoch:
    row = session.get(Epoch, ROW)
    if row is None:  # the migration makes it; a database restored without its row gets one here
        row = Epoch(id=ROW, epoch=str(uuid.uuid4()), started_at=dt.datetime.now(dt.UTC), reason="nieuwe database")
        session.add(row)
        session.flush()
    return row


def current_id(session: Session) -> str | None:
    """The epoch in a read session (None only for a database without its epoch row)."""
    row = session.get(Epoch, ROW)
    return row.epoch if row is not None else None


def current(db: Database) -> EpochInfo:
    with db.write() as session:
        row = _row(session)
        return EpochInfo(row.epoch, row.started_at, row.reason)


def begin(db: Database, *, reason: str, now: dt.datetime, replacing: str | None = None) -> EpochInfo:
    """Start a new epoch. With ``replacing``, only when that is still the current one (two devices that find
    central behind at the same moment begin one new epoch, not two)."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise SetupError(f"De reden (--reason) moet 1 tot {MAX_REASON} tekens lang zijn.")
    with db.write() as session:
        row = _row(session)
        if replacing is not None and row.epoch != replacing:
            return EpochInfo(row.epoch, row.started_at, row.reason)
        old = row.epoch
        row.epoch, row.started_at, row.reason = str(uuid.uuid4()), now, reason
        info = EpochInfo(row.epoch, row.started_at, row.reason)
    log.warning("new epoch %s (was %s): %s", info.epoch, old, reason)
    return info


def device_ahead(db: Database, *, device_id: str, known: str, cursor: int, head: int,
                 now: dt.datetime) -> str:
    """A device of the current epoch pulled past central's newest change: central lost changes. Begin a new
    epoch so every device compares its rows; returns the epoch the device should hear."""
    info = begin(db, replacing=known, now=now,
                 reason=f"apparaat {device_id} had al tot wijziging {cursor} opgehaald; de centrale kende er "
                        f"{head}: de database is teruggezet")
    return info.epoch
