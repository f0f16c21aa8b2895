"""Two handlers and a team lead through a real central: the lead sees the team and every device's freshness,
reassigns a case, and the case with its whole story moves to the other handler's device."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers.devices import make_device
from tests.helpers.factories import make_case
from workbench.caseload.service import CaseloadService
from workbench.cases.models import Case
from workbench.errors import UserError
from workbench.story.models import StoryEntry
from workbench.story.service import StoryService
from workbench.sync import client
from workbench.sync.models import DeviceStatus

pytestmark = pytest.mark.sync


def test_the_lead_sees_the_team_and_a_reassignment_moves_the_whole_case(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    team = unique("Team Midden")
    names = {role: unique(role) for role in ("anna", "bram", "lead")}
    central.add_user(names["anna"], role="handler", team=team, password="pw")
    central.add_user(names["bram"], role="handler", team=team, password="pw")
    central.add_user(names["lead"], role="team_lead", team=team, password="pw")
    anna = make_device(tmp_path, name="anna", url=central.url, username=names["anna"], password="pw")
    bram = make_device(tmp_path, name="bram", url=central.url, username=names["bram"], password="pw")
    lead = make_device(tmp_path, name="lead", url=central.url, username=names["lead"], password="pw")
    try:
        with anna.ws.unit_of_work() as uow:
            _parent, case_id = make_case(uow)
            for n in range(4):
                StoryService().add(uow, case_id, kind="huisbezoek", text=f"Anna's verslag {n}.")
        with bram.ws.unit_of_work() as uow:
            make_case(uow, 1)
        anna.sync()
        bram.sync()
        lead.sync()
        with lead.ws.unit_of_work() as uow:
            held = dict(uow.session.execute(select(Case.handler_id, func.count()).group_by(Case.handler_id)).all())
            freshness = {row.user_id: row for row in uow.session.scalars(select(DeviceStatus))}
        assert held == {anna.ws.actor.user_id: 1, bram.ws.actor.user_id: 1}
        # Both laptops numbered their first case offline, each from its own block: the lead's device holds
        # both under the numbers they were made with.
        with lead.ws.unit_of_work() as uow:
            references = sorted(uow.session.scalars(select(Case.reference)))
        made: list[str] = []
        for device in (anna, bram):
            with device.ws.unit_of_work() as uow:
                made += uow.session.scalars(select(Case.reference))
        made.sort()
        assert references == made and len(set(references)) == 2 and not any("/" in ref for ref in references)
        # Every device of the team reported how fresh it is; the lead's copy says so.
        assert set(freshness) == {anna.ws.actor.user_id, bram.ws.actor.user_id, lead.ws.actor.user_id}
        assert freshness[anna.ws.actor.user_id].last_sync_at is not None
        with anna.ws.unit_of_work() as uow:
            assert uow.session.scalar(select(func.count()).select_from(DeviceStatus)) == 1  # only her own

        with pytest.raises(UserError) as refused:
            client.reassign(lead.ws, case_id, bram.ws.actor.user_id, "  ")
        assert refused.value.field == "reden"
        client.reassign(lead.ws, case_id, bram.ws.actor.user_id, "Anna gaat met verlof")

        report = bram.sync()
        assert report.handed_over == [case_id]
        assert client.pending_handovers(bram.ws) == [case_id]
        with bram.ws.unit_of_work() as uow:
            texts = set(uow.session.scalars(select(StoryEntry.text).where(StoryEntry.case_id == case_id)))
        assert texts == {f"Anna's verslag {n}." for n in range(4)}
        client.acknowledge_handover(bram.ws, case_id)
        assert client.pending_handovers(bram.ws) == []

        assert anna.sync().purged == [case_id]
        lead.sync()
        with lead.ws.unit_of_work() as uow:
            held = dict(uow.session.execute(select(Case.handler_id, func.count()).group_by(Case.handler_id)).all())
        assert held == {bram.ws.actor.user_id: 2}
        # The lead's figures, computed on the lead's laptop, match what each handler holds on theirs.
        today = lead.clock.now().date() if lead.clock else None
        assert today is not None
        with lead.ws.unit_of_work() as uow:
            figures = CaseloadService().team(uow, today=today)
        by_handler = {f.handler_id: f for f in figures.handlers}
        for device in (anna, bram):
            with device.ws.unit_of_work() as uow:
                own = CaseloadService().team(uow, today=today).team
            theirs = by_handler[device.ws.actor.user_id]
            assert (theirs.open_cases, theirs.commitments_open, theirs.actions_overdue) == \
                (own.open_cases, own.commitments_open, own.actions_overdue)
            assert theirs.devices and theirs.devices[0].last_sync_at is not None
        assert by_handler[bram.ws.actor.user_id].open_cases == 2
        assert by_handler[anna.ws.actor.user_id].open_cases == 0
        assert figures.team.open_cases == 2
    finally:
        for device in (anna, bram, lead):
            device.close()
