"""A case this user may only read disables every editor at once, with a note saying why, instead of refusing at save."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers.fakes import MemorySecrets
from tests.ui.conftest import save_screenshot, shown_window
from workbench.workspace import Workspace

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints\(\)|raise\(\))$")


@pytest.fixture
def lead_window(qtbot: Any, lead_workspace: Workspace, lead_profile: Path, secrets: MemorySecrets) -> Iterator[Any]:
    with shown_window(qtbot, lead_workspace, lead_profile, secrets=secrets, size=(1366, 768)) as window:
        yield window


def _case(workspace: Workspace, *, mine: bool) -> str:
    from workbench.cases.models import Case

    me = workspace.actor.user_id
    with workspace.unit_of_work() as uow:
        found = uow.session.scalars(select(Case.id).where(
            (Case.handler_id == me) if mine else (Case.handler_id != me)).order_by(Case.reference)).first()
    assert found is not None
    return found


def _open(qtbot: Any, window: Any, case_id: str) -> Any:
    window.open_case(case_id)
    view = window.stack.currentWidget()
    qtbot.waitUntil(lambda: view.overview.loaded, timeout=5000)
    for n in range(view.tabs.count()):  # build every tab, as a person clicking through would
        view.show_tab(n)
    qtbot.waitUntil(lambda: view.letters.panel.loaded and view.plan.loaded and view.consent.loaded, timeout=5000)
    return view


def _editors(view: Any) -> dict[str, Any]:
    story, plan, consent, letters = view.story, view.plan, view.consent, view.letters.panel
    return {"urgency": next(iter(view.overview.urgency.values())), "parent editor": view.overview.edit_button,
            "new story entry": story.form_group, "story text": story.text, "plan: need": plan.need_form,
            "plan: action": plan.action_form, "plan: promise": plan.commitment_form, "give consent": consent.give_box,
            "record disclosure": consent.record_box, "new letter": letters.new_button, "visit": view.visit_button}


def test_a_colleagues_case_opens_with_every_editor_disabled_and_says_why(qtbot: Any, lead_window: Any,
                                                                          lead_workspace: Workspace) -> None:
    view = _open(qtbot, lead_window, _case(lead_workspace, mine=False))
    enabled = [name for name, widget in _editors(view).items() if widget.isEnabled()]
    assert enabled == []
    assert view.read_only.isVisible()
    assert view.read_only.text().startswith("Alleen lezen: deze zaak hoort bij een andere zaakbehandelaar.")
    assert not view.story.confirm_button.isEnabled()
    assert not view.consent.withdraw_button.isEnabled()
    assert view.letters.panel.open_button.text() == "&Openen…"  # a draft opens as its PDF, not in the wizard
    view.show_tab(1)
    save_screenshot(lead_window, "case_read_only_story")
    view.show_tab(0)
    save_screenshot(lead_window, "case_read_only_overview")


def test_the_team_leads_own_case_keeps_its_editors(qtbot: Any, lead_window: Any, lead_workspace: Workspace) -> None:
    view = _open(qtbot, lead_window, _case(lead_workspace, mine=True))
    disabled = [name for name, widget in _editors(view).items() if not widget.isEnabled()]
    assert disabled == []
    assert not view.read_only.isVisible()
