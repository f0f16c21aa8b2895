"""The Historie tab: the case's audit events in Dutch, fresh after changes and after a BSN reveal."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import first_case_id, run, save_screenshot
from tests.ui.keyboard import focused, open_case_tab

ALT = Qt.KeyboardModifier.AltModifier
pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def open_history(qtbot: Any, window: Any) -> Any:
    view = open_case_tab(qtbot, window, first_case_id(window), 6)
    assert view.history.loaded
    return view


def column(model: Any, n: int) -> list[str]:
    return [model.index(r, n).data() for r in range(model.rowCount())]


def test_opening_the_case_shows_as_views_newest_first(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_history(qtbot, window)
    view.history.hide_views.setChecked(False)
    model = view.history.model
    events = list(zip(column(model, 3), column(model, 4), strict=True))
    # Opening the case read the case, the parent, the plan and the story: each is logged as a view.
    assert {("bekeken", "zaak"), ("bekeken", "ouder"), ("bekeken", "plan"), ("bekeken", "verhaal")} <= set(events)
    times = [e.at for e in model.rows()]
    assert times == sorted(times, reverse=True)
    assert column(model, 1)[0] == "u"
    assert column(model, 2)[0] == "dit apparaat"
    assert column(model, 5)[0] == "gelukt"
    assert view.history.table.hasFocus()


def test_a_change_elsewhere_in_the_case_shows_at_once(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_history(qtbot, window)
    case_id = view.case_id
    run(window, lambda ws, uow: ws.story.add(uow, case_id, kind="notitie", text="Even genoteerd."))
    model = view.history.model
    newest = list(zip(column(model, 3), column(model, 4), strict=True))[:3]
    # The story tab reloads too, which is itself a view of the story.
    assert ("aangemaakt", "verslag") in newest


def test_a_bsn_reveal_shows_in_the_history(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_history(qtbot, window)
    qtbot.keyClick(focused(), Qt.Key.Key_1, ALT)
    qtbot.keyClick(focused(), Qt.Key.Key_B, ALT)  # &BSN tonen
    qtbot.wait(150)
    assert not view.overview.bsn.value.text().startswith("•")
    qtbot.keyClick(focused(), Qt.Key.Key_6, ALT)
    assert column(view.history.model, 3)[0] == "BSN getoond"
    assert view.overview.bsn.value.text().startswith("•")  # leaving the overview masks it again


def test_the_history_model_is_a_proper_model(qtbot, window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from ui.audit.history_model import history_model

    view = open_history(qtbot, window)
    view.history.hide_views.setChecked(False)
    model = history_model(me=window.ctx.user_id)
    model.set_rows(view.history.model.rows())
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)


def test_screenshot_of_the_history(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_history(qtbot, window)
    view.overview.bsn.toggle()
    qtbot.wait(50)
    save_screenshot(window, "case_history")


def test_every_audit_verb_reads_in_dutch() -> None:
    from ui.audit.history_model import VERBS
    from workbench.audit import chain

    assert sorted(set(chain.VERBS) - set(VERBS)) == []


def test_every_synced_object_reads_in_dutch() -> None:
    from ui.audit.history_model import ENTITIES
    from workbench.sync.rows import entity_classes

    assert sorted(set(entity_classes()) - set(ENTITIES)) == []


def test_views_are_hidden_at_first_and_the_checkbox_shows_them(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_history(qtbot, window)
    history = view.history
    assert history.hide_views.isChecked()
    assert "bekeken" not in column(history.model, 3)
    assert "(inzage verborgen)" in history.summary.text()
    hidden_count = history.model.rowCount()
    history.hide_views.setChecked(False)
    assert "bekeken" in column(history.model, 3)
    assert history.model.rowCount() > hidden_count
    assert "verborgen" not in history.summary.text()


def test_people_and_devices_are_named_never_shown_by_id(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_history(qtbot, window)
    view.history.hide_views.setChecked(False)
    model = view.history.model
    me, device = window.ctx.user_id, window.ctx.runner.workspace.actor.device_id
    cells = [model.index(r, c).data() for r in range(model.rowCount()) for c in range(model.columnCount())]
    assert not [cell for cell in cells if me[:8] in cell or device[:8] in cell]


def test_other_people_read_by_name_and_role() -> None:
    import datetime as dt

    from ui.audit.history_model import device_text, who_text
    from workbench.audit.service import AuditEventInfo

    def event(**named: Any) -> AuditEventInfo:
        return AuditEventInfo(1, dt.datetime(2026, 12, 4, tzinfo=dt.UTC), "lead-id", "dev-id", "update", "case",
                              "c", "c", "ok", "", **named)

    lead = event(user_name="Lena de Lead", user_role="team_lead", device_name="Laptop Lena")
    assert who_text(lead, me="me-id") == "Lena de Lead (Teamleider)"
    assert who_text(event(user_name="Kees", user_role="reviewer"), me="me-id") == "Kees (Controleur)"
    assert who_text(event(user_name="Piet", user_role="handler"), me="me-id") == "Piet (Persoonlijk zaakbehandelaar)"
    assert who_text(event(), me="me-id") == "onbekende medewerker"
    assert who_text(lead, me="lead-id") == "u"
    assert device_text(lead) == "Laptop Lena"
    assert device_text(event()) == "ander apparaat"
    assert device_text(event(this_device=True)) == "dit apparaat"


def test_an_empty_history_says_which_emptiness_it_is(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_history(qtbot, window)
    tab = view.history
    tab.show_data([])
    assert tab.empty_state.isVisible()
    assert tab.empty_state.text().startswith("Nog niets gewijzigd aan deze zaak.")
    save_screenshot(window, "case_history_empty")
    tab.hide_views.blockSignals(True)
    tab.hide_views.setChecked(False)
    tab.show_data([])
    assert tab.empty_state.text().startswith("Nog niets vastgelegd over deze zaak.")
