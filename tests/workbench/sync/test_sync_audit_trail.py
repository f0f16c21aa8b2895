"""A device's audit trail, views included, reaches central after the data push; central checks it on arrival."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from central.database import Database
from central.models import Device as CentralDevice
from central.models import Record, TrailEvent
from tests.helpers.devices import Device, make_device
from tests.helpers.factories import make_case
from workbench.audit import chain
from workbench.audit.chain import AuditEntry
from workbench.audit.models import AuditEvent
from workbench.cli.sync_commands import cmd_sync
from workbench.sync import client, trail
from workbench.sync.engine import SyncEngine, SyncReport
from workbench.sync.models import DeviceStatus
from workbench.sync.transport import CentralRefused, CentralUnreachable

pytestmark = pytest.mark.sync


@pytest.fixture
def handler(central: Any, tmp_path: Path, unique: Callable[[str], str]) -> Iterator[Device]:
    user = unique("noor")
    central.add_user(user, role="handler", team=unique("Team Oost"), password="pw-noor", display_name="Noor Test")
    made = make_device(tmp_path, name="laptop-noor", url=central.url, username=user, password="pw-noor")
    made.username = user  # type: ignore[attr-defined]
    yield made
    made.close()


def central_chain(central: Any, device_id: str) -> list[tuple[int, str]]:
    db = Database(central.db_url)
    try:
        with db.read() as session:
            return [(s, h) for s, h in session.execute(select(TrailEvent.seq, TrailEvent.hash).where(
                TrailEvent.device_id == device_id).order_by(TrailEvent.seq)).all()]
    finally:
        db.dispose()


def local_chain(device: Device) -> list[tuple[int, str]]:
    with device.ws.unit_of_work() as uow:
        return [(s, h) for s, h in uow.session.execute(select(AuditEvent.seq, AuditEvent.hash)
                                                       .order_by(AuditEvent.seq)).all()]


def view(device: Device, case_id: str, times: int = 1) -> None:
    for _ in range(times):
        with device.ws.unit_of_work() as uow:
            device.ws.cases.get(uow, case_id)


def engine_for(device: Device) -> SyncEngine:
    return SyncEngine(device.ws.store, device.ws.actor, client.transport_for(device.ws))


def run(engine: SyncEngine) -> SyncReport:
    try:
        return engine.run()
    finally:
        engine.transport.close()


def test_the_whole_trail_views_included_reaches_central_and_tells_who_saw_the_case(central: Any,
                                                                                   handler: Device) -> None:
    with handler.ws.unit_of_work() as uow:
        _, case_id = make_case(uow, 0)
    view(handler, case_id, 2)
    report = handler.sync()
    assert report.audit_pending == 0 and report.audit_sent > 0
    assert central_chain(central, handler.ws.actor.device_id) == local_chain(handler)
    assert central.cli("audit", "verify").returncode == 0

    listing = central.cli("audit", "case", case_id).stdout
    assert "Zaak UHT-" in listing
    lines = [line for line in listing.splitlines() if "zaak bekeken" in line]
    assert len(lines) == 2
    # 09:00 UTC on the device's clock is 10:00 in the Netherlands in November.
    assert lines[0].startswith("29-11-2026 10:00:00") and f"Noor Test ({handler.username})" in lines[0]  # type: ignore[attr-defined]
    assert "[apparaat: laptop-noor]" in lines[0]
    assert any("zaak aangemaakt" in line for line in listing.splitlines())


def test_the_case_history_on_central_names_everyone_who_saw_it_on_any_device(
        central: Any, handler: Device, tmp_path: Path, unique: Callable[[str], str]) -> None:
    with handler.ws.unit_of_work() as uow:
        _, case_id = make_case(uow, 5)
    handler.sync()
    lead_name = unique("lotte")
    central.add_user(lead_name, role="team_lead", team=unique("Team Oost"), password="pw-lotte",
                     display_name="Lotte Leiding")
    lead = make_device(tmp_path, name="laptop-lotte", url=central.url, username=lead_name, password="pw-lotte")
    try:
        view(lead, case_id)  # the team lead holds the team's cases and opens this one
        lead.sync()
    finally:
        lead.close()
    said = json.loads(central.cli("audit", "case", case_id, "--json").stdout)
    seen = {(e["who"], e["what"]) for e in said["events"]}
    assert (f"Lotte Leiding ({lead_name})", "zaak bekeken") in seen
    assert (f"Noor Test ({handler.username})", "zaak aangemaakt") in seen  # type: ignore[attr-defined]
    assert said["reference"].startswith("UHT-")
    wrong = central.cli("audit", "case", "geen-zaak", check=False)
    assert wrong.returncode == 1 and "Geen geldig zaak-id" in wrong.stderr and "Traceback" not in wrong.stderr


def test_workbench_sync_says_how_much_of_the_trail_went_and_waits(handler: Device,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    with handler.ws.unit_of_work() as uow:
        _, case_id = make_case(uow, 4)
    view(handler, case_id, 3)
    assert cmd_sync(argparse.Namespace(json=True), handler.ws) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["auditlog_verstuurd"] >= 3 + 1 and said["auditlog_wachtend"] == 0


def test_a_long_trail_goes_over_several_syncs_and_the_team_lead_sees_how_much_waits(
        central: Any, handler: Device, tmp_path: Path, unique: Callable[[str], str]) -> None:
    with handler.ws.unit_of_work() as uow:
        _, case_id = make_case(uow, 1)
    view(handler, case_id, 40)
    engine = engine_for(handler)
    engine.trail_batch, engine.trail_limit = 7, 20
    first = run(engine)
    tip = local_chain(handler)[-1][0]
    assert first.audit_sent == 20 and first.audit_pending == tip - len(central_chain(central, engine.actor.device_id))
    assert first.audit_pending > 0
    db = Database(central.db_url)
    try:
        with db.read() as session:
            row = session.get(CentralDevice, engine.actor.device_id)
            assert row is not None and row.audit_pending == first.audit_pending
    finally:
        db.dispose()
    lead_name = unique("lotte")
    central.add_user(lead_name, role="team_lead", team=unique("Team Oost"), password="pw-lotte")
    lead = make_device(tmp_path, name="laptop-lotte", url=central.url, username=lead_name, password="pw-lotte")
    try:
        with lead.ws.unit_of_work() as uow:
            seen = uow.session.get(DeviceStatus, engine.actor.device_id)
            assert seen is not None and seen.audit_pending == first.audit_pending
    finally:
        lead.close()
    for _ in range(5):
        engine = engine_for(handler)
        engine.trail_batch, engine.trail_limit = 7, 20
        if run(engine).audit_pending == 0:
            break
    assert central_chain(central, handler.ws.actor.device_id) == local_chain(handler)


def test_a_cut_after_central_took_a_batch_resumes_and_nothing_is_taken_twice(central: Any, handler: Device) -> None:
    with handler.ws.unit_of_work() as uow:
        _, case_id = make_case(uow, 2)
    view(handler, case_id, 12)
    engine = engine_for(handler)
    engine.trail_batch = 5
    cuts = iter([True])

    def cut(stage: str) -> None:
        if stage == "trail" and next(cuts, False):
            raise CentralUnreachable("verbinding verbroken")

    engine.on_batch = cut
    with pytest.raises(CentralUnreachable):
        run(engine)
    with handler.ws.unit_of_work() as uow:
        assert trail.sent(uow.session) < len(central_chain(central, handler.ws.actor.device_id))
    report = handler.sync()
    assert report.audit_pending == 0
    assert central_chain(central, handler.ws.actor.device_id) == local_chain(handler)


def test_an_event_edited_on_the_device_is_refused_on_arrival_after_the_data_went(central: Any,
                                                                                handler: Device) -> None:
    handler.sync()
    with handler.ws.unit_of_work() as uow:
        _, case_id = make_case(uow, 3)
    view(handler, case_id, 3)
    held = len(central_chain(central, handler.ws.actor.device_id))
    # Someone with the passphrase edits an event central does not hold yet (the anchor covers only the tip).
    with handler.ws.store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET detail = 'niet bekeken' WHERE seq = :s"), {"s": held + 2})
    with pytest.raises(CentralRefused) as refused:
        handler.sync()
    assert f"gebeurtenis {held + 2} van het auditlogboek is gewijzigd" in refused.value.message
    assert "gemarkeerd" in refused.value.message
    assert len(central_chain(central, handler.ws.actor.device_id)) == held
    db = Database(central.db_url)
    try:
        with db.read() as session:  # the data push came first: the new case is on central
            assert session.get(Record, ("case", case_id)) is not None
    finally:
        db.dispose()
    with pytest.raises(CentralRefused):
        handler.sync()


def test_an_event_that_cannot_travel_stops_only_the_trail_and_says_so(central: Any, handler: Device,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with handler.ws.unit_of_work() as uow:
        _, case_id = make_case(uow, 6)
        uow.audit(AuditEntry("view", "case", case_id, case_id, detail="nul\x00teken"))
    with handler.ws.unit_of_work() as uow:
        odd, _ = chain.tip(uow.session)
    assert cmd_sync(argparse.Namespace(json=False), handler.ws) == 0
    out = capsys.readouterr().out
    assert f"Gebeurtenis {odd} van het auditlogboek kan niet naar de centrale: het veld detail" in out
    assert "nul" not in out.split("Gebeurtenis")[1]  # the value itself is never shown
    assert len(central_chain(central, handler.ws.actor.device_id)) == odd - 1
    db = Database(central.db_url)
    try:
        with db.read() as session:  # the data went all the same
            assert session.get(Record, ("case", case_id)) is not None
    finally:
        db.dispose()
    report = handler.sync()
    assert report.audit_pending > 0 and report.audit_problem
