"""Central's workers share a burst of connections: each accepts on its own socket, so no core idles."""

from __future__ import annotations

import contextlib
import http.client
import os
import subprocess
import sys
import threading
from pathlib import Path

from tests.helpers.central import CentralServer, free_port

CONNECTIONS = 120
# With a socket per worker the kernel hashes each connection to one of the two: Binomial(120, 1/2) falls below
# 36 with odds of about 1 in 10^5 per side. uvicorn's shared socket let the first worker to wake take them all.
FEWEST = 36


def _workers(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def _sockets(pid: int) -> int:
    """How many socket descriptors the process holds (listening, loop internals and accepted connections)."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            count += os.readlink(fd).startswith("socket:")
    return count


def _listening(port: int) -> int:
    """How many sockets listen on the loopback port (``/proc/net/tcp`` state 0A)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for row in rows if row.split()[1].endswith(f":{port:04X}") and row.split()[3] == "0A")


def _open_all_at_once(port: int) -> list[http.client.HTTPConnection]:
    """CONNECTIONS clients that connect at the same moment, each answered once and kept open."""
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(CONNECTIONS)]
    barrier = threading.Barrier(CONNECTIONS)
    errors: list[str] = []

    def run(conn: http.client.HTTPConnection) -> None:
        barrier.wait()
        conn.request("GET", "/v1/health")
        answer = conn.getresponse()
        answer.read()
        if answer.status != 200:
            errors.append(str(answer.status))

    threads = [threading.Thread(target=run, args=(c,)) for c in connections]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return connections


def test_a_burst_of_connections_is_spread_over_both_workers(tmp_path: Path) -> None:
    server = CentralServer(tmp_path / "w", workers=2, db_url=f"sqlite:///{tmp_path / 'c.db'}").start()
    try:
        assert server.process is not None
        workers = [pid for pid in _workers(server.process.pid)
                   if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(workers) == 2
        assert _listening(server.port) == 2  # one socket per worker; uvicorn's workers share one
        before = {pid: _sockets(pid) for pid in workers}
        connections = _open_all_at_once(server.port)
        try:
            held = sorted(_sockets(pid) - before[pid] for pid in workers)
        finally:
            for conn in connections:
                conn.close()
        assert sum(held) == CONNECTIONS, held
        assert held[0] >= FEWEST, held
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
