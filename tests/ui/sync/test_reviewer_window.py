"""A reviewer's window on a real central: Mijn zaken does not list the case it only reviews, and Te beoordelen shows
the letter's facts and says which parts of the case a reviewer does not receive, never as a zero."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.central import CentralServer
from tests.helpers.devices import make_device
from tests.helpers.factories import make_case
from tests.ui.conftest import save_screenshot
from tests.workbench.letters.samples import beschikking_values, facts
from tests.workbench.sync.test_handover_arrival import fill_case
from workbench.letters.review_context import HIDDEN
from workbench.letters.service import LetterService
from workbench.settings import Settings
from workbench.workspace import Workspace

pytestmark = [pytest.mark.sync,
              pytest.mark.qt_log_ignore(
                  r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")]


def test_the_reviewer_lists_no_reviewed_case_and_is_told_what_it_cannot_see(
        qtbot: Any, central: CentralServer, tmp_path: Path) -> None:
    from ui.app import build_window
    from ui.cases.case_list_page import CaseListPage
    from ui.letters.review_page import ReviewPage

    tag = uuid.uuid4().hex[:6]
    central.add_user(f"auteur-{tag}", role="handler", team=f"Team {tag}", password="pw")
    central.add_user(f"controleur-{tag}", role="reviewer", team=f"Team {tag}", password="pw")
    author = make_device(tmp_path, name="author", url=central.url, username=f"auteur-{tag}", password="pw")
    with author.ws.unit_of_work() as uow:
        _parent, case_id = make_case(uow)
        fill_case(uow, case_id, actions=2, promises=5, story=36)
        letters = LetterService()
        draft = letters.create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                     values=beschikking_values(), facts=facts())
        letters.submit(uow, draft.id)
    author.sync()
    reviewer = make_device(tmp_path, name="reviewer", url=central.url, username=f"controleur-{tag}", password="pw")
    window = build_window(reviewer.ws, settings=Settings(tmp_path / "reviewer"), inline=True,
                          reopen=lambda p: Workspace.open(tmp_path / "reviewer", p, secrets=reviewer.secrets))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    try:
        window.show_page("cases")
        cases = window.stack.currentWidget()
        assert isinstance(cases, CaseListPage)
        qtbot.waitUntil(lambda: cases._loaded, timeout=5_000)
        assert cases.model.rowCount() == 0  # the case is on the device for its letter, but it is not theirs
        window.show_page("review")
        page = window.stack.currentWidget()
        assert isinstance(page, ReviewPage)
        qtbot.waitUntil(lambda: page.context.context is not None, timeout=10_000)
        assert [r.id for r in page.model.rows()] == [draft.id]
        text = page.context.toPlainText()
        assert "Feiten achter de bedragen (Integrale beoordeling)" in text
        assert "Toeslagjaar 2012: startbedrag € 8.000,00" in text
        promises = text[text.index("Toezeggingen in de zaak"):text.index("Verhaal van de ouder")]
        story = text[text.index("Verhaal van de ouder"):]
        for part in (promises, story):
            assert HIDDEN in part
            assert not re.search(r"\b0\b", part) and "geen" not in part.lower()
        qtbot.wait(300)  # QPdfView draws its pages in the background
        save_screenshot(window, "review_context_reviewer")
    finally:
        if window.sync_driver is not None:
            window.sync_driver.shutdown()
        window.ctx.runner.detach()
        author.close()
        reviewer.close()
