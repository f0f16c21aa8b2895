"""Nothing typed is lost: a new story entry and parent changes survive a closed window, come back on reopening,
and leaving the case with unsaved text asks first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.helpers.fakes import MemorySecrets
from tests.ui.conftest import PASS, first_case_id, run, shown_window
from tests.ui.story.test_story_tab import open_story
from workbench.workspace import Workspace

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")
REPORT = "Moeder vertelt dat de huur drie maanden achterstaat. Ze wil hulp bij de schulden."


def stored(window: Any, kind: str, target: str) -> Any:
    return run(window, lambda ws, uow: ws.drafts.get(uow, kind, target))


def story_of(qtbot: Any, window: Any, case_id: str) -> Any:
    window.open_case(case_id)
    view = window.stack.currentWidget()
    view.show_tab(1)
    qtbot.waitUntil(lambda: view.story.loaded)
    return view


def type_report(qtbot: Any, view: Any) -> None:
    story = view.story
    qtbot.keyClicks(story.location, "thuis")
    story.text.setFocus()
    qtbot.keyClicks(story.text, REPORT)


def test_a_typed_report_survives_a_closed_window_and_comes_back(  # type: ignore[no-untyped-def]
        qtbot, window, profile: Path, secrets: MemorySecrets) -> None:
    case_id = first_case_id(window)
    view = open_story(qtbot, window, case_id)
    type_report(qtbot, view)
    assert view.story.draft.dirty  # typed within the last second: not written yet
    window.close()  # the window closes before the debounce: closing writes it

    ws = Workspace.open(profile, PASS, secrets=secrets)
    try:
        kept, _changes = ws.run(lambda uow: ws.drafts.get(uow, "story_entry", case_id))
    finally:
        ws.close()
    assert kept is not None and kept.content["text"] == REPORT and kept.content["location"] == "thuis"

    with shown_window(qtbot, Workspace.open(profile, PASS, secrets=secrets), profile, secrets=secrets) as again:
        view = story_of(qtbot, again, case_id)
        assert view.story.text.toPlainText() == REPORT and view.story.location.text() == "thuis"
        bar = view.story.draft_bar
        assert bar.isVisible() and "is teruggezet" in bar.message.text()
        bar.discard_button.click()
        assert view.story.text.toPlainText() == "" and not bar.isVisible()
        assert stored(again, "story_entry", case_id) is None


def test_saving_the_report_forgets_the_draft(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_story(qtbot, window)
    type_report(qtbot, view)
    view.story.draft.flush()
    assert stored(window, "story_entry", view.case_id) is not None
    view.story.save_entry()
    assert view.story.text.toPlainText() == ""
    assert stored(window, "story_entry", view.case_id) is None
    assert any(e.text == REPORT for e in view.story.all_entries)


def _answer(view: Any, text: str) -> None:
    prompt = view.leave_prompt
    assert prompt.isVisible() and "een nieuw verslag" in prompt.text()
    [button] = [b for b in prompt.buttons() if b.text().replace("&", "") == text]
    button.click()


def test_leaving_the_story_with_unsaved_text_asks(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_story(qtbot, window)
    case_id = view.case_id
    type_report(qtbot, view)

    view.back_button.click()
    _answer(view, "Blijven")
    assert window.stack.currentWidget() is view and view.story.text.toPlainText() == REPORT

    view.back_button.click()
    _answer(view, "Bewaren voor later")
    assert window.stack.currentWidget() is not view
    assert stored(window, "story_entry", case_id).content["text"] == REPORT

    view = open_story(qtbot, window, case_id)
    assert view.story.text.toPlainText() == REPORT
    view.back_button.click()
    _answer(view, "Weggooien")
    assert window.stack.currentWidget() is not view
    assert stored(window, "story_entry", case_id) is None


def test_leaving_without_typed_text_does_not_ask(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_story(qtbot, window)
    view.back_button.click()
    assert window.stack.currentWidget() is not view
    assert not [w for w in window.findChildren(QMessageBox) if w.isVisible()]


def test_parent_changes_survive_a_closed_window_and_are_offered(  # type: ignore[no-untyped-def]
        qtbot, window, profile: Path, secrets: MemorySecrets) -> None:
    case_id = first_case_id(window)
    window.open_case(case_id)
    view = window.stack.currentWidget()
    qtbot.waitUntil(lambda: view.overview.data is not None)
    parent_id = view.overview.data.parent.id
    view.overview.start_editing()
    editor = view.overview.editor
    editor.fields["city"].selectAll()
    qtbot.keyClicks(editor.fields["city"], "Wormerveer")
    editor.fields["phone"].clear()  # emptied on purpose: a change the draft keeps too
    window.close()

    with shown_window(qtbot, Workspace.open(profile, PASS, secrets=secrets), profile, secrets=secrets) as again:
        assert stored(again, "parent", parent_id).content["values"] == {"city": "Wormerveer", "phone": ""}
        again.open_case(case_id)
        view = again.stack.currentWidget()
        qtbot.waitUntil(lambda: view.overview.data is not None)
        bar = view.overview.parent_draft_bar
        assert bar.isVisible() and "niet-opgeslagen wijzigingen" in bar.message.text()
        bar.restore_button.click()
        editor = view.overview.editor
        assert view.overview.editing and editor.value("city") == "Wormerveer" and editor.value("phone") == ""
        assert editor.draft_bar.isVisible()
        editor.save()
        assert stored(again, "parent", parent_id) is None
        assert view.overview.data.parent.city == "Wormerveer"


def test_locking_writes_the_typed_report_first(  # type: ignore[no-untyped-def]
        qtbot, window, profile: Path, secrets: MemorySecrets) -> None:
    view = open_story(qtbot, window)
    type_report(qtbot, view)
    assert view.story.draft.dirty
    window.lock.lock()  # the key leaves memory: the draft must be in the store before that
    ws = Workspace.open(profile, PASS, secrets=secrets)
    try:
        kept, _changes = ws.run(lambda uow: ws.drafts.get(uow, "story_entry", view.case_id))
    finally:
        ws.close()
    assert kept is not None and kept.content["text"] == REPORT
    window.lock.unlock(PASS)
    assert view.story.text.toPlainText() == REPORT


def test_another_page_from_the_sidebar_asks_too(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_story(qtbot, window)
    type_report(qtbot, view)
    page_row = window.sidebar.currentRow()
    window.sidebar.setCurrentRow(1)
    assert window.stack.currentWidget() is view and window.sidebar.currentRow() == page_row
    _answer(view, "Bewaren voor later")
    assert window.stack.currentWidget() is not view and window.sidebar.currentRow() == 1
    assert stored(window, "story_entry", view.case_id).content["text"] == REPORT
