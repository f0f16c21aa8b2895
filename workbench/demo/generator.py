"""Bulk-loading a synthetic demo caseload into the store, fast, deterministic for a seed, with one audit event.

A demo load is not a user's edit: it goes around the unit of work with Core `insert()`s in large
transactions, writes no outbox rows (a demo profile must never push synthetic data to a central) and
exactly one audit event for the whole load.

Atomicity: the load is written in chunks of `CHUNK_CASES` cases, one transaction per chunk. Each chunk
is all or nothing (parents, cases, stories, plans of those cases together), so a crash or a cancel leaves
the store with whole cases from the chunks already committed and nothing of the chunk in progress.
The audit event is committed with the first chunk, so no demo row ever exists without it.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from faker import Faker
from sqlalchemy import Column, Connection, MetaData, Table, insert, select
from sqlalchemy.orm import Session

from workbench.audit import chain
from workbench.demo.basics import BASE_TIME, new_id
from workbench.demo.people import NamePools, PeopleMaker, ascii_slug, synthetic_bsns
from workbench.demo.plans import PlanMaker
from workbench.demo.process import CaseMaker, spread_phases
from workbench.demo.story import StoryMaker
from workbench.errors import NotFound, ValidationError
from workbench.models import Base, Case, Parent, Team, User
from workbench.progress import Cancelled, CancelToken, Progress, ProgressSink
from workbench.staff.models import Role
from workbench.store.engine import checkpoint
from workbench.store.unit_of_work import Actor, Store

LABEL = "Zaken aanmaken"
CHUNK_CASES = 2_500  # cases per transaction (about 50,000 story entries)
BATCH_ROWS = 10_000  # rows per executemany
# Loading tunables, set for the load only and put back afterwards: a 256 MiB page cache (index and FTS
# pages stay decrypted in memory between chunks) and a 16 MiB FTS5 pending-terms buffer (fewer, larger
# segments to merge). Together they make the FTS-fed inserts about five times faster.
LOAD_CACHE_KIB = 262_144
LOAD_FTS_HASHSIZE = 16 * 1024 * 1024
FTS_DEFAULT_HASHSIZE = 1024 * 1024
MAX_HANDLERS = 50
CASES_PER_HANDLER = 400
# Parents before children and cases, cases before what hangs off them (foreign keys are on).
TABLE_ORDER = ("parent", "child", "ex_partner", "case_file", "phase_change", "case_track", "story_entry", "need",
               "action", "commitment", "commitment_status_change", "consent", "disclosure")
# Tables whose INSERT triggers feed FTS5. One trigger-firing INSERT per row makes FTS5 flush its pending
# index at every statement's savepoint (one tiny segment per row, ~30x slower); so their rows go into a
# temporary staging table first and then over in a single INSERT ... SELECT.
STAGED = frozenset({"case_file", "story_entry"})
TEAM_NAMES = ("Team Noord", "Team Zuid", "Team Oost", "Team West", "Team Midden", "Team Kust")
SUMMARY_FIELDS = {
    "user_account": "users", "team": "teams", "parent": "parents", "child": "children",
    "ex_partner": "ex_partners", "case_file": "cases", "phase_change": "phase_changes", "case_track": "tracks",
    "story_entry": "story_entries", "need": "needs", "action": "actions", "commitment": "commitments",
    "commitment_status_change": "commitment_status_changes", "consent": "consents", "disclosure": "disclosures",
}

Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind the load wrote, and how long it took."""

    users: int
    teams: int
    parents: int
    children: int
    ex_partners: int
    cases: int
    phase_changes: int
    tracks: int
    story_entries: int
    needs: int
    actions: int
    commitments: int
    commitment_status_changes: int
    consents: int
    disclosures: int
    seconds: float

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k != "seconds"}

    @property
    def rows(self) -> int:
        return sum(self.counts().values())


class DemoCancelled(Cancelled):
    """The load was cancelled between or inside chunks; says how many whole cases were kept."""

    def __init__(self, kept: int, total: int) -> None:
        super().__init__()
        self.kept = kept
        if kept:
            self.message = f"De taak is afgebroken; {kept} van de {total} demozaken zijn al opgeslagen."
            self.args = (self.message,)


@dataclass(frozen=True)
class _Staff:
    rows: Rows
    handler_ids: list[str]
    names: dict[str, str]
    team_of: dict[str, str | None]


@dataclass(frozen=True)
class _Existing:
    """What the store already holds that a load must not collide with, and the actor's own user."""

    bsns: frozenset[str]
    references: frozenset[str]
    usernames: frozenset[str]
    team_names: frozenset[str]
    my_name: str
    my_team: str | None

    @classmethod
    def read(cls, conn: Connection, actor: Actor) -> _Existing:
        me = conn.execute(select(User.display_name, User.team_id).where(User.id == actor.user_id)).first()
        if me is None:
            raise NotFound("De gebruiker van dit apparaat staat niet in de gegevensopslag.")
        return cls(frozenset(conn.scalars(select(Parent.bsn))), frozenset(conn.scalars(select(Case.reference))),
                   frozenset(conn.scalars(select(User.username))), frozenset(conn.scalars(select(Team.name))),
                   me.display_name, me.team_id)


def _staff(rng: random.Random, pools: NamePools, actor: Actor, count: int, existing: _Existing) -> _Staff:
    """`count` handlers including the actor, in one to three teams (the actor's own team first)."""
    n_teams = 1 if count < 6 else 2 if count < 15 else 3
    rows: Rows = defaultdict(list)
    teams: list[str | None] = [existing.my_team] if existing.my_team else []
    free_names = [n for n in TEAM_NAMES if n not in existing.team_names]
    while len(teams) < n_teams:
        team_id = new_id(rng)
        name = free_names.pop(0) if free_names else f"Team {len(teams) + 1}"
        rows["team"].append({"id": team_id, "name": name, "rev": 0, "updated_at": BASE_TIME,
                             "updated_by": actor.user_id})
        teams.append(team_id)
    handler_ids, names = [actor.user_id], {actor.user_id: existing.my_name}
    team_of: dict[str, str | None] = {actor.user_id: existing.my_team}
    usernames = set(existing.usernames)
    for i in range(1, count):
        first = rng.choice(pools.female if rng.random() < 0.7 else pools.male)
        tv, last = rng.choice(pools.surnames)
        base = f"{ascii_slug(first)}.{ascii_slug(tv + last)}"[:90]
        username, n = base, 1
        while username in usernames:
            n += 1
            username = f"{base}{n}"
        usernames.add(username)
        user_id = new_id(rng)
        display = " ".join(p for p in (first, tv, last) if p)
        team_of[user_id] = teams[i % len(teams)] if teams else None
        rows["user_account"].append({
            "id": user_id, "username": username, "display_name": display, "role": Role.HANDLER,
            "team_id": team_of[user_id], "rev": 0, "updated_at": BASE_TIME, "updated_by": actor.user_id})
        handler_ids.append(user_id)
        names[user_id] = display
    return _Staff(rows, handler_ids, names, team_of)


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH_ROWS):
        yield rows[start:start + BATCH_ROWS]


def _insert_staged(conn: Connection, table: Table, rows: list[dict[str, Any]], cancel: CancelToken) -> None:
    stage = Table(f"demo_stage_{table.name}", MetaData(), *(Column(c.name, c.type) for c in table.columns),
                  prefixes=["TEMPORARY"])
    stage.create(conn)  # transactional: a rollback takes it away again
    for batch in _batches(rows):
        cancel.check()
        conn.execute(insert(stage), batch)
    names = [c.name for c in table.columns]
    conn.execute(insert(table).from_select(names, select(*(stage.c[n] for n in names))))
    stage.drop(conn)


def _write(conn: Connection, rows: Rows, cancel: CancelToken) -> None:
    for name in ("team", "user_account", *TABLE_ORDER):
        if not rows.get(name):
            continue
        table = Base.metadata.tables[name]
        if name in STAGED:
            _insert_staged(conn, table, rows[name], cancel)
            continue
        for batch in _batches(rows[name]):
            cancel.check()
            conn.execute(insert(table), batch)


@contextmanager
def _load_cache(conn: Connection) -> Iterator[None]:
    """A big page cache on the loading connection (kept warm across chunks); the pool gets it back as it was.

    The pragmas go straight to the driver: through SQLAlchemy they would open a transaction.
    """
    raw: Any = conn.connection.driver_connection
    before = int(raw.execute("PRAGMA cache_size").fetchone()[0])
    raw.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {before}")


def _hashsize(conn: Connection) -> int:
    value = conn.exec_driver_sql("SELECT v FROM story_fts_config WHERE k = 'hashsize'").scalar()
    return int(value) if value is not None else FTS_DEFAULT_HASHSIZE


def _set_hashsize(conn: Connection, size: int) -> None:
    conn.exec_driver_sql(f"INSERT INTO story_fts (story_fts, rank) VALUES ('hashsize', {int(size)})")


def _audit(conn: Connection, store: Store, actor: Actor, detail: str) -> None:
    with Session(bind=conn) as session:  # joins the chunk's transaction; commits nothing itself
        chain.append(session, clock=store.clock, user_id=actor.user_id, device_id=actor.device_id,
                     entry=chain.AuditEntry("create", "demo_data", detail=detail))
        session.flush()


def generate(store: Store, actor: Actor, *, cases: int, seed: int, progress: ProgressSink, cancel: CancelToken,
             handlers: int | None = None) -> DemoSummary:
    """Load `cases` synthetic cases (about 20 story entries each) made from `seed`.

    The same seed on an empty store gives the same rows, ids included (only the audit event differs).
    Raises DemoCancelled (a Cancelled) when `cancel` fires; whole chunks already committed stay.
    """
    started = time.perf_counter()
    if cases < 1:
        raise ValidationError("Aantal zaken moet minstens 1 zijn.", field="cases")
    count = min(MAX_HANDLERS, handlers if handlers is not None else max(1, cases // CASES_PER_HANDLER))
    if count < 1:
        raise ValidationError("Er is minstens één behandelaar nodig.", field="handlers")
    with store.engine.connect() as conn:
        existing = _Existing.read(conn, actor)
        hashsize = _hashsize(conn)
    # A second load into the same store must not draw the first load's ids again.
    rng = random.Random(seed if not existing.references else f"{seed}/{len(existing.references)}")
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    pools = NamePools.build(fake)
    staff = _staff(rng, pools, actor, count, existing)
    free = [b for b in synthetic_bsns() if b not in existing.bsns]
    rng.shuffle(free)
    people = PeopleMaker(rng, pools, free, parents=cases, user_id=actor.user_id)
    case_maker = CaseMaker(rng, actor.user_id, existing.references)
    plan_maker = PlanMaker(rng, actor.user_id)
    story_maker = StoryMaker(rng, actor.user_id, staff.handler_ids)
    targets = spread_phases(rng, cases)
    totals = dict.fromkeys(SUMMARY_FIELDS, 0)
    done = 0
    progress.report(Progress(0, cases, LABEL))
    try:
        with store.engine.connect() as conn, _load_cache(conn):
            for start in range(0, cases, CHUNK_CASES):
                cancel.check()
                rows: Rows = defaultdict(list, staff.rows if start == 0 else {})
                for target in targets[start:start + CHUNK_CASES]:
                    household = people.parent(rows)
                    handler = rng.choice(staff.handler_ids)
                    facts = case_maker.case(household, target=target, handler_id=handler,
                                            team_id=staff.team_of[handler], out=rows)
                    domains = plan_maker.plan(facts, household, staff.names[handler], rows)
                    story_maker.entries(facts, household, domains, rows)
                with conn.begin():
                    if start == 0:
                        _audit(conn, store, actor, f"{cases} zaken (seed {seed})")
                        _set_hashsize(conn, LOAD_FTS_HASHSIZE)
                    _write(conn, rows, cancel)
                for name, chunk_rows in rows.items():
                    totals[name] += len(chunk_rows)
                done = min(cases, start + CHUNK_CASES)
                progress.report(Progress(done, cases, LABEL))
    except Cancelled:
        raise DemoCancelled(done, cases) from None
    finally:
        if done:  # the first chunk committed the loading buffer size; put FTS5's own back
            with store.engine.begin() as conn:
                _set_hashsize(conn, hashsize)
    checkpoint(store.engine)
    return DemoSummary(**{SUMMARY_FIELDS[k]: v for k, v in totals.items()},
                       seconds=time.perf_counter() - started)
