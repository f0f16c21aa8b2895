"""Sync under faults with a real central: cut connections, a server killed mid-push, a client killed mid-sync,
duplicated and reordered deliveries. Nothing is lost, nothing is duplicated, at most one batch is re-sent."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers.cutting_proxy import Cut, CuttingProxy
from tests.helpers.devices import Device, make_device, summary_digest_for
from tests.helpers.factories import make_case
from workbench.story.models import StoryEntry
from workbench.story.service import StoryService
from workbench.sync import client
from workbench.sync.engine import SyncEngine, SyncReport
from workbench.sync.models import OutboxEntry
from workbench.sync.protocol import PushRequest, PushResponse
from workbench.sync.round_protocol import RoundRequest, RoundResponse
from workbench.sync.sanity import local_digest
from workbench.sync.transport import CentralUnreachable, Transport

pytestmark = pytest.mark.sync
ENTRIES = 120


class CountingTransport(Transport):
    """A real transport that counts the changes it sent (to prove at most one batch is re-sent)."""

    sent = 0

    def push(self, request: PushRequest) -> PushResponse:
        CountingTransport.sent += len(request.changes)
        return super().push(request)

    def round_trip(self, request: RoundRequest) -> RoundResponse:
        CountingTransport.sent += len(request.changes)
        return super().round_trip(request)


@pytest.fixture
def device_pair(central: Any, tmp_path: Path, unique: Callable[[str], str]) -> Iterator[tuple[Device, Device]]:
    user = unique("pzb")
    central.add_user(user, role="handler", team=unique("Team"), password="pw")
    one = make_device(tmp_path, name="one", url=central.url, username=user, password="pw")
    two = make_device(tmp_path, name="two", url=central.url, username=user, password="pw")
    yield one, two
    one.close()
    two.close()


def _busy_case(device: Device, entries: int = ENTRIES) -> str:
    with device.ws.unit_of_work() as uow:
        _parent, case_id = make_case(uow)
        for n in range(entries):
            StoryService().add(uow, case_id, kind="telefoon", text=f"Gesprek nummer {n}.")
    return case_id


def _stories(device: Device, case_id: str) -> list[str]:
    with device.ws.unit_of_work() as uow:
        return list(uow.session.scalars(select(StoryEntry.text).where(StoryEntry.case_id == case_id)))


def _outbox(device: Device) -> int:
    with device.ws.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def _engine(device: Device, transport: Transport, batch: int) -> SyncEngine:
    return SyncEngine(device.ws.store, device.ws.actor, transport, batch=batch)


def _token(device: Device) -> str | None:
    return device.secrets.get(client.token_name(device.ws.descriptor.profile_id))


def _assert_whole(one: Device, two: Device, case_id: str) -> None:
    """Both devices and central agree, and every story entry is there exactly once."""
    for _ in range(2):
        one.sync()
        two.sync()
    expected = sorted(f"Gesprek nummer {n}." for n in range(ENTRIES))
    assert sorted(_stories(one, case_id)) == expected
    assert sorted(_stories(two, case_id)) == expected
    assert _outbox(one) == 0
    assert one.state() == two.state()
    transport = client.transport_for(one.ws)
    try:
        assert local_digest(_engine(one, transport, 50))[1] == summary_digest_for(one)
    finally:
        transport.close()


def test_a_client_killed_after_central_answered_resends_only_that_batch(device_pair: tuple[Device, Device]) -> None:
    one, two = device_pair
    case_id = _busy_case(one)
    total = _outbox(one)
    transport = CountingTransport(client.transport_for(one.ws).base_url, token=_token(one))
    CountingTransport.sent = 0
    engine = _engine(one, transport, batch=50)

    def die(stage: str) -> None:
        if stage == "pushed" and CountingTransport.sent >= 100:
            raise KeyboardInterrupt  # as a kill: the answer for batch 2 never reaches the store

    engine.on_batch = die
    with pytest.raises(KeyboardInterrupt):
        engine.run()
    assert _outbox(one) == total - 50  # batch 1 recorded, batch 2 applied at central but not recorded here
    engine.on_batch = lambda _stage: None
    engine.run()
    transport.close()
    assert CountingTransport.sent <= total + 50, "more than one batch was sent twice"
    _assert_whole(one, two, case_id)


@pytest.mark.parametrize("where", ["request", "response"])
def test_a_connection_cut_mid_request_or_mid_response_loses_nothing(
        device_pair: tuple[Device, Device], central: Any, where: str) -> None:
    one, two = device_pair
    case_id = _busy_case(one)
    proxy = CuttingProxy(central.port)
    try:
        for at in (300, 2_000, 9_000, 30_000):
            proxy.plan[:] = [Cut(request_bytes=at) if where == "request" else Cut(response_bytes=at)]
            with contextlib.suppress(CentralUnreachable):
                one.sync(url=proxy.url)
        assert proxy.cuts_done >= 1
    finally:
        proxy.close()
    _assert_whole(one, two, case_id)


def test_central_killed_mid_push_loses_nothing(device_pair: tuple[Device, Device], central: Any) -> None:
    one, two = device_pair
    case_id = _busy_case(one)
    transport = Transport(client.transport_for(one.ws).base_url, token=_token(one), timeout=10)
    engine = _engine(one, transport, batch=40)
    killer = threading.Timer(0.15, central.kill)
    killer.start()
    with contextlib.suppress(CentralUnreachable):
        engine.run()
    killer.join()
    central.start()
    transport.close()
    _assert_whole(one, two, case_id)


def test_duplicated_and_reordered_pull_pages_end_in_the_same_state(device_pair: tuple[Device, Device]) -> None:
    one, two = device_pair
    case_id = _busy_case(one)
    one.sync()
    transport = client.transport_for(two.ws)
    try:
        pages = []
        cursor = 0
        with two.ws.unit_of_work() as uow:
            from workbench.sync import state

            cursor = state.cursor(uow.session)
        while True:
            page = transport.pull(cursor, 40)
            pages.append(page)
            cursor = page.next_cursor
            if not page.more:
                break
        assert len(pages) >= 3
        engine = _engine(two, transport, 50)
        report = SyncReport()
        for page in [*reversed(pages), *pages, pages[0]]:  # reordered, then again, then one more duplicate
            engine.apply_page(page, report)
    finally:
        transport.close()
    assert sorted(_stories(two, case_id)) == sorted(_stories(one, case_id))
    assert len(_stories(two, case_id)) == ENTRIES
    time.sleep(0)
    _assert_whole(one, two, case_id)


@pytest.mark.parametrize("point", ["before_commit", "after_commit"])
def test_central_dying_mid_commit_or_before_answering_loses_and_duplicates_nothing(
        tmp_path: Path, unique: Callable[[str], str], point: str) -> None:
    from tests.helpers.central import CentralServer

    # Dies during the second push it handles: batch 1 is safe, batch 2 is applied but not committed
    # (before_commit) or committed but never answered (after_commit).
    faulty = CentralServer(tmp_path / "central", env={"CENTRAL_FAULT": f"{point}:2"}).start()
    healthy: CentralServer | None = None
    user = unique("pzb")
    faulty.add_user(user, role="handler", team=unique("Team"), password="pw")
    one = make_device(tmp_path, name="one", url=faulty.url, username=user, password="pw")
    try:
        case_id = _busy_case(one)
        total = _outbox(one)
        transport = CountingTransport(faulty.url, token=_token(one), timeout=10)
        CountingTransport.sent = 0
        with pytest.raises(CentralUnreachable):
            _engine(one, transport, batch=50).run()
        transport.close()
        assert faulty.process is not None and faulty.process.wait(10) == 70  # it really died at the point
        assert _outbox(one) == total - 50  # batch 1 answered and recorded; batch 2 never answered
        healthy = CentralServer(tmp_path / "central2", db_url=faulty.db_url)
        healthy.port, healthy.url = faulty.port, faulty.url  # the device keeps its enrolled address
        healthy.start()
        transport = CountingTransport(faulty.url, token=_token(one), timeout=10)
        _engine(one, transport, batch=50).run()
        transport.close()
        assert CountingTransport.sent <= total + 50, "more than the unanswered batch was sent again"
        two = make_device(tmp_path, name="two", url=faulty.url, username=user, password="pw")
        try:
            _assert_whole(one, two, case_id)
        finally:
            two.close()
    finally:
        one.close()
        if healthy is not None:
            healthy.stop()
        faulty.close()

