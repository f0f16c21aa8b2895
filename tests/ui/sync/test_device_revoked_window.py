"""The window when central revoked the device: the profile is erased, the window says why and closes."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.helpers.central import CentralServer
from tests.helpers.devices import make_device
from tests.helpers.factories import make_case
from workbench.settings import Settings
from workbench.workspace import Workspace

pytestmark = [pytest.mark.sync,
              pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")]


def test_the_window_says_why_the_device_was_erased_and_closes(qtbot: Any, central: CentralServer,
                                                              tmp_path: Path) -> None:
    from ui.app import build_window

    user = f"sanne-{uuid.uuid4().hex[:6]}"
    central.add_user(user, role="handler", team=f"Team {user}", password="pw")
    device = make_device(tmp_path, name="laptop", url=central.url, username=user, password="pw")
    ws = device.ws
    with ws.unit_of_work() as uow:
        make_case(uow)
    folder = ws.folder
    window = build_window(ws, settings=Settings(folder), inline=True,
                          reopen=lambda p: Workspace.open(folder, p, secrets=device.secrets))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    driver = window.sync_driver
    assert driver is not None
    qtbot.waitUntil(lambda: driver.state == "online" and not driver.busy, timeout=20_000)
    central.cli("revoke-device", ws.descriptor.device_id, "--reason", "laptop verloren op huisbezoek")
    window.sync_button.click()
    qtbot.waitUntil(lambda: driver.state == "revoked", timeout=20_000)
    box = window.erased_notice
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "laptop verloren op huisbezoek" in box.text() and "gewist" in box.text()
    assert window.sync_label.text() == "Apparaat ingetrokken"
    assert not window.stack.isEnabled()
    assert window.ctx.runner.workspace is None
    assert not [name for name in (os.listdir(folder) if folder.exists() else []) if name.startswith("store.db")]
    assert not [name for name in device.secrets.entries if ws.descriptor.profile_id in name]
    # The driver stopped: a click on sync does nothing more.
    window.sync_button.click()
    assert driver.state == "revoked" and not driver.busy
    box.accept()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    driver.shutdown()
