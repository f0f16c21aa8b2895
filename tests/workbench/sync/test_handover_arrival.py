"""Handovers are reassignments, not arrivals: a newly enrolled device, or a case the user opened on their other
laptop, is no handover; a case a team lead moved from a colleague to this user is, with counts that match."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers.devices import make_cases, make_device
from tests.helpers.factories import make_case
from workbench.caseload.service import CaseloadService
from workbench.cases.models import Case
from workbench.plans.service import PlanService
from workbench.story.service import StoryService
from workbench.sync import client

pytestmark = pytest.mark.sync


def synthetic_bsns(count: int, start: int) -> list[str]:
    """Synthetic BSNs from the 999 test range that pass the 11-proef."""
    out = []
    n = start
    while len(out) < count:
        digits = [int(c) for c in f"999{n:05d}"]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            out.append(f"999{n:05d}{check}")
        n += 1
    return out


def fill_case(uow: Any, case_id: str, *, actions: int, promises: int, story: int) -> None:
    """Open actions, live promises and story entries, as many as asked."""
    plans = PlanService()
    for n in range(actions):
        plans.add_action(uow, case_id, description=f"Actie {n}: gemeente bellen.", owner="pzb")
    for n in range(promises):
        plans.add_commitment(uow, case_id, description=f"Toezegging {n}: brief nasturen.", promised_by="pzb",
                             due_on="2026-12-20")
    for n in range(story):
        StoryService().add(uow, case_id, kind="telefoon", text=f"Gesprek {n} met de ouder.")


def test_a_device_enrolled_with_300_cases_has_no_handovers(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    team = unique("Team Oost")
    names = {role: unique(role) for role in ("anna", "bram", "lead")}
    central.add_user(names["anna"], role="handler", team=team, password="pw")
    central.add_user(names["bram"], role="handler", team=team, password="pw")
    central.add_user(names["lead"], role="team_lead", team=team, password="pw")
    laptop = make_device(tmp_path, name="anna1", url=central.url, username=names["anna"], password="pw")
    bram = make_device(tmp_path, name="bram", url=central.url, username=names["bram"], password="pw")
    lead = make_device(tmp_path, name="lead", url=central.url, username=names["lead"], password="pw")
    try:
        make_cases(laptop, synthetic_bsns(297, 1000))  # syncs for more case numbers when they run low
        with bram.ws.unit_of_work() as uow:
            moved = [make_case(uow, bsn=bsn)[1] for bsn in synthetic_bsns(3, 5000)]
        laptop.sync()
        bram.sync()
        lead.sync()
        for case_id in moved:  # handed over before the second laptop and the lead's laptop were enrolled
            client.reassign(lead.ws, case_id, laptop.ws.actor.user_id, "Bram gaat met verlof")
        assert sorted(laptop.sync().handed_over) == sorted(moved)  # her enrolled laptop: these are handovers
        # Anna's second laptop and a new laptop for the lead receive all 300 cases: no handover among them.
        second = make_device(tmp_path, name="anna2", url=central.url, username=names["anna"], password="pw")
        new_lead = make_device(tmp_path, name="lead2", url=central.url, username=names["lead"], password="pw")
        for device in (second, new_lead):
            with device.ws.unit_of_work() as uow:
                assert uow.session.scalar(select(func.count()).select_from(Case)) == 300
                assert CaseloadService().waiting_handovers(uow) == []
            assert all(report.handed_over == [] for report in device.reports)
            assert client.pending_handovers(device.ws) == []
        # A case Anna opens on her first laptop reaches the second one: still hers, never handed over.
        with laptop.ws.unit_of_work() as uow:
            _parent, own = make_case(uow, bsn=synthetic_bsns(1, 6000)[0])
        laptop.sync()
        report = second.sync()
        assert own in report.touched_cases and report.handed_over == []
        assert client.pending_handovers(second.ws) == []
        for device in (second, new_lead):
            device.close()
    finally:
        for device in (laptop, bram, lead):
            device.close()


def test_a_reassignment_is_a_handover_on_every_laptop_of_the_new_handler_with_matching_counts(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    team = unique("Team West")
    names = {role: unique(role) for role in ("anna", "bram", "lead")}
    central.add_user(names["anna"], role="handler", team=team, password="pw")
    central.add_user(names["bram"], role="handler", team=team, password="pw")
    central.add_user(names["lead"], role="team_lead", team=team, password="pw")
    anna = make_device(tmp_path, name="anna", url=central.url, username=names["anna"], password="pw")
    bram = make_device(tmp_path, name="bram", url=central.url, username=names["bram"], password="pw")
    bram2 = make_device(tmp_path, name="bram2", url=central.url, username=names["bram"], password="pw")
    lead = make_device(tmp_path, name="lead", url=central.url, username=names["lead"], password="pw")
    try:
        with anna.ws.unit_of_work() as uow:
            _parent, case_id = make_case(uow)
            fill_case(uow, case_id, actions=2, promises=5, story=36)
        anna.sync()
        assert lead.sync().handed_over == []  # the lead sees the team's cases; none is handed to the lead
        client.reassign(lead.ws, case_id, bram.ws.actor.user_id, "Anna gaat met verlof")
        assert lead.reports[-1].handed_over == [] if lead.reports else True
        for device in (bram, bram2):
            assert device.sync().handed_over == [case_id]
            with device.ws.unit_of_work() as uow:
                [summary] = CaseloadService().waiting_handovers(uow)
            assert (len(summary.actions), len(summary.commitments), len(summary.story)) == (2, 5, 36)
            assert summary.previous_handler is not None and summary.handler_name != summary.previous_handler
        # Read on one laptop is read there; the other still offers it until read.
        client.acknowledge_handover(bram.ws, case_id)
        assert client.pending_handovers(bram.ws) == [] and client.pending_handovers(bram2.ws) == [case_id]
        assert bram.sync().handed_over == []  # a later sync does not offer it again
    finally:
        for device in (anna, bram, bram2, lead):
            device.close()
