"""Sync in the window: it runs off the GUI thread against a real central, and the status bar tells the truth."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.central import CentralServer
from tests.helpers.devices import make_device
from tests.helpers.factories import make_case
from tests.ui.conftest import save_screenshot
from workbench.settings import Settings
from workbench.workspace import Workspace

pytestmark = [pytest.mark.sync,
              pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")]


@pytest.fixture(scope="module")
def central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralServer]:
    running = CentralServer(Path(tmp_path_factory.mktemp("central"))).start()
    try:
        yield running
    finally:
        running.close()


def test_the_window_syncs_in_the_background_and_shows_it(qtbot: Any, central: CentralServer, tmp_path: Path) -> None:
    from ui.app import build_window

    user = f"sanne-{uuid.uuid4().hex[:6]}"
    central.add_user(user, role="handler", team=f"Team {user}", password="pw")
    device = make_device(tmp_path, name="laptop", url=central.url, username=user, password="pw")
    ws = device.ws
    with ws.unit_of_work() as uow:
        make_case(uow)
    window = build_window(ws, settings=Settings(tmp_path / "laptop"), inline=True,
                          reopen=lambda p: Workspace.open(tmp_path / "laptop", p, secrets=device.secrets))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    driver = window.sync_driver
    assert driver is not None
    qtbot.waitUntil(lambda: driver.state == "online" and not driver.busy, timeout=20_000)
    window.refresh_status()
    qtbot.waitUntil(lambda: "0 wijzigingen wachten" in window.sync_label.text(), timeout=5_000)
    assert window.sync_label.text().startswith("Online · laatst gesynchroniseerd")
    assert window.sync_button.isEnabled()
    save_screenshot(window, "sync_status_online")
    # Central goes away: the window keeps working, says it is offline and keeps the change waiting.
    central.kill()
    try:
        with ws.unit_of_work() as uow:
            make_case(uow, 1)
        window.sync_button.click()
        qtbot.waitUntil(lambda: driver.state == "offline" and not driver.busy, timeout=20_000)
        window.refresh_status()
        qtbot.waitUntil(lambda: window.sync_label.text().startswith("Offline"), timeout=5_000)
        assert "0 wijzigingen wachten" not in window.sync_label.text()
        assert "niet bereikbaar" in window.sync_label.toolTip()
        save_screenshot(window, "sync_status_offline")
    finally:
        central.start()
    window.sync_button.click()
    qtbot.waitUntil(lambda: driver.state == "online" and not driver.busy, timeout=20_000)
    window.refresh_status()
    qtbot.waitUntil(lambda: "0 wijzigingen wachten" in window.sync_label.text(), timeout=5_000)
    driver.shutdown()
    window.ctx.runner.detach()
    ws.close()


def test_a_case_handed_over_opens_with_its_summary_first(qtbot: Any, central: CentralServer, tmp_path: Path) -> None:
    from ui.app import build_window
    from workbench.story.service import StoryService
    from workbench.sync import client

    tag = uuid.uuid4().hex[:6]
    team = f"Team {tag}"
    for name, role in (("anna", "handler"), ("bram", "handler"), ("lead", "team_lead")):
        central.add_user(f"{name}-{tag}", role=role, team=team, password="pw")
    anna = make_device(tmp_path, name="anna", url=central.url, username=f"anna-{tag}", password="pw")
    bram = make_device(tmp_path, name="bram", url=central.url, username=f"bram-{tag}", password="pw")
    lead = make_device(tmp_path, name="lead", url=central.url, username=f"lead-{tag}", password="pw")
    with anna.ws.unit_of_work() as uow:
        _parent, case_id = make_case(uow)
        StoryService().add(uow, case_id, kind="huisbezoek", text="Moeder vertelde over de terugvordering.")
    anna.sync()
    lead.sync()
    client.reassign(lead.ws, case_id, bram.ws.actor.user_id, "Anna gaat met verlof")
    window = build_window(bram.ws, settings=Settings(tmp_path / "bram"), inline=True,
                          reopen=lambda p: Workspace.open(tmp_path / "bram", p, secrets=bram.secrets))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    driver = window.sync_driver
    assert driver is not None
    qtbot.waitUntil(lambda: bool(window.handover_dialogs), timeout=20_000)
    dialog = window.handover_dialogs[0]
    qtbot.waitUntil(dialog.isVisible)
    assert "Overdracht van zaak UHT-" in dialog.windowTitle()
    assert "terugvordering" in dialog.text.toPlainText()  # type: ignore[attr-defined]
    save_screenshot(dialog, "sync_handover_dialog")
    dialog._on_read()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: client.pending_handovers(bram.ws) == [], timeout=5_000)
    driver.shutdown()
    window.ctx.runner.detach()
    for device in (anna, bram, lead):
        device.close()
