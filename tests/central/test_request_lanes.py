"""Central's threads per worker: pushes queue in a lane of their own, so waiting ones never starve other requests."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.central.wire import new_parent
from tests.helpers.central import CentralServer, Crew, DeviceSession

THREADS = 2


def _push_in_background(device: DeviceSession, answers: list[int]) -> threading.Thread:
    def run() -> None:
        with httpx.Client(base_url=device.http.base_url, headers=dict(device.http.headers), timeout=60) as http:
            answer = http.post("/v1/sync/push", json={"protocol": 1, "device_id": device.device_id,
                                                         "changes": [new_parent()]})
        answers.append(answer.status_code)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_pushes_waiting_for_the_write_lock_leave_threads_for_other_requests(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    server = CentralServer(tmp_path / "w", workers=1, threads=THREADS, db_url=f"sqlite:///{db}").start()
    crew = Crew(server)
    try:
        devices = [crew.device(name=f"laptop-{n}") for n in range(THREADS + 1)]
        answers: list[int] = []
        # Hold central's write lock the way a long write would: every push now waits for it.
        with open(f"{db}.writer-lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            pushes = [_push_in_background(device, answers) for device in devices]
            time.sleep(1.5)  # the pushes reach the lock
            assert answers == []  # all still waiting
            # With pushes on the handler threads, THREADS waiting pushes would take them all and this would hang.
            health = httpx.get(f"{server.url}/v1/health", timeout=10)
            assert health.status_code == 200
            fcntl.flock(lock, fcntl.LOCK_UN)
        for thread in pushes:
            thread.join(60)
        assert answers == [200] * len(devices)
    finally:
        crew.close()
        server.close()


def test_a_thread_count_out_of_range_stops_central_with_a_dutch_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "central", "serve", "--db", str(tmp_path / "c.db"), "--threads", "0"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "--threads" in result.stderr and "Traceback" not in result.stderr
