"""What the bench times: unlock, the case list (service and raw), search keystrokes, opening cases, counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bench.store_setup import ACTOR, BenchClock, open_encrypted
from workbench.bookkeeping import open_store
from workbench.cases.models import Case
from workbench.cases.queries import (
    case_list_rows,
    cases_statement,
    commitments_statement,
    last_contact_statement,
    next_action_statement,
)
from workbench.demo.basics import BASE_DATE
from workbench.models import entity_counts
from workbench.parties.models import Parent
from workbench.search.service import SearchService
from workbench.store.migrations import upgrade_to_head
from workbench.store.unit_of_work import Store, UnitOfWork
from workbench.story.service import StoryService

DAY = BASE_DATE
STORY_WORDS = (
    "huurachterstand", "beslag", "energierekening", "schuldhulp", "kinderen", "school", "bewindvoering",
    "zorgverzekering", "moratorium", "feitenrelaas", "zienswijze", "hoorzitting", "deurwaarder", "wijkteam",
    "Zaanstad", "Rotterdam", "Leeuwarden", "budgetbeheer", "kwijtschelding", "urgentieverklaring", "psycholoog",
    "kinderopvang", "vaststellingsovereenkomst", "jeugdzorg", "Catshuisregeling",
)
PASSPHRASE = "bench-wachtwoord-1"


@contextmanager
def read_uow(store: Store) -> Iterator[UnitOfWork]:
    """A unit of work that is always rolled back: reads leave the (possibly cached) store as it was."""
    with Session(store.engine) as session:
        try:
            yield UnitOfWork(session=session, actor=ACTOR, clock=store.clock, hooks=store.hooks)
        finally:
            session.rollback()


def surnames(store: Store, n: int = 25) -> list[str]:
    """`n` different generated surnames, spread over the alphabet."""
    with read_uow(store) as uow:
        names = list(uow.session.scalars(select(Parent.achternaam).distinct().order_by(Parent.achternaam)))
    step = max(1, len(names) // n)
    return names[::step][:n]


def keystrokes(words: list[str]) -> list[str]:
    """Every prefix of two characters or more, as a handler types the word."""
    return [w[:i] for w in words for i in range(2, len(w) + 1)]


def case_list(store: Store, *, limit: int | None = None) -> int:
    with read_uow(store) as uow:
        return len(case_list_rows(uow, day=DAY, limit=limit))


class RawCaseList:
    """The case list's very SQL, run on the driver's cursor and fetched as plain tuples (the baseline)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements = []
        for stmt in (cases_statement(), next_action_statement(), last_contact_statement(),
                     commitments_statement(DAY)):
            compiled = stmt.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
            params = [compiled.params[name] for name in compiled.positiontup or ()]
            self.statements.append((compiled.string, [_raw(p) for p in params]))

    def __call__(self) -> int:
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            return sum(len(cur.execute(sql, params).fetchall()) for sql, params in self.statements)
        finally:
            raw.close()


def _raw(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def search(store: Store, typed: str) -> int:
    with read_uow(store) as uow:
        return len(SearchService().cases(uow, typed))


def case_ids(store: Store, n: int = 50) -> list[str]:
    with read_uow(store) as uow:
        ids = list(uow.session.scalars(select(Case.id).order_by(Case.reference)))
    step = max(1, len(ids) // n)
    return ids[::step][:n]


def open_cases(store: Store, ids: list[str]) -> int:
    """Each case's story timeline, as opening the case shows it (its audited view is rolled back)."""
    service = StoryService()
    with read_uow(store) as uow:
        return sum(len(service.timeline(uow, cid)) for cid in ids)


def counts(store: Store) -> int:
    with read_uow(store) as uow:
        return sum(entity_counts(uow.session).values())


def unlock_to_first_query(path: Path, key: bytes) -> int:
    """Open the encrypted store, check its migrations, count the cases and list the first 100."""
    store = open_store(open_encrypted(path, key), BenchClock())
    try:
        upgrade_to_head(store.engine)
        with read_uow(store) as uow:
            uow.session.scalar(select(func.count()).select_from(Case).where(Case.deleted_at.is_(None)))
            return len(case_list_rows(uow, day=DAY, limit=100))
    finally:
        store.close()


class _MemorySecrets:
    """A secret store in a dict: the bench times Argon2id and AES-GCM, not a keyring."""

    def __init__(self) -> None:
        self._data: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self._data.get(name)

    def set(self, name: str, value: str) -> None:
        self._data[name] = value

    def delete(self, name: str) -> None:
        self._data.pop(name, None)


def vault_unlock() -> tuple[Callable[[], Any], str] | None:
    """`Vault.unlock` with the production KdfParams, or None when there is no vault module yet."""
    try:
        from workbench.vault import KdfParams, Vault
    except ImportError:
        return None
    params = KdfParams()
    vault = Vault(_MemorySecrets(), "bench", params)  # type: ignore[arg-type]
    vault.create(PASSPHRASE)
    label = f"Argon2id t={params.time_cost} m={params.memory_kib // 1024} MiB p={params.parallelism}"
    return (lambda: vault.unlock(PASSPHRASE)), label
