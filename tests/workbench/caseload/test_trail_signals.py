"""A team lead sees how much of each device's audit trail has not reached central (from its device report)."""

from __future__ import annotations

from sqlalchemy import update

from tests.workbench.caseload.conftest import TODAY, TeamData
from workbench.caseload.service import CaseloadService
from workbench.store.hooks import Origin
from workbench.store.unit_of_work import Store
from workbench.sync.models import DeviceStatus


def test_audit_events_still_on_a_device_are_a_signal_for_the_handler_and_the_team(store: Store,
                                                                                   team: TeamData) -> None:
    with store.unit_of_work(team.lead, Origin.SYNC) as uow:
        uow.session.execute(update(DeviceStatus).where(DeviceStatus.device_id == team.bram.device_id)
                            .values(audit_pending=37))
    with store.unit_of_work(team.lead) as uow:
        figures = CaseloadService().team(uow, today=TODAY)
    bram = next(f for f in figures.handlers if f.name == "Bram de Vries")
    assert bram.devices[0].audit_pending == 37
    assert "laptop-bram: 37 auditgebeurtenissen nog niet op de centrale" in bram.signals
    assert "37 auditgebeurtenissen nog niet op de centrale" in figures.team.signals
    anna = next(f for f in figures.handlers if f.name == "Anna Bakker")
    assert not any("auditgebeurtenis" in s for s in anna.signals)
