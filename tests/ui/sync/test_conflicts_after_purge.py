"""A change central refused for a case that was then reassigned away stays on the Conflicten page, with its text
and central's reason, after the device purged the case."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from tests.ui.conftest import RecordingNav, page_under_test
from ui.sync.conflicts_page import ConflictsPage
from workbench.cases.models import Case
from workbench.store.hooks import Origin
from workbench.story.service import StoryService
from workbench.sync.models import Conflict, OutboxEntry
from workbench.sync.purge import purge_case
from workbench.workspace import Workspace

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")

REASON = "Deze zaak is aan een andere behandelaar toegewezen; u kunt er na de toewijzing niets meer in wijzigen."


@pytest.fixture
def page(qtbot: Any, workspace: Workspace, profile: Path, nav: RecordingNav) -> Iterator[ConflictsPage]:
    yield from page_under_test(qtbot, workspace, profile, nav, ConflictsPage, (1100, 500))


def test_a_refused_edit_of_a_purged_case_stays_visible_with_its_reason(page: ConflictsPage,
                                                                       workspace: Workspace) -> None:
    with workspace.unit_of_work() as uow:
        case_id = uow.session.scalars(select(Case.id).order_by(Case.reference)).first()
        assert case_id is not None
        story = StoryService().add(uow, case_id, kind="telefoon", text="Na de overdracht gebeld.")
    with workspace.unit_of_work(Origin.SYNC) as uow:
        uow.session.execute(delete(OutboxEntry))  # as a sync does with central's answers
        uow.session.add(Conflict(id=str(uuid.uuid4()), entity="story_entry", row_id=story.id, field="text",
                                 local_value="Na de overdracht gebeld.", server_value=None, server_rev=0,
                                 created_at=dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC), reason=REASON))
    with workspace.unit_of_work(Origin.PURGE) as uow:
        assert purge_case(uow, case_id) is True
    page.reload()
    assert page.table.rowCount() == 1
    texts = [page.table.item(0, c).text() for c in range(6)]
    assert texts[0] == "(niet meer op dit apparaat)"
    assert texts[3] == "Na de overdracht gebeld." and texts[4] == "(geweigerd)" and texts[5] == REASON
    page.table.selectRow(0)
    page.keep_server.click()  # passed on: closing it is what is left to do
    assert page.table.rowCount() == 0
