"""The reviewer's view through a real central: a case it only reviews is not under Mijn zaken, and the review
context shows the letter's facts while saying the promises and story are not visible to a reviewer (no zeros)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers.devices import make_device
from tests.helpers.factories import make_case
from tests.workbench.letters.samples import beschikking_values, facts
from tests.workbench.sync.test_handover_arrival import fill_case
from workbench.cases.models import Case
from workbench.cases.service import CaseService
from workbench.letters.queries import review_queue
from workbench.letters.review_context import review_context
from workbench.letters.service import LetterService
from workbench.plans.models import Commitment
from workbench.story.models import StoryEntry
from workbench.sync import client

pytestmark = pytest.mark.sync


def test_a_reviewer_lists_no_reviewed_case_and_sees_what_it_cannot_see_named(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    team = unique("Team Noordwest")
    author_name, reviewer_name = unique("auteur"), unique("controleur")
    central.add_user(author_name, role="handler", team=team, password="pw")
    central.add_user(reviewer_name, role="reviewer", team=team, password="pw")
    author = make_device(tmp_path, name="author", url=central.url, username=author_name, password="pw")
    reviewer = make_device(tmp_path, name="reviewer", url=central.url, username=reviewer_name, password="pw")
    letters = LetterService()
    try:
        with author.ws.unit_of_work() as uow:
            _parent, case_id = make_case(uow)
            fill_case(uow, case_id, actions=2, promises=5, story=36)
            draft = letters.create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                         values=beschikking_values(), facts=facts())
            letters.submit(uow, draft.id)
        author.sync()
        assert reviewer.sync().handed_over == []  # a letter to review is no case handed over
        assert client.pending_handovers(reviewer.ws) == []
        with reviewer.ws.unit_of_work() as uow:
            assert [row.id for row in review_queue(uow)] == [draft.id]
            # Sync gave the reviewer the case row (for the letter) but none of its promises or story ...
            assert uow.session.scalar(select(func.count()).select_from(Case)) == 1
            assert uow.session.scalar(select(func.count()).select_from(Commitment)) == 0
            assert uow.session.scalar(select(func.count()).select_from(StoryEntry)) == 0
            # ... so the case is not the reviewer's: Mijn zaken does not list it.
            assert CaseService().list_rows(uow) == [] == CaseService().list_rows(uow, limit=50)
            context = review_context(uow, draft.id)
        assert context.promises is None and context.story is None and context.story_total is None
        assert context.scheme == "Integrale beoordeling"
        stored = facts()
        assert len(context.facts) >= len(stored.years) and all(
            any(line.startswith(f"Toeslagjaar {y.year}:") for line in context.facts) for y in stored.years)
        # The author, who handles the case, sees the same letter with the case's promises and story.
        with author.ws.unit_of_work() as uow:
            assert [row.case_id for row in CaseService().list_rows(uow)] == [case_id]
            own = review_context(uow, draft.id)
        assert own.promises is not None and len(own.promises) == 5
        assert own.story_total == 36 and own.story is not None and len(own.story) == 5
        assert own.facts == context.facts
    finally:
        author.close()
        reviewer.close()
