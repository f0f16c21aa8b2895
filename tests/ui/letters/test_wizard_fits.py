"""The letter wizard fits a 1366 × 768 laptop and cuts off no label, for every template."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt

from tests.ui.clipping import clipped_texts
from tests.ui.letters.conftest import select_template, shot
from ui.letters.letter_wizard import LetterWizard
from ui.widgets.screen_fit import fit_to_screen
from workbench.letters.templates import list_templates

TEMPLATES = sorted(t.id for t in list_templates())


def test_every_template_s_form_fits_a_laptop_screen(qtbot: Any, window: Any, case_id: str) -> None:
    found: dict[str, list[str]] = {}
    for template_id in TEMPLATES:
        wizard = LetterWizard(window.ctx, case_id, parent=window, debounce_ms=10)
        qtbot.addWidget(wizard)
        fit_to_screen(wizard, QSize(1366 - 16, 768 - 48))
        wizard.resize(1366 - 16, 768 - 48)  # the offscreen screen is smaller than a laptop: be one
        wizard.show()
        qtbot.waitExposed(wizard)
        select_template(wizard, template_id)
        qtbot.keyClick(wizard.chooser.templates, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda w=wizard: w.form is not None)
        qtbot.wait(50)
        found[template_id] = clipped_texts(wizard)
        shot(wizard, f"wizard_fit_{template_id}")
        wizard.reject()
    assert {t: texts for t, texts in found.items() if texts} == {}


def test_who_keeps_a_promise_is_chosen_by_name_and_stored_as_its_code(qtbot: Any) -> None:
    from PySide6.QtWidgets import QComboBox

    from ui.letters.letter_form import RowsEditor
    from workbench.letters.templates import load_template

    spec = next(f for f in load_template("bevestiging_toezeggingen").fields if f.item and
                any(name == "owner" for name, _kind in f.item))
    editor = RowsEditor(spec)
    qtbot.addWidget(editor)
    editor.set_value([{"text": "Bellen met de gemeente", "owner": "gemeente"}])
    column = [name for name, _kind in spec.item].index("owner")
    choice = editor.table.cellWidget(0, column)
    assert isinstance(choice, QComboBox) and choice.currentText() == "Gemeente"
    assert [choice.itemText(i) for i in range(choice.count())] == ["Pzb'er", "Backoffice", "Gemeente", "Andere partij"]
    choice.setCurrentIndex(choice.findData("backoffice"))
    assert editor.value()[0]["owner"] == "backoffice"
    editor.add_row()  # an empty line with only the default owner is not a promise
    assert len(editor.value()) == 1
