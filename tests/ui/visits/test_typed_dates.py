"""Dates as people type them: accepted and shown in full, or named at once under the field; never dropped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")
TODAY = dt.date(2026, 12, 5)


@pytest.fixture
def action_form(qtbot):  # type: ignore[no-untyped-def]
    from ui.plans.plan_forms import ActionForm

    form = ActionForm(lambda: TODAY)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def type_date(qtbot: Any, form: Any, text: str) -> None:
    form.due.line.setFocus()
    form.due.line.clear()
    qtbot.keyClicks(form.due.line, text)
    qtbot.keyClick(form.due.line, Qt.Key.Key_Return)  # leaving the field (Enter) checks it, as Tab does


@pytest.mark.parametrize(("typed", "shown"), [
    ("15122026", "15-12-2026"),
    ("5-1-27", "05-01-2027"),
    ("5-1", "05-01-2026"),
    ("24-12", "24-12-2026"),
    ("15-12-2026", "15-12-2026"),
])
def test_a_typed_date_is_accepted_and_shown_in_full(qtbot, action_form, typed: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    type_date(qtbot, action_form, typed)
    assert action_form.due.text() == shown
    assert action_form.errors.message("due_on") == ""


@pytest.mark.parametrize(("typed", "says"), [
    ("31-02-2026", "Uiterlijk is geen geldige datum: februari 2026 heeft geen dag 31."),
    ("15132026", "Uiterlijk is geen geldige datum: maand 13 bestaat niet."),
    ("morgen", "Uiterlijk is geen geldige datum: typ bijvoorbeeld 15-12-2026, 15122026 of 15-12."),
])
def test_a_wrong_date_is_named_under_the_field_at_once_and_kept(qtbot, action_form, typed: str,  # type: ignore[no-untyped-def]
                                                               says: str) -> None:
    type_date(qtbot, action_form, typed)
    assert action_form.errors.message("due_on") == says  # before anything is submitted
    assert action_form.due.text() == typed  # the text stays for the handler to correct
    qtbot.keyClick(action_form.due.line, Qt.Key.Key_Backspace)
    assert action_form.errors.message("due_on") == ""  # typing again hides the message
