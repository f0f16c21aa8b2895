"""Sync between devices through a real central on loopback: merges, conflicts and their resolution."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers.devices import Device, make_device
from tests.helpers.factories import make_case
from workbench.parties.models import Parent
from workbench.story.models import StoryEntry
from workbench.story.service import StoryService
from workbench.sync.conflicts import KEEP_LOCAL, ConflictService
from workbench.sync.models import OutboxEntry

pytestmark = pytest.mark.sync


@pytest.fixture
def pair(central: Any, tmp_path: Path, unique: Callable[[str], str]) -> Iterator[tuple[Device, Device]]:
    user = unique("sanne")
    central.add_user(user, role="handler", team=unique("Team Noord"), password="pw-sanne")
    one = make_device(tmp_path, name="laptop", url=central.url, username=user, password="pw-sanne")
    two = make_device(tmp_path, name="tablet", url=central.url, username=user, password="pw-sanne")
    yield one, two
    one.close()
    two.close()


def _new_case(device: Device) -> tuple[str, str]:
    with device.ws.unit_of_work() as uow:
        parent_id, case_id = make_case(uow, city="Zaandam", phone="06 12345678")
        StoryService().add(uow, case_id, kind="huisbezoek", text="Eerste gesprek aan de keukentafel.")
    return parent_id, case_id


def _parent(device: Device, parent_id: str) -> Parent:
    with device.ws.unit_of_work() as uow:
        parent = uow.session.get(Parent, parent_id)
        assert parent is not None
        return parent


def _edit(device: Device, parent_id: str, **values: str) -> None:
    with device.ws.unit_of_work() as uow:
        parent = uow.session.get(Parent, parent_id)
        assert parent is not None
        for key, value in values.items():
            setattr(parent, key, value)


def _outbox(device: Device) -> int:
    with device.ws.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def test_a_case_made_offline_reaches_the_other_device_whole(pair: tuple[Device, Device]) -> None:
    one, two = pair
    parent_id, case_id = _new_case(one)
    report = one.sync()
    assert report.pushed >= 3 and _outbox(one) == 0 and report.in_step
    two.sync()
    assert _parent(two, parent_id).city == "Zaandam"
    with two.ws.unit_of_work() as uow:
        texts = uow.session.scalars(select(StoryEntry.text).where(StoryEntry.case_id == case_id)).all()
    assert texts == ["Eerste gesprek aan de keukentafel."]
    assert one.state() == two.state()


def test_different_fields_merge_silently(pair: tuple[Device, Device]) -> None:
    one, two = pair
    parent_id, _ = _new_case(one)
    one.sync()
    two.sync()
    _edit(one, parent_id, city="Haarlem")
    _edit(two, parent_id, phone="06 87654321")
    one.sync()
    second = two.sync()
    one.sync()
    assert second.conflicts == 0 and not one.open_conflicts() and not two.open_conflicts()
    for device in (one, two):
        parent = _parent(device, parent_id)
        assert (parent.city, parent.phone) == ("Haarlem", "06 87654321")
    assert one.state() == two.state()


def test_the_same_field_becomes_a_conflict_on_the_second_and_its_resolution_reaches_both(
        pair: tuple[Device, Device]) -> None:
    one, two = pair
    parent_id, _ = _new_case(one)
    one.sync()
    two.sync()
    _edit(one, parent_id, city="Haarlem")
    _edit(two, parent_id, city="Leiden")
    assert one.sync().conflicts == 0
    assert two.sync().conflicts == 1
    [conflict] = two.open_conflicts()
    assert (conflict.field, conflict.local_value, conflict.server_value) == ("city", "Leiden", "Haarlem")
    assert not one.open_conflicts()
    # Both values are kept: central's on the row, this device's in the conflict, until a person chooses.
    assert _parent(two, parent_id).city == "Haarlem"
    with two.ws.unit_of_work() as uow:
        ConflictService().resolve(uow, conflict.id, choice=KEEP_LOCAL)
    two.sync()
    one.sync()
    assert _parent(one, parent_id).city == "Leiden" == _parent(two, parent_id).city
    assert not two.open_conflicts()
    assert one.state() == two.state()


def test_a_sync_with_nothing_to_do_changes_nothing(pair: tuple[Device, Device]) -> None:
    one, _two = pair
    _new_case(one)
    one.sync()
    before = one.state()
    report = one.sync()
    assert (report.pushed, report.pulled, report.repaired) == (0, 0, 0) and report.in_step
    assert one.state() == before


def test_clock_skew_of_an_hour_never_decides_who_wins(central: Any, tmp_path: Path,
                                                      unique: Callable[[str], str]) -> None:
    user = unique("sanne")
    central.add_user(user, role="handler", team=unique("Team Noord"), password="pw-sanne")
    ahead = make_device(tmp_path, name="ahead", url=central.url, username=user, password="pw-sanne",
                        clock_offset=dt.timedelta(hours=1))
    right = make_device(tmp_path, name="right", url=central.url, username=user, password="pw-sanne")
    try:
        parent_id, _ = _new_case(right)
        right.sync()
        ahead.sync()
        _edit(ahead, parent_id, city="Haarlem")  # stamped an hour "later"
        _edit(right, parent_id, city="Leiden")
        ahead.sync()
        report = right.sync()
        # The later timestamp does not silently win: the clash is shown to a person, both values kept.
        assert report.conflicts == 1
        [conflict] = right.open_conflicts()
        assert {conflict.local_value, conflict.server_value} == {"Haarlem", "Leiden"}
    finally:
        ahead.close()
        right.close()
