"""Approval fixes a letter, end to end: an approved letter changed on the author's laptop comes back as a draft;
the approved letter issued days later, with its dates computed for that day, passes central."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.devices import PASS, Device, make_device
from tests.helpers.factories import make_case
from tests.workbench.letters.samples import beschikking_values, facts
from workbench.errors import NotAllowed
from workbench.letters.models import Letter
from workbench.letters.service import LetterService

pytestmark = pytest.mark.sync


def _approved(central: Any, tmp_path: Path, unique: Callable[[str], str], n: int) -> tuple[Device, Device, str]:
    """A beschikking written on the author's laptop and approved on the reviewer's; the author has the approval.

    Reviewers see every letter in review on the shared central, so each test's parent has its own BSN (`n`).
    """
    team = unique("Team West")
    author_name, reviewer_name = unique("schrijver"), unique("beslisser")
    central.add_user(author_name, role="handler", team=team, password="pw")
    central.add_user(reviewer_name, role="reviewer", team=team, password="pw")
    author = make_device(tmp_path, name="author", url=central.url, username=author_name, password="pw")
    reviewer = make_device(tmp_path, name="reviewer", url=central.url, username=reviewer_name, password="pw")
    letters = LetterService()
    with author.ws.unit_of_work() as uow:
        _parent, case_id = make_case(uow, n)
        draft = letters.create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                     values=beschikking_values(), facts=facts())
        letters.submit(uow, draft.id)
    author.sync()
    reviewer.sync()
    reviewer.ws.run(lambda uow: reviewer.ws.approve_letter(uow, PASS, draft.id))[0]
    reviewer.sync()
    author.sync()
    with author.ws.unit_of_work() as uow:
        assert letters.get(uow, draft.id).status == "approved"
    return author, reviewer, draft.id


def test_an_approved_letter_changed_around_the_service_comes_back_as_a_draft(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    author, reviewer, letter_id = _approved(central, tmp_path, unique, 5)
    try:
        # A modified client: the amount raised after approval, straight into the store and so to central.
        with author.ws.unit_of_work() as uow:
            row = uow.session.get(Letter, letter_id)
            assert row is not None
            row.field_values = {**row.field_values, "payable": 99_900_000, "total": 99_900_000}
        report = author.sync()
        assert report.refused == 0
        with author.ws.unit_of_work() as uow:
            info = LetterService().get(uow, letter_id)
        assert (info.status, info.reviewer_id) == ("draft", None)
        assert "teruggezet naar concept" in info.review_comment
        with pytest.raises(NotAllowed):
            author.ws.run(lambda uow: author.ws.issue_letter(uow, PASS, letter_id))[0]
    finally:
        author.close()
        reviewer.close()


def test_an_approved_letter_issued_days_later_passes_central_with_its_new_dates(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    author, reviewer, letter_id = _approved(central, tmp_path, unique, 6)
    try:
        with author.ws.unit_of_work() as uow:
            row = uow.session.get(Letter, letter_id)
            assert row is not None
            approved_deadline = row.field_values["objection_deadline"]
        assert author.clock is not None
        author.clock.advance(days=9)
        issued = author.ws.run(lambda uow: author.ws.issue_letter(uow, PASS, letter_id))[0]
        assert issued.status == "issued"
        report = author.sync()
        assert report.refused == 0 and not author.open_conflicts()
        with author.ws.unit_of_work() as uow:
            row = uow.session.get(Letter, letter_id)
            assert row is not None and row.status == "issued" and row.rev > 3
            assert row.field_values["objection_deadline"] > approved_deadline
    finally:
        author.close()
        reviewer.close()


def test_a_letter_issued_on_the_device_after_a_forged_change_is_refused_and_sync_goes_on(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    """The device issues a letter whose approval central has already withdrawn: central refuses the issue and
    answers with its draft, which the device cannot put over its issued letter. That row is held aside (with a
    reason) instead of failing every later sync."""
    author, reviewer, letter_id = _approved(central, tmp_path, unique, 7)
    try:
        with author.ws.unit_of_work() as uow:  # a modified client changes the approved letter...
            row = uow.session.get(Letter, letter_id)
            assert row is not None
            row.field_values = {**row.field_values, "motivation": "Een andere motivering dan de goedgekeurde."}
        # ...and issues it before syncing: locally it is still approved.
        assert author.ws.run(lambda uow: author.ws.issue_letter(uow, PASS, letter_id))[0].status == "issued"
        report = author.sync()
        assert report.refused == 1 and report.quarantined == 1, report
        with author.ws.unit_of_work() as uow:
            before = uow.session.get(Letter, letter_id)
            assert before is not None and before.status == "issued"
        with author.ws.unit_of_work() as uow:
            _parent, _case_id = make_case(uow, 8)
        later = author.sync()  # the next sync works, and pushes new work
        assert later.pushed > 0 and later.refused == 0, later
        reviewer.sync()
        with reviewer.ws.unit_of_work() as uow:
            seen = uow.session.get(Letter, letter_id)
            assert seen is None or seen.status != "issued", "central never took the forged issue"
    finally:
        author.close()
        reviewer.close()
