"""Sync figures against a real central on loopback: first sync of 1,000 cases, a sync with nothing to do,
and 50 devices syncing at once.

`python -m bench.sync_bench` runs only this section and prints the figures; `--many` only the 50 devices.
Central runs on SQLite, or on PostgreSQL when WORKBENCH_TEST_PG_URL is set (as in the tests); the 50 devices
run against both when it is set. The 50 devices give two figures: the devices running in the bench process (their
own work shares central's two cores) and central's intake alone, their recorded syncs replayed (bench.sync_replay).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.report import NO_TARGET, Report, at_least, under
from bench.sync_replay import CentralCopy, Recording, at_once, recording_sync, replay_rounds
from tests.helpers.central import PG_ENV, CentralServer
from tests.helpers.devices import Device, make_device
from tests.helpers.factories import make_case
from tests.helpers.fakes import MemorySecrets
from workbench.demo.generator import generate
from workbench.progress import CancelToken, NoProgress
from workbench.sync import client
from workbench.sync.backlog import enqueue_unsynced
from workbench.vault import KdfParams
from workbench.workspace import Workspace

PASSWORD = "bench-wachtwoord"
CASES = 1_000
DEVICES = 50
FIRST_SYNC_S = 5.0  # a new device holds all 1,000 cases within this
MANY_RATE = 500  # changes/s central takes in from 50 devices at once
# Central's processes: one per core and one more. A worker often waits (on PostgreSQL, on the one write lock) with
# its core free; with 2 workers the cores stood 16-23 % idle during the replay, and a third took 18 % more changes/s.
WORKERS = 3
CORES = os.cpu_count() or 1
# Each round of 50 syncs takes central well under a second: one replay is one sample, and on a shared 2-core
# machine one sample swung 440-540 changes/s between runs. The figure is the median of this many replays.
REPLAYS = 5


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * (len(ordered) - 1)))]


def _seeded_user(server: CentralServer, root: Path) -> tuple[str, Device, int]:
    """A handler whose 1,000 demo cases (with their history) are on central; returns the pushing device too."""
    server.add_user("bench-handler", role="handler", team="Team Bench", password=PASSWORD)
    seeder = make_device(root, name="seeder", url=server.url, username="bench-handler", password=PASSWORD)
    # One handler: every case (and every story entry's author) is the bench user's, so a new device of theirs
    # receives all 1,000 cases (the generator's other handlers would not exist on central).
    generate(seeder.ws.store, seeder.ws.actor, cases=CASES, seed=7, progress=NoProgress(), cancel=CancelToken(),
             handlers=1)
    with seeder.ws.unit_of_work() as uow:
        queued = enqueue_unsynced(uow)
    seeder.sync()
    return "bench-handler", seeder, queued


def first_sync(server: CentralServer, root: Path, username: str, rounds: int = 3) -> tuple[list[float], Device]:
    """Seconds from enrolling a new device to holding every case with its history (enroll + first sync)."""
    times, device = [], None
    for n in range(rounds):
        secrets = MemorySecrets()
        ws = Workspace.create(root / f"fresh{n}", "bench wachtwoord", secrets=secrets, kdf=KdfParams.cheap())
        start = time.perf_counter()
        client.enroll(ws, server_url=server.url, username=username, password=PASSWORD)
        client.sync(ws)
        times.append(time.perf_counter() - start)
        if device is not None:
            device.close()
        device = Device(f"fresh{n}", ws, secrets, clock=None)
    assert device is not None
    return times, device


def noop(device: Device, repeat: int = 30) -> list[float]:
    device.sync()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        report = device.sync()
        out.append(time.perf_counter() - start)
        assert report.pushed == 0 and report.pulled == 0
    return out


@dataclass
class Round:
    """The 50 devices' syncs of one round: each sync's seconds, the wall time, the changes pushed, the errors
    (exception names) and every request, recorded for `sync_replay`."""

    durations: list[float]
    wall: float
    pushed: int
    errors: list[str]
    recording: Recording


def _new_cases(devices: list[Device], first: int) -> None:
    for n, device in enumerate(devices):
        with device.ws.unit_of_work() as uow:
            make_case(uow, first + n)
            make_case(uow, first + n + 1)


def _round(devices: list[Device], url: str) -> Round:
    """Every device syncs at the same moment (threads in this process), each request recorded."""
    recording = Recording([[] for _ in devices])
    syncs = [recording_sync(device, url, recording.syncs[i]) for i, device in enumerate(devices)]
    barrier = threading.Barrier(len(devices))
    durations: list[float] = [0.0] * len(devices)
    pushed: list[int] = [0] * len(devices)
    errors: list[str] = []

    def run(i: int) -> None:
        barrier.wait()
        start = time.perf_counter()
        try:
            pushed[i] = syncs[i]()
        except Exception as exc:  # counted and reported: the figure is worthless with errors
            errors.append(type(exc).__name__)
        durations[i] = time.perf_counter() - start

    wall = at_once(len(devices), run)
    return Round(durations, wall, sum(pushed), errors, recording)


def many_devices(server: CentralServer, root: Path) -> tuple[Round, Round, list[CentralCopy]]:
    """50 handlers, each with two new cases, all syncing at the same moment; then each makes two more cases and
    all sync again.

    Central's database is copied (REPLAYS times) just before the first round, for `sync_replay`: the first round
    is central's first work after a start (every worker opens its database connections, compiles its
    statements), the second is central at work, as it is while devices sync all day.
    """
    devices = []
    for n in range(DEVICES):
        name = f"bench-many-{n}"
        server.add_user(name, role="handler", team=f"Team {n % 5}", password=PASSWORD)
        devices.append(make_device(root, name=name, url=server.url, username=name, password=PASSWORD))
    _new_cases(devices, 0)
    server.stop()
    copies = [CentralCopy(server, root, f"replay-{n}") for n in range(REPLAYS)]
    server.start()
    first = _round(devices, server.url)
    _new_cases(devices, 2 * DEVICES)
    second = _round(devices, server.url)
    for device in devices:
        device.close()
    return first, second, copies


def engine_name(server: CentralServer) -> str:
    return "SQLite" if server.db_url.startswith("sqlite") else "PostgreSQL"


def _intake(report: Report, engine: str, label: str, recording: Recording,
            results: list[tuple[float, list[float], list[str], float]], *, target: bool) -> None:
    """Central's intake over the replays of one round: the median rate, with the range and the median CPU."""
    changes = recording.changes
    rates = sorted(changes / wall for wall, _, _, _ in results)
    rate = statistics.median(rates)
    failed = [error for _, _, errors, _ in results for error in errors]
    cpu = statistics.median(cpu for _, _, _, cpu in results)
    wall = statistics.median(wall for wall, _, _, _ in results)
    each = [seconds for _, durations, _, _ in results for seconds in durations]
    report.add("h", f"central's intake: {DEVICES} devices' syncs at once, {engine}, {label}: changes/s",
               note=f"{rate:,.0f} changes/s, the median of {len(rates)} replays (each onto a fresh copy; range "
                    f"{rates[0]:,.0f}-{rates[-1]:,.0f}): {changes} changes, {recording.requests} requests in "
                    f"{wall:.2f} s; {len(failed)} errors{' ' + str(sorted(set(failed))[:3]) if failed else ''}; "
                    f"the recorded syncs replayed (bench.sync_replay); central: {WORKERS} workers, "
                    f"{cpu:.2f} CPU s ({cpu / wall / CORES:.0%} of {CORES} cores), "
                    f"{1000 * cpu / len(recording.syncs):.0f} ms CPU per sync",
               target=at_least(MANY_RATE, rate if not failed else 0.0, "changes/s") if target else NO_TARGET)
    report.add("h", f"central's intake, {engine}, {label}: one device's sync", statistics.median(each), _p95(each))


def add_many(report: Report, server: CentralServer, root: Path) -> None:
    engine = engine_name(server)
    first, second, copies = many_devices(server, root)
    for label, done in (("first syncs after central started", first), ("second syncs", second)):
        rate = done.pushed / done.wall
        report.add("h", f"{DEVICES} devices syncing at once (2 new cases each), {engine}, {label}, devices in the "
                        "bench process: changes/s",
                   note=f"{rate:,.0f} changes/s: {done.pushed} changes in {done.wall:.2f} s; {len(done.errors)} errors"
                        f"{' ' + str(sorted(set(done.errors))) if done.errors else ''}; the devices' own work shares "
                        f"central's {CORES} cores; one device's sync: median {statistics.median(done.durations):.2f} s")
    server.close()
    cold, warm = [], []
    try:
        for copy in copies:  # each replay onto its own copy: a round can be taken in only once
            started, at_work = replay_rounds(copy, root, [first.recording, second.recording], workers=WORKERS)
            cold.append(started)
            warm.append(at_work)
    finally:
        for copy in copies:
            copy.drop()
    if first.errors or second.errors:  # a device's own error makes the recording incomplete: the figure is worthless
        warm[0] = (warm[0][0], warm[0][1], [*warm[0][2], "device error while recording"], warm[0][3])
    _intake(report, engine, "first syncs after central started", first.recording, cold, target=False)
    _intake(report, engine, "central at work (second syncs)", second.recording, warm, target=True)


def many_on_each(report: Report, root: Path) -> None:
    """The 50 devices against a central on SQLite, and on PostgreSQL when WORKBENCH_TEST_PG_URL names one."""
    backends: list[str | None] = [f"sqlite:///{root / 'many-0' / 'central.db'}"]
    if os.environ.get(PG_ENV):
        backends.append(None)  # CentralServer makes a fresh PostgreSQL database
    for n, db_url in enumerate(backends):
        server = CentralServer(root / f"many-{n}", workers=WORKERS, db_url=db_url).start()
        devices = root / f"devices-{n}"
        devices.mkdir(parents=True, exist_ok=True)
        try:
            add_many(report, server, devices)
        finally:
            server.close()


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        root = Path(tmp)
        server = CentralServer(root / "central", workers=2).start()
        try:
            start = time.perf_counter()
            username, seeder, queued = _seeded_user(server, root)
            seeded = time.perf_counter() - start
            report.add("h", f"seed: {CASES:,} demo cases ({queued:,} rows) pushed by one device", seeded,
                       note="setup, not a target")
            times, fresh = first_sync(server, root, username)
            first = statistics.median(times)
            report.add("h", f"first sync of a new device: {CASES:,} cases with their history", first, max(times),
                       note=f"loopback, central on {engine_name(server)}", target=under(FIRST_SYNC_S, first))
            big = noop(fresh)
            small = noop(seeder_small(server, root))
            report.add("h", f"sync with nothing to do ({CASES:,} cases on the device)", statistics.median(big),
                       _p95(big), target=under(0.05, statistics.median(big)))
            report.add("h", "sync with nothing to do (1 case on the device)", statistics.median(small), _p95(small),
                       note=f"ratio {statistics.median(big) / statistics.median(small):.2f}x: independent of size")
            fresh.close()
            seeder.close()
        finally:
            server.close()
        many_on_each(report, root)


def run_many(report: Report) -> None:
    """Only the 50 devices syncing at once, on SQLite and PostgreSQL (about a minute each, most of it enrolling)."""
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        many_on_each(report, Path(tmp))


def seeder_small(server: CentralServer, root: Path) -> Device:
    server.add_user("bench-small", role="handler", team="Team Klein", password=PASSWORD)
    device = make_device(root, name="small", url=server.url, username="bench-small", password=PASSWORD)
    with device.ws.unit_of_work() as uow:
        make_case(uow)
    device.sync()
    return device


def main(argv: list[str]) -> int:
    from bench.report import environment

    report = Report(environment(), {"section": "sync"})
    (run_many if "--many" in argv else run)(report)
    print(report.table())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
