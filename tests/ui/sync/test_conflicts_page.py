"""The Conflicten page: both values shown, a choice becomes an ordinary change, nothing is lost."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.ui.conftest import RecordingNav, page_under_test, save_screenshot
from tests.ui.test_accessibility import unnamed_widgets
from ui.sync.conflicts_page import ConflictsPage
from workbench.parties.models import Parent
from workbench.store.hooks import Origin
from workbench.sync.models import Conflict, OutboxEntry
from workbench.workspace import Workspace

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")


def _add_conflict(ws: Workspace, **over: Any) -> str:
    with ws.unit_of_work(Origin.SYNC) as uow:
        parent = uow.session.scalars(select(Parent).order_by(Parent.achternaam)).first()
        assert parent is not None
        fields = dict(id=str(uuid.uuid4()), entity="parent", row_id=parent.id, field="city",
                      local_value="Haarlem", server_value=parent.city, server_rev=3,
                      created_at=dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC))
        fields.update(over)
        uow.session.add(Conflict(**fields))
        return parent.id


@pytest.fixture
def page(qtbot: Any, workspace: Workspace, profile: Path, nav: RecordingNav) -> Iterator[ConflictsPage]:
    yield from page_under_test(qtbot, workspace, profile, nav, ConflictsPage, (1100, 500))


def test_both_values_are_shown_and_keeping_the_local_one_becomes_a_change(page: ConflictsPage,
                                                                           workspace: Workspace) -> None:
    parent_id = _add_conflict(workspace)
    _add_conflict(workspace, field="phone", local_value=None, server_value=None,
                  reason="U mag deze zaak niet meer wijzigen; hij is overgedragen.")
    page.reload()
    assert page.table.rowCount() == 2
    texts = [page.table.item(0, c).text() for c in range(6)]
    assert texts[1:4] == ["Ouder", "Woonplaats", "Haarlem"]
    assert "UHT-" in texts[0]  # whose data: the parent's name and the case reference
    assert page.table.item(1, 4).text() == "(geweigerd)"
    assert "overgedragen" in page.table.item(1, 5).text()
    assert not page.keep_local.isEnabled()
    save_screenshot(page, "sync_conflicts_page")
    assert unnamed_widgets(page) == []
    page.table.selectRow(0)
    assert page.keep_local.isEnabled()
    page.keep_local.click()
    assert page.table.rowCount() == 1
    with workspace.unit_of_work() as uow:
        parent = uow.session.get(Parent, parent_id)
        assert parent is not None and parent.city == "Haarlem"
        pending = [e.fields for e in uow.session.scalars(select(OutboxEntry).where(OutboxEntry.row_id == parent_id))]
        assert any(f.get("city", [None, None])[1] == "Haarlem" for f in pending)


def test_an_empty_page_says_so(page: ConflictsPage) -> None:
    page.reload()
    assert page.empty.isVisibleTo(page) and not page.table.isVisibleTo(page)


def test_a_value_typed_for_a_conflict_is_kept_until_the_conflict_is_resolved(  # type: ignore[no-untyped-def]
        qtbot, page: ConflictsPage, workspace: Workspace) -> None:
    _add_conflict(workspace)
    page.reload()
    page.table.selectRow(0)
    page.edit.click()
    dialog = page.edit_dialog
    assert dialog.isVisible() and dialog.textValue() == "Haarlem"
    dialog.setTextValue("Haarlem-Noord")
    dialog.reject()  # Annuleren: what was typed is kept for next time
    conflict_id = page.conflicts[0].id
    kept, _changes = workspace.run(lambda uow: workspace.drafts.get(uow, "conflict", conflict_id))
    assert kept is not None and kept.content == {"value": "Haarlem-Noord"}

    page.edit.click()
    dialog = page.edit_dialog
    assert dialog.textValue() == "Haarlem-Noord" and "is teruggezet" in dialog.labelText()
    dialog.accept()
    assert page.table.rowCount() == 0
    gone, _changes = workspace.run(lambda uow: workspace.drafts.get(uow, "conflict", conflict_id))
    assert gone is None
