"""Demo caseloads: counts and spread, synthetic BSNs, determinism, search, one audit event, clean cancel."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from stdnum.nl import bsn as stdnum_bsn

import workbench.demo.generator as generator
from tests.conftest import TEMPLATE_KEY
from tests.helpers.factories import FixedClock
from workbench.audit import chain
from workbench.bookkeeping import open_store
from workbench.cases.phases import PHASES, TRANSITIONS
from workbench.demo.basics import BASE_DATE
from workbench.demo.generator import DemoCancelled, DemoSummary, generate
from workbench.errors import ValidationError
from workbench.models import (
    Action,
    AuditEvent,
    Base,
    Case,
    Child,
    Commitment,
    CommitmentStatusChange,
    ExPartner,
    Need,
    OutboxEntry,
    Parent,
    PhaseChange,
    StoryEntry,
    User,
    entity_counts,
)
from workbench.parties.values import valid_postcode
from workbench.plans.vocabulary import ACTION_OWNERS, COMMITMENT_STATUSES, life_domains
from workbench.progress import CancelToken, NoProgress, Progress
from workbench.search.service import SearchService
from workbench.staff.models import Role, Team
from workbench.store.engine import open_engine
from workbench.store.unit_of_work import Actor, Store
from workbench.story.service import KINDS


def _load(store: Store, actor: Actor, cases: int, seed: int = 7, **kw: Any) -> DemoSummary:
    return generate(store, actor, cases=cases, seed=seed, progress=NoProgress(), cancel=CancelToken(), **kw)


def _scalar(store: Store, stmt: Any) -> Any:
    with store.engine.connect() as conn:
        return conn.execute(stmt).scalar()


def _rows(store: Store, stmt: Any) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(stmt))


def test_counts_match_the_summary_and_every_phase_domain_kind_and_status_occurs(store: Store,
                                                                                 actor: Actor) -> None:
    summary = _load(store, actor, 300)
    with store.unit_of_work(actor) as uow:
        counts = entity_counts(uow.session)
    assert counts["parents"] == counts["cases"] == summary.cases == 300
    for name in ("children", "ex_partners", "phase_changes", "tracks", "story_entries", "needs", "actions",
                 "commitments", "consents", "disclosures"):
        assert counts[name] == getattr(summary, name), name
    assert 15 <= summary.story_entries / summary.cases <= 25
    phases = Counter(p for (p,) in _rows(store, select(Case.phase)))
    assert set(phases) == set(PHASES) and min(phases.values()) >= 9
    assert {d for (d,) in _rows(store, select(Need.life_domain))} == set(life_domains())
    assert {k for (k,) in _rows(store, select(StoryEntry.kind))} == set(KINDS)
    assert {o for (o,) in _rows(store, select(Action.owner))} == set(ACTION_OWNERS)
    assert {s for (s,) in _rows(store, select(Commitment.status))} == set(COMMITMENT_STATUSES)
    overdue = _scalar(store, select(func.count()).select_from(Commitment).where(
        Commitment.status == "open", Commitment.due_on < BASE_DATE))
    assert overdue >= 5
    urgent = _scalar(store, select(func.count()).select_from(Case).where(
        Case.urgent_eviction | Case.urgent_energy | Case.urgent_garnishment))
    assert 0.02 * 300 <= urgent <= 0.15 * 300


def test_phase_histories_follow_the_allowed_transitions_in_date_order(store: Store, actor: Actor) -> None:
    _load(store, actor, 120)
    cases = {cid: (phase, since) for cid, phase, since in _rows(store, select(Case.id, Case.phase,
                                                                             Case.phase_since))}
    steps: dict[str, list[tuple[str | None, str, dt.date]]] = {}
    for cid, frm, to, day in _rows(store, select(PhaseChange.case_id, PhaseChange.from_phase,
                                                 PhaseChange.to_phase, PhaseChange.on_date)
                                   .order_by(PhaseChange.case_id, PhaseChange.on_date, text("phase_change.rowid"))):
        steps.setdefault(cid, []).append((frm, to, day))
    assert set(steps) == set(cases)
    for cid, history in steps.items():
        assert history[0][:2] == (None, "aangemeld")
        for (_, prev_to, prev_day), (frm, to, day) in itertools.pairwise(history):
            assert frm == prev_to and to in TRANSITIONS[frm] and day >= prev_day
        assert (history[-1][1], history[-1][2]) == cases[cid]


def test_people_look_real_but_bsns_are_synthetic(store: Store, actor: Actor) -> None:
    _load(store, actor, 200)
    bsns = [b for model in (Parent, Child, ExPartner) for (b,) in _rows(store, select(model.bsn))
            if b is not None]
    assert len(bsns) == len(set(bsns)) >= 200
    for bsn in bsns:
        assert bsn.startswith("999") and stdnum_bsn.is_valid(bsn)
    parents = _rows(store, select(Parent.postcode, Parent.email, Parent.tussenvoegsel, Parent.voorletters))
    for postcode, email, _tv, voorletters in parents:
        assert valid_postcode(postcode) == postcode and postcode[-2:] not in ("SA", "SD", "SS")
        assert email == "" or re.fullmatch(r"[a-z0-9.]+@example\.(org|nl)", email)
        assert re.fullmatch(r"(\w\.)+", voorletters)
    assert any(tv for _, _, tv, _ in parents)
    children = _scalar(store, select(func.count()).select_from(Child))
    child_bsns = _scalar(store, select(func.count()).select_from(Child).where(Child.bsn.is_not(None)))
    assert child_bsns < children / 3
    owners = _rows(store, select(Action.owner_name).where(Action.owner == "gemeente"))
    assert owners and all(name.startswith("Gemeente ") for (name,) in owners)


def test_non_open_commitments_have_their_status_history(store: Store, actor: Actor) -> None:
    _load(store, actor, 150)
    history: dict[str, list[str]] = {}
    for cid, to in _rows(store, select(CommitmentStatusChange.commitment_id, CommitmentStatusChange.to_status)
                         .order_by(CommitmentStatusChange.commitment_id, CommitmentStatusChange.on_date)):
        history.setdefault(cid, []).append(to)
    for cid, status, due, resolved in _rows(store, select(Commitment.id, Commitment.status, Commitment.due_on,
                                                          Commitment.resolved_on)):
        assert history[cid][0] == "open" and history[cid][-1] == status
        if status == "kept":
            assert resolved is not None and resolved <= due
        if status == "kept_late":
            assert resolved is not None and resolved > due


def _store_with_fixed_actor(template: Path, folder: Path) -> tuple[Store, Actor]:
    """A fresh store whose local user has fixed ids, so two stores can be compared row for row."""
    folder.mkdir()
    shutil.copyfile(template, folder / "store.db")
    store = open_store(open_engine(folder / "store.db", TEMPLATE_KEY),
                  FixedClock(dt.datetime(2026, 11, 29, 9, 30, tzinfo=dt.UTC)))
    actor = Actor("00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002")
    stamp = {"rev": 0, "updated_at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC), "updated_by": actor.user_id}
    with store.engine.begin() as conn:
        conn.execute(Team.__table__.insert(), [{"id": "00000000-0000-4000-8000-000000000003",
                                                "name": "Team Noord", **stamp}])
        conn.execute(User.__table__.insert(), [{"id": actor.user_id, "username": "pzb", "role": Role.HANDLER,
                                                "display_name": "Sanne Pzb",
                                                "team_id": "00000000-0000-4000-8000-000000000003", **stamp}])
    return store, actor


def _dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with store.engine.connect() as conn:
        for name, table in Base.metadata.tables.items():
            if name == "audit_event":  # its ids are random by design; everything else must repeat
                continue
            out[name] = [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
    return out


@pytest.fixture
def twin_stores(store_template: Path, tmp_path: Path) -> Iterator[list[tuple[Store, Actor]]]:
    pairs = [_store_with_fixed_actor(store_template, tmp_path / name) for name in ("a", "b", "c")]
    yield pairs
    for s, _ in pairs:
        s.close()


def test_same_seed_gives_the_same_store_and_another_seed_does_not(
        twin_stores: list[tuple[Store, Actor]]) -> None:
    (a, actor_a), (b, actor_b), (c, actor_c) = twin_stores
    _load(a, actor_a, 60, seed=11, handlers=3)
    _load(b, actor_b, 60, seed=11, handlers=3)
    _load(c, actor_c, 60, seed=12, handlers=3)
    first, second, other = _dump(a), _dump(b), _dump(c)
    assert first["story_entry"] and first == second
    assert first["parent"] != other["parent"] and first["story_entry"] != other["story_entry"]


def test_search_finds_a_generated_parent_by_surname_and_a_case_by_story_word(store: Store,
                                                                              actor: Actor) -> None:
    _load(store, actor, 60)
    parent_id, surname = _rows(store, select(Parent.id, Parent.achternaam).order_by(Parent.id).limit(1))[0]
    case_id = _scalar(store, select(Case.id).where(Case.parent_id == parent_id))
    with store.unit_of_work(actor) as uow:
        by_name = SearchService().cases(uow, surname)
        by_story = SearchService().cases(uow, "huurachter")
    assert case_id in {h.case_id for h in by_name if h.via == "case"}
    assert by_story and all(h.via == "story" for h in by_story)


def test_the_load_writes_one_audit_event_and_nothing_to_push(store: Store, actor: Actor) -> None:
    events = _scalar(store, select(func.count()).select_from(AuditEvent))
    outbox = _scalar(store, select(func.count()).select_from(OutboxEntry))
    _load(store, actor, 60)
    assert _scalar(store, select(func.count()).select_from(AuditEvent)) == events + 1
    assert _scalar(store, select(func.count()).select_from(OutboxEntry)) == outbox
    last = _rows(store, select(AuditEvent.verb, AuditEvent.entity, AuditEvent.detail, AuditEvent.user_id)
                 .order_by(AuditEvent.seq.desc()).limit(1))[0]
    assert tuple(last) == ("create", "demo_data", "60 zaken (seed 7)", actor.user_id)
    with store.unit_of_work(actor) as uow:
        assert chain.verify(uow.session).ok
    # The loading tunable went back to FTS5's default.
    assert _scalar(store, text("SELECT v FROM story_fts_config WHERE k = 'hashsize'")) == 1024 * 1024


def test_handlers_come_in_teams_with_the_actor_as_one_of_them(store: Store, actor: Actor) -> None:
    summary = _load(store, actor, 120, handlers=20)
    assert (summary.users, summary.teams) == (19, 2)
    handlers = dict(_rows(store, select(User.id, User.team_id)))
    assert len({team for team in handlers.values()}) == 3
    seen = Counter(h for (h,) in _rows(store, select(Case.handler_id)))
    assert actor.user_id in seen and set(seen) <= set(handlers)
    for handler, team in _rows(store, select(Case.handler_id, Case.team_id)):
        assert team == handlers[handler]


class _CancelDuringSecondChunk(CancelToken, NoProgress):
    """Arms itself when the first chunk is reported done, then fires a few checks into the next chunk."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = -1

    def report(self, progress: Progress) -> None:
        if progress.done and self.armed < 0:
            self.armed = 3

    def check(self) -> None:
        if self.armed > 0:
            self.armed -= 1
            if self.armed == 0:
                self.cancel()
        super().check()


def test_cancel_keeps_whole_chunks_and_nothing_of_the_chunk_in_progress(
        store: Store, actor: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator, "CHUNK_CASES", 20)
    monkeypatch.setattr(generator, "BATCH_ROWS", 50)
    token = _CancelDuringSecondChunk()
    with pytest.raises(DemoCancelled) as caught:
        generate(store, actor, cases=60, seed=3, progress=token, cancel=token)
    assert caught.value.kept == 20 and "20 van de 60" in caught.value.text()
    with store.unit_of_work(actor) as uow:
        counts = entity_counts(uow.session)
    assert counts["parents"] == counts["cases"] == 20
    orphans = _scalar(store, select(func.count()).select_from(Parent).where(
        Parent.id.not_in(select(Case.parent_id))))
    assert orphans == 0
    assert _scalar(store, text("SELECT count(*) FROM case_fts")) == 20
    fts_cases = _scalar(store, text("SELECT count(DISTINCT case_id) FROM story_fts"))
    assert fts_cases == _scalar(store, select(func.count(func.distinct(StoryEntry.case_id))))
    # The store is still fine to load into: no staging table or used BSN or reference is in the way.
    again = _load(store, actor, 30, seed=3)
    assert again.cases == 30
    assert _scalar(store, select(func.count()).select_from(Case)) == 50


def test_refuses_impossible_requests_before_writing_anything(store: Store, actor: Actor) -> None:
    with pytest.raises(ValidationError):
        _load(store, actor, 0)
    with pytest.raises(ValidationError, match="synthetische BSN"):
        _load(store, actor, 100_000)
    assert _scalar(store, select(func.count()).select_from(Parent)) == 0
