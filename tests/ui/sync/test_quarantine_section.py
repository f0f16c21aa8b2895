"""The Conflicten page lists rows from central the device could not adopt: what, why, since when, what to do."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest

from central.database import Database
from central.ledger import load_rows, write_row
from tests.helpers.central import CentralServer
from tests.helpers.devices import START, make_device
from tests.helpers.factories import make_case
from tests.ui.conftest import RecordingNav, page_under_test, save_screenshot
from tests.ui.test_accessibility import unnamed_widgets
from ui.sync.conflicts_page import ConflictsPage

pytestmark = [pytest.mark.sync,
              pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")]


def _force(db_url: str, entity: str, row_id: str, fields: dict[str, Any]) -> None:
    """Write straight into central's database, past its push checks."""
    db = Database(db_url)
    try:
        with db.write() as session:
            write_row(session, state=load_rows(session, [(entity, row_id)])[(entity, row_id)], fields=fields,
                      origin_change_id=None, now=START)
    finally:
        db.dispose()


def test_a_quarantined_row_is_listed_with_its_reason_and_what_to_do(qtbot: Any, central: CentralServer,
                                                                    tmp_path: Path) -> None:
    user = f"pzb-{uuid.uuid4().hex[:6]}"
    central.add_user(user, role="handler", team=f"Team {user}", password="pw")
    device = make_device(tmp_path, name="laptop", url=central.url, username=user, password="pw")
    with device.ws.unit_of_work() as uow:
        _parent_id, case_id = make_case(uow)
    device.sync()
    _force(central.db_url, "case", case_id, {"phase": "hemel"})
    assert device.sync().quarantined == 1
    pages = page_under_test(qtbot, device.ws, tmp_path / "laptop", RecordingNav(), ConflictsPage, (1100, 600))
    page = next(pages)
    try:
        page.reload()
        assert page.quarantine_table.isVisibleTo(page) and page.quarantine_intro.isVisibleTo(page)
        assert page.quarantine_table.rowCount() == 1
        cells = [page.quarantine_table.item(0, c).text() for c in range(5)]
        assert "UHT-" in cells[0] and cells[1:3] == ["Zaak", "Fase"]
        assert "Fase is onbekend" in cells[3] and "'phase'" in cells[3]
        assert cells[4].startswith("vandaag") or cells[4][:2].isdigit()
        assert "functioneel beheer" in page.quarantine_intro.text()
        qtbot.wait(50)  # let the layout follow the sections shown and hidden before the grab
        shutil.copy(save_screenshot(page, "sync_conflicts_quarantine"), "/tmp/sync_conflicts_quarantine.png")
        assert unnamed_widgets(page) == []
        # Central sends a version that fits: the section goes away.
        _force(central.db_url, "case", case_id, {"phase": "aangemeld"})
        device.sync()
        page.reload()
        assert page.quarantine_table.rowCount() == 0
        assert not page.quarantine_table.isVisibleTo(page) and not page.quarantine_title.isVisibleTo(page)
    finally:
        next(pages, None)
