"""UI fixtures: a demo workspace with synthetic cases, an inline task runner, the real main window."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.fakes import MemorySecrets
from workbench.progress import CancelToken, NoProgress
from workbench.settings import Settings
from workbench.vault import KdfParams
from workbench.workspace import UnitOfWork, Workspace

PASS = "lang genoeg wachtwoord"
SCREENSHOTS = Path(os.environ.get("WORKBENCH_SCREENSHOTS", Path(__file__).resolve().parents[2] / "artifacts"))


class FakeMonotonic:
    """A monotonic clock for idle-lock tests."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True, scope="session")
def _settings_off_the_users_config(qapp):  # type: ignore[no-untyped-def]
    """QSettings (the window's saved geometry) go to a test location, never the developer's ~/.config."""
    from PySide6.QtCore import QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    yield


@pytest.fixture(autouse=True)
def _collect_qt_garbage_between_tests(qapp):  # type: ignore[no-untyped-def]
    """Collect the previous tests' garbage before each test, and this test's after it, at a quiet moment.

    Left to itself, Python's cyclic GC may free an earlier test's Qt objects (a PDF document, a view) on the main
    thread in the middle of a later test, while that test's real DB thread runs: this crashed the interpreter
    (SIGSEGV while "Garbage-collecting") in tests/ui/visits. Here nothing else runs when the garbage goes.
    """
    import gc

    gc.collect()
    yield
    qapp.processEvents()
    gc.collect()


@pytest.fixture
def secrets() -> MemorySecrets:
    return MemorySecrets()


@pytest.fixture
def profile(tmp_path: Path, secrets: MemorySecrets) -> Path:
    """A profile with 30 synthetic demo cases (seed 11)."""
    from workbench.demo.generator import generate

    folder = tmp_path / "profile"
    ws = Workspace.create(folder, PASS, secrets=secrets, kdf=KdfParams.cheap(), display_name="Sanne de Pzb")
    generate(ws.store, ws.actor, cases=30, seed=11, progress=NoProgress(), cancel=CancelToken())
    ws.close()
    return folder


@pytest.fixture
def workspace(profile: Path, secrets: MemorySecrets) -> Iterator[Workspace]:
    ws = Workspace.open(profile, PASS, secrets=secrets)
    yield ws


@pytest.fixture
def fake_monotonic() -> FakeMonotonic:
    return FakeMonotonic()


@contextmanager
def shown_window(qtbot: Any, ws: Workspace, profile: Path, *, secrets: MemorySecrets | None = None,
                 monotonic: FakeMonotonic | None = None, size: tuple[int, int] = (1280, 800)) -> Iterator[Any]:
    """The real main window over `ws`, built as the workbench builds it (on an inline runner) and shown.

    On leaving, the window lets go of its workspace and the workspace is closed (a lock may have closed it).
    """
    from ui.app import build_window

    timing = {} if monotonic is None else {"monotonic": monotonic}
    window = build_window(ws, settings=Settings(profile), inline=True,
                          reopen=lambda p: Workspace.open(profile, p, secrets=secrets), **timing)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    try:
        yield window
    finally:
        remaining = window.ctx.runner.detach()
        if remaining is not None:
            remaining.close()


@pytest.fixture
def window(qtbot, workspace: Workspace, profile: Path, secrets: MemorySecrets,  # type: ignore[no-untyped-def]
           fake_monotonic: FakeMonotonic):
    with shown_window(qtbot, workspace, profile, secrets=secrets, monotonic=fake_monotonic) as w:
        yield w


def run(holder: Any, work: Callable[[Workspace, UnitOfWork], Any]) -> Any:
    """Call services through the (inline) runner of a window or page, as the pages do; a failure is raised."""
    out: list[Any] = []
    problems: list[BaseException] = []
    holder.ctx.runner.run(work, done=out.append, failed=problems.append)
    if problems:
        raise problems[0]
    return out[0]


def first_case_id(window: Any) -> str:
    """The case a search for "UHT" finds first (every demo case's reference starts so)."""
    return run(window, lambda ws, uow: ws.search.cases(uow, "UHT", limit=1)[0].case_id)


@contextmanager
def scaled_font(qtbot: Any, factor: float = 2) -> Iterator[Any]:
    """The application font at `factor` times its size, as for a handler whose system font is large; the
    original font (yielded) is back afterwards."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = QFont(app.font())
    scaled = QFont(original)
    scaled.setPointSizeF(original.pointSizeF() * factor)
    app.setFont(scaled)
    qtbot.wait(10)  # the application font reaches existing widgets through the event loop
    try:
        yield original
    finally:
        app.setFont(original)
        qtbot.wait(10)


def save_screenshot(widget, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a PNG of `widget` under artifacts/ (not committed) for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    widget.grab().save(str(path))
    return path


class RecordingNav:
    """A Navigator that only writes down where the page asked to go.

    Attributes:
        calls: ("back",), ("open_case", id), ... in order.
        lock: a LockController when a test wants the page to hear `locking` (the window's is `window.lock`).
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.lock: Any = None

    def open_case(self, case_id: str) -> None:
        self.calls.append(("open_case", case_id))

    def start_visit(self, case_id: str) -> None:
        self.calls.append(("start_visit", case_id))

    def resume_visit(self, draft_id: str) -> None:
        self.calls.append(("resume_visit", draft_id))

    def show_page(self, name: str) -> None:
        self.calls.append(("show_page", name))

    def back(self) -> None:
        self.calls.append(("back",))


@pytest.fixture
def nav() -> RecordingNav:
    return RecordingNav()


def page_context(workspace: Workspace, profile: Path, nav: RecordingNav, *, inline: bool = True) -> Any:
    """The UiContext a page is built with, around `workspace` (`inline=False`: a real DB thread); its today is
    the workspace's clock's (the real one unless the workspace was opened with another)."""
    from ui.context import UiContext
    from ui.tasks import TaskRunner
    from workbench.clock import today

    runner = TaskRunner(inline=inline)
    runner.attach(workspace)
    clock = workspace.store.clock
    return UiContext(runner=runner, nav=nav, settings=Settings(profile), user_id=workspace.actor.user_id,
                     demo=workspace.demo, today=lambda: today(clock))


def page_under_test(qtbot, workspace: Workspace, profile: Path, nav: RecordingNav, build,  # type: ignore[no-untyped-def]
                    size: tuple[int, int]):
    """Build one page alone on an inline runner, shown and exposed; yields it and cleans up."""
    ctx = page_context(workspace, profile, nav)
    runner = ctx.runner
    widget = build(ctx)
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    runner.detach()
    workspace.close()
