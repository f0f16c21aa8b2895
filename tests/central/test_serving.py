"""Central's workers share a burst of connections: each accepts on its own socket, so no core idles."""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
from pathlib import Path

from bench.sync_replay import cpu_seconds
from tests.helpers.central import CentralServer, free_port

CONNECTIONS = 40
REQUESTS = 25


def _workers(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def _burst(port: int) -> list[str]:
    """CONNECTIONS clients at once, each sending REQUESTS health checks over its one connection."""
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(CONNECTIONS)]
    barrier = threading.Barrier(CONNECTIONS)
    errors: list[str] = []

    def run(conn: http.client.HTTPConnection) -> None:
        barrier.wait()
        for _ in range(REQUESTS):
            conn.request("GET", "/v1/health")
            answer = conn.getresponse()
            answer.read()
            if answer.status != 200:
                errors.append(str(answer.status))
        conn.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in connections]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_a_burst_of_connections_is_spread_over_both_workers(tmp_path: Path) -> None:
    server = CentralServer(tmp_path / "w", workers=2, db_url=f"sqlite:///{tmp_path / 'c.db'}").start()
    try:
        assert server.process is not None
        workers = [pid for pid in _workers(server.process.pid)
                   if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(workers) == 2
        before = {pid: cpu_seconds(pid) for pid in workers}
        assert _burst(server.port) == []
        used = sorted(cpu_seconds(pid) - before[pid] for pid in workers)
        # uvicorn's shared socket gave one worker nearly all of it (0.01 s against 1.29 s in bench.sync_replay).
        assert used[0] >= 0.2 * sum(used), used
    finally:
        server.close()


def test_an_address_in_use_stops_central_with_a_dutch_message(tmp_path: Path) -> None:
    import socket

    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen(1)
        result = subprocess.run(
            [sys.executable, "-m", "central", "serve", "--db", str(tmp_path / "c.db"), "--host", "127.0.0.1",
             "--port", str(port), "--workers", "2"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "kan niet luisteren op 127.0.0.1" in result.stderr and "Traceback" not in result.stderr
