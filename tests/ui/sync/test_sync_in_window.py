"""Sync in the window: it runs off the GUI thread against a real central, and the status bar tells the truth."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.helpers.central import CentralServer
from tests.helpers.devices import make_cases, make_device
from tests.helpers.factories import make_case
from tests.ui.conftest import save_screenshot
from workbench.settings import Settings
from workbench.workspace import Workspace

pytestmark = [pytest.mark.sync,
              pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")]


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


def test_a_case_handed_over_is_listed_on_one_page_with_matching_counts(
        qtbot: Any, central: CentralServer, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialog

    from tests.workbench.sync.test_handover_arrival import fill_case
    from ui.app import build_window
    from ui.team.handover_dialog import HandoverListDialog
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
        fill_case(uow, case_id, actions=2, promises=5, story=36)
        make_case(uow, 1)  # a case that stays with Anna: not listed
    anna.sync()
    lead.sync()
    client.reassign(lead.ws, case_id, bram.ws.actor.user_id, "Anna gaat met verlof")
    window = build_window(bram.ws, settings=Settings(tmp_path / "bram"), inline=True,
                          reopen=lambda p: Workspace.open(tmp_path / "bram", p, secrets=bram.secrets))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    driver = window.sync_driver
    assert driver is not None
    qtbot.waitUntil(lambda: bool(window.handover_dialogs), timeout=20_000)
    qtbot.waitUntil(lambda: not driver.busy, timeout=20_000)
    [page] = window.handover_dialogs
    assert isinstance(page, HandoverListDialog)
    qtbot.waitUntil(page.isVisible)
    assert not page.isModal() and window.isEnabled()
    assert page.windowTitle() == "1 zaak aan u overgedragen" == page.heading.text()
    model = page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    row = {h: model.index(0, c).data() for c, h in enumerate(headers)}
    assert model.rowCount() == 1
    assert (row["Acties"], row["Toezeggingen"], row["Verhaal"]) == ("2", "5", "36")
    text = page.text.toPlainText()
    assert "Open acties (2)" in text and "Lopende toezeggingen (5)" in text and "nieuwste eerst (36)" in text
    assert "Gesprek 35 met de ouder." in text
    save_screenshot(page, "sync_handover_page")
    # A second sync does not stack a second page, and no other dialog opened.
    window.offer_handovers()
    assert len(window.handover_dialogs) == 1
    assert [d for d in window.findChildren(QDialog) if d.isVisible()] == [page]
    page.read_button.click()
    qtbot.waitUntil(lambda: client.pending_handovers(bram.ws) == [], timeout=5_000)
    assert not page.isVisible()
    driver.shutdown()
    window.ctx.runner.detach()
    for device in (anna, bram, lead):
        device.close()


def test_enrolling_a_device_with_300_cases_opens_no_dialog(qtbot: Any, central: CentralServer,
                                                         tmp_path: Path) -> None:
    from PySide6.QtWidgets import QDialog

    from tests.workbench.sync.test_handover_arrival import synthetic_bsns
    from ui.app import build_window
    from workbench.sync import client

    tag = uuid.uuid4().hex[:6]
    team = f"Team {tag}"
    for name, role in (("anna", "handler"), ("bram", "handler"), ("lead", "team_lead")):
        central.add_user(f"{name}-{tag}", role=role, team=team, password="pw")
    anna = make_device(tmp_path, name="anna", url=central.url, username=f"anna-{tag}", password="pw")
    bram = make_device(tmp_path, name="bram", url=central.url, username=f"bram-{tag}", password="pw")
    lead = make_device(tmp_path, name="lead", url=central.url, username=f"lead-{tag}", password="pw")
    make_cases(anna, synthetic_bsns(298, 1000))  # syncs for more case numbers when they run low
    with bram.ws.unit_of_work() as uow:
        moved = [make_case(uow, bsn=bsn)[1] for bsn in synthetic_bsns(2, 5000)]
    anna.sync()
    bram.sync()
    lead.sync()
    for case_id in moved:  # reassigned long before the new laptops arrive
        client.reassign(lead.ws, case_id, anna.ws.actor.user_id, "Bram gaat met verlof")
    anna.sync()
    # The lead's new laptop and Anna's second laptop: enrolled, first sync done, then the window opens and syncs.
    for name, user in (("lead2", f"lead-{tag}"), ("anna2", f"anna-{tag}")):
        device = make_device(tmp_path, name=name, url=central.url, username=user, password="pw")
        window = build_window(device.ws, settings=Settings(tmp_path / name), inline=True,
                              reopen=lambda p, n=name, d=device: Workspace.open(tmp_path / n, p, secrets=d.secrets))
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.offer_handovers()  # as run_window does at start
        driver = window.sync_driver
        assert driver is not None
        qtbot.waitUntil(lambda d=driver: d.state == "online" and not d.busy, timeout=30_000)
        window.offer_handovers()
        qtbot.wait(50)
        assert window.handover_dialogs == []
        assert [d for d in window.findChildren(QDialog) if d.isVisible()] == []
        assert client.pending_handovers(device.ws) == []
        if name == "lead2":
            window.show_page("team")
            assert window.isEnabled()
        driver.shutdown()
        window.ctx.runner.detach()
        device.close()
    for device in (anna, bram, lead):
        device.close()
