"""The letter wizard keeps what was typed: closing asks, a kept letter comes back, saving forgets the draft."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit

from tests.helpers.factories import dutch_day
from tests.ui.conftest import run
from tests.ui.letters.conftest import INVITE, VISIT_DAY, select_template
from tests.ui.letters.test_letter_wizard import letters_of, wizard_for
from ui.letters.letter_wizard import LetterWizard

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def stored(window: Any, target: str) -> Any:
    return run(window, lambda ws, uow: ws.drafts.get(uow, "letter", target))


def answer(wizard: LetterWizard, text: str) -> None:
    prompt = wizard.drafts.leave_prompt
    assert prompt.isVisible()
    [button] = [b for b in prompt.buttons() if b.text().replace("&", "") == text]
    button.click()


def type_time(qtbot: Any, wizard: LetterWizard, text: str) -> None:
    assert wizard.form is not None
    time = wizard.form.editors["visit_time"]
    assert isinstance(time, QLineEdit)
    time.setFocus()
    qtbot.keyClicks(time, text)


def test_filled_in_defaults_are_no_draft_and_close_without_asking(qtbot: Any, window: Any,
                                                                   case_id: str) -> None:
    wizard = wizard_for(qtbot, window, case_id, INVITE)
    wizard.reject()
    assert not wizard.isVisible()
    assert stored(window, f"new:{case_id}") is None


def test_closing_with_typed_values_asks_and_keeps_them_for_later(qtbot: Any, window: Any,
                                                                 case_id: str) -> None:
    wizard = wizard_for(qtbot, window, case_id, INVITE)
    type_time(qtbot, wizard, "10.00 uur")
    wizard.reject()
    answer(wizard, "Blijven")
    assert wizard.isVisible()
    wizard.reject()
    answer(wizard, "Bewaren voor later")
    assert not wizard.isVisible()
    kept = stored(window, f"new:{case_id}")
    assert kept.content["template_id"] == INVITE and kept.content["values"]["visit_time"] == "10.00 uur"

    again = LetterWizard(window.ctx, case_id, parent=window, debounce_ms=10)
    qtbot.addWidget(again)
    again.show()
    bar = again.drafts.bar
    assert bar.isVisible() and "niet-afgemaakte brief" in bar.message.text()
    bar.restore_button.click()
    assert again.template is not None and again.template.id == INVITE
    assert again.form is not None and again.form.values()["visit_time"] == "10.00 uur"
    again.form.set_values({"visit_date": dutch_day(VISIT_DAY)})
    again.save()
    qtbot.waitUntil(lambda: not again.isVisible())
    assert [r.template_id for r in letters_of(window, case_id)] == [INVITE]
    assert stored(window, f"new:{case_id}") is None


def test_throwing_the_typed_values_away(qtbot: Any, window: Any, case_id: str) -> None:
    wizard = wizard_for(qtbot, window, case_id, INVITE)
    type_time(qtbot, wizard, "14.30 uur")
    wizard.drafts.keeper.flush()
    assert stored(window, f"new:{case_id}") is not None
    wizard.reject()
    answer(wizard, "Weggooien")
    assert not wizard.isVisible() and stored(window, f"new:{case_id}") is None


def test_a_letter_open_when_the_window_closes_is_kept(qtbot: Any, window: Any, case_id: str) -> None:
    window.open_case(case_id)
    view = window.stack.currentWidget()
    wizard = LetterWizard(window.ctx, case_id, parent=view, debounce_ms=10)  # as the letters panel opens it
    wizard.show()
    select_template(wizard, INVITE)
    wizard.go_next()
    qtbot.waitUntil(lambda: wizard.form is not None and bool(wizard.form.values().get("aanhef")))
    type_time(qtbot, wizard, "09.15 uur")
    window.close()
    assert stored(window, f"new:{case_id}").content["values"]["visit_time"] == "09.15 uur"
