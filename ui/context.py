"""What every page is built with: the task runner, navigation, settings and who is working."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ui.tasks import TaskRunner
from workbench.settings import Settings

if TYPE_CHECKING:
    from ui.sync.driver import SyncDriver


class Navigator(Protocol):
    """Moving between pages; the main window implements it."""

    def open_case(self, case_id: str) -> None: ...
    def start_visit(self, case_id: str) -> None: ...
    def resume_visit(self, draft_id: str) -> None: ...
    def show_page(self, name: str) -> None: ...
    def back(self) -> None: ...


@dataclass
class UiContext:
    """Handed to every page's constructor (explicit wiring, no globals).

    Attributes:
        today: the current date in the Netherlands (a fake clock in tests).
        sync: the sync thread, the only place network calls run (None in a window without central).
    """

    runner: TaskRunner
    nav: Navigator
    settings: Settings
    user_id: str
    demo: bool
    today: Callable[[], dt.date]
    sync: SyncDriver | None = None
