"""The window shows moments in Dutch time whatever zone the machine is set to, also just after midnight."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from ui.letters.letter_models import moment
from ui.sync_status_bar import format_last_sync
from ui.widgets.editor_draft import saved_when

AFTER_MIDNIGHT = dt.datetime(2026, 12, 4, 23, 10, tzinfo=dt.UTC)  # 00:10 on 5 December in Amsterdam


@pytest.fixture
def machine_in_tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_last_sync_is_dutch_time_for_aware_and_zoneless_values(machine_in_tokyo: None) -> None:
    assert format_last_sync(AFTER_MIDNIGHT.isoformat()) == "05-12 00:10"
    assert format_last_sync("2026-12-04T23:10:00") == "05-12 00:10"  # no zone: UTC, not the machine's zone
    assert format_last_sync("kapot") == "kapot"


def test_a_draft_saved_just_after_midnight_is_today_not_yesterday(machine_in_tokyo: None) -> None:
    assert saved_when(AFTER_MIDNIGHT, dt.date(2026, 12, 5)) == "vandaag 00:10"
    assert saved_when(AFTER_MIDNIGHT, dt.date(2026, 12, 6)) == "05-12-2026 00:10"
    assert moment(AFTER_MIDNIGHT.replace(tzinfo=None)) == "05-12-2026 00:10"
