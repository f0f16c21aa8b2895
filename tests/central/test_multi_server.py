"""Two central processes on one database: concurrent pushes through both, and a pull that never skips a row."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.central.wire import new_story, open_case
from tests.helpers.central import CentralServer, Crew, DeviceSession


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[CentralServer, CentralServer]]:
    first = CentralServer(tmp_path / "a")
    second = CentralServer(tmp_path / "b", db_url=first.db_url)
    errors: list[BaseException] = []

    def start(server: CentralServer) -> None:
        try:
            server.start()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    # Both start at once, so both try to migrate the empty database at the same moment.
    threads = [threading.Thread(target=start, args=(s,)) for s in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert not errors, errors
        yield first, second
    finally:
        second.close()
        first.close()


def test_interleaved_pushes_through_two_servers_are_pulled_without_gaps(
        pair: tuple[CentralServer, CentralServer]) -> None:
    first, second = pair
    crews = [Crew(first), Crew(second)]
    crews[1].tag = crews[0].tag  # one team across both servers
    handlers: list[DeviceSession] = [crews[i % 2].device() for i in range(4)]
    lead = crews[1].device("team_lead")
    lead_via_first = DeviceSession(first, lead.enrollment["username"])
    cases = [open_case(h)[0] for h in handlers]
    _, _, cursor = lead.pull_all()

    pushed: list[str] = []
    lock = threading.Lock()
    failures: list[str] = []

    def push(handler: DeviceSession, case_id: str) -> None:
        for batch in range(15):
            stories = [new_story(case_id, f"Notitie {batch}.{i}", handler.user_id) for i in range(5)]
            answer = handler.push(*stories)
            if answer.status_code != 200 or {r["status"] for r in answer.json()["results"]} != {"applied"}:
                failures.append(answer.text)
                return
            with lock:
                pushed.extend(s["change_id"] for s in stories)

    received: list[dict] = []
    done = threading.Event()

    def follow() -> None:
        nonlocal cursor
        turn = 0
        while True:
            finished = done.is_set()
            device = (lead, lead_via_first)[turn % 2]
            turn += 1
            page = device.pull(cursor, limit=50)
            received.extend(page["changes"])
            cursor = page["next_cursor"]
            if finished and not page["more"]:
                return

    pushers = [threading.Thread(target=push, args=(h, c)) for h, c in zip(handlers, cases, strict=True)]
    follower = threading.Thread(target=follow)
    follower.start()
    for t in pushers:
        t.start()
    for t in pushers:
        t.join()
    done.set()
    follower.join(120)
    assert not failures, failures[:3]
    assert len(pushed) == 4 * 15 * 5
    origins = [c["origin_change_id"] for c in received]
    assert sorted(origins) == sorted(pushed)  # every change exactly once: no gap, no duplicate
    seqs = [c["seq"] for c in received]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    for device in (lead_via_first, *handlers):
        device.close()
    for crew in crews:
        crew.close()


def test_serve_with_two_workers(tmp_path: Path) -> None:
    server = CentralServer(tmp_path / "w", workers=2).start()
    crew = Crew(server)
    try:
        devices = [crew.device() for _ in range(2)]
        for device in devices:
            for _ in range(5):  # several connections, so both workers answer some
                open_case(device)
        lead = crew.device("team_lead")
        changes, _, _ = lead.pull_all()
        assert sum(1 for c in changes if c["entity"] == "case") == 10
    finally:
        crew.close()
        server.close()
