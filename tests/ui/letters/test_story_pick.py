"""The wizard fills a gespreksverslag from a home visit, and a beschikking's facts from ticked story entries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from tests.ui.conftest import run
from tests.ui.letters.conftest import DECISION
from tests.ui.letters.test_letter_wizard import wizard_for
from tests.ui.test_accessibility import unnamed_widgets
from ui.letters.story_picker import StoryPicker
from ui.visits.date_field import DateField
from workbench.letters import story_source
from workbench.visits.service import VisitItem

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")
VERSLAG = "gespreksverslag_ter_bevestiging"
SHOTS = Path("/work/notes/shots")


def home_visit(window: Any, case_id: str) -> tuple[str, str]:
    """A home visit ended as the window ends it, and a phone call after it; returns both story entry ids."""
    def work(ws: Any, uow: Any) -> tuple[str, str]:
        draft = ws.visits.start(uow, case_id)
        ws.visits.save(uow, draft.id, location="Bij mevrouw thuis, Zaandam", present="Mevrouw Jansen; tolk; pzb'er",
                       topics=["verhaal"], text="Mevrouw vertelde over de terugvordering van 2013 en de schulden.",
                       items=[VisitItem("action", "Schuldhulp aanvragen", None)])
        visit = ws.visits.finish(uow, draft.id).entry.id
        call = ws.story.add(uow, case_id, kind="telefoon", text="Mevrouw belde na over haar kinderen.",
                            occurred_at=uow.clock.now() + dt.timedelta(minutes=5))
        return visit, call.id
    return run(window, work)


def picker(wizard: Any) -> StoryPicker:
    assert wizard.story is not None
    return wizard.story


def text_of(wizard: Any, field: str) -> str:
    editor = wizard.form.editors[field]
    if isinstance(editor, DateField):
        return editor.text()
    return editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()


def test_a_gespreksverslag_is_filled_from_a_chosen_home_visit_and_stays_editable(qtbot: Any, window: Any,
                                                                                  case_id: str) -> None:
    visit_id, _call = home_visit(window, case_id)
    wizard = wizard_for(qtbot, window, case_id, VERSLAG)
    pick = picker(wizard)
    assert text_of(wizard, "account") == "" and text_of(wizard, "conversation_place") == ""
    row = pick.visits.findData(visit_id)
    assert row >= 0
    pick.visits.setCurrentIndex(row)
    with qtbot.waitSignal(wizard.preview_shown, timeout=3000):
        qtbot.mouseClick(pick.visit_button, Qt.MouseButton.LeftButton)
    assert text_of(wizard, "conversation_date") == f"{window.ctx.today():%d-%m-%Y}"
    assert text_of(wizard, "conversation_place") == "Bij mevrouw thuis, Zaandam"
    assert text_of(wizard, "present") == "Mevrouw Jansen\ntolk\npzb'er"
    assert text_of(wizard, "account").endswith("Mevrouw vertelde over de terugvordering van 2013 en de schulden.")
    assert pick.checked_ids() == [visit_id] and "Ingevuld uit 1 verslag" in pick.message.text()
    assert unnamed_widgets(wizard) == []
    account = wizard.form.editors["account"]
    account.setFocus()
    account.moveCursor(account.textCursor().MoveOperation.End)
    qtbot.keyClicks(account, " Zij wil graag rust.")
    wizard.form.set_values({"response_deadline": window.ctx.today() + dt.timedelta(days=14)})
    qtbot.waitUntil(lambda: wizard.preview.pdf.page_count() > 0)
    qtbot.wait(300)  # QPdfView draws its pages in the background
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert wizard.grab().save(str(SHOTS / "story_pick.png"))
    with qtbot.waitSignal(wizard.saved, timeout=3000) as saved:
        wizard.save_button.click()

    def stored(ws: Any, uow: Any) -> tuple[dict[str, Any], tuple[str, ...]]:
        from workbench.letters.queries import draft_values
        return draft_values(uow, saved.args[0].id).values, story_source.letter_story_entry_ids(uow, saved.args[0].id)

    values, entry_ids = run(window, stored)
    assert values["account"].endswith("de schulden. Zij wil graag rust.")  # the handler's words kept
    assert values["present"] == ["Mevrouw Jansen", "tolk", "pzb'er"]
    assert entry_ids == (visit_id,)


def test_a_beschikking_starts_what_happened_from_ticked_entries(qtbot: Any, window: Any,
                                                                 case_id: str) -> None:
    visit_id, call_id = home_visit(window, case_id)
    wizard = wizard_for(qtbot, window, case_id, DECISION)
    pick = picker(wizard)
    assert not pick.visits.isVisibleTo(wizard) and not pick.entries_button.isEnabled()
    pick.entries.setFocus()
    for n in range(pick.entries.count()):
        item = pick.entries.item(n)
        if item.data(Qt.ItemDataRole.UserRole) in (visit_id, call_id):
            pick.entries.setCurrentRow(n)
            qtbot.keyClick(pick.entries, Qt.Key.Key_Space)
            assert item.checkState() == Qt.CheckState.Checked
    assert set(pick.checked_ids()) == {visit_id, call_id}
    qtbot.mouseClick(pick.entries_button, Qt.MouseButton.LeftButton)
    expected = run(window, lambda _ws, uow: story_source.facts_from_story(uow, case_id, [call_id, visit_id]))
    assert text_of(wizard, "facts") == expected
    assert expected.index("huisbezoek:") < expected.index("telefoon: Mevrouw belde na over haar kinderen.")
    assert wizard.story_entry_ids is not None and set(wizard.story_entry_ids) == {visit_id, call_id}


def test_an_entry_that_is_not_of_this_case_is_said_at_the_picker(qtbot: Any, window: Any,
                                                                 case_id: str) -> None:
    other = run(window, lambda ws, uow: ws.search.cases(uow, "UHT", limit=2)[1].case_id)
    theirs, _ = home_visit(window, other)
    wizard = wizard_for(qtbot, window, case_id, VERSLAG)
    pick = picker(wizard)
    assert pick.visits.findData(theirs) < 0  # another case's visit is never offered
    wizard.fill_from_entries([theirs])
    assert "hoort niet bij deze zaak" in pick.message.text()
    assert text_of(wizard, "account") == "" and wizard.story_entry_ids is None


def test_editing_a_draft_ticks_the_entries_it_was_filled_from(qtbot: Any, window: Any, case_id: str) -> None:
    from ui.letters.letter_wizard import LetterWizard
    from workbench.letters import queries
    visit_id, call_id = home_visit(window, case_id)

    def draft(ws: Any, uow: Any) -> Any:
        fill = story_source.conversation_values(uow, case_id, visit_entry_id=visit_id)
        values = {**queries.case_defaults(uow, case_id, queries.load_template(VERSLAG)), **fill,
                  "response_deadline": "2026-12-31"}
        letter = ws.letters.create_draft(uow, case_id, template_id=VERSLAG, values=values,
                                         story_entry_ids=[visit_id])
        return queries.draft_values(uow, letter.id)

    wizard = LetterWizard(window.ctx, case_id, parent=window, draft=run(window, draft), debounce_ms=10)
    qtbot.addWidget(wizard)
    pick = picker(wizard)
    assert pick.checked_ids() == [visit_id] and pick.entries_button.isEnabled()
    assert wizard.story_entry_ids is None  # nothing re-chosen: saving keeps the stored choice
    assert call_id in [pick.entries.item(n).data(Qt.ItemDataRole.UserRole) for n in range(pick.entries.count())]


def test_the_story_is_said_empty_only_while_it_is(qtbot: Any) -> None:
    """The picker starts empty while the story loads; once entries arrive it no longer says there are none."""
    pick = StoryPicker(DECISION)
    qtbot.addWidget(pick)
    pick.set_choices([], ())
    assert pick.message.text() == "Er staat nog niets in het verhaal van deze zaak."
    entry = story_source.StoryChoice(id="e1", occurred_on=dt.date(2026, 11, 14), kind="telefoon",
                                     kind_label="Telefoon", location="", first_words="Gebeld met mevrouw",
                                     is_visit=False)
    pick.set_choices([entry], ())
    assert pick.entries.count() == 1
    assert pick.message.text() == ""
