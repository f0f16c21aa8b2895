"""The Overzicht shows the recorded consents, where a pzb'er looks before sharing anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.ui.cases.test_case_view import case_ids, open_case
from tests.ui.conftest import run, save_screenshot
from workbench.changes import Changes

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def test_the_overview_lists_each_consent_for_whom_what_since_when_and_withdrawn(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    case_id = case_ids(window)[0]
    today = window.ctx.today()

    def record(ws: Any, uow: Any) -> None:
        ws.consent.give(uow, case_id, partner="Gemeente Haarlem", scope="Schuldhulp: inkomen en schulden",
                        given_on=today - dt.timedelta(days=20))
        old = ws.consent.give(uow, case_id, partner="GGD Kennemerland", scope="Jeugdzorg",
                              given_on=today - dt.timedelta(days=40))
        ws.consent.withdraw(uow, old.id, on_date=today - dt.timedelta(days=5))

    run(window, record)
    view = open_case(qtbot, window, case_id)
    text = view.overview.consents_text.text()
    since = f"{today - dt.timedelta(days=20):%d-%m-%Y}"
    withdrawn = f"{today - dt.timedelta(days=5):%d-%m-%Y}"
    assert "Gemeente Haarlem: Schuldhulp: inkomen en schulden" in text
    assert f"Geldt sinds {since}" in text
    assert "GGD Kennemerland: Jeugdzorg" in text
    assert f"ingetrokken op {withdrawn}: geldt niet meer" in text
    assert view.overview.touched_by(Changes(frozenset({"consent"}), frozenset({case_id})))
    view.overview.consents_text.ensurePolished()
    save_screenshot(view, "case_overview_consents")


def test_a_case_without_consent_says_nothing_may_be_shared_on_that_ground(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_case(qtbot, window, case_ids(window)[1])
    assert "Geen toestemming vastgelegd" in view.overview.consents_text.text()
