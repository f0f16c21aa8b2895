"""A decision letter travels between devices: the author submits, the reviewer approves on their own laptop,
the approval comes back, the author issues. Nobody approves their own letter, on any path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers.devices import PASS, make_device
from tests.helpers.factories import make_case
from tests.workbench.letters.samples import beschikking_values, facts
from workbench.errors import NotAllowed
from workbench.letters.models import Letter
from workbench.letters.queries import review_queue
from workbench.letters.service import LetterService

pytestmark = pytest.mark.sync


def test_a_beschikking_is_submitted_reviewed_elsewhere_and_issued(central: Any, tmp_path: Path,
                                                                    unique: Callable[[str], str]) -> None:
    team = unique("Team Zuid")
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
        # The author cannot approve, not even by pushing an "approved" status through central.
        with pytest.raises(NotAllowed):
            author.ws.run(lambda uow: author.ws.approve_letter(uow, PASS, draft.id))[0]
        author.sync()
        reviewer.sync()
        with reviewer.ws.unit_of_work() as uow:
            queue = review_queue(uow)
        assert [row.id for row in queue] == [draft.id]
        reviewer.ws.run(lambda uow: reviewer.ws.approve_letter(uow, PASS, draft.id))[0]
        reviewer.sync()
        author.sync()
        with author.ws.unit_of_work() as uow:
            assert letters.get(uow, draft.id).status == "approved"
        issued = author.ws.run(lambda uow: author.ws.issue_letter(uow, PASS, draft.id))[0]
        assert issued.status == "issued" and issued.pdf_sha256
        author.sync()
        with author.ws.unit_of_work() as uow:
            row = uow.session.scalars(select(Letter).where(Letter.id == draft.id)).one()
            assert row.rev > 0 and row.reviewer_id == reviewer.ws.actor.user_id
        assert not author.open_conflicts() and not reviewer.open_conflicts()
    finally:
        author.close()
        reviewer.close()


def test_an_author_forcing_approval_of_their_own_letter_is_refused_by_central(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    name = unique("eigenwijs")
    central.add_user(name, role="handler", team=unique("Team Oost"), password="pw")
    device = make_device(tmp_path, name="own", url=central.url, username=name, password="pw")
    letters = LetterService()
    try:
        with device.ws.unit_of_work() as uow:
            _parent, case_id = make_case(uow)
            draft = letters.create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                         values=beschikking_values(), facts=facts())
            letters.submit(uow, draft.id)
        device.sync()
        # Around the service, straight into the store: the change still has to pass central.
        with device.ws.unit_of_work() as uow:
            row = uow.session.get(Letter, draft.id)
            assert row is not None
            row.status, row.reviewer_id = "approved", device.ws.actor.user_id
        report = device.sync()
        assert report.refused == 1
        reasons = {c.reason for c in device.open_conflicts()}
        assert reasons and all(reasons)
        # The device takes central's version back: the letter is in review again, and cannot be issued.
        with device.ws.unit_of_work() as uow:
            assert letters.get(uow, draft.id).status == "in_review"
        with pytest.raises(NotAllowed):
            device.ws.run(lambda uow: device.ws.issue_letter(uow, PASS, draft.id))[0]
    finally:
        device.close()
