"""Final case numbers through a real central: devices offline never make the same number, and none changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers.central import CentralServer
from tests.helpers.devices import Device, make_device
from tests.helpers.factories import make_case
from workbench.cases import numbering
from workbench.cases.models import Case
from workbench.cli.sync_commands import numbers_note
from workbench.errors import UserError
from workbench.parties.models import Parent
from workbench.store.hooks import Origin

pytestmark = pytest.mark.sync


def _open_cases(device: Device, count: int, start: int) -> dict[str, str]:
    """Open `count` cases offline (parents `start`... get distinct test BSNs); returns case id -> number."""
    made = {}
    for n in range(count):
        with device.ws.unit_of_work() as uow:
            _parent_id, case_id = make_case(uow, start + n)
            made[case_id] = uow.session.get(Case, case_id).reference  # type: ignore[union-attr]
    return made


def _numbers(device: Device) -> dict[str, str]:
    with device.ws.unit_of_work() as uow:
        return {case_id: ref for case_id, ref in uow.session.execute(select(Case.id, Case.reference))}


def test_two_devices_offline_make_cases_and_after_sync_every_number_is_unique_and_unchanged(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    team = unique("Team Oost")
    for name, role in (("anna", "handler"), ("bram", "handler"), ("lead", "team_lead")):
        central.add_user(unique(name), role=role, team=team, password="pw-" + name)
    anna = make_device(tmp_path, name="anna", url=central.url, username=unique("anna"), password="pw-anna")
    bram = make_device(tmp_path, name="bram", url=central.url, username=unique("bram"), password="pw-bram")
    lead = make_device(tmp_path, name="lead", url=central.url, username=unique("lead"), password="pw-lead")
    try:
        by_anna, by_bram = _open_cases(anna, 3, 0), _open_cases(bram, 3, 3)  # both offline, no sync between
        made = {**by_anna, **by_bram}
        assert len(set(made.values())) == 6
        for device in (anna, bram, anna, bram, lead):
            assert device.sync().refused == 0
        assert _numbers(anna) == by_anna
        assert _numbers(bram) == by_bram
        assert _numbers(lead) == made  # the team lead holds all six, under the numbers they were made with
        assert not any("/" in ref for ref in _numbers(lead).values())
    finally:
        for device in (anna, bram, lead):
            device.close()


@pytest.fixture
def small_blocks(tmp_path: Path) -> Any:
    server = CentralServer(tmp_path / "central-small", env={"CENTRAL_NUMBER_BLOCK": "4"}).start()
    try:
        yield server
    finally:
        server.close()


def test_a_device_out_of_numbers_offline_is_told_in_dutch_and_sync_gives_it_more(
        small_blocks: CentralServer, tmp_path: Path) -> None:
    small_blocks.add_user("saar", role="handler", team="Team Zuid", password="pw-saar")
    device = make_device(tmp_path, name="saar", url=small_blocks.url, username="saar", password="pw-saar")
    try:
        with device.ws.unit_of_work() as uow:
            assert numbering.numbers_left(uow.session) == 4
        made = _open_cases(device, 4, 0)
        with pytest.raises(UserError, match="geen zaaknummers meer") as refused:
            _open_cases(device, 1, 20)
        assert refused.value.field == "reference"
        with device.ws.unit_of_work() as uow:  # nothing half-written: not even the refused case's parent
            assert uow.session.scalar(select(func.count()).select_from(Parent)) == 4
        report = device.sync()
        assert report.numbers_left == 4
        assert "Nog 4 zaaknummers over" in numbers_note(report.numbers_left)
        more = _open_cases(device, 1, 20)
        assert set(more.values()).isdisjoint(made.values())
        assert device.sync().refused == 0
        assert _numbers(device) == {**made, **more}
    finally:
        device.close()


def test_a_case_held_under_a_stand_in_number_gets_its_own_back(central: Any, tmp_path: Path,
                                                              unique: Callable[[str], str]) -> None:
    central.add_user(unique("mila"), role="handler", team=unique("Team West"), password="pw-mila")
    device = make_device(tmp_path, name="mila", url=central.url, username=unique("mila"), password="pw-mila")
    try:
        [(case_id, number)] = _open_cases(device, 1, 30).items()
        device.sync()
        with device.ws.unit_of_work(Origin.SYNC) as uow:  # as an older version kept a second case with one number
            uow.session.get(Case, case_id).reference = number + "/3F2A"  # type: ignore[union-attr]
        report = device.sync()
        assert _numbers(device)[case_id] == number
        assert report.pushed == 0 and report.in_step
    finally:
        device.close()
