"""Locking: idle auto-lock with a fake clock, Ctrl+L, the cover, the key out of memory, the same place on unlock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import PASS, FakeMonotonic, save_screenshot


def test_idle_auto_lock_after_the_configured_minutes(qtbot, window, fake_monotonic: FakeMonotonic) -> None:  # type: ignore[no-untyped-def]
    lock = window.lock
    window.ctx.settings.set("idle_minutes", 5)
    fake_monotonic.now += 4 * 60 + 59
    lock.check_idle()
    assert not lock.is_locked
    fake_monotonic.now += 1
    with qtbot.waitSignal(lock.locked, timeout=2000):
        lock.check_idle()
    assert lock.is_locked and window.ctx.runner.workspace is None
    assert window.lock_screen.isVisible() and window.lock_screen.geometry() == window.rect()
    save_screenshot(window, "locked")


def test_activity_postpones_the_lock(qtbot, window, fake_monotonic: FakeMonotonic) -> None:  # type: ignore[no-untyped-def]
    fake_monotonic.now += 4 * 60
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Down)
    fake_monotonic.now += 4 * 60
    window.lock.check_idle()
    assert not window.lock.is_locked


def test_ctrl_l_locks_and_unlock_returns_to_the_same_page(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.show_page("due")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.lock.is_locked
    screen = window.lock_screen
    qtbot.keyClicks(screen.passphrase, "fout wachtwoord")
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert window.lock.is_locked and "klopt niet" in screen.message.text()
    qtbot.keyClicks(screen.passphrase, PASS)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert not window.lock.is_locked and not screen.isVisible()
    assert window.stack.currentWidget() is window._page_widgets["due"]
    assert window.ctx.runner.workspace is not None


def test_work_submitted_while_locked_is_refused_clearly(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.lock.lock()
    errors: list[BaseException] = []
    window.ctx.runner.run(lambda ws, uow: 1, failed=errors.append)
    assert errors and "vergrendeld" in str(errors[0])


@pytest.mark.parametrize("minutes", [1, 60])
def test_idle_minutes_setting_is_respected(qtbot, window, fake_monotonic: FakeMonotonic, minutes: int) -> None:  # type: ignore[no-untyped-def]
    window.ctx.settings.set("idle_minutes", minutes)
    fake_monotonic.now += minutes * 60 - 1
    window.lock.check_idle()
    assert not window.lock.is_locked
    fake_monotonic.now += 1
    window.lock.check_idle()
    assert window.lock.is_locked
