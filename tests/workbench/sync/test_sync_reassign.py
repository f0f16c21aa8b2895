"""A case reassigned to another handler: the new device gets it whole; the old one purges it once pushed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers.devices import make_device
from tests.helpers.factories import make_case
from workbench.cases.models import Case
from workbench.parties.models import Parent
from workbench.story.models import StoryEntry
from workbench.story.service import StoryService

pytestmark = pytest.mark.sync


def test_reassignment_moves_the_whole_story_and_purges_only_after_the_outbox_is_empty(
        central: Any, tmp_path: Path, unique: Callable[[str], str]) -> None:
    team = unique("Team West")
    old_user, new_user = unique("anna"), unique("bram")
    central.add_user(old_user, role="handler", team=team, password="pw")
    central.add_user(new_user, role="handler", team=team, password="pw")
    old = make_device(tmp_path, name="old", url=central.url, username=old_user, password="pw")
    new = make_device(tmp_path, name="new", url=central.url, username=new_user, password="pw")
    try:
        with old.ws.unit_of_work() as uow:
            _parent_id, case_id = make_case(uow)
            for n in range(5):
                StoryService().add(uow, case_id, kind="huisbezoek", text=f"Verhaal deel {n}.")
        old.sync()
        new.sync()
        with new.ws.unit_of_work() as uow:
            assert uow.session.get(Case, case_id) is None  # not theirs yet
        # Offline on the old laptop, one more entry is typed before the reassignment reaches it.
        with old.ws.unit_of_work() as uow:
            StoryService().add(uow, case_id, kind="telefoon", text="Nagekomen telefoontje.")
        central.assign(case_id, new_user, reason="verlof")
        report = new.sync()
        assert report.pulled > 0
        with new.ws.unit_of_work() as uow:
            assert uow.session.get(Case, case_id) is not None
            assert uow.session.scalar(select(func.count()).select_from(StoryEntry)
                                      .where(StoryEntry.case_id == case_id)) == 5
        # The old device pushes its late entry first, then purges the case.
        report = old.sync()
        assert report.purged == [case_id]
        with old.ws.unit_of_work() as uow:
            assert uow.session.get(Case, case_id) is None
            assert uow.session.scalar(select(func.count()).select_from(Parent)) == 0
            assert uow.session.scalar(select(func.count()).select_from(StoryEntry)) == 0
        new.sync()
        with new.ws.unit_of_work() as uow:
            texts = set(uow.session.scalars(select(StoryEntry.text).where(StoryEntry.case_id == case_id)))
            case = uow.session.get(Case, case_id)
            assert case is not None and case.handler_id == new.ws.actor.user_id
        assert texts == {f"Verhaal deel {n}." for n in range(5)} | {"Nagekomen telefoontje."}
    finally:
        old.close()
        new.close()
