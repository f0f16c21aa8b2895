"""Team-lead figures over 50 handlers and 20,000 demo cases, and the caseload PDF report built from them.

`python -m bench.caseload_bench [--keep DIR] [--repeat N]` runs only this section and prints the medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import insert, select, update

from bench.report import Report, under
from bench.store_setup import ACTOR, TEAM_ID, BenchClock, _seed_user, generator_version, open_encrypted
from workbench.bookkeeping import open_store
from workbench.demo import generator
from workbench.demo.basics import BASE_DATE, BASE_TIME
from workbench.letters.models import Letter
from workbench.models import Case, DeviceStatus, User
from workbench.progress import CancelToken, NoProgress
from workbench.staff.models import Role
from workbench.store.engine import random_key
from workbench.store.migrations import upgrade_to_head
from workbench.store.unit_of_work import Store

CASES = 20_000
HANDLERS = 50
DEFAULT_KEEP = Path.home() / ".cache" / "zaakwerkbank-bench"


def _team_up(store: Store) -> None:
    """One team of 50: handlers round-robin over the cases, the bench user its lead, a laptop each, some
    letters waiting for review (the demo generator writes none)."""
    with store.engine.begin() as conn:
        handlers = sorted(conn.scalars(select(User.id).where(User.id != ACTOR.user_id)))
        conn.execute(update(User).values(team_id=TEAM_ID))
        conn.execute(update(User).where(User.id == ACTOR.user_id).values(role=Role.TEAM_LEAD))
        case_ids = sorted(conn.scalars(select(Case.id)))
        conn.execute(update(Case).values(team_id=TEAM_ID))
        for n, handler_id in enumerate(handlers):
            conn.execute(update(Case).where(Case.id.in_(case_ids[n::len(handlers)])).values(handler_id=handler_id))
        stamp = {"rev": 1, "updated_at": BASE_TIME, "updated_by": ACTOR.user_id}
        conn.execute(insert(DeviceStatus), [
            {"device_id": f"00000000-0000-4000-8000-{n:012d}", "user_id": h, "device_name": f"laptop-{n:02d}",
             "last_sync_at": None if n % 17 == 0 else BASE_TIME - dt.timedelta(days=n % 11, hours=n),
             "pending_changes": (n * 7) % 40, "open_conflicts": n % 3, "reported_at": BASE_TIME}
            for n, h in enumerate(handlers)])
        conn.execute(insert(Letter), [
            {"id": f"00000000-0000-4000-9000-{n:012d}", "case_id": cid, "template_id": "uitnodiging_huisbezoek",
             "template_version": 1, "kind": "brief", "field_values": {}, "status": "in_review",
             "author_id": handlers[n % len(handlers)], "review_comment": "",
             **stamp, "updated_at": BASE_TIME - dt.timedelta(days=n % 23)}
            for n, cid in enumerate(case_ids[::40])])


def build(folder: Path, *, cases: int = CASES, handlers: int = HANDLERS) -> tuple[Path, bytes]:
    """The bench store in `folder`: reused when a store of the same generator is there, otherwise made now."""
    folder.mkdir(parents=True, exist_ok=True)
    path, key_file, done = folder / "caseload.db", folder / "caseload.key", folder / "caseload.done"
    if done.exists() and path.exists() and key_file.exists():
        return path, bytes.fromhex(key_file.read_text())
    for stale in folder.glob("caseload.db*"):
        stale.unlink()
    key = random_key()
    key_file.write_text(key.hex())  # synthetic data only; kept so the cached store reopens
    store = open_store(open_encrypted(path, key), BenchClock())
    try:
        upgrade_to_head(store.engine)
        _seed_user(store)
        print(f"  generating {cases:,} demo cases for {handlers} handlers ...", file=sys.stderr, flush=True)
        generator.generate(store, ACTOR, cases=cases, seed=11, progress=NoProgress(), cancel=CancelToken(),
                           handlers=handlers + 1)
        _team_up(store)
    finally:
        store.close()
    done.write_text(json.dumps({"cases": cases, "handlers": handlers}))
    return path, key


@contextmanager
def bench_store(keep: Path | None) -> Iterator[Store]:
    with tempfile.TemporaryDirectory(prefix="bench-caseload-") as tmp:
        folder = (keep / f"caseload-{CASES}-gen-{generator_version()}") if keep else Path(tmp)
        path, key = build(folder)
        store = open_store(open_encrypted(path, key), BenchClock())
        upgrade_to_head(store.engine)  # a cached store gains the indexes added since it was made
        try:
            yield store
        finally:
            store.close()


def _median_seconds(fn: object, times: int) -> tuple[float, float]:
    assert callable(fn)
    fn()
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * (len(samples) - 1)))]


def run(report: Report, *, keep: Path | None = DEFAULT_KEEP, times: int = 7) -> None:
    from workbench.caseload.service import CaseloadService

    service = CaseloadService()
    with bench_store(keep) as store:
        def team() -> object:
            with store.unit_of_work(ACTOR) as uow:
                return service.team(uow, today=BASE_DATE)

        def pdf() -> bytes:
            with store.unit_of_work(ACTOR) as uow:
                return service.export_report(uow, kind="pdf", today=BASE_DATE)

        figures = team()
        assert len(figures.handlers) >= HANDLERS and figures.team.open_cases > 0  # type: ignore[attr-defined]
        median, p95 = _median_seconds(team, times)
        report.add("i", f"team figures: {HANDLERS} handlers, {CASES:,} cases (team lead)", median, p95,
                   target=under(0.2, median))
        size = len(pdf())
        median, p95 = _median_seconds(pdf, max(3, times // 2))
        report.add("i", "caseload report PDF (figures, 3 charts, handler table)", median, p95,
                   note=f"{size / 1024:.0f} KiB", target=under(2, median))


def main(argv: list[str]) -> int:
    from bench.report import environment

    parser = argparse.ArgumentParser(prog="python -m bench.caseload_bench", description=__doc__)
    parser.add_argument("--keep", type=Path, nargs="?", const=DEFAULT_KEEP, default=None, metavar="DIR",
                        help="keep the generated store in DIR and reuse it next time")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    report = Report(environment(), {"section": "caseload", "cases": CASES, "handlers": HANDLERS})
    run(report, keep=args.keep, times=args.repeat)
    print(report.table())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
