"""The case view as a handler uses it: header, tabs by keyboard, the parent editor, urgency, the BSN reveal."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import run, save_screenshot, scaled_font
from tests.ui.keyboard import focused, mnemonic, press
from workbench.workspace import UnitOfWork, Workspace

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
# The offscreen platform says what it cannot do (window size hints); that is not a problem of ours.
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def case_ids(window: Any) -> list[str]:
    return run(window, lambda ws, uow: [hit.case_id for hit in ws.search.cases(uow, "UHT", limit=30)])


def open_case(qtbot: Any, window: Any, case_id: str | None = None) -> Any:
    from ui.cases.case_view import CaseView

    window.open_case(case_id or case_ids(window)[0])
    view = window.stack.currentWidget()
    assert isinstance(view, CaseView)
    qtbot.waitUntil(lambda: view.overview.loaded)
    view.activateWindow()
    return view


def test_header_shows_the_case_and_tabs_are_reached_by_keyboard(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    case_id = case_ids(window)[0]
    detail = run(window, lambda ws, uow: ws.cases.get(uow, case_id))
    parent = run(window, lambda ws, uow: ws.parents.get(uow, detail.parent_id))
    view = open_case(qtbot, window, case_id)

    assert view.reference.text() == detail.reference
    assert view.parent_name.text() == parent.name.display
    assert detail.phase_label in view.phase.text()
    assert view.urgency.isVisible() is bool(detail.urgency)
    assert view.overview.bsn.value.text() == parent.bsn_masked
    assert parent.name.formal in view.overview.who.text()

    for n, tab in enumerate(view.tab_widgets(), start=1):
        qtbot.keyClick(focused(), Qt.Key(Qt.Key.Key_0 + n), ALT)
        assert view.tabs.currentWidget() is tab
        assert tab.isAncestorOf(focused()) or focused() is tab
    press(qtbot, Qt.Key.Key_Tab, CTRL)  # from the last tab back to the first
    assert view.tabs.currentIndex() == 0
    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert view.tabs.currentWidget() is view.story
    assert view.letters.message.text().startswith("Brieven en beschikkingen komen hier.")
    assert view.letters.accessibleName() == "Brieven"
    assert all(view.tabs.tabToolTip(i).endswith(f"(Alt+{i + 1})") for i in range(6))


def test_a_wrong_postcode_is_shown_at_the_field_and_nothing_is_saved(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_case(qtbot, window)
    overview = view.overview
    parent_id = overview.data.parent.id
    before = run(window, lambda ws, uow: ws.parents.get(uow, parent_id))

    mnemonic(qtbot, Qt.Key.Key_W)  # Gegevens &wijzigen
    editor = overview.editor
    assert editor.isVisible() and editor.fields["voornamen"].hasFocus()
    postcode = editor.fields["postcode"]
    postcode.setFocus()
    postcode.selectAll()
    qtbot.keyClicks(postcode, "12345")
    phone = editor.fields["phone"]
    phone.setFocus()
    phone.selectAll()
    qtbot.keyClicks(phone, "020 1234567")
    assert view.keeps_escape  # Escape must not throw the typing away
    mnemonic(qtbot, Qt.Key.Key_O)  # &Opslaan

    message = editor.errors.message("postcode")
    assert message.startswith("Postcode is ongeldig")
    assert postcode.hasFocus() and postcode.text() == "12345"  # the typed text stays
    assert editor.isVisible()
    save_screenshot(window, "case_parent_editor")
    after = run(window, lambda ws, uow: ws.parents.get(uow, parent_id))
    assert (after.postcode, after.phone) == (before.postcode, before.phone)

    postcode.selectAll()
    qtbot.keyClicks(postcode, "1234ab")
    assert editor.errors.message("postcode") == ""  # editing the field takes the message away
    mnemonic(qtbot, Qt.Key.Key_O)
    saved = run(window, lambda ws, uow: ws.parents.get(uow, parent_id))
    assert (saved.postcode, saved.phone) == ("1234 AB", "020 1234567")
    assert not editor.isVisible() and overview.summary.isVisible()
    assert "1234 AB" in overview.who.text()  # the overview reloaded from what was stored
    assert not view.keeps_escape


def test_the_editor_undoes_and_redoes_across_fields(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_case(qtbot, window)
    view.overview.edit_button.click()
    editor = view.overview.editor
    city, email = editor.fields["city"], editor.fields["email"]
    old_city, old_email = city.text(), email.text()

    city.setFocus()
    city.selectAll()
    qtbot.keyClicks(city, "Zaandam")
    email.setFocus()
    email.selectAll()
    qtbot.keyClicks(email, "ouder@example.nl")
    assert (city.text(), email.text()) == ("Zaandam", "ouder@example.nl")

    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert email.text() == old_email and city.text() == "Zaandam"
    press(qtbot, Qt.Key.Key_Z, CTRL)  # the stack goes on into the other field
    assert city.text() == old_city and city.hasFocus()
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert city.text() == "Zaandam"
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert email.text() == "ouder@example.nl"

    mnemonic(qtbot, Qt.Key.Key_A)  # &Annuleren
    assert not editor.isVisible()
    assert view.overview.data.parent.city == old_city


def test_urgency_check_boxes_save_at_once(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_case(qtbot, window)
    box = view.overview.urgency["urgent_energy"]
    was = box.isChecked()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    case_id = view.case_id
    stored = run(window, lambda ws, uow: ws.cases.get(uow, case_id))
    assert ("urgent_energy" in stored.urgency) is (not was)
    assert ("fsluiting energie" in view.urgency.text()) is (not was)  # the header says it in words


def test_revealing_the_bsn_is_audited_and_it_masks_again(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_case(qtbot, window)
    bsn = view.overview.bsn
    bsn.reveal_ms = 300
    parent_id = view.overview.data.parent.id
    full = run(window, lambda ws, uow: ws.parents.reveal_bsn(uow, parent_id))
    masked = bsn.value.text()
    assert masked.startswith("•••••") and masked.endswith(full[-4:])

    mnemonic(qtbot, Qt.Key.Key_B)  # &BSN tonen
    assert bsn.value.text() == full
    assert bsn.button.text() == "&BSN verbergen"
    qtbot.waitUntil(lambda: bsn.value.text() == masked, timeout=2000)
    assert bsn.button.text() == "&BSN tonen"

    qtbot.keyClick(focused(), Qt.Key.Key_6, ALT)
    model = view.history.model
    verbs = [model.index(r, 3).data() for r in range(model.rowCount())]
    assert verbs[0] == "BSN getoond"
    assert model.index(0, 4).data() == "ouder"
    assert model.index(0, 1).data() == "u"


def test_the_history_refreshes_while_it_is_open(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_case(qtbot, window)
    view.show_tab(5)
    rows = view.history.model.rowCount()
    view.overview.bsn.toggle()  # a reveal from elsewhere in the view
    assert view.history.model.rowCount() == rows + 1
    assert view.history.model.index(0, 3).data() == "BSN getoond"


def test_start_a_visit_and_go_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_case(qtbot, window)
    mnemonic(qtbot, Qt.Key.Key_T)  # &Terug
    assert window.stack.currentWidget() is not view
    view = open_case(qtbot, window)
    press(qtbot, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is not view
    view = open_case(qtbot, window)
    mnemonic(qtbot, Qt.Key.Key_H)  # &Huisbezoek starten
    assert type(window.stack.currentWidget()).__name__ == "HomeVisitPage"


def busy_case(window: Any) -> str:
    """The demo case with the most open actions and promises (the screenshots should show a full overview)."""
    def count(ws: Workspace, uow: UnitOfWork, case_id: str) -> int:
        plan = ws.plans.plan_for_case(uow, case_id)
        actions = [a for d in plan.domains for n in d.needs for a in n.actions] + list(plan.loose_actions)
        return sum(a.status == "open" for a in actions) + sum(c.status == "open" for c in plan.commitments)

    case_id = max(case_ids(window), key=lambda cid: run(window, lambda ws, uow: count(ws, uow, cid)))
    run(window, lambda ws, uow: ws.cases.set_urgency(uow, case_id, urgent_eviction=True))
    return case_id


def test_screenshots_of_the_overview_and_letters(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_case(qtbot, window, busy_case(window))
    assert view.urgency.text().startswith("Urgent: Dreigende huisuitzetting")
    qtbot.wait(50)
    save_screenshot(window, "case_overview")
    view.show_tab(4)
    save_screenshot(window, "case_letters")


def test_screenshot_of_the_overview_at_double_font_size(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    with scaled_font(qtbot) as original:
        view = open_case(qtbot, window, busy_case(window))
        assert view.reference.font().pointSizeF() > original.pointSizeF() * 2
        assert window.width() <= 1280, "the page must not force the window wider"
        qtbot.wait(50)
        save_screenshot(window, "case_overview_200")


def test_every_interactive_widget_has_a_dutch_name(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.test_accessibility import unnamed_widgets

    view = open_case(qtbot, window)
    for index in range(view.tabs.count()):
        view.show_tab(index)  # builds the tabs that are built on first use
    view.overview.start_editing()
    problems = unnamed_widgets(view)
    assert problems == [], "\n".join(problems)


def test_no_two_visible_mnemonics_share_a_letter(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Alt+letter must do one thing: two visible widgets with the same letter only move the focus."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel

    def letters() -> list[str]:
        found = []
        for widget in window.findChildren(QAbstractButton) + window.findChildren(QLabel):
            match = re.search(r"&(\w)", widget.text())
            if match and widget.isVisible() and (not isinstance(widget, QLabel) or widget.buddy() is not None):
                found.append(match.group(1).lower())
        return found

    view = open_case(qtbot, window)
    for index in range(view.tabs.count()):
        view.show_tab(index)
        qtbot.wait(10)
        found = letters()
        assert len(found) == len(set(found)), (view.tabs.tabText(index), sorted(found))
    view.show_tab(0)
    view.overview.start_editing()
    found = letters()
    assert len(found) == len(set(found)), sorted(found)


def test_the_view_works_with_a_real_db_thread(qtbot, window, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    """Results and errors come back on the GUI thread; nothing is shown before the data is there."""
    from ui.cases.case_view import CaseView
    from ui.context import UiContext
    from ui.tasks import TaskRunner

    case_id = case_ids(window)[0]
    runner = TaskRunner(inline=False)
    runner.attach(workspace)
    ctx = UiContext(runner=runner, nav=window, settings=window.ctx.settings, user_id=window.ctx.user_id,
                    demo=window.ctx.demo, today=window.ctx.today)
    try:
        view = CaseView(ctx, case_id, reveal_seconds=0.3)
        qtbot.addWidget(view)
        view.show()
        assert not view.overview.bsn.button.isEnabled()  # no parent yet: nothing to reveal
        qtbot.waitUntil(lambda: view.overview.loaded and view.story.loaded, timeout=5000)
        assert view.reference.text().startswith("UHT-")
        assert view.story.model.rowCount() > 0
        view.overview.bsn.toggle()
        qtbot.waitUntil(lambda: not view.overview.bsn.value.text().startswith("•"), timeout=5000)
        qtbot.waitUntil(lambda: view.overview.bsn.value.text().startswith("•"), timeout=5000)
        view.show_tab(5)
        qtbot.waitUntil(lambda: view.history.model.rowCount() > 0, timeout=5000)
        assert view.history.model.index(0, 3).data() == "BSN getoond"
    finally:
        runner.wait_idle()
        runner.detach()
        runner.shutdown()


def test_the_overview_lists_payments_and_the_pause_they_started(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    case_id = case_ids(window)[1]

    def pay(ws: Workspace, uow: UnitOfWork) -> None:
        ws.payments.record(uow, case_id, kind="voorschot", amount_cents=500_000, paid_on="2026-10-01")
        ws.payments.record(uow, case_id, kind="catshuis", amount_cents=3_000_000, paid_on="2026-11-03")

    view = open_case(qtbot, window, case_id)
    assert view.overview.payments_text.text() == "Nog geen betalingen vastgelegd."
    run(window, pay)
    view = open_case(qtbot, window, case_id)
    assert view.overview.payments_text.text().splitlines() == [
        "Pauze private schulden: 03-11-2026 tot 03-11-2027",
        "• 01-10-2026: Voorschot € 5.000,00",
        "• 03-11-2026: Catshuisbetaling € 30.000,00"]
    qtbot.wait(50)
    save_screenshot(window, "case_overview_payments")
