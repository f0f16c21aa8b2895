"""Case-list keystroke timing: the real page and model over a workspace, an inline runner, offscreen Qt."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.workspace import Workspace

BACKSPACE = "\b"


class _NoNav:
    """Navigation is not measured; the page never navigates while only typing."""

    def open_case(self, case_id: str) -> None: ...
    def start_visit(self, case_id: str) -> None: ...
    def resume_visit(self, draft_id: str) -> None: ...
    def show_page(self, name: str) -> None: ...
    def back(self) -> None: ...


def measure_filter_keystroke(workspace: Workspace, keystrokes: list[str]) -> list[float]:
    """Seconds from each keystroke to an updated case-list model, one per keystroke.

    `keystrokes` are typed one after another into the filter box ("\\b" is a backspace), so
    `list("jansen")` times "j", "ja", ..., "jansen". Each one calls the debounce target directly (the
    150 ms pause is the user's, not ours): full-text search on the store, then the model's filter and reset.
    Loading the rows first is not timed. The workspace stays open; the caller closes it.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.cases.case_list_page import CaseListPage
    from ui.context import UiContext
    from ui.tasks import TaskRunner
    from workbench.clock import SystemClock, today
    from workbench.settings import Settings

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner(inline=True)
    runner.attach(workspace)
    ctx = UiContext(runner=runner, nav=_NoNav(), settings=Settings(None), user_id=workspace.actor.user_id,
                    demo=workspace.demo, today=lambda: today(SystemClock()))
    page = CaseListPage(ctx)  # loads every row through the inline runner
    try:
        timings: list[float] = []
        typed = ""
        for key in keystrokes:
            typed = typed[:-1] if key == BACKSPACE else typed + key
            start = time.perf_counter()
            page.filter_box.setText(typed)
            page.run_search()
            timings.append(time.perf_counter() - start)
        return timings
    finally:
        runner.detach()
        page.deleteLater()
        app.processEvents()
