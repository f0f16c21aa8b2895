"""A screenshot and screen-reader tour of every page and dialog, in a real window: run it under gui-session.

    ../shared/tools/gui-session .venv/bin/python tools/window_tour.py PROFILE OUT [--passphrase-env VAR]

Opens PROFILE as `workbench --profile PROFILE` would, then walks the pages, a case's tabs and the dialogs one
by one. For each stop it photographs the whole X screen (`import -window root OUT/NN-name.png`, what a person
sees) and saves what a screen reader reads (`atspi-dump`, OUT/NN-name.txt), with the event loop running so the
window answers the accessibility bus. Finally OUT/unnamed.txt lists every control without a name.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ATSPI_DUMP = Path(__file__).resolve().parents[2] / "shared" / "tools" / "atspi-dump"
# Roles a screen reader announces as controls: one without a name cannot be identified.
CONTROL_ROLES = ("push button", "check box", "radio button", "combo box", "text", "spin button", "list",
                 "table", "page tab", "menu item", "toggle button", "slider", "password text", "tree")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--passphrase-env", default="WORKBENCH_PASSPHRASE")
    parser.add_argument("--scale", default=None, help="QT_SCALE_FACTOR, e.g. 2 for 200 %%")
    args = parser.parse_args()
    if args.scale:
        os.environ["QT_SCALE_FACTOR"] = args.scale
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QProcess, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app import build_window, preload_window_modules
    from ui.qt_language import install_qt_translations
    from workbench.i18n import activate
    from workbench.settings import Settings
    from workbench.workspace import Workspace

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Zaakwerkbank")
    settings = Settings(args.profile)
    activate(str(settings.get("language")))
    install_qt_translations(app, str(settings.get("language")))
    preload_window_modules()
    ws = Workspace.open(args.profile, os.environ[args.passphrase_env])
    window = build_window(ws, settings=settings, reopen=lambda p: Workspace.open(args.profile, p))
    window.show()

    stops: list[tuple[str, Callable[[], None]]] = _stops(window)
    index = 0

    def capture(name: str, then: Callable[[], None]) -> None:
        shot = QProcess(app)
        dump = QProcess(app)
        dump.setStandardOutputFile(str(args.out / f"{name}.txt"))
        shot.finished.connect(lambda *_: dump.start("/usr/bin/python3", [str(ATSPI_DUMP)]))
        dump.finished.connect(lambda *_: then())
        shot.start("import", ["-window", "root", str(args.out / f"{name}.png")])

    def step() -> None:
        nonlocal index
        if index >= len(stops):
            _list_unnamed(args.out)
            window.close()
            app.quit()
            return
        name, action = stops[index]
        index += 1
        try:
            action()
        except Exception as exc:  # a stop that cannot be reached is reported, the tour goes on
            print(f"tour: {name}: {exc!r}", file=sys.stderr)
        QTimer.singleShot(1500, lambda: capture(f"{index:02d}-{name}", step))

    QTimer.singleShot(3000, step)
    code = app.exec()
    window.sync_driver and window.sync_driver.shutdown()
    window.ctx.runner.wait_idle()
    return int(code)


def _stops(window) -> list[tuple[str, Callable[[], None]]]:  # type: ignore[no-untyped-def]
    """The walk: every page, the first case and each of its tabs, then the dialogs and overlays."""
    from PySide6.QtWidgets import QApplication, QDialog, QTabWidget

    def page(key: str) -> Callable[[], None]:
        return lambda: (_close_dialogs(QApplication, QDialog), window.show_page(key))

    def first_case() -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QTableView

        window.show_page("cases")
        table = window.stack.currentWidget().findChildren(QTableView)[0]
        table.setFocus()
        table.setCurrentIndex(table.model().index(0, 0))
        QTest.keyClick(table, Qt.Key.Key_Return)

    def tab(i: int) -> Callable[[], None]:
        def go() -> None:
            tabs = window.stack.currentWidget().findChildren(QTabWidget)[0]
            tabs.setCurrentIndex(i)
        return go

    stops: list[tuple[str, Callable[[], None]]] = []
    for i in range(window.sidebar.count()):
        key = window.sidebar.item(i).data(0x0100)
        stops.append((f"page-{key}", page(key)))
    stops.append(("case", first_case))
    for i, title in enumerate(["overzicht", "verhaal", "plan", "toestemming", "brieven", "historie"]):
        stops.append((f"case-{title}", tab(i)))
    def click(accessible_name: str) -> Callable[[], None]:
        """Click the visible button a screen reader knows by this name (a modal dialog runs from the loop)."""
        def go() -> None:
            from PySide6.QtWidgets import QPushButton

            for button in window.findChildren(QPushButton):
                if button.isVisible() and accessible_name in (button.accessibleName(), button.text()):
                    later(button.click)
                    return
            raise LookupError(accessible_name)
        return go

    def wrong_passphrase() -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QLineEdit

        field = next(f for f in window.lock_screen.findChildren(QLineEdit) if f.isVisible())
        QTest.keyClicks(field, "niet het wachtwoord")
        QTest.keyClick(field, Qt.Key.Key_Return)

    stops.append(("case-brieven-again", tab(4)))
    stops.append(("letter-wizard", click("Nieuwe brief maken")))
    stops.append(("case-again", lambda: (_close_dialogs(QApplication, QDialog), window.back(), first_case())))
    stops.append(("home-visit", click("&Huisbezoek starten")))
    stops.append(("back-from-visit", lambda: window.back()))
    stops.append(("import-dialog", lambda: later(window.transfer.ask_import)))
    stops.append(("settings", lambda: (_close_dialogs(QApplication, QDialog), later(window.open_settings))))
    stops.append(("help", lambda: (_close_dialogs(QApplication, QDialog), window.help.toggle())))
    stops.append(("help-closed", lambda: window.help.toggle()))
    stops.append(("locked", lambda: window.lock_controller.lock()))
    stops.append(("locked-wrong-passphrase", wrong_passphrase))
    return stops


def later(call: Callable[[], None]) -> None:
    """Open a modal dialog without blocking the tour: its exec() runs from the event loop."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, call)


def _close_dialogs(app_type, dialog_type) -> None:  # type: ignore[no-untyped-def]
    for widget in app_type.topLevelWidgets():
        if isinstance(widget, dialog_type) and widget.isVisible():
            widget.reject()


def _list_unnamed(out: Path) -> None:
    """Every control a screen reader announces without a name, per stop."""
    lines = []
    pattern = re.compile(r"^\s*(" + "|".join(CONTROL_ROLES) + r"): ''$")
    for dump in sorted(out.glob("*.txt")):
        if dump.name == "unnamed.txt":
            continue
        hits = [line.strip() for line in dump.read_text().splitlines() if pattern.match(line)]
        if hits:
            lines.append(f"{dump.name}: {len(hits)} unnamed: {', '.join(sorted(set(hits)))}")
    (out / "unnamed.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
