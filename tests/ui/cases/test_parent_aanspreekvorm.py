"""The parent editor's Aanspreekvorm: a named combo after the name that saves how every letter greets the parent."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox

from tests.ui.cases.test_case_view import open_case
from tests.ui.conftest import run

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def test_the_aanspreekvorm_is_chosen_in_the_editor_and_stored(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    view = open_case(qtbot, window)
    parent_id = view.overview.data.parent.id
    view.overview.edit_button.click()
    editor = view.overview.editor
    combo = editor.fields["aanspreekvorm"]
    assert isinstance(combo, QComboBox) and combo.accessibleName() == "Aanspreekvorm in brieven"
    assert [combo.itemText(i) for i in range(combo.count())] == ["Mevrouw", "Meneer", "Neutraal (volledige naam)"]
    assert editor.value("aanspreekvorm") == "neutraal"
    order = list(editor.fields)
    assert order.index("aanspreekvorm") == order.index("achternaam") + 1  # tabbing goes from the name to it

    combo.setCurrentIndex(combo.findData("meneer"))
    assert editor.changed_values() == {"aanspreekvorm": "meneer"}
    editor.save_button.click()
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert run(window, lambda ws, uow: ws.parents.get(uow, parent_id)).aanspreekvorm == "meneer"
