"""The Plan tab: add a need, an action and commitments; keep, break and renegotiate; overdue shown in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import first_case_id, run, save_screenshot, scaled_font
from tests.ui.keyboard import mnemonic, open_case_tab, type_into

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def open_plan(qtbot: Any, window: Any) -> Any:
    plan = open_case_tab(qtbot, window, first_case_id(window), 3).plan
    assert plan.loaded
    return plan


def plan_of(window: Any, case_id: str) -> Any:
    return run(window, lambda ws, uow: ws.plans.plan_for_case(uow, case_id))


def click_commitment(qtbot: Any, plan: Any, commitment_id: str) -> None:
    rows = plan.commitments_model.rows()
    row = next(n for n, c in enumerate(rows) if c.id == commitment_id)
    rect = plan.commitments.visualRect(plan.commitments_model.index(row, 0))
    qtbot.mouseClick(plan.commitments.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert plan.selected_commitment().id == commitment_id


def day(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


def test_a_need_and_an_action_are_added_and_the_action_is_done(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    plan = open_plan(qtbot, window)
    form = plan.need_form
    form.domain.setCurrentIndex(form.domain.findData("wonen"))
    type_into(qtbot, form.description, "Een betaalbare woning vinden")
    mnemonic(qtbot, Qt.Key.Key_B)  # &Behoefte toevoegen
    needs = [n for d in plan_of(window, plan.case_id).domains if d.code == "wonen" for n in d.needs]
    need = next(n.need for n in needs if n.need.description == "Een betaalbare woning vinden")

    actions = plan.action_form
    assert actions.need.findData(need.id) >= 0  # the new need can be chosen for an action
    actions.need.setCurrentIndex(actions.need.findData(need.id))
    actions.owner.setCurrentIndex(actions.owner.findData("gemeente"))
    type_into(qtbot, actions.description, "Urgentieverklaring aanvragen")
    type_into(qtbot, actions.due.line, day(window.ctx.today() + dt.timedelta(days=14)))
    mnemonic(qtbot, Qt.Key.Key_A)  # &Actie toevoegen
    assert actions.errors.message("owner_name").startswith("Naam van de gemeente is verplicht")
    assert actions.owner_name.hasFocus() and actions.description.text() == "Urgentieverklaring aanvragen"
    type_into(qtbot, actions.owner_name, "Gemeente Zaanstad")
    qtbot.keyClick(actions.owner_name, Qt.Key.Key_Return)  # Enter in a field adds too

    stored = plan_of(window, plan.case_id)
    action = next(a for d in stored.domains for n in d.needs if n.need.id == need.id for a in n.actions)
    assert (action.owner, action.owner_name, action.due_on) == (
        "gemeente", "Gemeente Zaanstad", window.ctx.today() + dt.timedelta(days=14))
    assert actions.description.text() == ""  # the form is empty again

    plan._select_in_tree(action.id)  # as after clicking the action in the tree
    plan.tree.setFocus()
    assert plan.action_change.done_button.isEnabled()
    mnemonic(qtbot, Qt.Key.Key_G)  # Actie &gedaan
    done = next(a for d in plan_of(window, plan.case_id).domains for n in d.needs for a in n.actions
                if a.id == action.id)
    assert done.status == "done" and done.done_on == window.ctx.today()
    assert plan.selected_action().id == action.id
    assert plan.tree.currentIndex().siblingAtColumn(3).data().startswith("Gedaan op")
    assert not plan.action_change.done_button.isEnabled()


def test_an_action_gets_a_new_date_and_overdue_is_said_in_words(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    plan = open_plan(qtbot, window)
    case_id, past = plan.case_id, window.ctx.today() - dt.timedelta(days=3)
    action = run(window, lambda ws, uow: ws.plans.add_action(uow, case_id, description="Bellen met de bank",
                                                             owner="pzb", due_on=past))
    plan._select_in_tree(action.id)
    status = plan.tree.currentIndex().siblingAtColumn(3)
    assert status.data() == f"Te laat (uiterlijk {day(past)})"
    assert status.data(Qt.ItemDataRole.ForegroundRole).name() == "#a4221b"

    type_into(qtbot, plan.action_change.new_date.line, day(past))
    mnemonic(qtbot, Qt.Key.Key_D)  # &Datum wijzigen
    assert plan.action_change.errors.message("due_on") == "Nieuwe uiterste datum ligt in het verleden."
    plan.action_change.new_date.line.selectAll()
    qtbot.keyClicks(plan.action_change.new_date.line, day(window.ctx.today() + dt.timedelta(days=7)))
    mnemonic(qtbot, Qt.Key.Key_D)
    assert plan.tree.currentIndex().siblingAtColumn(2).data() == day(window.ctx.today() + dt.timedelta(days=7))
    assert plan.tree.currentIndex().siblingAtColumn(3).data() == "Open"


def test_commitments_are_added_kept_broken_and_renegotiated(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    plan = open_plan(qtbot, window)
    form = plan.commitment_form
    due = window.ctx.today() + dt.timedelta(days=10)
    ids = []
    for text in ("Brief over de kindregeling sturen", "Terugbellen over de schuldhulp", "Afspraak met de bank"):
        type_into(qtbot, form.description, text)
        form.owner.setCurrentIndex(form.owner.findData("gemeente" if text.startswith("Terugbellen") else "pzb"))
        form.promised_by.setFocus()
        form.promised_by.selectAll()
        qtbot.keyClicks(form.promised_by, "pzb'er")
        type_into(qtbot, form.due.line, day(due))
        mnemonic(qtbot, Qt.Key.Key_Z)  # Toe&zegging toevoegen
        ids.append(next(c.id for c in plan_of(window, plan.case_id).commitments if c.description == text))
    kept, broken, moved = ids

    click_commitment(qtbot, plan, kept)
    mnemonic(qtbot, Qt.Key.Key_K)  # Nage&komen
    click_commitment(qtbot, plan, broken)
    mnemonic(qtbot, Qt.Key.Key_N)  # &Niet nagekomen, without saying why
    assert plan.commitment_change.errors.message("note").startswith("Toelichting (waarom niet nagekomen) is verplicht")
    assert plan.commitment_change.note.hasFocus()
    qtbot.keyClicks(plan.commitment_change.note, "Backoffice had de stukken niet op tijd")
    mnemonic(qtbot, Qt.Key.Key_N)
    click_commitment(qtbot, plan, moved)
    type_into(qtbot, plan.commitment_change.new_date.line, day(due + dt.timedelta(days=7)))
    type_into(qtbot, plan.commitment_change.note, "Ouder is een week weg")
    mnemonic(qtbot, Qt.Key.Key_O)  # &Opnieuw afspreken

    stored = {c.id: c for c in plan_of(window, plan.case_id).commitments}
    assert stored[kept].status == "kept"
    assert stored[broken].status == "broken" and stored[broken].history[-1].note.startswith("Backoffice")
    assert stored[moved].status == "renegotiated" and stored[moved].due_on == due + dt.timedelta(days=7)
    assert (stored[broken].owner, stored[kept].owner) == ("gemeente", "pzb")
    texts = {c.id: [plan.commitments_model.index(r, col).data() for col in range(7)]
             for r, c in enumerate(plan.commitments_model.rows())}
    assert texts[kept][5] == f"Nagekomen op {day(window.ctx.today())}" and texts[kept][4] == day(due)
    assert texts[broken][5].startswith("Niet nagekomen") and texts[broken][6].startswith("Backoffice")
    assert texts[broken][1] == "Gemeente" and texts[kept][1] == "Pzb'er"
    assert texts[moved][5] == "Opnieuw afgesproken"
    assert texts[moved][4] == day(due + dt.timedelta(days=7))
    # The first promised date and every date since stay in sight beside the buttons.
    click_commitment(qtbot, plan, moved)
    assert plan.commitment_change.history.text() == (
        f"Wie doet het: Pzb'er. Eerst beloofd voor {day(due)}; 1× verzet: {day(due)} → "
        f"{day(due + dt.timedelta(days=7))}.")
    click_commitment(qtbot, plan, kept)
    assert not plan.commitment_change.keep_button.isEnabled()  # a kept promise is history


def test_plan_models_are_proper_models(qtbot, window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from ui.plans.plan_models import PlanTreeModel, commitment_model

    plan = open_plan(qtbot, window)
    case_id = plan.case_id
    run(window, lambda ws, uow: ws.plans.add_commitment(uow, case_id, description="Bellen", promised_by="pzb'er",
                                                        due_on=window.ctx.today()))
    data = plan_of(window, case_id)
    tree = PlanTreeModel()
    tree.set_plan(data)
    assert tree.rowCount() >= 5
    qtmodeltester.check(tree, force_py=True)
    table = commitment_model()
    table.set_rows(data.commitments)
    assert table.rowCount() > 0
    qtmodeltester.check(table, force_py=True)


def test_screenshot_of_the_plan(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    plan = open_plan(qtbot, window)
    case_id, today = plan.case_id, window.ctx.today()
    run(window, lambda ws, uow: ws.plans.add_commitment(uow, case_id, description="Overzicht schulden sturen",
                                                        promised_by="pzb'er", promised_on=today - dt.timedelta(days=9),
                                                        due_on=today - dt.timedelta(days=2)))
    moved = run(window, lambda ws, uow: ws.plans.add_commitment(
        uow, case_id, description="Intake bij het wijkteam plannen", promised_by="Gemeente Zaanstad",
        due_on=today + dt.timedelta(days=3), owner="gemeente"))
    run(window, lambda ws, uow: ws.plans.renegotiate(uow, moved.id, new_due_on=today + dt.timedelta(days=10),
                                                     note="Wijkteam heeft pas later plek"))
    qtbot.waitUntil(lambda: any(c.id == moved.id and c.times_moved for c in plan.commitments_model.rows()))
    click_commitment(qtbot, plan, moved.id)
    qtbot.wait(50)  # let the new tab's layout settle, as it has by the time a person looks
    save_screenshot(window, "case_plan")
    window.back()
    with scaled_font(qtbot):
        plan = open_plan(qtbot, window)
        qtbot.wait(50)
        assert window.width() <= 1280, "the page must not force the window wider"
        save_screenshot(window, "case_plan_200")
