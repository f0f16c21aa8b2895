"""A device's first sync takes central's snapshot of the user's rows in one stream, not the change log replayed."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.devices import PASS, Device, make_device
from tests.helpers.factories import make_case
from tests.helpers.fakes import MemorySecrets
from tests.workbench.sync.test_sync_quarantine import Central
from workbench.parties.models import Child
from workbench.sync import client, state
from workbench.sync.protocol import ServerChange, SnapshotHeader
from workbench.sync.quarantine import QuarantineService
from workbench.sync.transport import CentralUnreachable, Transport
from workbench.vault import KdfParams
from workbench.workspace import Workspace

pytestmark = pytest.mark.sync


class CountingTransport(Transport):
    """Counts snapshot reads and pull cursors; `cut_after` rows ends the snapshot stream early, as a lost line."""

    def __init__(self, *args: Any, cut_after: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.snapshots = 0
        self.pulled_from: list[int] = []
        self.cut_after = cut_after

    @contextmanager
    def snapshot(self) -> Iterator[tuple[SnapshotHeader, Iterator[ServerChange]]]:
        self.snapshots += 1
        with super().snapshot() as (header, rows):
            yield header, self._cut(rows)

    def _cut(self, rows: Iterator[ServerChange]) -> Iterator[ServerChange]:
        for n, row in enumerate(rows):
            if self.cut_after is not None and n == self.cut_after:
                raise CentralUnreachable("afgebroken")
            yield row

    def pull(self, cursor: int, limit: int, **asked: Any) -> Any:
        self.pulled_from.append(cursor)
        return super().pull(cursor, limit, **asked)


@pytest.fixture
def handler(central: Any, tmp_path: Path, unique: Callable[[str], str]) -> Iterator[tuple[str, Device]]:
    user = unique("pzb")
    central.add_user(user, role="handler", team=unique("Team"), password="pw")
    device = make_device(tmp_path, name="laptop", url=central.url, username=user, password="pw")
    yield user, device
    device.close()


def _enrolled(central: Any, tmp_path: Path, user: str, name: str = "tweede") -> tuple[Workspace, Transport]:
    secrets = MemorySecrets()
    ws = Workspace.create(tmp_path / name, PASS, secrets=secrets, kdf=KdfParams.cheap())
    client.enroll(ws, server_url=central.url, username=user, password="pw")
    token = secrets.get(client.token_name(ws.descriptor.profile_id))
    return ws, CountingTransport(central.url, token=token)


def _rows(ws: Workspace) -> dict[tuple[str, str], tuple[int, dict[str, Any]]]:
    return Device("x", ws, MemorySecrets(), None).state()


def test_a_new_device_reads_one_snapshot_and_holds_what_the_first_holds(
        central: Any, tmp_path: Path, handler: tuple[str, Device]) -> None:
    user, laptop = handler
    with laptop.ws.unit_of_work() as uow:
        for n in range(3):
            make_case(uow, n)
    laptop.sync()
    ws, transport = _enrolled(central, tmp_path, user)
    try:
        report = client.sync(ws, transport=transport)
        assert transport.snapshots == 1
        assert 0 not in transport.pulled_from, "the change log was replayed from the start"
        assert report.in_step and report.repaired == 0 and report.pulled > 0
        assert _rows(ws) == laptop.state()
        with ws.unit_of_work() as uow:
            assert state.cursor(uow.session) > 0
        # Later syncs pull on from the snapshot's cursor and never read a snapshot again.
        with laptop.ws.unit_of_work() as uow:
            make_case(uow, 7)
        laptop.sync()
        later = client.sync(ws, transport=transport)
        assert transport.snapshots == 1 and later.pulled > 0 and later.in_step
        assert _rows(ws) == laptop.state()
    finally:
        transport.close()
        ws.close()


def test_a_cut_snapshot_keeps_the_cursor_and_the_next_sync_completes_it(
        central: Any, tmp_path: Path, handler: tuple[str, Device]) -> None:
    user, laptop = handler
    with laptop.ws.unit_of_work() as uow:
        for n in range(3):
            make_case(uow, n)
    laptop.sync()
    ws, transport = _enrolled(central, tmp_path, user)
    transport.cut_after = 5
    try:
        with pytest.raises(CentralUnreachable):
            client.sync(ws, transport=transport)
        with ws.unit_of_work() as uow:
            assert state.cursor(uow.session) == 0, "the cursor moved past rows that never arrived"
        transport.cut_after = None
        report = client.sync(ws, transport=transport)
        assert transport.snapshots == 2 and report.in_step
        assert _rows(ws) == laptop.state()
    finally:
        transport.close()
        ws.close()


def test_a_row_in_the_snapshot_that_does_not_fit_is_quarantined_and_the_rest_arrives(
        central: Any, tmp_path: Path, handler: tuple[str, Device]) -> None:
    user, laptop = handler
    with laptop.ws.unit_of_work() as uow:
        parent_id, _case_id = make_case(uow, 0)
        make_case(uow, 1)
    laptop.sync()
    forced = Central(central.db_url)
    child_id = str(uuid.uuid4())
    try:
        forced.force("child", child_id, {"parent_id": parent_id, "bsn": "123456789", "achternaam": "Jansen",
                                         "voorletters": "T.", "voornamen": "Tim", "birth_date": "2015-06-01"},
                     parent_id=parent_id)
    finally:
        forced.close()
    ws, transport = _enrolled(central, tmp_path, user)
    try:
        report = client.sync(ws, transport=transport)
        assert transport.snapshots == 1 and report.quarantined == 1
        with ws.unit_of_work() as uow:
            [held] = QuarantineService().open_rows(uow)
            assert (held.entity, held.row_id, held.field) == ("child", child_id, "bsn")
            assert uow.session.get(Child, child_id) is None
        theirs = {k: v for k, v in laptop.state().items() if k != ("child", child_id)}
        assert {k: v for k, v in _rows(ws).items() if k != ("child", child_id)} == theirs
    finally:
        transport.close()
        ws.close()
