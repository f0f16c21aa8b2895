"""A team lead reads the team's cases but cannot change a case another handler holds, on any path."""

from __future__ import annotations

import uuid

import pytest

from tests.helpers.factories import make_case
from workbench.errors import NotAllowed
from workbench.parties.models import Parent
from workbench.staff.models import Role, User
from workbench.store.unit_of_work import Actor, Store
from workbench.story.service import StoryService


def _lead(store: Store, actor: Actor) -> Actor:
    lead = Actor(str(uuid.uuid4()), str(uuid.uuid4()))
    with store.unit_of_work(actor) as uow:
        me = uow.session.get(User, actor.user_id)
        assert me is not None
        uow.session.add(User(id=lead.user_id, username="lotte", display_name="Lotte Leiding", role=Role.TEAM_LEAD,
                             team_id=me.team_id))
    return lead


def test_a_team_lead_cannot_write_to_a_case_someone_else_holds(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, case_id = make_case(uow)
    lead = _lead(store, actor)
    with pytest.raises(NotAllowed, match="teamleider"), store.unit_of_work(lead) as uow:
        StoryService().add(uow, case_id, kind="notitie", text="Ik schrijf in andermans zaak.")
    with pytest.raises(NotAllowed), store.unit_of_work(lead) as uow:
        parent = uow.session.get(Parent, parent_id)
        assert parent is not None
        parent.city = "Haarlem"
    with store.unit_of_work(lead) as uow:  # reading is fine, and nothing was written above
        assert StoryService().timeline(uow, case_id) == []


def test_a_team_lead_works_normally_on_their_own_case(store: Store, actor: Actor) -> None:
    lead = _lead(store, actor)
    with store.unit_of_work(lead) as uow:
        _parent_id, case_id = make_case(uow)
        StoryService().add(uow, case_id, kind="telefoon", text="Eigen zaak van de teamleider.")
    with store.unit_of_work(lead) as uow:
        assert len(StoryService().timeline(uow, case_id)) == 1
