"""The letter wizard: template, fields filled from the case, live PDF preview, messages at the field, save."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.helpers.factories import dutch_day
from tests.ui.conftest import run
from tests.ui.keyboard import focused
from tests.ui.letters.conftest import DECISION, INVITE, TYPED, VISIT_DAY, select_template, shot
from tests.ui.test_accessibility import unnamed_widgets
from ui.letters.letter_wizard import LetterWizard
from ui.visits.date_field import DateField

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def wizard_for(qtbot: Any, window: Any, case_id: str, template_id: str) -> LetterWizard:
    wizard = LetterWizard(window.ctx, case_id, parent=window, debounce_ms=10)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: focused() is wizard.chooser.templates)
    select_template(wizard, template_id)
    with qtbot.waitSignal(wizard.preview_shown, timeout=3000):
        qtbot.keyClick(wizard.chooser.templates, Qt.Key.Key_Return)
    return wizard


def letters_of(window: Any, case_id: str) -> list[Any]:
    from workbench.letters import queries
    return run(window, lambda ws, uow: queries.letters_for_case(uow, case_id))


def preview_now(qtbot: Any, wizard: LetterWizard) -> None:
    """Render the preview now instead of after the typing pause, and wait until it is shown."""
    with qtbot.waitSignal(wizard.preview_shown, timeout=3000):
        wizard.preview.schedule()


def saved_draft(qtbot: Any, window: Any, wizard: LetterWizard, case_id: str) -> Any:
    """Opslaan als concept: the wizard closes; the DraftValues stored for the case's newest letter."""
    from workbench.letters import queries

    wizard.save_button.click()
    qtbot.waitUntil(lambda: not wizard.isVisible())
    letter_id = letters_of(window, case_id)[0].id
    return run(window, lambda ws, uow: queries.draft_values(uow, letter_id))


def test_an_invitation_is_filled_from_the_case_previewed_and_saved(qtbot: Any, window: Any, case_id: str) -> None:
    wizard = wizard_for(qtbot, window, case_id, INVITE)
    form = wizard.form
    assert form is not None
    values = form.values()
    assert values["aanhef"].startswith("Beste ") and values["signatory_name"] == "Sanne de Pzb"
    assert values["visit_address"] and values["contact_phone"]
    assert "verplicht" in wizard.preview.pdf.status.text()  # no date yet: the preview says what is missing
    date = form.editors["visit_date"]
    assert isinstance(date, DateField)
    with qtbot.waitSignal(wizard.preview_shown, timeout=3000):
        date.line.setFocus()
        qtbot.keyClicks(date.line, dutch_day(VISIT_DAY))
    time = form.editors["visit_time"]
    assert isinstance(time, QLineEdit)
    with qtbot.waitSignal(wizard.preview_shown, timeout=3000):
        qtbot.keyClicks(time, "10.00 uur")
    qtbot.waitUntil(lambda: wizard.preview.pdf.page_count() > 0)
    assert "CONCEPT" in wizard.preview.pdf.status.text()
    assert unnamed_widgets(wizard) == []
    qtbot.wait(300)  # QPdfView draws its pages in the background
    shot(wizard, "wizard")
    qtbot.keyClick(focused(), Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    saved = letters_of(window, case_id)
    assert [(r.template_id, r.status) for r in saved] == [(INVITE, "draft")]


def test_a_wrong_date_is_shown_at_its_field_and_nothing_is_saved(qtbot: Any, window: Any, case_id: str) -> None:
    wizard = wizard_for(qtbot, window, case_id, INVITE)
    form = wizard.form
    assert form is not None
    form.set_values({"visit_date": "31-02-2026", "visit_time": "10.00 uur"})
    wizard.save_button.click()
    assert form.message("visit_date").startswith("Datum van het bezoek")
    assert focused() is form.editors["visit_date"].focusProxy()
    assert wizard.isVisible() and letters_of(window, case_id) == []
    wizard.reject()


def test_a_beschikking_takes_its_amounts_from_the_policy_engine(qtbot: Any, window: Any, case_id: str) -> None:
    wizard = wizard_for(qtbot, window, case_id, DECISION)
    form, facts = wizard.form, wizard.facts
    assert form is not None and facts is not None and facts.years is not None
    assert not {"total", "payable", "breakdown", "legal_basis"} & set(form.editors)  # never typed
    form.set_values(TYPED)
    wizard.save_button.click()
    assert facts.message.text() == "Vul minstens één toeslagjaar in." and letters_of(window, case_id) == []
    facts.add_year(("2012", "8.000,00"))
    preview_now(qtbot, wizard)
    qtbot.waitUntil(lambda: "Berekend" in facts.summary.text())
    assert "totaal € 30.000,00" in facts.summary.text()  # the Catshuis floor tops € 10.000 up
    # the letter check runs while typing: no errors for this besluit, and its findings are visible and named
    assert wizard.preview.findings.isVisible() and wizard.preview.findings.accessibleName() == "Controle van de brief"
    assert not [f for f in wizard.preview.findings.findings if f.severity == "error"]
    facts.years.item(0, 1).setText("8.000,0x")
    wizard.save_button.click()
    assert facts.message.text().startswith("Bedrag is ongeldig") and facts.years.currentRow() == 0
    facts.years.item(0, 1).setText("8.000,00")
    preview_now(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview.pdf.page_count() > 0)
    qtbot.wait(300)  # QPdfView draws its pages in the background
    shot(wizard, "wizard_beschikking")
    draft = saved_draft(qtbot, window, wizard, case_id)
    stored = draft.values
    assert stored["total"] == 3000000 and stored["breakdown"][0]["year"] == "2012"
    assert draft.facts is not None and draft.facts.years[0].startbedrag_cents == 800000  # the facts are kept


def test_a_kindregeling_is_for_one_child_chosen_from_the_case(qtbot: Any, window: Any, case_id: str) -> None:
    def family(ws: Any, uow: Any) -> dict[str, str]:
        parent_id = ws.cases.get(uow, case_id).parent_id
        return {name: ws.parents.add_child(uow, parent_id, voornamen=name, achternaam="Jansen", birth_date=born).id
                for name, born in (("Sanne", "15-01-2003"), ("Daan", "30-09-2010"), ("Noor", None))}
    ids = run(window, family)
    wizard = wizard_for(qtbot, window, case_id, "beschikking_kindregeling")
    form, facts = wizard.form, wizard.facts
    assert form is not None and facts is not None and facts.child is not None
    assert not {"child_name", "child_birth_date", "aanhef", "total", "breakdown"} & set(form.editors)
    qtbot.waitUntil(lambda: facts.child.count() >= 3)
    names = [facts.child.itemText(i) for i in range(facts.child.count())]
    assert any(n.startswith("Sanne Jansen (geboren op 15 januari 2003)") for n in names)
    assert any(n.startswith("Noor Jansen (geen geboortedatum bekend)") for n in names)
    facts.child.setCurrentIndex(facts.child.findData(ids["Sanne"]))
    form.set_values({"parent_decision_date": "12-06-2025", "motivation": "De ouder is gedupeerd.",
                     "payment": "Wij betalen binnen 6 weken."})
    preview_now(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview.pdf.page_count() > 0)
    assert unnamed_widgets(wizard) == []
    qtbot.wait(300)  # QPdfView draws its pages in the background
    shot(wizard, "wizard_kindregeling")
    stored = saved_draft(qtbot, window, wizard, case_id)
    assert stored.child_id == ids["Sanne"] and stored.values["child_name"] == "Sanne Jansen"
    assert stored.values["total"] == 1_000_000 and stored.values["child_adult"] == 1
