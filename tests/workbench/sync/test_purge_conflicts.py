"""Purging a case reassigned away keeps the open conflicts of its rows (what was typed here), never the settled."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import delete, select

from tests.helpers.factories import make_case
from workbench.store.hooks import Origin
from workbench.store.unit_of_work import Actor, Store
from workbench.story.service import StoryService
from workbench.sync.models import Conflict, OutboxEntry
from workbench.sync.purge import GONE, purge_case

AT = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)


def _conflict(entity: str, row_id: str, field: str, *, reason: str | None = None,
              resolved: bool = False) -> Conflict:
    return Conflict(id=str(uuid.uuid4()), entity=entity, row_id=row_id, field=field, local_value="Hier getypt.",
                    server_value=None if reason else "Op de centrale.", server_rev=0 if reason else 3,
                    created_at=AT, resolved_at=AT if resolved else None, reason=reason)


def test_open_conflicts_of_a_purged_case_stay_with_a_reason_and_settled_ones_go(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, case_id = make_case(uow)
        story = StoryService().add(uow, case_id, kind="telefoon", text="Teruggebeld.")
    with store.unit_of_work(actor, Origin.SYNC) as uow:
        uow.session.execute(delete(OutboxEntry))
        clash = _conflict("story_entry", story.id, "text")
        refused = _conflict("case", case_id, "phase", reason="Geweigerd om een reden.")
        settled = _conflict("case", case_id, "urgent_eviction", resolved=True)
        on_parent = _conflict("parent", parent_id, "city")
        uow.session.add_all([clash, refused, settled, on_parent])
    with store.unit_of_work(actor, Origin.PURGE) as uow:
        assert purge_case(uow, case_id) is True
    with store.unit_of_work(actor) as uow:
        kept = {c.id: c.reason for c in uow.session.scalars(select(Conflict))}
    assert kept == {clash.id: GONE, refused.id: "Geweigerd om een reden.", on_parent.id: GONE}


def test_every_demo_case_purges_whatever_rows_point_at_each_other(store: Store, actor: Actor) -> None:
    from workbench.cases.models import Case
    from workbench.demo.generator import generate
    from workbench.plans.models import Action, Need
    from workbench.progress import CancelToken, NoProgress

    generate(store, actor, cases=12, seed=5, progress=NoProgress(), cancel=CancelToken())
    with store.unit_of_work(actor, Origin.SYNC) as uow:
        uow.session.execute(delete(OutboxEntry))
        case_ids = list(uow.session.scalars(select(Case.id)))
        assert uow.session.scalars(select(Action.id).where(Action.need_id.is_not(None))).first()
    for case_id in case_ids:
        with store.unit_of_work(actor, Origin.PURGE) as uow:
            assert purge_case(uow, case_id) is True
    with store.unit_of_work(actor) as uow:
        for model in (Case, Need, Action):
            assert uow.session.scalars(select(model.id)).first() is None, model
