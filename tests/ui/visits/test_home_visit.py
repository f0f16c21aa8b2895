"""The home visit page: keyboard-only capture, autosave (timer, focus, lock), resume, finish, discard, screenshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.ui.conftest import PASS, RecordingNav, page_context, save_screenshot, scaled_font
from tests.ui.keyboard import focused, press
from workbench.clock import SystemClock, today
from workbench.settings import Settings
from workbench.workspace import Workspace

# The offscreen platform plugin says what it cannot do (size hints of any shown top-level with a layout; raise
# and keyboard grab of a popup such as the calendar): Qt's test platform talking, not this page. Any other Qt
# warning still fails these tests.
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def first_case_id(ws: Workspace) -> str:
    case_id, _changes = ws.run(lambda uow: ws.search.cases(uow, "UHT", limit=1)[0].case_id)
    return case_id


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(focused(), text)


def finish_with_the_keyboard(qtbot) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # "Bezoek afronden (Alt+A)"


def in_two_weeks() -> dt.date:
    return today(SystemClock()) + dt.timedelta(days=14)


@pytest.fixture
def make_context(workspace: Workspace, profile: Path, nav: RecordingNav) -> Iterator[Callable[..., Any]]:
    """Build a UiContext around the workspace; `inline=False` gives a real DB thread."""
    runners: list[Any] = []

    def build(*, inline: bool = True) -> Any:
        ctx = page_context(workspace, profile, nav, inline=inline)
        runners.append(ctx.runner)
        return ctx

    yield build
    for runner in runners:
        runner.wait_idle()
        runner.shutdown()


@pytest.fixture
def open_page(qtbot, make_context: Callable[..., Any]) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """Show a HomeVisitPage on its own at laptop size, its draft started or loaded."""
    from ui.visits.home_visit import HomeVisitPage

    def build(*, case_id: str | None = None, draft_id: str | None = None, ctx: Any = None) -> HomeVisitPage:
        page = HomeVisitPage(ctx or make_context(), case_id=case_id, draft_id=draft_id)
        qtbot.addWidget(page)
        page.resize(1280, 760)
        page.show()
        qtbot.waitExposed(page)
        qtbot.waitUntil(lambda: page.autosaver.draft_id is not None and page.isEnabled(), timeout=5000)
        page.activateWindow()
        qtbot.waitUntil(page.isActiveWindow)
        return page

    return build


def stored_draft(ws: Workspace, draft_id: str):  # type: ignore[no-untyped-def]
    draft, _changes = ws.run(lambda uow: ws.visits.get(uow, draft_id))
    return draft


# -- autosave ------------------------------------------------------------------------------------


def test_autosave_on_the_timer_and_on_every_focus_change(qtbot, open_page, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    page = open_page(case_id=first_case_id(workspace))
    draft_id = page.autosaver.draft_id
    page.text.setFocus()
    type_text(qtbot, "Ze vertelt over de brief van de Belastingdienst.")
    assert stored_draft(workspace, draft_id).text == ""  # nothing yet: no tick, no focus change

    page.autosaver.on_timer()
    assert stored_draft(workspace, draft_id).text == "Ze vertelt over de brief van de Belastingdienst."
    assert page.save_status.text().startswith("Opgeslagen om ")
    assert page.save_status.accessibleName() == "Opslagstatus"

    type_text(qtbot, " Ze is boos.")
    press(qtbot, Qt.Key.Key_Tab)  # focus leaves the text: saved at once
    assert stored_draft(workspace, draft_id).text.endswith("Ze is boos.")


def test_autosave_interval_comes_from_the_settings_and_runs_by_itself(qtbot, open_page,  # type: ignore[no-untyped-def]
                                                                       workspace: Workspace, profile: Path) -> None:
    Settings(profile).set("autosave_seconds", 1)
    page = open_page(case_id=first_case_id(workspace))
    assert page.autosaver.timer.interval() == 1000 and page.autosaver.timer.isActive()
    page.present.setFocus()
    type_text(qtbot, "Moeder")
    draft_id = page.autosaver.draft_id
    qtbot.waitUntil(lambda: stored_draft(workspace, draft_id).present == "Moeder", timeout=3000)


def test_locking_saves_what_was_typed_before_the_key_leaves(qtbot, open_page, make_context, nav: RecordingNav,  # type: ignore[no-untyped-def]
                                                           workspace: Workspace, profile: Path, secrets) -> None:
    from ui.lock import LockController

    ctx = make_context(inline=False)  # a real DB thread: the save must be in the store before `lock` returns
    nav.lock = LockController(ctx.runner, idle_minutes=lambda: 5, parent=ctx.runner,
                              reopen=lambda p: Workspace.open(profile, p, secrets=secrets))
    page = open_page(case_id=first_case_id(workspace), ctx=ctx)
    page.text.setFocus()
    type_text(qtbot, "Typen tot het scherm op slot gaat")
    nav.lock.lock()
    assert ctx.runner.workspace is None
    reopened = Workspace.open(profile, PASS, secrets=secrets)
    try:
        assert stored_draft(reopened, page.autosaver.draft_id).text == "Typen tot het scherm op slot gaat"
    finally:
        reopened.close()


# -- the whole visit from the keyboard -----------------------------------------------------------

STORY = "Moeder vertelt dat de huur al drie maanden achterstaat. Ze wil graag hulp bij de schulden."


def capture_visit_from_keyboard(qtbot, page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Fill in a whole visit with key presses only, starting with the focus where the page puts it."""
    due = in_two_weeks().strftime("%d-%m-%Y")
    assert focused() is page.location
    type_text(qtbot, "Thuis, aan de keukentafel")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Moeder en tolk")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is page.topics["verhaal"]
    press(qtbot, Qt.Key.Key_Space)                    # Het verhaal van de ouder
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Space)                    # Geld en schulden
    press(qtbot, Qt.Key.Key_Tab, times=len(page.topics) - 1)
    assert focused() is page.text
    type_text(qtbot, STORY)

    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # a new agreement line
    assert focused() is page.agreements.rows[0].kind
    press(qtbot, Qt.Key.Key_Tab)                      # kind stays "Actie"
    type_text(qtbot, "Schuldhulp aanvragen bij de gemeente")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "G")                             # owner: Gemeente
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Gemeente Zaanstad")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, due)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # the next line
    assert focused() is page.agreements.rows[1].kind
    type_text(qtbot, "T")                             # kind: Toezegging
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Terugbellen over de uitslag")
    press(qtbot, Qt.Key.Key_Tab, times=2)             # owner stays Pzb'er
    type_text(qtbot, "Sanne")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, due)
    return {"due": due}


def test_whole_visit_captured_from_the_keyboard_on_its_own(qtbot, open_page, nav: RecordingNav,  # type: ignore[no-untyped-def]
                                                           workspace: Workspace) -> None:
    case_id = first_case_id(workspace)
    page = open_page(case_id=case_id)
    page.setFocus()
    capture_visit_from_keyboard(qtbot, page)
    finish_with_the_keyboard(qtbot)
    assert nav.calls == [("back",)], page.message.text()
    assert_visit_recorded(workspace, case_id)


def assert_visit_recorded(ws: Workspace, case_id: str) -> None:
    (entries, plan, drafts), _changes = ws.run(lambda uow: (
        ws.story.timeline(uow, case_id, kind="huisbezoek"), ws.plans.plan_for_case(uow, case_id),
        ws.visits.unfinished(uow)))
    [entry] = [e for e in entries if STORY in e.text]
    assert entry.text.startswith("Besproken: Het verhaal van de ouder, Geld en schulden.")
    assert entry.present == "Moeder en tolk" and entry.location == "Thuis, aan de keukentafel"
    [action] = [a for a in plan.loose_actions if a.description == "Schuldhulp aanvragen bij de gemeente"]
    assert action.owner == "gemeente" and action.owner_name == "Gemeente Zaanstad"
    assert action.due_on == in_two_weeks()
    [commitment] = [c for c in plan.commitments if c.description == "Terugbellen over de uitslag"]
    assert commitment.promised_by == "Sanne" and commitment.due_on == in_two_weeks()
    assert drafts == []


# -- resume, finish problems, discard ------------------------------------------------------------


def test_later_keeps_the_draft_and_resuming_continues_exactly(qtbot, open_page, nav: RecordingNav,  # type: ignore[no-untyped-def]
                                                             workspace: Workspace) -> None:
    page = open_page(case_id=first_case_id(workspace))
    page.setFocus()
    capture_visit_from_keyboard(qtbot, page)
    draft_id = page.autosaver.draft_id
    press(qtbot, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)  # Later verder
    assert nav.calls == [("back",)]
    [kept], _changes = workspace.run(lambda uow: workspace.visits.unfinished(uow))
    assert kept.id == draft_id and kept.text == STORY

    again = open_page(draft_id=draft_id)
    assert again.content() == page.content()
    assert again.location.text() == "Thuis, aan de keukentafel" and again.text.toPlainText() == STORY
    assert [code for code, box in again.topics.items() if box.isChecked()] == ["verhaal", "financien"]
    assert [row.due.text() for row in again.agreements.rows] == [in_two_weeks().strftime("%d-%m-%Y")] * 2
    assert again.agreements.rows[1].kind.currentText() == "Toezegging"
    assert focused() is again.text and again.text.textCursor().atEnd()


def test_a_commitment_without_a_date_is_shown_at_its_line_and_nothing_is_lost(  # type: ignore[no-untyped-def]
        qtbot, open_page, nav: RecordingNav, workspace: Workspace) -> None:
    case_id = first_case_id(workspace)
    page = open_page(case_id=case_id)
    page.setFocus()
    capture_visit_from_keyboard(qtbot, page)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)   # select the typed date
    press(qtbot, Qt.Key.Key_Delete)                                     # and clear it
    finish_with_the_keyboard(qtbot)

    row = page.agreements.rows[1]
    assert nav.calls == []
    assert row.error.isVisible() and "datum" in row.error.text().lower()
    assert "Afspraak 2" in row.error.text() and not page.agreements.rows[0].error.isVisible()
    assert focused() is row.due.line and page.message.isVisible()
    save_screenshot(page, "home_visit_problem")
    [draft], _changes = workspace.run(lambda uow: workspace.visits.unfinished(uow))
    assert draft.text == STORY and len(draft.items) == 2 and draft.items[1].due_on is None
    entries, _changes = workspace.run(lambda uow: workspace.story.timeline(uow, case_id, kind="huisbezoek"))
    assert not [e for e in entries if STORY in e.text]

    type_text(qtbot, in_two_weeks().strftime("%d-%m-%Y"))
    finish_with_the_keyboard(qtbot)
    assert nav.calls == [("back",)]
    assert_visit_recorded(workspace, case_id)


def test_a_date_that_is_no_date_stops_finishing_before_the_store_is_asked(  # type: ignore[no-untyped-def]
        qtbot, open_page, nav: RecordingNav, workspace: Workspace) -> None:
    page = open_page(case_id=first_case_id(workspace))
    page.text.setFocus()
    type_text(qtbot, STORY)
    page.add_agreement()
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Formulier invullen")
    press(qtbot, Qt.Key.Key_Tab, times=3)
    type_text(qtbot, "31-02-2026")
    page.finish()
    row = page.agreements.rows[0]
    assert nav.calls == [] and row.error.isVisible() and "februari 2026 heeft geen dag 31" in row.error.text()
    assert focused() is row.due.line


def test_the_calendar_opens_from_the_keyboard(qtbot, open_page, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    page = open_page(case_id=first_case_id(workspace))
    row = page.agreements.add_row()
    row.due.line.setFocus()
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    menu = row.due.menu
    qtbot.waitUntil(menu.isVisible)
    press(qtbot, Qt.Key.Key_Right)                    # today, then one day on
    press(qtbot, Qt.Key.Key_Return)
    tomorrow = today(SystemClock()) + dt.timedelta(days=1)
    assert row.due.date() == tomorrow and focused() is row.due.line


def test_discard_asks_first_and_then_removes_the_draft(qtbot, open_page, nav: RecordingNav,  # type: ignore[no-untyped-def]
                                                       workspace: Workspace) -> None:
    page = open_page(case_id=first_case_id(workspace))
    page.text.setFocus()
    type_text(qtbot, "Dit was de verkeerde zaak.")
    page.discard_button.click()
    box = page.discard_prompt
    assert box is not None and box.isVisible()
    assert box.defaultButton().text() == "Niet weggooien"
    qtbot.waitUntil(box.isActiveWindow)
    press(qtbot, Qt.Key.Key_Escape)                   # Escape keeps the visit
    assert not box.isVisible() and nav.calls == []
    assert workspace.run(lambda uow: workspace.visits.unfinished(uow))[0] != []

    page.ask_discard()
    [throw] = [b for b in page.discard_prompt.buttons() if b.text() == "Weggooien"]
    throw.click()
    assert nav.calls == [("back",)]
    assert workspace.run(lambda uow: workspace.visits.unfinished(uow))[0] == []


def test_a_case_that_is_gone_says_so_and_goes_back(qtbot, make_context, nav: RecordingNav) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from ui.visits.home_visit import HomeVisitPage

    page = HomeVisitPage(make_context(), case_id="no-such-case")
    qtbot.addWidget(page)
    [box] = page.findChildren(QMessageBox)
    assert "bestaat niet" in box.text()
    assert nav.calls == []  # not yet: the window has not pushed the page at this point
    qtbot.waitUntil(lambda: nav.calls == [("back",)])


def test_on_a_real_db_thread_the_visit_ends_cleanly(qtbot, open_page, make_context, nav: RecordingNav,  # type: ignore[no-untyped-def]
                                                   workspace: Workspace) -> None:
    case_id = first_case_id(workspace)
    page = open_page(case_id=case_id, ctx=make_context(inline=False))
    page.setFocus()
    capture_visit_from_keyboard(qtbot, page)
    finish_with_the_keyboard(qtbot)
    finish_with_the_keyboard(qtbot)  # twice: the second is ignored
    qtbot.waitUntil(lambda: nav.calls == [("back",)])
    page.ctx.runner.wait_idle()
    qtbot.wait(50)
    assert nav.calls == [("back",)] and not page.message.isVisible()
    assert_visit_recorded(workspace, case_id)


def test_tab_order_and_accessible_names(qtbot, open_page, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit

    page = open_page(case_id=first_case_id(workspace))
    for description in ("Eerste", "Tweede", "Derde"):
        page.add_agreement()
        press(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, description)
    page.agreements.rows[1].remove.setFocus()
    press(qtbot, Qt.Key.Key_Space)                    # the middle line goes; the focus stays in the list
    assert [r.description.text() for r in page.agreements.rows] == ["Eerste", "Derde"]
    assert focused() is page.agreements.rows[1].description
    assert page.agreements.rows[1].description.accessibleName() == "Omschrijving afspraak 2"
    page.location.setFocus()
    order = [focused()]
    for _n in range(40):
        press(qtbot, Qt.Key.Key_Tab)
        if focused() is page.location:
            break
        order.append(focused())
    lines = [w for row in page.agreements.rows
             for w in (row.kind, row.description, row.owner, row.owner_name, row.due.line, row.remove)]
    assert order == [page.location, page.present, *page.topics.values(), page.text, *lines,
                     page.agreements.add_button, page.finish_button, page.later_button, page.discard_button]
    for key, target in ((Qt.Key.Key_O, page.text), (Qt.Key.Key_N, page.present), (Qt.Key.Key_W, page.location)):
        press(qtbot, key, Qt.KeyboardModifier.AltModifier)  # the underlined letters of the field labels
        assert focused() is target
    interactive = [w for w in page.findChildren(QWidget)
                   if isinstance(w, (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit))]
    assert [w for w in interactive if not w.accessibleName()] == []
    assert page.keeps_escape is True


# -- screenshots -------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1, 2], ids=["normal", "font200"])
def test_screenshots_at_normal_and_double_font(qtbot, open_page, workspace: Workspace, scale: int) -> None:  # type: ignore[no-untyped-def]
    with scaled_font(qtbot, scale):
        page = open_page(case_id=first_case_id(workspace))
        page.setFocus()
        capture_visit_from_keyboard(qtbot, page)
        page.text.setFocus()
        type_text(qtbot, " Ze heeft een brief van de deurwaarder laten zien.")
        press(qtbot, Qt.Key.Key_Return, times=2)
        type_text(qtbot, "We spraken af dat ik de gemeente bel. Ze is opgelucht dat er iemand meedenkt.")
        page.autosaver.on_timer()
        path = save_screenshot(page, "home_visit" if scale == 1 else "home_visit_font200")
        assert path.exists()


def test_a_visit_agreement_keeps_a_date_it_does_not_understand(  # type: ignore[no-untyped-def]
        qtbot, open_page: Callable[..., Any], workspace: Workspace) -> None:
    page = open_page(case_id=first_case_id(workspace))
    page.add_agreement()
    first = page.agreements.rows[0]
    first.description.setText("Formulier invullen")
    first.due.line.setText("15122026")  # the date from the finding: it used to vanish from the draft
    page.add_agreement()
    second = page.agreements.rows[1]
    second.description.setText("Terugbellen")
    second.due.line.setText("31-13")
    page.save_now()
    page.autosaver.flush()
    draft_id = page.autosaver.draft_id
    draft, _changes = workspace.run(lambda uow: workspace.visits.get(uow, draft_id))
    assert [(i.due_on, i.due_text) for i in draft.items] == [(dt.date(2026, 12, 15), ""), (None, "31-13")]

    again = open_page(draft_id=draft_id)
    assert [row.due.text() for row in again.agreements.rows] == ["15-12-2026", "31-13"]
