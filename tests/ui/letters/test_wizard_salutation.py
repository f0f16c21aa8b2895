"""The letter wizard starts every letter to the parent with the aanhef of their aanspreekvorm."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.conftest import run
from tests.ui.letters.conftest import INVITE
from tests.ui.letters.test_letter_wizard import wizard_for
from workbench.letters.salutation import surname

pytestmark = pytest.mark.qt_log_ignore(
    r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)$")


def test_the_wizard_greets_the_parent_by_their_aanspreekvorm(qtbot: Any, window: Any) -> None:
    def make_her_mevrouw(ws: Any, uow: Any) -> tuple[str, str]:
        case = ws.search.cases(uow, "UHT", limit=1)[0]
        detail = ws.cases.get(uow, case.case_id)
        parent = ws.parents.update(uow, detail.parent_id, aanspreekvorm="mevrouw")
        return case.case_id, surname(parent.name)

    case_id, name = run(window, make_her_mevrouw)
    wizard = wizard_for(qtbot, window, case_id, INVITE)
    assert wizard.form is not None
    assert wizard.form.values()["aanhef"] == f"Beste mevrouw {name}"
