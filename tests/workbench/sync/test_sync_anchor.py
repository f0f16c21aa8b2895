"""A key holder who rewrites the chain and its keyring anchor together passes the local check; central catches it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tests.helpers.devices import PASS, Device, make_device
from tests.helpers.factories import make_case
from workbench.audit import chain
from workbench.audit.anchor import Anchor
from workbench.audit.journal import anchor_of
from workbench.audit.models import AuditEvent
from workbench.sync.transport import CentralRefused
from workbench.vault import KdfParams
from workbench.workspace import Workspace

pytestmark = pytest.mark.sync


@pytest.fixture
def device(central: Any, tmp_path: Path, unique: Callable[[str], str]) -> Iterator[Device]:
    user = unique("ilse")
    central.add_user(user, role="handler", team=unique("Team West"), password="pw-ilse")
    made = make_device(tmp_path, name="laptop", url=central.url, username=user, password="pw-ilse")
    yield made
    made.close()


def _work_and_sync(device: Device, n: int = 0) -> None:
    with device.ws.unit_of_work() as uow:
        make_case(uow, n, city="Zaandam")
    device.sync()


def _rehash(session: Session, from_seq: int) -> tuple[int, str]:
    """Recompute every hash from `from_seq` on, as a key holder with a script would; returns the new tip."""
    events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    prev = chain.GENESIS
    for ev in events:
        if ev.seq >= from_seq:
            ev.prev_hash = prev
            ev.hash = chain.event_hash(prev, ev)
        prev = ev.hash
    session.flush()
    return events[-1].seq, events[-1].hash


def _forge_keyring(device: Device, seq: int, digest: str) -> None:
    keeper = anchor_of(device.ws.store)
    assert keeper is not None
    keeper.flush()
    old = keeper.read()
    assert old is not None
    device.secrets.set(keeper.name, Anchor(seq, digest, old.counter + 1).dump())


def _reopen(device: Device) -> None:
    device.ws.close()
    device.ws = Workspace.open(device.ws.folder, PASS, secrets=device.secrets, kdf=KdfParams.cheap(),
                               clock=device.clock)


def _rewrite(device: Device, change: Callable[[Session], int]) -> None:
    with Session(device.ws.store.engine) as session, session.begin():
        first = change(session)
        seq, digest = _rehash(session, first)
    _forge_keyring(device, seq, digest)


def test_a_rewritten_and_rehashed_chain_is_refused_by_central(device: Device) -> None:
    _work_and_sync(device)

    def edit_early_event(session: Session) -> int:
        ev = session.get(AuditEvent, 3)
        assert ev is not None
        ev.detail = "herschreven"
        return 3

    _rewrite(device, edit_early_event)
    _reopen(device)  # the local check cannot tell: store and keyring agree
    with device.ws.unit_of_work() as uow:
        assert device.ws.audit.verify(uow).ok
    with pytest.raises(CentralRefused) as refused:
        device.sync()
    assert "herschreven" in refused.value.message and "gemarkeerd" in refused.value.message
    with pytest.raises(CentralRefused):
        device.sync()


def test_newest_events_deleted_with_the_keyring_rolled_back_too_is_refused(device: Device) -> None:
    _work_and_sync(device)
    _work_and_sync(device, 1)

    def drop_newest(session: Session) -> int:
        tip = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
        assert tip is not None
        session.execute(delete(AuditEvent).where(AuditEvent.seq > tip - 8))
        return tip

    _rewrite(device, drop_newest)
    _reopen(device)
    with pytest.raises(CentralRefused) as refused:
        device.sync()
    assert "teruggezet" in refused.value.message


def test_an_honest_device_keeps_syncing_and_central_follows_its_tip(device: Device) -> None:
    for n in range(3):
        _work_and_sync(device, n)
    keeper = anchor_of(device.ws.store)
    assert keeper is not None
    keeper.flush()
    anchored = keeper.read()
    assert anchored is not None and anchored.counter >= 3
    with device.ws.unit_of_work() as uow:
        seq, _ = chain.tip(uow.session)
    assert anchored.seq == seq
