"""Devices for sync tests: a real profile (encrypted store, cheap KDF, in-memory keyring) enrolled with central."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.helpers.factories import FixedClock
from tests.helpers.fakes import MemorySecrets
from workbench.sync import client
from workbench.sync.engine import SyncReport
from workbench.sync.models import Conflict
from workbench.sync.rows import entity_classes, row_data
from workbench.sync.transport import Transport
from workbench.vault import KdfParams
from workbench.workspace import Workspace

PASS = "correct horse battery staple"
START = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)


@dataclass
class Device:
    """One laptop: its workspace, its keyring and its clock (None: the system clock)."""

    name: str
    ws: Workspace
    secrets: MemorySecrets
    clock: FixedClock | None
    reports: list[SyncReport] = field(default_factory=list)

    def sync(self, *, url: str | None = None) -> SyncReport:
        """Sync now; `url` sends the traffic another way (a cutting proxy) with the same token."""
        transport = None
        if url is not None:
            token = self.secrets.get(client.token_name(self.ws.descriptor.profile_id))
            transport = Transport(url, token=token, timeout=10)
        try:
            report = client.sync(self.ws, transport=transport)
        finally:
            if transport is not None:
                transport.close()
        self.reports.append(report)
        return report

    def open_conflicts(self) -> list[Conflict]:
        with self.ws.unit_of_work() as uow:
            return list(uow.session.scalars(select(Conflict).where(Conflict.resolved_at.is_(None))))

    def state(self, *, include_central_owned: bool = True) -> dict[tuple[str, str], tuple[int, dict[str, Any]]]:
        """Every syncable row: (entity, id) -> (rev, data), to compare devices."""
        out: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
        with self.ws.unit_of_work() as uow:
            for entity, cls in entity_classes().items():
                if not include_central_owned and entity in ("user", "team"):
                    continue
                for obj in uow.session.scalars(select(cls)):
                    out[(entity, obj.id)] = (obj.rev, row_data(obj))
        return out

    def close(self) -> None:
        self.ws.close()


def make_device(folder: Path, *, name: str, url: str, username: str, password: str,
                clock_offset: dt.timedelta = dt.timedelta(0)) -> Device:
    """A fresh profile enrolled as `username` (enrolling runs the first sync too)."""
    secrets = MemorySecrets()
    clock = FixedClock(START + clock_offset)
    ws = Workspace.create(folder / name, PASS, secrets=secrets, kdf=KdfParams.cheap(), clock=clock)
    client.enroll(ws, server_url=url, username=username, password=password, device_name=name)
    device = Device(name, ws, secrets, clock)
    device.sync()
    return device


def make_cases(device: Device, bsns: list[str]) -> list[str]:
    """Open a case for each BSN; returns the case ids. Case numbers come in blocks reserved by central (100
    by default), so the device syncs for more whenever it runs low, as a handler would."""
    from tests.helpers.factories import make_case
    from workbench.cases import numbering

    made: list[str] = []
    while len(made) < len(bsns):
        with device.ws.unit_of_work() as uow:
            left = numbering.numbers_left(uow.session)
            room = len(bsns) if left is None else left
            for bsn in bsns[len(made):len(made) + room]:
                made.append(make_case(uow, bsn=bsn)[1])
        if len(made) < len(bsns):
            device.sync()
    return made


def summary_digest_for(device: Device) -> str:
    """Central's digest of what this device's user may see."""
    transport = client.transport_for(device.ws)
    try:
        return transport.summary().digest
    finally:
        transport.close()
