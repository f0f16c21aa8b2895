"""A lock that locks: an opaque cover, no case text to eye or screen reader, input inert, back to the same spot."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QAction, QColor, QImage, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.cases.test_case_view import open_case
from tests.ui.conftest import PASS, FakeMonotonic, run

SHOTS = Path("/work/notes/shots")
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NAME = "Zwaantje Kwakkelbeek"
STORY = "Kwakkelbeek vertelt over de wasmachine in Hoogezand"
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


@dataclass
class PrivateCase:
    """A case whose parent, BSN and story are distinctive enough to search a whole window for."""

    case_id: str
    bsn: str
    view: Any

    @property
    def secrets(self) -> tuple[str, ...]:
        return ("Kwakkelbeek", self.bsn, "wasmachine in Hoogezand")


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"lock_{name}.png"))


@pytest.fixture
def private_case(qtbot: Any, window: Any) -> Iterator[PrivateCase]:
    case_id = run(window, lambda ws, uow: ws.search.cases(uow, "UHT", limit=1)[0].case_id)

    def prepare(ws: Any, uow: Any) -> str:
        parent_id = ws.cases.get(uow, case_id).parent_id
        ws.parents.update(uow, parent_id, voornamen="Zwaantje", achternaam="Kwakkelbeek")
        ws.story.add(uow, case_id, kind="telefoon", text=STORY + ". Zij belt volgende week terug.")
        return str(ws.parents.reveal_bsn(uow, parent_id))

    bsn = run(window, prepare)
    view = open_case(qtbot, window, case_id)
    qtbot.waitUntil(lambda: any(STORY in e.text for e in view.story.all_entries))
    view.overview.bsn.toggle()  # the full BSN on screen, as after "BSN tonen"
    qtbot.waitUntil(lambda: bsn in view.overview.bsn.value.text())
    assert NAME in view.parent_name.text()
    yield PrivateCase(case_id, bsn, view)


def accessible_texts(root: object) -> list[str]:
    """Name, value and description of every accessible interface under `root`, as a screen reader walks it."""
    texts: list[str] = []
    todo = [QAccessible.queryAccessibleInterface(root)]
    seen = 0
    while todo and seen < 50_000:
        node = todo.pop()
        if node is None or not node.isValid():
            continue
        seen += 1
        for kind in (QAccessible.Text.Name, QAccessible.Text.Value, QAccessible.Text.Description):
            texts.append(node.text(kind))
        text_part = node.textInterface()
        if text_part is not None:  # what a screen reader reads out of fields
            texts.append(text_part.text(0, text_part.characterCount()))
        # Stricter than a screen reader: a label with an accessible name ("BSN") hides its text from Name, but
        # the widget is still reachable through the tree, so its text counts too.
        widget = node.object()
        for getter in ("text", "toPlainText"):
            value = getattr(widget, getter, None)
            if isinstance(widget, QWidget) and callable(value):
                texts.append(str(value()))
        todo.extend(node.child(i) for i in range(node.childCount()))
    return texts


def leaks(texts: list[str], secrets: tuple[str, ...]) -> list[str]:
    return [s for s in secrets if any(s in t for t in texts)]


def off_cover(image: QImage, colour: QColor, keep_out: list[QRect], step: int = 5) -> tuple[int, int]:
    """(pixels sampled, pixels not in `colour`) on a grid over `image`, skipping the `keep_out` rectangles."""
    sampled = differ = 0
    ratio = image.devicePixelRatio()
    for y in range(0, int(image.height() / ratio), step):
        for x in range(0, int(image.width() / ratio), step):
            if any(r.contains(x, y) for r in keep_out):
                continue
            sampled += 1
            if image.pixelColor(int(x * ratio), int(y * ratio)).rgb() != colour.rgb():
                differ += 1
    return sampled, differ


def in_cover(cover: QWidget, widget: QWidget, margin: int = 0) -> QRect:
    """`widget`'s rectangle in the cover's (= the window's) coordinates."""
    return QRect(widget.mapTo(cover, QPoint(0, 0)), widget.size()).adjusted(-margin, -margin, margin, margin)


def child_boxes(cover: QWidget, margin: int = 4) -> list[QRect]:
    """Where the cover's own text, field and button are; everything else must be the cover's colour."""
    column = cover.passphrase.parentWidget()  # type: ignore[attr-defined]
    return [in_cover(cover, w, margin) for w in column.findChildren(QWidget) if w.parentWidget() is column
            and w.isVisible()]


def luminance(c: QColor) -> float:
    def part(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * part(c.redF()) + 0.7152 * part(c.greenF()) + 0.0722 * part(c.blueF())


def best_contrast(image: QImage, box: QRect, background: QColor) -> float:
    """The highest contrast ratio of any pixel in `box` against `background`: the text's own colour."""
    bg = luminance(background)
    best = 1.0
    for y in range(box.top(), box.bottom()):
        for x in range(box.left(), box.right()):
            fg = luminance(image.pixelColor(x, y))
            best = max(best, (max(fg, bg) + 0.05) / (min(fg, bg) + 0.05))
    return best


def unlock(qtbot: Any, window: Any) -> None:
    screen = window.lock_screen
    qtbot.keyClicks(screen.passphrase, PASS)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert not window.lock.is_locked


def test_a_grab_of_the_locked_window_shows_no_case_text(qtbot: Any, window: Any, private_case: PrivateCase) -> None:
    from ui.lock_screen import COVER

    open_grab = window.grab().toImage()
    window.lock.lock()
    screen = window.lock_screen
    qtbot.keyClicks(screen.passphrase, "fout wachtwoord")
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert "klopt niet" in screen.message.text()
    qtbot.wait(20)  # the layout makes room for the message on the next turn of the event loop, before painting
    locked = window.grab().toImage()
    shot(window, "locked")
    boxes = child_boxes(screen)
    sampled, differ = off_cover(locked, COVER, boxes)
    assert sampled > 20_000 and differ == 0, (sampled, differ)
    # Everything of the cover's own is inside those boxes, and they hold only the cover's widgets.
    assert screen.geometry() == window.rect() and window.centralWidget() is None
    # The same check on the unlocked window fails: it can see the case.
    sampled, differ = off_cover(open_grab, COVER, boxes)
    assert differ > sampled // 2
    # Readable: the title and the wrong-passphrase message stand out from the cover (WCAG AA: 4.5:1).
    for label in screen.findChildren(type(screen.message)):
        assert label.text() and best_contrast(locked, in_cover(screen, label), COVER) >= 4.5, label.text()
        flags = int(label.alignment().value) | int(Qt.TextFlag.TextWordWrap.value)
        needed = label.fontMetrics().boundingRect(label.contentsRect(), flags, label.text())
        assert needed.height() <= label.contentsRect().height(), label.text()  # room for every line
        assert label.visibleRegion().boundingRect() == label.rect()  # and nothing cut off by what holds it


def test_the_accessible_tree_while_locked_holds_no_case_text(qtbot: Any, window: Any,
                                                             private_case: PrivateCase) -> None:
    app = QApplication.instance()
    assert leaks(accessible_texts(window), private_case.secrets) == list(private_case.secrets)
    window.lock.lock()
    assert leaks(accessible_texts(window), private_case.secrets) == []
    assert leaks(accessible_texts(app), private_case.secrets) == []
    assert "De Zaakwerkbank is vergrendeld" in accessible_texts(window)


def test_keys_clicks_and_escape_are_inert_while_locked(qtbot: Any, window: Any, private_case: PrivateCase) -> None:
    view = private_case.view
    view.show_tab(1)
    fired: list[str] = []
    for shortcut in window.findChildren(QShortcut):
        shortcut.activated.connect(lambda s=shortcut: fired.append(s.key().toString()))
    for action in window.findChildren(QAction):
        action.triggered.connect(lambda _c=False, a=action: fired.append(a.text()))
    places = {name: w.mapTo(window, w.rect().center()) for name, w in
              (("back", view.back_button), ("visit", view.visit_button), ("lock", window.lock_button),
               ("sidebar", window.sidebar.viewport()), ("tab", view.tabs.tabBar()))}
    buttons = (view.back_button, view.visit_button, window.lock_button, window.settings_button, window.help_button,
               window.sync_button)
    clicked: list[str] = []
    for button in buttons:
        button.clicked.connect(lambda _c=False, b=button: clicked.append(b.text()))
    windows_before = {w for w in QApplication.topLevelWidgets() if w.isVisible()}

    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    assert window.lock.is_locked
    fired.clear()
    keys = [(Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier), (Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier),
            (Qt.Key.Key_F, CTRL), (Qt.Key.Key_S, CTRL | SHIFT), (Qt.Key.Key_L, CTRL), (Qt.Key.Key_Left, ALT),
            (Qt.Key.Key_E, CTRL), (Qt.Key.Key_I, CTRL), (Qt.Key.Key_Comma, CTRL), (Qt.Key.Key_3, ALT),
            (Qt.Key.Key_H, ALT), (Qt.Key.Key_T, ALT),
            *[(getattr(Qt.Key, f"Key_{n}"), CTRL) for n in range(1, 7)]]
    for target in (window, window.lock_screen.passphrase, view, view.back_button):
        for key, modifiers in keys:
            qtbot.keyClick(target, key, modifiers)
    for pos in places.values():
        target = window.childAt(pos)
        assert target is not None and (target is window.lock_screen or window.lock_screen.isAncestorOf(target))
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(window, pos))
    for button in buttons:  # straight at the buttons under the cover, as a stray event would
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(20, 10))
    assert fired == [] and clicked == []
    assert window.lock.is_locked and not window.help.isVisible()
    assert {w for w in QApplication.topLevelWidgets() if w.isVisible()} <= windows_before
    assert window.lock_screen.passphrase.text() != ""  # the cover's own field did take keys

    window.lock_screen.passphrase.clear()
    unlock(qtbot, window)
    assert window.stack.currentWidget() is view and view.tabs.currentIndex() == 1
    assert window._history == [view] and window.sidebar.currentRow() == 0
    # Unlocked, the same Escape does act: the test above could have failed.
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is not view


def test_unlock_returns_to_the_same_page_case_tab_and_field(qtbot: Any, window: Any,
                                                           private_case: PrivateCase) -> None:
    view = private_case.view
    central = window.centralWidget()
    view.show_tab(2)  # Plan, built on first show
    plan = view.tabs.currentWidget()
    focus = QApplication.focusWidget()
    assert focus is not None and view.isAncestorOf(focus)
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    assert window.centralWidget() is None and not window.statusBar().isVisible()
    unlock(qtbot, window)
    assert window.centralWidget() is central and central.isVisible()
    assert window.stack.currentWidget() is view and view.tabs.currentWidget() is plan
    assert window.menuBar().isVisible() and window.statusBar().isVisible()
    assert QApplication.focusWidget() is focus
    assert NAME in view.parent_name.text()
    assert window.ctx.runner.workspace is not None


def test_auto_lock_covers_the_same_way(qtbot: Any, window: Any, private_case: PrivateCase,
                                       fake_monotonic: FakeMonotonic) -> None:
    from ui.lock_screen import COVER

    view = private_case.view
    view.show_tab(1)
    window.lock._timer.setInterval(20)  # the idle check runs every second in use; quicker here
    window.ctx.settings.set("idle_minutes", 1)
    fake_monotonic.now += 60
    with qtbot.waitSignal(window.lock.locked, timeout=2000):
        pass  # the real timer fires, nothing calls lock() by hand
    assert window.lock_screen.isVisible()
    assert leaks(accessible_texts(window), private_case.secrets) == []
    sampled, differ = off_cover(window.grab().toImage(), COVER, child_boxes(window.lock_screen))
    assert sampled > 20_000 and differ == 0
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    unlock(qtbot, window)
    assert window.stack.currentWidget() is view and view.tabs.currentIndex() == 1
    assert leaks(accessible_texts(window), private_case.secrets) != []


def test_an_open_dialog_is_hidden_while_locked_and_back_after(qtbot: Any, window: Any) -> None:
    window.open_settings()
    dialog = window.settings_dialog
    qtbot.waitExposed(dialog)
    window.lock.lock()
    assert not dialog.isVisible()
    unlock(qtbot, window)
    assert dialog.isVisible()
    dialog.reject()


def test_a_dialog_with_its_own_loop_is_cancelled_by_the_lock_not_shown_again(qtbot: Any, window: Any) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog

    dialog = QDialog(window)
    dialog.setAccessibleName("Proef")
    QTimer.singleShot(50, window.lock.lock)
    assert dialog.exec() == QDialog.DialogCode.Rejected  # the lock ended it; the code after exec goes on
    assert window.lock.is_locked and not dialog.isVisible()
    unlock(qtbot, window)
    assert not dialog.isVisible()


def test_a_home_visit_under_the_lock_comes_back_as_it_was(qtbot: Any, window: Any) -> None:
    case_id = run(window, lambda ws, uow: ws.search.cases(uow, "UHT", limit=1)[0].case_id)
    window.start_visit(case_id)
    page = window.stack.currentWidget()
    qtbot.waitUntil(page.isEnabled)
    page.text.setFocus()
    qtbot.keyClicks(page.text, "Kwakkelbeek wil de auto verkopen")
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    assert leaks(accessible_texts(window), ("auto verkopen",)) == []
    qtbot.keyClicks(window.lock_screen.passphrase, "x")
    qtbot.keyClick(window, Qt.Key.Key_W, CTRL)  # "later verder" must not act under the lock
    window.lock_screen.passphrase.clear()
    unlock(qtbot, window)
    assert window.stack.currentWidget() is page and not window.sidebar.isVisible()
    assert "auto verkopen" in page.text.toPlainText() and QApplication.focusWidget() is page.text
