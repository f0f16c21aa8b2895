"""The derived caseload tables stay in step with their source rows on every local path that writes: the services,
plain ORM and Core writes (as sync's adopt and bulk insert make them), tombstones, reassignment, purge, import,
the migration that fills them in a store made before it, and a rekey's copy of the store."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import delete, func, insert, select, update

from tests.helpers.factories import seed_local_user
from tests.workbench.caseload.conftest import TODAY, TeamData
from tests.workbench.caseload.figures_before import gather_before
from tests.workbench.caseload.rows_in_step import assert_in_step
from tests.workbench.caseload.test_figures_folded import _plain
from workbench.bookkeeping import open_store
from workbench.caseload.figures import gather
from workbench.caseload.scope import resolve
from workbench.cases.models import Case, CaseTrack
from workbench.cases.service import CaseService
from workbench.demo.generator import generate
from workbench.dossier.export import export_case
from workbench.dossier.importer import import_dossier
from workbench.plans.models import Action, Commitment
from workbench.plans.service import PlanService
from workbench.progress import CancelToken, NoProgress
from workbench.store.engine import open_engine, random_key
from workbench.store.hooks import Origin
from workbench.store.migrations import LOCAL_MIGRATIONS, upgrade_to_head
from workbench.store.rekey import rekey_store
from workbench.store.unit_of_work import Store
from workbench.story.models import StoryEntry
from workbench.sync.models import OutboxEntry
from workbench.sync.purge import purge_case

UTC = dt.UTC


def _check(store: Store, team: TeamData) -> dict[str, int]:
    """In step, and the team lead's figures equal the reference computed from the source rows."""
    with store.engine.connect() as conn:
        counts = assert_in_step(conn)
    with store.unit_of_work(team.lead) as uow:
        scope = resolve(uow)
        conn = uow.session.connection()
        now, before = gather(conn, scope, TODAY), gather_before(conn, scope, TODAY)
    assert {h: _plain(t) for h, t in now.items()} == {h: _plain(t) for h, t in before.items()}
    return counts


def test_service_orm_and_core_writes_keep_the_rows_in_step(store: Store, team: TeamData) -> None:
    c = team.cases
    counts = _check(store, team)
    assert all(counts.values()), counts
    plans, cases = PlanService(), CaseService()
    steps: list[tuple[Any, Origin, Callable[[Any], object]]] = [
        (team.anna, Origin.LOCAL, lambda uow: cases.start_track(uow, c["a1"], track="kindregeling")),
        (team.anna, Origin.LOCAL, lambda uow: plans.add_action(uow, c["a5"], description="Bellen", owner="pzb",
                                                               due_on="2026-11-01")),
        (team.anna, Origin.LOCAL, lambda uow: plans.add_commitment(
            uow, c["a5"], description="Terugbellen", promised_by="Anna", promised_on="2026-10-01",
            due_on="2026-11-10")),
        (team.anna, Origin.LOCAL, lambda uow: cases.set_deadlines(uow, c["a5"], decision_due_on="2026-11-01",
                                                                  objection_due_on=None)),
    ]
    for actor, origin, step in steps:
        with store.unit_of_work(actor, origin) as uow:
            step(uow)
        _check(store, team)
    with store.unit_of_work(team.anna) as uow:  # renegotiate, keep, reschedule, cancel, end a track
        for m in uow.session.scalars(select(Commitment).where(Commitment.case_id == c["a5"],
                                                              Commitment.status == "open")):
            plans.renegotiate(uow, m.id, new_due_on="2026-12-01", note="later")
        for a in uow.session.scalars(select(Action).where(Action.case_id == c["a1"], Action.status == "open",
                                                          Action.deleted_at.is_(None))):
            plans.reschedule_action(uow, a.id, due_on="2026-12-05")
        track = uow.session.scalars(select(CaseTrack).where(CaseTrack.case_id == c["a1"])).first()
        assert track is not None
        cases.end_track(uow, track.id)
    _check(store, team)

    # Sync's adopt writes through the ORM, its bulk insert and central's tombstones through Core.
    edits: list[Callable[[Any], object]] = [
        lambda s: s.execute(update(Case).where(Case.id == c["a1"]).values(closed_on=dt.date(2026, 11, 28))),
        lambda s: s.execute(update(Case).where(Case.id == c["a1"]).values(closed_on=None)),
        lambda s: s.execute(update(Case).where(Case.id == c["b1"]).values(handler_id=team.anna.user_id)),
        lambda s: s.execute(update(Case).where(Case.id == c["a4"]).values(deleted_at=None)),  # un-tombstoned
        lambda s: s.execute(update(Case).where(Case.id == c["b2"]).values(deleted_at=dt.datetime(2026, 11, 29,
                                                                                                  tzinfo=UTC))),
        lambda s: s.execute(update(Case).where(Case.id == c["a2"]).values(opened_on=dt.date(2025, 1, 1))),
        lambda s: s.execute(update(Action).where(Action.case_id == c["a1"])
                            .values(deleted_at=dt.datetime(2026, 11, 29, tzinfo=UTC))),
        lambda s: s.execute(update(Action).where(Action.case_id == c["a3"]).values(case_id=c["a1"])),  # moved
        lambda s: s.execute(update(Commitment).where(Commitment.case_id == c["a1"])
                            .values(first_due_on=dt.date(2026, 10, 1), resolved_on=dt.date(2026, 11, 1))),
        lambda s: s.execute(update(Commitment).where(Commitment.case_id == c["a5"]).values(case_id=c["a3"])),
        lambda s: s.execute(update(Case).where(Case.id == c["a3"]).values(deleted_at=dt.datetime(2026, 11, 29,
                                                                                                  tzinfo=UTC))),
        lambda s: s.execute(update(CaseTrack).where(CaseTrack.case_id == c["b1"]).values(case_id=c["a2"],
                                                                                         ended_on=None)),
        lambda s: s.execute(update(CaseTrack).values(deleted_at=dt.datetime(2026, 11, 29, tzinfo=UTC))
                            .where(CaseTrack.track == "kindregeling")),
        lambda s: s.execute(insert(CaseTrack), [_row(c["a5"], track="wonen", started_on=dt.date(2026, 1, 1)),
                                                _row(c["a5"], track="wonen", started_on=dt.date(2026, 2, 1))]),
        lambda s: s.execute(insert(Action), [_row(c["a2"], description="x", owner="pzb", status="open",
                                                  due_on=dt.date(2026, 10, 1), owner_name="")]),
        lambda s: s.execute(insert(Commitment), [_row(c["a2"], description="x", promised_by="A", status="kept",
                                                      promised_on=dt.date(2026, 9, 1), due_on=dt.date(2026, 10, 1),
                                                      resolved_on=dt.date(2026, 9, 30), owner="pzb")]),
        lambda s: s.execute(insert(Commitment), [_row(c["b2"], description="x", promised_by="A", status="open",
                                                      promised_on=dt.date(2026, 9, 1), due_on=dt.date(2026, 11, 1),
                                                      owner="pzb")]),  # of a tombstoned case
        lambda s: s.execute(insert(Action), [_row(case_id, description="x", owner="pzb", status="open",
                                                  due_on=dt.date(2026, 10, 1), owner_name="")
                                             for case_id in (c["a3"], c["b2"])]),  # of a closed, a tombstoned case
        lambda s: s.execute(insert(CaseTrack), [_row(case_id, track="wonen", started_on=dt.date(2026, 1, 1))
                                                for case_id in (c["a3"], c["b2"])]),
        lambda s: s.execute(insert(StoryEntry), [_row(c["a2"], kind="telefoon", text="t", author_id=team.anna.user_id,
                                                      occurred_at=dt.datetime(2026, 11, 27, 22, 30, tzinfo=UTC))]),
        lambda s: s.execute(delete(Action).where(Action.case_id == c["a2"])),
        lambda s: s.execute(delete(CaseTrack).where(CaseTrack.case_id == c["a5"], CaseTrack.track == "wonen")),
    ]
    for edit in edits:
        with store.unit_of_work(team.lead, Origin.SYNC) as uow:
            edit(uow.session)
        _check(store, team)
    with store.unit_of_work(team.lead, Origin.SYNC) as uow:  # everything pushed: nothing holds the purge back
        uow.session.execute(delete(OutboxEntry))
    for case_id in (c["a2"], c["a5"]):  # a reassigned case leaves the device whole
        with store.unit_of_work(team.lead, Origin.PURGE) as uow:
            assert purge_case(uow, case_id)
        counts = _check(store, team)
    assert counts["caseload_case"] and counts["caseload_commitment"]


def _row(case_id: str, **values: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "case_id": case_id, "rev": 1, "updated_by": "sync",
            "updated_at": dt.datetime(2026, 11, 29, tzinfo=UTC), **values}


def test_an_imported_dossier_arrives_in_step(store: Store, tmp_path: Path, clock: Any) -> None:
    actor = seed_local_user(store)
    generate(store, actor, cases=30, seed=4, handlers=1, progress=NoProgress(), cancel=CancelToken())
    with store.unit_of_work(actor) as uow:  # the open case with the most promises
        case_id = uow.session.scalars(select(Commitment.case_id).join(Case).where(Case.closed_on.is_(None))
                                      .group_by(Commitment.case_id).order_by(func.count().desc())).first()
        assert case_id is not None
        dossier = export_case(uow, case_id)
    other = open_store(open_engine(tmp_path / "other.db", random_key()), clock)
    try:
        upgrade_to_head(other.engine)
        with other.unit_of_work(seed_local_user(other), Origin.IMPORT) as uow:
            import_dossier(uow, dossier, progress=NoProgress(), cancel=CancelToken())
        with other.engine.connect() as conn:
            counts = assert_in_step(conn)
    finally:
        other.close()
    assert counts["caseload_case"] == 1 and counts["caseload_commitment"] >= 1, counts


def test_the_migration_fills_the_rows_of_a_store_made_before_it(tmp_path: Path, clock: Any) -> None:
    """A generated store at 0015 (no caseload tables yet) upgrades with every row in place."""
    engine = open_engine(tmp_path / "old.db", random_key())
    cfg = Config()
    cfg.set_main_option("script_location", str(LOCAL_MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0015")
    old = open_store(engine, clock)
    try:
        actor = seed_local_user(old)
        generate(old, actor, cases=60, seed=3, handlers=3, progress=NoProgress(), cancel=CancelToken())
        with old.engine.begin() as conn:
            conn.execute(update(CaseTrack).where(CaseTrack.id.in_(select(CaseTrack.id).limit(5)))
                         .values(deleted_at=dt.datetime(2026, 11, 1, tzinfo=UTC)))
            assert not conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE name = 'caseload_case'").all()
        assert upgrade_to_head(old.engine) is True
        with old.engine.connect() as conn:
            counts = assert_in_step(conn)
    finally:
        old.close()
    assert all(counts.values()), counts


def test_a_rekeyed_store_keeps_the_rows_and_their_triggers(tmp_path: Path, clock: Any) -> None:
    path, old_key, new_key = tmp_path / "r.db", random_key(), random_key()
    store = open_store(open_engine(path, old_key), clock)
    upgrade_to_head(store.engine)
    actor = seed_local_user(store)
    generate(store, actor, cases=20, seed=6, handlers=1, progress=NoProgress(), cancel=CancelToken())
    store.close()
    rekey_store(path, old_key=old_key, new_key=new_key)
    store = open_store(open_engine(path, new_key), clock)
    try:
        with store.unit_of_work(actor, Origin.SYNC) as uow:  # the triggers still work after the copy
            uow.session.execute(update(Case).values(closed_on=dt.date(2026, 11, 28))
                                .where(Case.id.in_(select(Case.id).where(Case.closed_on.is_(None)).limit(3))))
        with store.engine.connect() as conn:
            counts = assert_in_step(conn)
    finally:
        store.close()
    assert all(counts.values()), counts
