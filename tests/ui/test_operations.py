"""ui/operations.py: work runs on the DB thread, an error is shown once, a closed page gets no callback."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

import ui.operations as operations
from ui.operations import mutate, query
from ui.tasks import TaskRunner
from workbench.errors import UserError
from workbench.workspace import Workspace


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, BaseException]]:
    """The errors ui/errors.py was asked to show."""
    seen: list[tuple[Any, BaseException]] = []
    monkeypatch.setattr(operations, "show_error", lambda parent, exc: seen.append((parent, exc)))
    return seen


def runner_for(workspace: Workspace, *, inline: bool) -> TaskRunner:
    runner = TaskRunner(inline=inline)
    runner.attach(workspace)
    return runner


def test_a_result_comes_back_and_the_work_ran_on_the_db_thread(qtbot: Any, workspace: Workspace) -> None:
    runner = runner_for(workspace, inline=False)
    page = QWidget()
    qtbot.addWidget(page)
    got: list[str] = []
    query(page, runner, lambda ws, uow: threading.current_thread().name).on_success(got.append).run()
    qtbot.waitUntil(lambda: bool(got))
    assert got[0].startswith("db") and threading.current_thread().name != got[0]
    runner.shutdown()


def test_an_error_is_shown_once_or_handled_by_the_page(qtbot: Any, workspace: Workspace,
                                                       shown: list[tuple[Any, BaseException]]) -> None:
    runner = runner_for(workspace, inline=True)
    page = QWidget()
    qtbot.addWidget(page)

    def refuse(ws: Any, uow: Any) -> None:
        raise UserError("Dat mag niet.")

    mutate(page, runner, refuse).run()
    assert [(p, e.text()) for p, e in shown] == [(page, "Dat mag niet.")]
    handled: list[BaseException] = []
    mutate(page, runner, refuse).on_failure(handled.append).run()
    assert len(shown) == 1 and len(handled) == 1


def test_a_closed_page_gets_no_callback(qtbot: Any, workspace: Workspace, shown: list[Any],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    bugs: list[BaseException] = []
    monkeypatch.setattr(operations, "log_bug", lambda exc: bugs.append(exc) or "REF")
    runner = runner_for(workspace, inline=False)
    release = threading.Event()
    page = QWidget()
    called: list[Any] = []

    def slow(ws: Any, uow: Any) -> int:
        release.wait(10)
        return 1

    def slow_bug(ws: Any, uow: Any) -> int:
        release.wait(10)
        raise RuntimeError("ours")

    def slow_refusal(ws: Any, uow: Any) -> int:
        release.wait(10)
        raise UserError("Weg.")

    for work in (slow, slow_bug, slow_refusal):
        query(page, runner, work).on_success(called.append).on_failure(called.append).run()
    page.deleteLater()
    qtbot.waitUntil(lambda: not operations.alive(page))
    release.set()
    runner.wait_idle()
    qtbot.wait(50)
    assert called == [] and shown == []
    assert [type(b) for b in bugs] == [RuntimeError]  # a bug is still logged; the refusal needs nobody
    runner.shutdown()



def test_quiet_upkeep_shows_no_failure_but_logs_a_bug(qtbot: Any, workspace: Workspace,
                                                      shown: list[tuple[Any, BaseException]],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    bugs: list[BaseException] = []
    monkeypatch.setattr(operations, "log_bug", lambda exc: bugs.append(exc) or "REF")
    runner = runner_for(workspace, inline=True)
    page = QWidget()
    qtbot.addWidget(page)
    handled: list[BaseException] = []

    def refuse(ws: Any, uow: Any) -> None:
        raise UserError("Vergrendeld.")

    def bug(ws: Any, uow: Any) -> None:
        raise RuntimeError("ours")

    for work in (refuse, bug):
        mutate(page, runner, work).on_failure(handled.append).quietly().run()
    got: list[int] = []
    query(page, runner, lambda ws, uow: 7).on_success(got.append).quietly().run()
    assert shown == [] and handled == [] and got == [7]
    assert [type(b) for b in bugs] == [RuntimeError]


def test_a_helper_that_is_no_widget_shows_its_error_without_a_parent(qtbot: Any, workspace: Workspace,
                                                                     shown: list[tuple[Any, BaseException]]) -> None:
    from PySide6.QtCore import QObject

    runner = runner_for(workspace, inline=True)
    helper = QObject()

    def refuse(ws: Any, uow: Any) -> None:
        raise UserError("Dat mag niet.")

    mutate(helper, runner, refuse).run()
    assert [(p, e.text()) for p, e in shown] == [(None, "Dat mag niet.")]

def test_a_list_page_reads_through_operations(qtbot: Any, workspace: Workspace, profile: Any, nav: Any,
                                              shown: list[tuple[Any, BaseException]],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.ui.conftest import page_under_test
    from ui.due.due_page import DuePage
    from workbench.plans.service import PlanService

    def offline(*_args: Any, **_kwargs: Any) -> Any:
        raise UserError("De gegevens zijn even niet te lezen.")

    monkeypatch.setattr(PlanService, "due_items", offline)
    for page in page_under_test(qtbot, workspace, profile, nav, DuePage, (900, 500)):
        assert [(p, e.text()) for p, e in shown] == [(page, "De gegevens zijn even niet te lezen.")]


def test_only_operations_and_the_runner_call_the_runner_directly() -> None:
    """Every page runs its work through ui/operations.py: one alive-guard, errors shown once, one place to read."""
    import re
    from pathlib import Path

    ui_root = Path(operations.__file__).parent
    allowed = {ui_root / "operations.py", ui_root / "tasks.py"}
    direct = re.compile(r"runner\s*\.\s*run(_long)?\s*\(")
    found = [f"{path.relative_to(ui_root.parent)}:{n}"
             for path in sorted(ui_root.rglob("*.py")) if path not in allowed
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if direct.search(line)]
    assert found == []
