"""A sync in one request: the anchor claim, the push, the audit trail and the first pull page go as one round
trip (``POST /v1/sync/round``). Each fallback to the separate requests keeps what a sync means."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tests.helpers.devices import Device, make_device
from tests.helpers.factories import make_case
from tests.workbench.sync.test_sync_audit_trail import central_chain, local_chain
from tests.workbench.sync.test_sync_rights import _late_edit
from workbench.audit.models import AuditEvent
from workbench.cases.models import Case
from workbench.store.hooks import Origin
from workbench.sync import anchoring, client, state
from workbench.sync.engine import SyncReport, outbox_size
from workbench.sync.transport import CentralUnreachable, Transport

pytestmark = pytest.mark.sync

ROUND = "POST /v1/sync/round"
TRAIL = "POST /v1/sync/audit"


@pytest.fixture
def user(central: Any, unique: Callable[[str], str]) -> str:
    name = unique("sanne")
    central.add_user(name, role="handler", team=unique("Team Zuid"), password="pw-sanne")
    return name


@pytest.fixture
def device(central: Any, tmp_path: Path, user: str) -> Iterator[Device]:
    made = make_device(tmp_path, name="laptop", url=central.url, username=user, password="pw-sanne")
    yield made
    made.close()


class Wire(httpx.BaseTransport):
    """The real connection to central, writing down each request; it can lose answers or play an old central.

    Attributes:
        seen: ``METHOD /path`` of every request sent.
        cut: how many answers to ``POST /v1/sync/round`` to lose after central worked on the request.
        unknown: answer 404 to ``POST /v1/sync/round`` without sending it (a central of an earlier version).
        no_trail: answer this status to a round trip that carries audit events without sending it: 422 as a
            central that knows round trips but not the trail in them does (its models refuse a field they do not
            know), 413 as central does when the trail makes a request too large.
    """

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.seen: list[str] = []
        self.cut = 0
        self.unknown = False
        self.no_trail: int | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        said = f"{request.method} {request.url.path}"
        self.seen.append(said)
        if said == ROUND and self.unknown:
            return httpx.Response(404, json={"detail": "Not Found"}, request=request)
        if said == ROUND and self.no_trail and json.loads(request.read()).get("trail"):
            return httpx.Response(self.no_trail, json={"detail": "Ongeldig verzoek bij body.trail"}, request=request)
        response = self.inner.handle_request(request)
        if said == ROUND and self.cut:
            self.cut -= 1
            response.read()
            response.close()
            raise httpx.ReadError("connection cut", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def wired_sync(device: Device, wire: Wire) -> SyncReport:
    token = device.secrets.get(client.token_name(device.ws.descriptor.profile_id))
    url = client.transport_for(device.ws).base_url
    http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, transport=wire)
    transport = Transport(url, client=http)
    try:
        report = client.sync(device.ws, transport=transport)
    finally:
        transport.close()
    device.reports.append(report)
    return report


def counted_sync(device: Device) -> tuple[SyncReport, list[str]]:
    wire = Wire()
    return wired_sync(device, wire), wire.seen


def _cases(device: Device, *numbers: int) -> None:
    with device.ws.unit_of_work() as uow:
        for n in numbers:
            make_case(uow, n)


def test_a_sync_with_two_new_cases_makes_one_request_that_brings_central_the_whole_trail(
        central: Any, device: Device) -> None:
    _cases(device, 1, 2)
    report, seen = counted_sync(device)
    assert seen == [ROUND]
    assert report.pushed == 6 and report.in_step and report.audit_pending == 0 and report.conflicts == 0
    assert report.audit_sent >= 2  # at least the two cases' own events
    assert central_chain(central, device.ws.actor.device_id) == local_chain(device)
    with device.ws.unit_of_work() as uow:
        assert outbox_size(uow) == 0
        assert uow.session.scalar(select(func.min(Case.rev))) > 0


def test_a_sync_that_brings_changes_of_others_sends_its_own_event_after_them(
        central: Any, device: Device, user: str, tmp_path: Path) -> None:
    device.sync()
    other = make_device(tmp_path, name="second", url=central.url, username=user, password="pw-sanne")
    try:
        _cases(other, 12)
        other.sync()
        _cases(device, 13)
        report, seen = counted_sync(device)
        assert seen == [ROUND, TRAIL] and report.pushed == 3 and report.pulled > 0
        assert report.audit_pending == 0
        assert central_chain(central, device.ws.actor.device_id) == local_chain(device)
        with device.ws.unit_of_work() as uow:
            last = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
        assert (last.verb, last.entity) == ("sync", "device") and "pulled=" in last.detail
    finally:
        other.close()


@pytest.mark.parametrize("status", [422, 413], ids=["central-without-trail-in-round-trips", "too-large"])
def test_a_round_trip_refused_for_its_trail_goes_again_without_it_and_the_trail_on_its_own(
        central: Any, device: Device, status: int) -> None:
    device.sync()
    wire = Wire()
    wire.no_trail = status
    _cases(device, 14)
    report = wired_sync(device, wire)
    assert wire.seen == [ROUND, ROUND, TRAIL] and report.pushed == 3 and report.in_step
    assert report.audit_pending == 0 and report.audit_sent >= 1
    assert central_chain(central, device.ws.actor.device_id) == local_chain(device)


def test_a_quiet_sync_makes_one_request(device: Device) -> None:
    _cases(device, 3)
    device.sync()
    report, seen = counted_sync(device)
    assert seen == [ROUND]
    assert (report.pushed, report.pulled, report.audit_sent) == (0, 0, 0)


def test_a_quiet_sync_brings_what_others_pushed_in_its_one_request(
        central: Any, device: Device, user: str, tmp_path: Path) -> None:
    other = make_device(tmp_path, name="second", url=central.url, username=user, password="pw-sanne")
    try:
        _cases(other, 4)
        other.sync()
        report, seen = counted_sync(device)
        assert seen[0] == ROUND and "GET /v1/sync/pull" not in seen, seen
        assert report.pulled > 0 and report.in_step
        assert device.state(include_central_owned=False) == other.state(include_central_owned=False)
    finally:
        other.close()


def test_a_moved_anchor_claims_on_its_own_then_pushes(device: Device) -> None:
    _cases(device, 5)
    device.sync()
    with device.ws.unit_of_work(Origin.SYNC) as uow:
        held = int(state.get(uow.session, anchoring.HELD) or 0)
        assert held > 2
        state.put(uow.session, anchoring.HELD, "2")  # an older answer remembered: central holds another tip
    _cases(device, 6)
    report, seen = counted_sync(device)
    assert seen[:4] == [ROUND, "GET /v1/sync/anchor", "POST /v1/sync/anchor", ROUND], seen
    assert report.pushed == 3 and report.in_step and "GET /v1/sync/pull" not in seen
    report, seen = counted_sync(device)
    assert seen == [ROUND]  # it remembers the tip central holds again


def test_a_refused_change_drops_the_page_and_pulls_after_the_restore(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    old, case_id = _late_edit(central, tmp_path, unique)
    try:
        report, seen = counted_sync(old)
        assert report.refused == 1
        assert seen[:3] == [ROUND, "POST /v1/sync/fetch", "GET /v1/sync/pull"], seen
        assert case_id in report.purged and report.in_step
    finally:
        old.close()


def test_a_central_without_round_trips_gets_the_separate_requests_for_a_day(device: Device) -> None:
    wire = Wire()
    wire.unknown = True
    _cases(device, 7)
    report = wired_sync(device, wire)
    assert wire.seen[:4] == [ROUND, "POST /v1/sync/anchor", "POST /v1/sync/push", "GET /v1/sync/pull"], wire.seen
    assert report.pushed == 3 and report.in_step
    _cases(device, 8)
    wire.seen.clear()
    wired_sync(device, wire)
    assert ROUND not in wire.seen and "POST /v1/sync/push" in wire.seen
    assert device.clock is not None
    device.clock.advance(hours=25)
    _cases(device, 9)
    wire.seen.clear()
    wire.unknown = False
    report = wired_sync(device, wire)
    assert wire.seen[0] == ROUND and "POST /v1/sync/push" not in wire.seen and report.pushed == 3


def test_a_lost_answer_to_the_round_trip_then_a_retry_loses_and_doubles_nothing(central: Any, device: Device) -> None:
    _cases(device, 10, 11)
    wire = Wire()
    wire.cut = 1
    with pytest.raises(CentralUnreachable):
        wired_sync(device, wire)
    with device.ws.unit_of_work() as uow:
        assert outbox_size(uow) == 6  # the answers never came: every change waits still
    wire.seen.clear()
    report = wired_sync(device, wire)
    # The claim of the same tip again is taken (no anchor questions), and the trail central took already again.
    assert wire.seen == [ROUND]
    assert report.pushed == 6 and report.conflicts == 0 and report.refused == 0 and report.in_step
    with device.ws.unit_of_work() as uow:
        assert outbox_size(uow) == 0
    assert not device.open_conflicts()
    assert central_chain(central, device.ws.actor.device_id) == local_chain(device)
    report, seen = counted_sync(device)
    assert seen == [ROUND] and (report.pushed, report.pulled, report.repaired) == (0, 0, 0)
