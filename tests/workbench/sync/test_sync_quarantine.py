"""Rows the device cannot adopt: forced into central's database, they are quarantined and sync goes on."""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from central.database import Database
from central.ledger import load_rows, new_row, write_row
from central.models import Device as CentralDevice
from tests.helpers.devices import START, Device, make_device
from tests.helpers.factories import make_case
from workbench.cases.models import Case
from workbench.cli.sync_commands import cmd_sync
from workbench.parties.models import Child, Parent
from workbench.sync.quarantine import QuarantineService

pytestmark = pytest.mark.sync
MEGABYTE_NAME = "J" * 1_000_000


class Central:
    """Writes to central's database directly, past every check of its push (as a compromised server would)."""

    def __init__(self, db_url: str) -> None:
        self.db = Database(db_url)

    def force(self, entity: str, row_id: str, fields: dict[str, Any], *, case_id: str | None = None,
              parent_id: str | None = None) -> None:
        with self.db.write() as session:
            state = load_rows(session, [(entity, row_id)]).get((entity, row_id))
            if state is None:
                state = new_row(entity, row_id, case_id=case_id, parent_id=parent_id)
            write_row(session, state=state, fields=fields, origin_change_id=None, now=START)

    def reported(self, device_id: str) -> int:
        with self.db.read() as session:
            device = session.get(CentralDevice, device_id)
            assert device is not None
            return int(device.quarantined_rows)

    def close(self) -> None:
        self.db.dispose()


@pytest.fixture
def forced(central: Any) -> Iterator[Central]:
    made = Central(central.db_url)
    yield made
    made.close()


@pytest.fixture
def handler(central: Any, tmp_path: Path, unique: Callable[[str], str]) -> Iterator[Device]:
    user = unique("pzb")
    central.add_user(user, role="handler", team=unique("Team"), password="pw")
    device = make_device(tmp_path, name="laptop", url=central.url, username=user, password="pw")
    yield device
    device.close()


def _case(device: Device, n: int = 0) -> tuple[str, str]:
    with device.ws.unit_of_work() as uow:
        parent_id, case_id = make_case(uow, n)
    device.sync()
    return parent_id, case_id


def _value(device: Device, cls: type[Any], row_id: str, name: str) -> Any:
    with device.ws.unit_of_work() as uow:
        return getattr(uow.session.get(cls, row_id), name)


def _quarantined(device: Device) -> list[Any]:
    with device.ws.unit_of_work() as uow:
        return QuarantineService().open_rows(uow)


# (entity, field, poison value, words the Dutch reason must contain)
POISONS = [
    ("parent", "achternaam", {"$where": "1"}, "achternaam"),
    ("parent", "achternaam", MEGABYTE_NAME, "achternaam"),
    ("parent", "bsn", "999999999", "11-proef"),
    ("parent", "birth_date", 19840312, "birth_date"),
    ("case", "urgent_eviction", "ja", "urgent_eviction"),
    ("case", "phase", "hemel", "phase"),
    ("case", "phase_since", 20261129, "phase_since"),
    ("case", "parent_id", str(uuid.uuid4()), "parent_id"),
]


@pytest.mark.parametrize(("entity", "field", "poison", "words"), POISONS,
                         ids=[f"{e}.{f}-{type(p).__name__}{len(str(p))}" for e, f, p, _w in POISONS])
def test_a_row_the_device_cannot_adopt_is_quarantined_and_sync_goes_on(
        handler: Device, forced: Central, entity: str, field: str, poison: Any, words: str) -> None:
    parent_id, case_id = _case(handler)
    row_id = parent_id if entity == "parent" else case_id
    cls = Parent if entity == "parent" else Case
    before = _value(handler, cls, row_id, field)
    forced.force(entity, row_id, {field: poison}, case_id=case_id, parent_id=parent_id)

    report = handler.sync()  # before the change: "interne fout" here, and on every later sync

    assert report.quarantined == 1
    assert _value(handler, cls, row_id, field) == before, "half of a poisoned row was adopted"
    [held] = _quarantined(handler)
    assert (held.entity, held.row_id, held.field) == (entity, row_id, field)
    assert words in held.reason
    assert held.fields[field] == poison, "the raw server change is kept"
    # Later changes to other rows still arrive, and the sync after that still succeeds.
    forced.force("case", case_id, {"decision_due_on": "2027-03-01"})
    forced.force("parent", parent_id, {"city": "Haarlem"})
    later = handler.sync()
    assert _value(handler, Case, case_id, "decision_due_on").isoformat() == "2027-03-01"
    assert _value(handler, Parent, parent_id, "city") == "Haarlem"
    assert later.quarantined == 1, "the row stays in quarantine until central sends a version that fits"
    # A later valid version of the same row clears the quarantine and is adopted.
    forced.force(entity, row_id, {field: before.isoformat() if hasattr(before, "isoformat") else before})
    handler.sync()
    assert _quarantined(handler) == []
    assert _value(handler, cls, row_id, field) == before
    assert handler.sync().in_step


def test_a_new_row_that_cannot_be_adopted_is_quarantined_and_the_rest_of_the_page_arrives(
        handler: Device, forced: Central) -> None:
    parent_id, case_id = _case(handler)
    child_id = str(uuid.uuid4())
    child = {"parent_id": parent_id, "bsn": "123456789", "achternaam": "Jansen", "voorletters": "T.",
             "voornamen": "Tim", "birth_date": "2015-06-01"}
    forced.force("child", child_id, child, parent_id=parent_id)
    forced.force("case", case_id, {"closed_on": "2027-01-15"})
    report = handler.sync()
    assert report.quarantined == 1
    assert _value(handler, Case, case_id, "closed_on").isoformat() == "2027-01-15"
    [held] = _quarantined(handler)
    assert (held.entity, held.row_id, held.field) == ("child", child_id, "bsn")
    assert "11-proef" in held.reason and held.fields == child
    with handler.ws.unit_of_work() as uow:
        assert uow.session.get(Child, child_id) is None, "nothing of the row was written"
    # Central's next version only sets the BSN: the device fetches the row whole and takes it in.
    forced.force("child", child_id, {"bsn": "999990020"})
    handler.sync()
    assert _quarantined(handler) == []
    assert _value(handler, Child, child_id, "bsn") == "999990020"
    assert _value(handler, Child, child_id, "voornamen") == "Tim"


def test_the_team_lead_keeps_syncing_past_a_poisoned_row_of_the_team(
        central: Any, tmp_path: Path, unique: Callable[[str], str], forced: Central) -> None:
    team = unique("Team")
    worker, lead = unique("pzb"), unique("lead")
    central.add_user(worker, role="handler", team=team, password="pw")
    central.add_user(lead, role="team_lead", team=team, password="pw")
    laptop = make_device(tmp_path, name="laptop", url=central.url, username=worker, password="pw")
    lead_device = make_device(tmp_path, name="lead", url=central.url, username=lead, password="pw")
    try:
        parent_id, case_id = _case(laptop)
        lead_device.sync()
        forced.force("case", case_id, {"phase": {"naam": "aangemeld"}})
        forced.force("parent", parent_id, {"city": "Leiden"})
        for device in (laptop, lead_device):
            report = device.sync()
            assert report.quarantined == 1
            assert _value(device, Parent, parent_id, "city") == "Leiden"
            assert forced.reported(device.ws.descriptor.device_id) == 1, "the device report carries the count"
    finally:
        laptop.close()
        lead_device.close()


def test_a_case_renumbered_on_the_device_that_gets_its_original_number_back_is_quarantined(
        handler: Device, forced: Central) -> None:
    _parent, first = _case(handler)
    _parent2, second = _case(handler, 1)
    taken = _value(handler, Case, first, "reference")
    forced.force("case", second, {"reference": taken})
    report = handler.sync()  # before the change: IntegrityError on case_file.reference, "interne fout"
    assert report.quarantined == 1
    [held] = _quarantined(handler)
    assert held.row_id == second and held.field == "reference"
    assert "zaaknummer" in held.reason


def test_workbench_sync_names_the_rows_in_quarantine(handler: Device, forced: Central,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _parent_id, case_id = _case(handler)
    forced.force("case", case_id, {"phase": "hemel"})
    assert cmd_sync(argparse.Namespace(json=False), handler.ws) == 0
    out = capsys.readouterr().out
    assert "1 gegeven in quarantaine" in out and "Conflicten" in out
    assert cmd_sync(argparse.Namespace(json=True), handler.ws) == 0
    assert '"in_quarantaine": 1' in capsys.readouterr().out
    with handler.ws.unit_of_work() as uow:
        assert handler.ws.sync_status.status(uow).quarantined == 1  # the status bar says it too


def test_a_case_reassigned_away_takes_its_quarantined_rows_off_the_device(
        central: Any, tmp_path: Path, unique: Callable[[str], str], forced: Central) -> None:
    team = unique("Team")
    old_user, new_user = unique("anna"), unique("bram")
    central.add_user(old_user, role="handler", team=team, password="pw")
    central.add_user(new_user, role="handler", team=team, password="pw")
    old = make_device(tmp_path, name="old", url=central.url, username=old_user, password="pw")
    try:
        parent_id, case_id = _case(old)
        forced.force("child", str(uuid.uuid4()), {"parent_id": parent_id, "bsn": "123456789",
                                                  "achternaam": "Jansen"}, parent_id=parent_id)
        forced.force("case", case_id, {"phase": "hemel"})
        assert old.sync().quarantined == 2
        central.assign(case_id, new_user, reason="verlof")
        report = old.sync()
        assert report.purged == [case_id]
        assert _quarantined(old) == [], "the parent's data left the device, also what was held in quarantine"
    finally:
        old.close()
