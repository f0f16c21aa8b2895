"""The Team page is in the window of a team lead only, on Ctrl+6."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from tests.helpers.fakes import MemorySecrets
from tests.ui.conftest import shown_window
from ui.team.team_page import TeamPage
from workbench.workspace import Workspace

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")


def sidebar_titles(window: Any) -> list[str]:
    return [window.sidebar.item(n).text() for n in range(window.sidebar.count())]


def test_a_handler_has_no_team_page(window: Any) -> None:
    assert "Team" not in sidebar_titles(window)
    assert not window.findChildren(TeamPage)


def test_a_team_lead_opens_the_team_page_with_ctrl_6(qtbot: Any, lead_workspace: Workspace, lead_profile: Path,
                                                      secrets: MemorySecrets) -> None:
    with shown_window(qtbot, lead_workspace, lead_profile, secrets=secrets) as window:
        assert sidebar_titles(window)[-1] == "Team"
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
        page = window.stack.currentWidget()
        assert isinstance(page, TeamPage)
        assert page.model.rowCount() == 6


def test_a_team_lead_sees_a_colleagues_case_read_only(qtbot: Any, lead_workspace: Workspace, lead_profile: Path,
                                                     secrets: MemorySecrets) -> None:
    from workbench.cases.models import Case

    with lead_workspace.unit_of_work() as uow:
        theirs = uow.session.scalars(select(Case.id).where(Case.handler_id != lead_workspace.actor.user_id)).first()
    assert theirs is not None
    with shown_window(qtbot, lead_workspace, lead_profile, secrets=secrets) as window:
        window.open_case(theirs)
        view = window.stack.currentWidget()
        qtbot.waitUntil(lambda: view.read_only.isVisible(), timeout=5000)
        assert not view.visit_button.isEnabled()
