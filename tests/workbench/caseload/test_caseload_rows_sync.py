"""Through a real central: the derived caseload tables stay in step on a first sync's snapshot (bulk insert), on
pulls that adopt changes and a tombstone, on a reassignment's handover and on the purge it brings."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers.central import CentralServer
from tests.helpers.devices import Device, make_device
from tests.helpers.factories import make_case
from tests.workbench.caseload.rows_in_step import assert_in_step
from workbench.caseload.models import CaseloadCase, CaseloadCommitment
from workbench.cases.service import CaseService
from workbench.plans.models import Action, Commitment
from workbench.plans.service import PlanService
from workbench.story.service import StoryService
from workbench.sync import client, snapshot

pytestmark = pytest.mark.sync


def _in_step(device: Device) -> dict[str, int]:
    with device.ws.store.engine.connect() as conn:
        return assert_in_step(conn)


def _work(device: Device, n: int) -> str:
    """A case with a contact, a running track, an overdue action and two promises, through the services."""
    plans = PlanService()
    with device.ws.unit_of_work() as uow:
        _parent, case_id = make_case(uow, n)
        StoryService().add(uow, case_id, kind="telefoon", text="Gebeld.")
        CaseService().start_track(uow, case_id, track="kindregeling")
        plans.add_action(uow, case_id, description="Schuldenlijst opvragen", owner="pzb", due_on="2026-12-10")
        for due in ("2026-12-01", "2026-12-20"):
            plans.add_commitment(uow, case_id, description="Terugbellen", promised_by="Anna", due_on=due)
    return case_id


def test_snapshot_pull_handover_and_purge_keep_the_rows_in_step(
        central: CentralServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tag = uuid.uuid4().hex[:6]
    team, names = f"Team {tag}", {role: f"{role}-{tag}" for role in ("anna", "bram", "lead")}
    for role, name in names.items():
        central.add_user(name, role="team_lead" if role == "lead" else "handler", team=team, password="pw")
    bulk: list[bool] = []
    real_bulk_insert = snapshot._bulk_insert

    def counted(session: Any, rows: Any) -> bool:
        bulk.append(real_bulk_insert(session, rows))
        return bulk[-1]

    monkeypatch.setattr(snapshot, "_bulk_insert", counted)
    devices: dict[str, Device] = {}
    try:
        devices["anna"] = anna = make_device(tmp_path, name="anna", url=central.url, username=names["anna"],
                                             password="pw")
        devices["bram"] = bram = make_device(tmp_path, name="bram", url=central.url, username=names["bram"],
                                             password="pw")
        cases = [_work(anna, n) for n in range(3)]
        assert _in_step(anna)["caseload_commitment"] == 6
        anna.sync()
        bulk.clear()
        devices["lead"] = lead = make_device(tmp_path, name="lead", url=central.url, username=names["lead"],
                                             password="pw")  # its first sync takes the snapshot
        assert bulk and all(bulk)
        counts = _in_step(lead)
        assert counts["caseload_case"] == 3 and counts["caseload_track"] == 3 and counts["caseload_action"] == 3

        plans = PlanService()
        with anna.ws.unit_of_work() as uow:  # changes and a tombstone that the lead pulls and adopts
            action_id = uow.session.scalars(select(Action.id).where(Action.case_id == cases[0])).one()
            plans.complete_action(uow, action_id)
            commitment = plans.plan_for_case(uow, cases[1]).commitments[0]
            plans.renegotiate(uow, commitment.id, new_due_on="2027-01-15", note="Later")
            CaseService().change_phase(uow, cases[2], to_phase="afgesloten", reason="Klaar")
            gone = uow.session.get(Commitment, plans.plan_for_case(uow, cases[1]).commitments[1].id)
            assert gone is not None
            gone.deleted_at = uow.clock.now()  # a tombstone, which the lead's device adopts as a change
        anna.sync()
        lead.sync()
        _in_step(anna)
        counts = _in_step(lead)
        with lead.ws.unit_of_work() as uow:
            open_cases = set(uow.session.scalars(select(CaseloadCase.case_id)))
            on_closed = set(uow.session.scalars(select(CaseloadCommitment.case_id)
                                                .where(CaseloadCommitment.case_open.is_(False))))
            tombstoned = uow.session.get(CaseloadCommitment, gone.id)
        assert (open_cases, on_closed, tombstoned) == ({cases[0], cases[1]}, {cases[2]}, None)
        assert counts["caseload_commitment"] == 5

        client.reassign(lead.ws, cases[0], bram.ws.actor.user_id, "Anna gaat met verlof")
        assert bram.sync().handed_over == [cases[0]]
        assert _in_step(bram)["caseload_case"] == 1
        assert anna.sync().purged == [cases[0]]
        assert _in_step(anna)["caseload_case"] == 1
        lead.sync()
        _in_step(lead)
        with lead.ws.unit_of_work() as uow:
            held = dict(uow.session.execute(select(CaseloadCase.case_id, CaseloadCase.handler_id)).all())
        assert held == {cases[0]: bram.ws.actor.user_id, cases[1]: anna.ws.actor.user_id}
    finally:
        for device in devices.values():
            device.close()
