"""Central's workers share a burst of connections: each accepts on its own socket, so no core idles."""

from __future__ import annotations

import contextlib
import http.client
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.helpers.central import CentralServer, free_port

CONNECTIONS = 200
# With a socket per worker the kernel hashes each connection to one of the two: with 100 or more held, the
# smaller share falls below 30 % with odds under 1 in 10^4 (200 held: 1 in 10^8). uvicorn's shared socket let
# the first worker to wake take most (16 against 104 in one run).
FEWEST_SHARE = 0.3


def _workers(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            link = os.readlink(fd)
            if link.startswith("socket:["):
                inodes.add(link[len("socket:["):-1])
    return inodes


def _served(pid: int, port: int, clients: set[int]) -> int:
    """How many of the clients' connections (by their local ports) the worker holds accepted on `port`."""
    inodes = _socket_inodes(pid)
    held = 0
    for row in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        cols = row.split()
        local, remote, inode = cols[1], cols[2], cols[9]
        if inode in inodes and local.endswith(f":{port:04X}") and int(remote.split(":")[1], 16) in clients:
            held += 1
    return held


def _listens(pid: int, port: int) -> bool:
    """Whether the process holds a socket listening on the loopback port."""
    inodes = _socket_inodes(pid)
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return any(row.split()[9] in inodes and row.split()[1].endswith(f":{port:04X}") and row.split()[3] == "0A"
               for row in rows)


def serving_processes(pid: int, port: int, *, wait_s: float = 30.0) -> tuple[list[int], list[int]]:
    """The supervisor's spawned children that listen on the port (its workers) and those that do not (its
    writer), once every worker listens: central answers as soon as one does."""
    deadline = time.monotonic() + wait_s
    while True:
        spawned = [child for child in _workers(pid)
                   if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()]
        workers = [child for child in spawned if _listens(child, port)]
        if len(spawned) - len(workers) <= 1 or time.monotonic() > deadline:
            return workers, [child for child in spawned if child not in workers]
        time.sleep(0.1)


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
        workers, writers = serving_processes(server.process.pid, server.port)
        assert len(workers) == 2 and len(writers) == 1  # the writer (central.writer) does not listen
        assert _listening(server.port) == 2  # one socket per worker; uvicorn's workers share one
        connections = _open_all_at_once(server.port)
        try:
            clients = {conn.sock.getsockname()[1] for conn in connections if conn.sock is not None}
            held = sorted(_served(pid, server.port, clients) for pid in workers)
        finally:
            for conn in connections:
                conn.close()
        # An idle connection may be closed by uvicorn's keep-alive timeout on a very busy machine.
        assert sum(held) >= CONNECTIONS // 2, held
        assert held[0] >= FEWEST_SHARE * sum(held), held
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
