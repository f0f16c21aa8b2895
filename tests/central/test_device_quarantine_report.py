"""The device report carries how many rows the device holds in quarantine, within bounds; a team lead sees it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.central import Crew


def _report(device: Any, quarantined: Any) -> Any:
    return device.http.post("/v1/sync/device-report", json={
        "device_id": device.device_id, "last_sync_at": "2026-11-29T09:00:00+00:00", "pending_changes": 0,
        "open_conflicts": 0, "quarantined_rows": quarantined})


def test_the_quarantine_count_reaches_the_team_lead(crew: Crew) -> None:
    handler = crew.device("handler")
    lead = crew.device("team_lead")
    assert _report(handler, 3).status_code < 300
    seen = {d["device_id"]: d for d in lead.http.get("/v1/team/devices").json()["devices"]}
    assert seen[handler.device_id]["quarantined_rows"] == 3


@pytest.mark.parametrize("count", [-1, 10**12, 2**70, "veel", 1.5])
def test_a_quarantine_count_out_of_bounds_is_refused_with_4xx(crew: Crew, count: Any) -> None:
    handler = crew.device("handler")
    answer = _report(handler, count)
    assert 400 <= answer.status_code < 500, answer.text
