"""The facts form of the integrale beoordeling: hardship as periods per case, earlier payments on rows of their own
(defaulting from the payments register), messages at the row; the vooraankondiging computes from facts too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QComboBox

from tests.ui.conftest import run
from tests.ui.letters.conftest import DECISION, TYPED, shot
from tests.ui.letters.test_letter_wizard import preview_now, saved_draft, wizard_for
from tests.ui.test_accessibility import unnamed_widgets
from ui.letters.facts_form import FactsForm, FactsInput
from workbench.errors import ValidationError
from workbench.payments.models import Payment
from workbench.policy.facts import EarlierPayment, HardshipPeriod, ToeslagYear

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")
D = dt.date


def _pay(window: Any, case_id: str, kind: str, cents: int, day: dt.date) -> None:
    def work(_ws: Any, uow: Any) -> None:
        uow.session.add(Payment(case_id=case_id, kind=kind, amount_cents=cents, paid_on=day))
        uow.session.flush()
    run(window, work)


def test_periods_and_payments_become_facts_with_errors_named_per_row(qtbot: Any) -> None:
    form = FactsForm("integrale_beoordeling")
    qtbot.addWidget(form)
    assert form.periods is not None and form.payments is not None and not form.catshuis.isVisibleTo(form)
    assert "hardship_half_years" not in [name for name, _t in form.years_columns()]
    form.add_year(("2012", "8.000,00"))
    form.periods.add_row(("01-03-2012", "31-08-2014"))
    form.payments.add_row(("voorschot", "5.000,00", "01-05-2023"))
    facts = form.facts_input().to_facts(D(2026, 12, 4))
    assert facts.hardship_periods == (HardshipPeriod(D(2012, 3, 1), D(2014, 8, 31)),)
    assert facts.earlier_payments == (EarlierPayment("voorschot", 500_000, D(2023, 5, 1)),)
    form.periods.add_row(("01-01-2014", "31-12-2014"))
    with pytest.raises(ValidationError) as err:
        form.facts_input().to_facts(D(2026, 12, 4))
    assert err.value.field == "hardship_periods[1]"
    assert form.show_error(err.value)
    assert "overlapt met periode 1" in form.message.text() and form.periods.table.currentRow() == 1
    form.payments.add_row(("compensatie", "12,3x", "01-01-2024"))
    form.periods.table.removeRow(1)
    with pytest.raises(ValidationError) as err:
        form.facts_input().to_facts(D(2026, 12, 4))
    assert err.value.field == "earlier_payments[1].amount_cents"
    form.show_error(err.value)
    assert (form.payments.table.currentRow(), form.payments.table.currentColumn()) == (1, 1)


def test_stored_facts_come_back_including_old_half_years_until_cleared(qtbot: Any) -> None:
    from workbench.policy.facts import CaseFacts
    form = FactsForm("integrale_beoordeling")
    qtbot.addWidget(form)
    old = CaseFacts(D(2026, 12, 4), "integrale_beoordeling", catshuis_paid_cents=3_000_000,
                    years=(ToeslagYear(2012, startbedrag_cents=800_000, hardship_half_years=2),))
    form.set_facts(old)
    assert form.legacy_note.isVisibleTo(form) and "2 in 2012" in form.legacy_note.text()
    assert form.catshuis.isVisibleTo(form)  # an undated Catshuis amount is shown, not hidden
    assert form.facts_input().to_facts(D(2026, 12, 4)) == old
    form.legacy_clear.click()
    again = form.facts_input().to_facts(D(2026, 12, 4))
    assert again.years[0].hardship_half_years == 0 and not form.legacy_note.isVisibleTo(form)


def test_a_new_beschikking_starts_from_the_payments_register(qtbot: Any, window: Any, case_id: str) -> None:
    _pay(window, case_id, "catshuis", 3_000_000, D(2021, 4, 20))
    _pay(window, case_id, "kindregeling", 200_000, D(2024, 1, 1))
    wizard = wizard_for(qtbot, window, case_id, DECISION)
    facts = wizard.facts
    assert facts is not None and facts.payments is not None
    assert facts.payments.rows() == (("catshuis", "30.000,00", "20-04-2021"),)
    combo = facts.payments.table.cellWidget(0, 0)
    assert isinstance(combo, QComboBox) and combo.currentText() == "Catshuisregeling"
    assert wizard.form is not None
    wizard.form.set_values(TYPED)
    facts.add_year(("2012", "40.000,00"))
    assert facts.periods is not None
    facts.periods.add_row(("01-03-2012", "31-08-2014"))
    preview_now(qtbot, wizard)
    qtbot.waitUntil(lambda: "Berekend" in facts.summary.text())
    assert "al betaald € 30.000,00" in facts.summary.text()
    assert unnamed_widgets(wizard) == []
    qtbot.waitUntil(lambda: wizard.preview.pdf.page_count() > 0)
    qtbot.wait(300)
    shot(wizard, "wizard_beschikking_periods")
    shot(facts, "facts_form_periods")
    stored = saved_draft(qtbot, window, wizard, case_id)
    assert stored.facts.hardship_periods == (HardshipPeriod(D(2012, 3, 1), D(2014, 8, 31)),)
    assert stored.values["earlier_payments"] == [
        {"label": "Catshuisregeling, betaald op 20 april 2021", "amount": 3_000_000}]


def test_the_vooraankondiging_has_a_facts_form_too(qtbot: Any, window: Any, case_id: str) -> None:
    wizard = wizard_for(qtbot, window, case_id, "vooraankondiging_integrale_beoordeling")
    assert wizard.facts is not None and wizard.form is not None
    assert not {"total", "payable", "already_paid"} & set(wizard.form.editors)  # never typed
    assert isinstance(wizard.facts.facts_input(), FactsInput)
    wizard.reject()
