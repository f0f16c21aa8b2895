"""Composition root: the `workbench` entry point; opens the window, or runs a CLI command when given one."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.cli.main import build_parser
from workbench.cli.main import main as cli_main
from workbench.clock import SystemClock, today
from workbench.i18n import _, activate
from workbench.profile import DESCRIPTOR_FILE, default_profile_dir
from workbench.settings import Settings
from workbench.workspace import Workspace

if TYPE_CHECKING:
    from ui.main_window import MainWindow, PageSpec

# Qt is imported inside the functions below: `workbench <command>` must not pay for (or need) Qt.


def page_specs() -> list[PageSpec]:
    from ui.cases.case_list_page import CaseListPage
    from ui.due.due_page import DuePage
    from ui.letters.review_page import ReviewPage
    from ui.main_window import PageSpec
    from ui.search.search_page import SearchPage
    from ui.sync.conflicts_page import ConflictsPage
    from ui.team.team_page import TeamPage

    return [
        PageSpec("cases", _("Mijn zaken"), "Ctrl+1", CaseListPage),
        PageSpec("due", _("Acties & toezeggingen"), "Ctrl+2", DuePage),
        PageSpec("search", _("Zoeken"), "Ctrl+3", SearchPage),
        PageSpec("review", _("Te beoordelen"), "Ctrl+4", ReviewPage),
        PageSpec("conflicts", _("Conflicten"), "Ctrl+5", ConflictsPage),
        PageSpec("team", _("Team"), "Ctrl+6", TeamPage, roles=frozenset({"team_lead"})),
    ]


def user_role(ws: Workspace) -> str:
    """The local user's role, read once when the window is built: it decides which pages there are."""
    from workbench.caseload.service import CaseloadService
    from workbench.errors import NotAllowed, NotFound

    try:
        scope, _changes = ws.run(lambda uow: CaseloadService().scope(uow))
    except NotAllowed:  # only a reviewer is refused a caseload scope
        return "reviewer"
    except NotFound:
        return "handler"
    return str(scope.role)


def build_window(ws: Workspace, *, settings: Settings, reopen: Callable[[str], Workspace],
                 inline: bool = False, monotonic: Callable[[], float] = time.monotonic) -> MainWindow:
    """Wire one unlocked workspace into a window (tests call this with an inline runner and a fake clock)."""
    from ui.cases.case_view import CaseView
    from ui.lock import LockController
    from ui.main_window import MainWindow
    from ui.sync.driver import SyncDriver
    from ui.tasks import TaskRunner
    from ui.visits.home_visit import HomeVisitPage

    role = user_role(ws)
    runner = TaskRunner(inline=inline)
    runner.attach(ws)
    lock = LockController(runner, idle_minutes=lambda: int(settings.get("idle_minutes")), reopen=reopen,
                          monotonic=monotonic)
    clock = SystemClock()
    window = MainWindow(
        context_base={"runner": runner, "settings": settings, "user_id": ws.actor.user_id, "demo": ws.demo,
                      "today": lambda: today(clock)},
        pages=[spec for spec in page_specs() if spec.shown_to(role)],
        case_view=lambda ctx, case_id: CaseView(ctx, case_id),
        visit_page=lambda ctx, case_id, draft_id: HomeVisitPage(ctx, case_id=case_id, draft_id=draft_id),
        lock=lock,
    )
    window.lock = lock  # type: ignore[attr-defined]
    # Owned by the window: when it goes, the app-wide activity filter goes with it.
    lock.setParent(window)
    driver = SyncDriver(parent=window)
    window.attach_sync(driver)
    driver.attach(ws)
    return window


def _start_workspace(folder: Path) -> Workspace | None:
    from PySide6.QtWidgets import QDialog

    from ui.start.setup_wizard import SetupWizard
    from ui.start.unlock_dialog import UnlockDialog

    if not (folder / DESCRIPTOR_FILE).exists():
        wizard = SetupWizard(folder, lambda f, p, name: Workspace.create(f, p, display_name=name))
        return wizard.workspace if wizard.exec() == QDialog.DialogCode.Accepted else None
    env = os.environ.get("WORKBENCH_PASSPHRASE")
    if env is not None:
        return Workspace.open(folder, env)
    dialog = UnlockDialog(folder, lambda f, p: Workspace.open(f, p))
    return dialog.workspace if dialog.exec() == QDialog.DialogCode.Accepted else None


def preload_window_modules() -> None:
    """Import the window's modules while the unlock dialog waits for the passphrase, not after it."""
    import importlib

    for name in ("ui.main_window", "ui.cases.case_view", "ui.visits.home_visit", "alembic.command"):
        importlib.import_module(name)
    page_specs()


def run_window(folder: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from ui.errors import install_excepthook
    from ui.qt_language import install_qt_translations

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Zaakwerkbank")
    install_excepthook()
    settings = Settings(folder if folder.exists() else None)
    activate(str(settings.get("language")))
    install_qt_translations(app, str(settings.get("language")))
    preload_window_modules()
    ws = _start_workspace(folder)
    if ws is None:
        return 1
    settings = Settings(folder)
    window = build_window(ws, settings=settings, reopen=lambda p: Workspace.open(folder, p))
    window.show()
    window.offer_unfinished_visits()
    window.offer_handovers()
    code = app.exec()
    if window.sync_driver is not None:
        window.sync_driver.shutdown()
    runner = window.ctx.runner
    runner.wait_idle()
    remaining = runner.detach()
    if remaining is not None:
        remaining.close()
    runner.shutdown()
    return int(code)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(args_list)
    if args.command is not None:
        return cli_main(args_list)
    return run_window(args.profile or default_profile_dir())


if __name__ == "__main__":
    raise SystemExit(main())
