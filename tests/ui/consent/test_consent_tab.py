"""The Toestemming tab: give and withdraw a consent, record a disclosure, messages at the field."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import first_case_id, run, save_screenshot
from tests.ui.keyboard import mnemonic, open_case_tab, type_into

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def open_consent(qtbot: Any, window: Any) -> Any:
    tab = open_case_tab(qtbot, window, first_case_id(window), 4).consent
    assert tab.loaded
    return tab


def stored(window: Any, case_id: str) -> Any:
    return run(window, lambda ws, uow: ws.consent.for_case(uow, case_id))


def test_a_consent_is_given_used_and_withdrawn(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tab = open_consent(qtbot, window)
    partner = "Gemeente Zaanstad, team schulden"

    type_into(qtbot, tab.partner, partner)
    mnemonic(qtbot, Qt.Key.Key_L)  # Toestemming vast&leggen, without a scope
    assert tab.give_errors.message("scope") == "Doel en reikwijdte is verplicht."
    assert tab.scope.hasFocus() and tab.partner.text() == partner
    qtbot.keyClicks(tab.scope, "Schuldenoverzicht voor de schuldhulp")
    mnemonic(qtbot, Qt.Key.Key_L)
    consent = next(c for c in stored(window, tab.case_id).consents if c.partner == partner)
    assert consent.active and consent.given_on == window.ctx.today()
    assert tab.partner.text() == ""

    type_into(qtbot, tab.to_partner, partner)
    type_into(qtbot, tab.what, "Overzicht van de schulden")
    tab.basis.setCurrentIndex(tab.basis.findData("toestemming"))
    mnemonic(qtbot, Qt.Key.Key_S)  # Ver&strekking vastleggen
    disclosure = stored(window, tab.case_id).disclosures[0]
    assert (disclosure.partner, disclosure.consent_id) == (partner, consent.id)
    assert tab.disclosures_model.index(0, 3).data() == "Toestemming van de ouder"
    assert tab.disclosures_model.index(0, 4).data() == "u"  # never a user id

    rows = tab.consents_model.rows()
    row = next(n for n, c in enumerate(rows) if c.id == consent.id)
    rect = tab.consents.visualRect(tab.consents_model.index(row, 0))
    qtbot.mouseClick(tab.consents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.withdraw_button.isEnabled()
    mnemonic(qtbot, Qt.Key.Key_K)  # Toestemming intre&kken
    withdrawn = next(c for c in stored(window, tab.case_id).consents if c.id == consent.id)
    assert withdrawn.withdrawn_on == window.ctx.today() and not withdrawn.active
    row = next(n for n, c in enumerate(tab.consents_model.rows()) if c.id == consent.id)
    assert tab.consents_model.index(row, 3).data() == f"{window.ctx.today():%d-%m-%Y}"
    assert tab.consents_model.index(row, 4).data() == "Ingetrokken"
    assert not tab.withdraw_button.isEnabled()


def test_a_disclosure_needs_its_fields(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tab = open_consent(qtbot, window)
    before = len(stored(window, tab.case_id).disclosures)
    type_into(qtbot, tab.to_partner, "Kredietbank")
    tab.basis.setCurrentIndex(tab.basis.findData("wettelijke_plicht"))
    type_into(qtbot, tab.disclosed_on.line, "31-02-2025")
    mnemonic(qtbot, Qt.Key.Key_S)
    assert tab.record_errors.message("what") == "Gedeelde gegevens is verplicht."
    type_into(qtbot, tab.what, "Adres")
    mnemonic(qtbot, Qt.Key.Key_S)
    assert tab.record_errors.message("disclosed_on").startswith("Datum verstrekking is geen geldige datum")
    assert len(stored(window, tab.case_id).disclosures) == before


def test_consent_models_are_proper_models(qtbot, window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from ui.consent.consent_models import consent_model, disclosure_model

    tab = open_consent(qtbot, window)
    case_id = tab.case_id
    given = run(window, lambda ws, uow: ws.consent.give(uow, case_id, partner="GGD", scope="Gezinsgegevens"))
    run(window, lambda ws, uow: ws.consent.record_disclosure(uow, case_id, partner="GGD", what="Adres",
                                                             basis="toestemming", consent_id=given.id))
    data = stored(window, case_id)
    for model, rows in ((consent_model(), data.consents), (disclosure_model(), data.disclosures)):
        model.set_rows(rows)
        assert model.rowCount() > 0
        qtmodeltester.check(model, force_py=True)


def test_screenshot_of_the_consents(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    tab = open_consent(qtbot, window)
    case_id = tab.case_id
    first = run(window, lambda ws, uow: ws.consent.give(uow, case_id, partner="Gemeente Zaanstad",
                                                        scope="Schuldenoverzicht voor de schuldhulpverlening"))
    run(window, lambda ws, uow: ws.consent.record_disclosure(uow, case_id, partner="Gemeente Zaanstad",
                                                             what="Overzicht van publieke schulden",
                                                             basis="toestemming", consent_id=first.id))
    run(window, lambda ws, uow: ws.consent.withdraw(uow, first.id))
    run(window, lambda ws, uow: ws.consent.give(uow, case_id, partner="GGD Zaanstreek", scope="Zorg voor de kinderen"))
    qtbot.wait(50)
    save_screenshot(window, "case_consent")
