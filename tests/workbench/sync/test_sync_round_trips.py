"""How many requests one sync makes against a real central, and that the folded exchanges still catch what they caught.

A sync that pushes makes at most five requests (anchor claim, push, trail, pull with the summary on its last
page, the trail of the run itself); a sync with nothing to do at most three. The device remembers what central
held at the last answer (anchor tip, audit trail tip) and asks again only when central says it holds another.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select, text

from tests.helpers.devices import PASS, Device, make_device
from tests.helpers.factories import make_case
from workbench.audit.anchor import Anchor
from workbench.audit.journal import anchor_of
from workbench.cases.models import PhaseChange
from workbench.store.hooks import Origin
from workbench.sync import client, state, trail
from workbench.sync.engine import SyncReport
from workbench.sync.transport import CentralRefused, Transport
from workbench.vault import KdfParams
from workbench.workspace import Workspace

pytestmark = pytest.mark.sync


@pytest.fixture
def device(central: Any, tmp_path: Path, unique: Callable[[str], str]) -> Iterator[Device]:
    user = unique("fenna")
    central.add_user(user, role="handler", team=unique("Team Noord"), password="pw-fenna")
    made = make_device(tmp_path, name="laptop", url=central.url, username=user, password="pw-fenna")
    yield made
    made.close()


def counted_sync(device: Device) -> tuple[SyncReport, list[str]]:
    """Sync through a transport that writes down every request (method and path)."""
    seen: list[str] = []
    token = device.secrets.get(client.token_name(device.ws.descriptor.profile_id))
    url = client.transport_for(device.ws).base_url
    http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                        event_hooks={"request": [lambda r: seen.append(f"{r.method} {r.url.path}")]})
    transport = Transport(url, client=http)
    try:
        return client.sync(device.ws, transport=transport), seen
    finally:
        transport.close()


def test_a_sync_that_pushes_makes_at_most_five_requests(device: Device) -> None:
    with device.ws.unit_of_work() as uow:
        make_case(uow, 0)
    report, seen = counted_sync(device)
    assert report.pushed > 0 and report.in_step and report.audit_pending == 0
    assert len(seen) <= 5, seen
    assert "GET /v1/sync/summary" not in seen and "GET /v1/sync/anchor" not in seen
    assert "GET /v1/sync/audit" not in seen


def test_a_sync_with_nothing_to_do_makes_at_most_three_requests(device: Device) -> None:
    with device.ws.unit_of_work() as uow:
        make_case(uow, 1)
    device.sync()
    report, seen = counted_sync(device)
    assert (report.pushed, report.pulled) == (0, 0) and report.audit_pending == 0
    assert len(seen) <= 3, seen


def _keep_profile(device: Device, where: Path) -> dict[str, str]:
    """A copy of the whole profile (store file and keyring), as a backup a key holder could put back."""
    device.ws.close()
    shutil.copytree(device.ws.folder, where)
    device.ws = Workspace.open(device.ws.folder, PASS, secrets=device.secrets, kdf=KdfParams.cheap(),
                               clock=device.clock)
    return dict(device.secrets.entries)


def _put_back(device: Device, where: Path, keyring: dict[str, str]) -> None:
    token = client.token_name(device.ws.descriptor.profile_id)
    device.ws.close()
    shutil.rmtree(device.ws.folder)
    shutil.copytree(where, device.ws.folder)
    device.secrets.entries.update({k: v for k, v in keyring.items() if k != token})
    device.ws = Workspace.open(device.ws.folder, PASS, secrets=device.secrets, kdf=KdfParams.cheap(),
                               clock=device.clock)


def _work_and_sync(device: Device, n: int) -> None:
    with device.ws.unit_of_work() as uow:
        make_case(uow, n)
    device.sync()


def test_a_whole_profile_put_back_from_a_backup_is_refused(device: Device, tmp_path: Path) -> None:
    """The store remembers an older held tip too: the claim against it still finds the rollback."""
    _work_and_sync(device, 2)
    keyring = _keep_profile(device, tmp_path / "backup")
    _work_and_sync(device, 3)
    _put_back(device, tmp_path / "backup", keyring)
    with pytest.raises(CentralRefused) as refused:
        device.sync()
    assert "teruggezet" in refused.value.message and "gemarkeerd" in refused.value.message


def test_a_backup_grown_past_the_held_tip_with_a_forged_counter_is_refused(device: Device, tmp_path: Path) -> None:
    """Put back, then grown beyond central's tip with a higher keyring counter: the held event differs."""
    _work_and_sync(device, 4)
    keyring = _keep_profile(device, tmp_path / "backup")
    _work_and_sync(device, 5)
    _put_back(device, tmp_path / "backup", keyring)
    for n in range(6, 9):
        with device.ws.unit_of_work() as uow:
            make_case(uow, n)
    keeper = anchor_of(device.ws.store)
    assert keeper is not None
    keeper.flush()
    old = keeper.read()
    assert old is not None
    device.secrets.set(keeper.name, Anchor(old.seq, old.hash, old.counter + 50).dump())
    with pytest.raises(CentralRefused) as refused:
        device.sync()
    assert "herschreven" in refused.value.message and "gemarkeerd" in refused.value.message


def test_a_device_that_remembers_more_trail_than_central_holds_asks_and_sends_the_rest(
        central: Any, device: Device) -> None:
    _work_and_sync(device, 10)
    with device.ws.unit_of_work(Origin.SYNC) as uow:
        held = trail.sent(uow.session)
        state.put(uow.session, trail.SENT, str(held + 3))  # as if central had been put back from a backup
    with device.ws.unit_of_work() as uow:
        for n in range(11, 16):  # more events than the three central lacks: the trail goes on after them
            make_case(uow, n)
    report, seen = counted_sync(device)
    # Central refused the trail in the round trip (it starts after a gap) and took the push all the same.
    assert report.pushed == 15 and report.audit_pending == 0
    # Then the trail on its own, from what the device remembers: refused again (the gap), it asks, and sends.
    assert seen == ["POST /v1/sync/round", "POST /v1/sync/audit", "GET /v1/sync/audit", "POST /v1/sync/audit"]
    from tests.workbench.sync.test_sync_audit_trail import central_chain, local_chain

    assert central_chain(central, device.ws.actor.device_id) == local_chain(device)


def test_events_central_holds_sent_again_edited_are_refused(device: Device) -> None:
    _work_and_sync(device, 12)
    with device.ws.unit_of_work(Origin.SYNC) as uow:
        held = trail.sent(uow.session)
        state.put(uow.session, trail.SENT, str(held - 4))  # an older answer remembered (a restored store)
    with device.ws.store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET detail = 'niet bekeken' WHERE seq = :s"), {"s": held - 2})
    with device.ws.unit_of_work() as uow:
        make_case(uow, 13)
    with pytest.raises(CentralRefused) as refused:
        device.sync()
    assert f"gebeurtenis {held - 2} van het auditlogboek is niet meer dezelfde" in refused.value.message


def test_a_row_lost_on_the_device_is_repaired_with_the_summary_of_the_pull(device: Device) -> None:
    _work_and_sync(device, 14)
    with device.ws.unit_of_work() as uow:
        row_id = uow.session.scalar(select(PhaseChange.id).where(PhaseChange.rev > 0).limit(1))
    assert row_id is not None
    with device.ws.store.engine.begin() as conn:  # a page lost by a bug: the row is gone behind sync's back
        conn.execute(delete(PhaseChange.__table__).where(PhaseChange.__table__.c.id == row_id))
    with device.ws.unit_of_work() as uow:
        make_case(uow, 15)
    report, seen = counted_sync(device)
    assert report.repaired >= 1 and report.in_step
    with device.ws.unit_of_work() as uow:
        assert uow.session.get(PhaseChange, row_id) is not None
    assert seen.count("GET /v1/sync/summary") <= 1  # only the check after the repair asks for it
