"""Rights that end, on the device: a former handler's late edit is refused with a reason the CLI and the
Conflicten page show (the text is kept), and a reviewer's device lets the case go once the letter is issued."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers.devices import PASS, Device, make_device
from tests.helpers.factories import make_case
from tests.helpers.reassignment import backdate_reassignment
from tests.workbench.letters.samples import beschikking_values, facts
from workbench.cases.models import Case
from workbench.cases.service import CaseService
from workbench.cli.sync_commands import cmd_sync
from workbench.errors import NotAllowed
from workbench.letters.models import Letter
from workbench.letters.service import LetterService
from workbench.parties.models import Parent
from workbench.story.service import StoryService
from workbench.sync.conflicts import ConflictService

pytestmark = pytest.mark.sync

LATE_TEXT = "Aan de keukentafel opgeschreven, pas na een week verstuurd."


def _late_edit(central: Any, tmp_path: Path, unique: Callable[[str], str]) -> tuple[Device, str]:
    """A handler's device with a story typed offline on a case reassigned to a colleague 8 days ago."""
    team = unique("Team Oost")
    old_user, new_user = unique("anna"), unique("bram")
    central.add_user(old_user, role="handler", team=team, password="pw")
    central.add_user(new_user, role="handler", team=team, password="pw")
    old = make_device(tmp_path, name="old", url=central.url, username=old_user, password="pw")
    with old.ws.unit_of_work() as uow:
        _parent_id, case_id = make_case(uow)
    old.sync()
    with old.ws.unit_of_work() as uow:
        StoryService().add(uow, case_id, kind="huisbezoek", text=LATE_TEXT)
    central.assign(case_id, new_user, reason="verlof")
    backdate_reassignment(central.db_url, case_id, dt.timedelta(days=8))
    return old, case_id


def test_a_late_edit_of_a_former_handler_is_refused_shown_with_its_reason_and_kept(
        central: Any, tmp_path: Path, unique: Callable[[str], str], capsys: pytest.CaptureFixture[str]) -> None:
    old, case_id = _late_edit(central, tmp_path, unique)
    try:
        code = cmd_sync(argparse.Namespace(json=False), old.ws)
        out = capsys.readouterr().out
        assert code == 3
        assert "1 geweigerd" in out
        assert "aan een andere behandelaar toegewezen" in out and "7 dagen" in out
        assert LATE_TEXT not in out  # the reason, never the content
        # The case is gone from the device, but the refused text is not: the Conflicten page keeps it.
        with old.ws.unit_of_work() as uow:
            assert uow.session.get(Case, case_id) is None
            open_ = ConflictService().open_conflicts(uow)
        texts = [c for c in open_ if c.field == "text"]
        assert [c.local_value for c in texts] == [LATE_TEXT]
        assert texts[0].reason is not None and "aan een andere behandelaar toegewezen" in texts[0].reason
        # Keeping it on this device is not possible (the case is gone); dismissing it after passing it on is.
        with pytest.raises(NotAllowed), old.ws.unit_of_work() as uow:
            ConflictService().resolve(uow, texts[0].id, choice="local")
        with old.ws.unit_of_work() as uow:
            for conflict in open_:
                ConflictService().resolve(uow, conflict.id, choice="server")
        assert old.open_conflicts() == []
    finally:
        old.close()


def test_the_json_sync_output_names_the_reasons(central: Any, tmp_path: Path, unique: Callable[[str], str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    old, _case_id = _late_edit(central, tmp_path, unique)
    try:
        assert cmd_sync(argparse.Namespace(json=True), old.ws) == 3
        summary = json.loads(capsys.readouterr().out)
        assert summary["geweigerd"] == 1
        [reason] = summary["redenen"]
        assert "aan een andere behandelaar toegewezen" in reason
    finally:
        old.close()


def test_a_reviewers_device_lets_the_case_go_once_the_letter_is_issued(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    team = unique("Team Zuidoost")
    author_name, reviewer_name = unique("auteur"), unique("controleur")
    central.add_user(author_name, role="handler", team=team, password="pw")
    central.add_user(reviewer_name, role="reviewer", team=team, password="pw")
    author = make_device(tmp_path, name="author", url=central.url, username=author_name, password="pw")
    reviewer = make_device(tmp_path, name="reviewer", url=central.url, username=reviewer_name, password="pw")
    letters = LetterService()
    try:
        with author.ws.unit_of_work() as uow:
            _parent, case_id = make_case(uow)
            draft = letters.create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                         values=beschikking_values(), facts=facts())
            letters.submit(uow, draft.id)
        author.sync()
        reviewer.sync()
        reviewer.ws.run(lambda uow: reviewer.ws.approve_letter(uow, PASS, draft.id))[0]
        reviewer.sync()
        author.sync()
        author.ws.run(lambda uow: author.ws.issue_letter(uow, PASS, draft.id))[0]
        author.sync()
        report = reviewer.sync()
        assert report.purged == [case_id]
        with reviewer.ws.unit_of_work() as uow:
            for model in (Case, Letter, Parent):
                assert uow.session.scalar(select(func.count()).select_from(model)) == 0
        assert not reviewer.open_conflicts()
        # Later work on the case does not reach the reviewer.
        with author.ws.unit_of_work() as uow:
            StoryService().add(uow, case_id, kind="telefoon", text="Na de beschikking gebeld.")
            CaseService().set_urgency(uow, case_id, urgent_eviction=True)
        author.sync()
        reviewer.sync()
        with reviewer.ws.unit_of_work() as uow:
            assert uow.session.get(Case, case_id) is None
    finally:
        author.close()
        reviewer.close()
