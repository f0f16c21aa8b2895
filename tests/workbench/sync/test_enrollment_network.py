"""Enrollment that survives the network: a retry after a cut answer yields one device; a profile with cases enrolls."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from tests.helpers.central import CentralServer
from tests.helpers.cutting_proxy import Cut, CuttingProxy
from tests.helpers.devices import PASS, START, Device, make_device
from tests.helpers.factories import FixedClock, make_case
from tests.helpers.fakes import MemorySecrets
from workbench.cases.models import Case
from workbench.cases.service import CaseService
from workbench.errors import UserError
from workbench.search.service import SearchService
from workbench.story.models import StoryEntry
from workbench.story.service import StoryService
from workbench.sync import client
from workbench.sync.transport import CentralUnreachable
from workbench.vault import KdfParams
from workbench.workspace import Workspace

pytestmark = pytest.mark.sync


def _profile(folder: Path, name: str) -> Device:
    secrets = MemorySecrets()
    clock = FixedClock(START)
    ws = Workspace.create(folder / name, PASS, secrets=secrets, kdf=KdfParams.cheap(), clock=clock)
    return Device(name, ws, secrets, clock)


def _central_count(server: CentralServer, sql: str, **params: Any) -> int:
    engine = create_engine(server.db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def own_central(tmp_path: Path) -> Iterator[CentralServer]:
    """A central of this test alone (which device got the first block matters here)."""
    server = CentralServer(tmp_path / "own-central").start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def proxy(central: CentralServer) -> Iterator[CuttingProxy]:
    running = CuttingProxy(central.port)
    try:
        yield running
    finally:
        running.close()


def test_enroll_with_a_cut_answer_then_a_retry_yields_one_device(
        central: CentralServer, proxy: CuttingProxy, tmp_path: Path, unique: Callable[[str], str]) -> None:
    user = unique("noor")
    account = central.add_user(user, role="handler", team=unique("Team Noord"), password="pw-noor")
    device = _profile(tmp_path, "noor")
    try:
        proxy.plan = [Cut(response_bytes=30)]  # central enrolls the device; the answer never arrives
        with pytest.raises(CentralUnreachable):
            client.enroll(device.ws, server_url=proxy.url, username=user, password="pw-noor")
        assert proxy.cuts_done == 1
        answer = client.enroll(device.ws, server_url=proxy.url, username=user, password="pw-noor")
        assert answer.user_id == account["user_id"]
        assert device.sync().in_step
        devices = "SELECT count(*) FROM device WHERE user_id = :u"
        assert _central_count(central, devices, u=account["user_id"]) == 1
        blocks = "SELECT count(*) FROM number_block WHERE device_id = :d"
        assert _central_count(central, blocks, d=device.ws.descriptor.device_id) == 1
    finally:
        device.close()


def test_enroll_whose_first_sync_was_cut_can_be_run_again(
        central: CentralServer, proxy: CuttingProxy, tmp_path: Path, unique: Callable[[str], str]) -> None:
    """`workbench enroll` enrolls and then syncs; when that sync breaks off, running enroll again works."""
    user = unique("ravi")
    account = central.add_user(user, role="handler", team=unique("Team Noord"), password="pw-ravi")
    device = _profile(tmp_path, "ravi")
    try:
        client.enroll(device.ws, server_url=proxy.url, username=user, password="pw-ravi")
        with device.ws.unit_of_work() as uow:
            _parent, case_id = make_case(uow, 1)
            number = CaseService().get(uow, case_id).reference
        proxy.plan = [Cut(response_bytes=30)] * 3
        with pytest.raises(CentralUnreachable):
            client.sync(device.ws)
        proxy.plan = []
        answer = client.enroll(device.ws, server_url=proxy.url, username=user, password="pw-ravi")
        assert answer.user_id == account["user_id"]
        assert device.sync().refused == 0
        with device.ws.unit_of_work() as uow:
            assert CaseService().get(uow, case_id).reference == number  # kept: made from its own block
        assert _central_count(central, "SELECT count(*) FROM device WHERE user_id = :u", u=account["user_id"]) == 1
    finally:
        device.close()


def test_a_device_enrolled_with_one_central_is_refused_by_another(
        central: CentralServer, tmp_path: Path, unique: Callable[[str], str]) -> None:
    user = unique("ilse")
    central.add_user(user, role="handler", team=unique("Team Noord"), password="pw-ilse")
    device = make_device(tmp_path, name="ilse", url=central.url, username=user, password="pw-ilse")
    try:
        with pytest.raises(UserError, match="andere centrale") as refused:
            client.enroll(device.ws, server_url="https://centrale.example.org", username=user, password="pw-ilse")
        assert refused.value.field == "server"
    finally:
        device.close()


def test_a_profile_holding_cases_enrolls_pushes_them_and_reconciles_their_numbers(
        own_central: CentralServer, tmp_path: Path) -> None:
    own_central.add_user("vera", role="handler", team="Team Oost", password="pw-vera")
    own_central.add_user("wim", role="handler", team="Team Oost", password="pw-wim")
    # Wim's device enrolled first: its block starts at 1, and it makes UHT-2026-000001 from it.
    wim = make_device(tmp_path, name="wim", url=own_central.url, username="wim", password="pw-wim")
    vera = _profile(tmp_path, "vera")
    try:
        with wim.ws.unit_of_work() as uow:
            _p, wims_case = make_case(uow, 5)
            assert CaseService().get(uow, wims_case).reference == "UHT-2026-000001"
        wim.sync()
        made: dict[str, str] = {}
        with vera.ws.unit_of_work() as uow:  # before enrolling: numbered by the profile itself
            for n in range(2):
                _p, case_id = make_case(uow, n)
                StoryService().add(uow, case_id, kind="huisbezoek", text="Kennismaking thuis.")
                made[case_id] = CaseService().get(uow, case_id).reference
        assert sorted(made.values()) == ["UHT-2026-000001", "UHT-2026-000002"]
        answer = client.enroll(vera.ws, server_url=own_central.url, username="vera", password="pw-vera")
        report = vera.sync()
        assert report.refused == 0 and report.in_step and report.conflicts == 0
        with vera.ws.unit_of_work() as uow:
            numbers = {i: r for i, r in uow.session.execute(select(Case.id, Case.reference))}
            handlers = set(uow.session.scalars(select(Case.handler_id)))
            authors = set(uow.session.scalars(select(StoryEntry.author_id)))
            formers = {i: f for i, f in uow.session.execute(select(Case.id, Case.former_references))}
        assert handlers == authors == {answer.user_id}
        assert set(numbers) == set(made)
        # Both numbers lie in Wim's block (one Wim used, one he may use later): central gave them fresh ones
        # and kept the numbers Vera's profile made as former numbers.
        assert {formers[c] for c in made} == set(made.values())
        assert all(formers[c] == made[c] and numbers[c] != made[c] for c in made)
        assert len(set(numbers.values())) == 2 and not set(numbers.values()) & set(made.values())
        clash = next(case_id for case_id, ref in made.items() if ref == "UHT-2026-000001")
        with vera.ws.unit_of_work() as uow:
            assert CaseService().id_for_reference(uow, "UHT-2026-000001") == clash
            assert [hit.case_id for hit in SearchService().cases(uow, "UHT-2026-000001")] == [clash]
        # A second device of the same user receives the cases whole, under the same numbers.
        tablet = make_device(tmp_path, name="vera-tablet", url=own_central.url, username="vera",
                             password="pw-vera")
        try:
            with tablet.ws.unit_of_work() as uow:
                assert {i: r for i, r in uow.session.execute(select(Case.id, Case.reference))} == numbers
                assert uow.session.scalar(select(func.count()).select_from(StoryEntry)) == 2
        finally:
            tablet.close()
    finally:
        wim.close()
        vera.close()
