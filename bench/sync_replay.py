"""Central's intake with 50 devices at once, measured without the devices' own work on central's cores.

In the field every device is its own laptop; in `bench.sync_bench` the 50 devices run in the bench process, on
the same two cores as central, and their own work (about half of each sync) caps what central can be shown to
take in. Here the 50 real devices sync against central while every request they send is recorded (in rounds: all
50 at once, then again); central's database is copied just before the first round; then a second central on the
copy receives each round's 50 recorded request sequences again, all at once, from 50 plain HTTP connections. Each
replayed answer must have the recorded status, and every push result the recorded outcome, or the run counts an
error.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.helpers.central import CentralServer, _libpq
from tests.helpers.devices import Device
from workbench.sync import client
from workbench.sync.transport import Transport


@dataclass
class Exchange:
    """One request a device sent in its sync, and the answer it got."""

    method: str
    target: str  # path and query
    headers: dict[str, str]
    body: bytes
    status: int
    outcomes: list[str] | None  # the push results' statuses, for a push


@dataclass
class Recording:
    """Every device's sync, request by request, in the order it sent them."""

    syncs: list[list[Exchange]] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(len(json.loads(x.body)["changes"]) for sync in self.syncs for x in sync
                   if x.method == "POST" and x.target in PUSHES)

    @property
    def requests(self) -> int:
        return sum(len(sync) for sync in self.syncs)


# The requests that carry changes: a push, and the round trip (anchor claim, push batch and first pull page in one).
PUSHES = ("/v1/sync/push", "/v1/sync/round")


def _outcomes(target: str, status: int, body: bytes) -> list[str] | None:
    if target not in PUSHES or status != 200:
        return None
    return [r["status"] for r in json.loads(body)["results"]]


def recording_sync(device: Device, url: str, into: list[Exchange]) -> Callable[[], int]:
    """A sync of `device` whose requests and answers land in `into`; returns the changes it pushed."""
    token = device.secrets.get(client.token_name(device.ws.descriptor.profile_id))

    def on_response(response: httpx.Response) -> None:
        response.read()
        request = response.request
        target = request.url.raw_path.decode()
        into.append(Exchange(request.method, target,
                             {k: v for k, v in request.headers.items()
                              if k.lower() in ("authorization", "content-type")},
                             request.content, response.status_code,
                             _outcomes(request.url.path, response.status_code, response.content)))

    def run() -> int:
        http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60,
                            event_hooks={"response": [on_response]})
        transport = Transport(url, client=http)
        try:
            return client.sync(device.ws, transport=transport).pushed
        finally:
            transport.close()

    return run


class CentralCopy:
    """A copy of central's database as it stands (the server must be stopped), to replay onto."""

    def __init__(self, server: CentralServer, root: Path, name: str = "replay") -> None:
        self.source, self.name = server.db_url, name
        self._pg_name: str | None = None
        if self.source.startswith("sqlite"):
            db = Path(self.source.removeprefix("sqlite:///"))
            copy = root / name / "central.db"
            copy.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                if Path(f"{db}{suffix}").exists():
                    shutil.copyfile(f"{db}{suffix}", f"{copy}{suffix}")
            self.url = f"sqlite:///{copy}"
        else:
            import psycopg
            from sqlalchemy.engine import make_url

            source = make_url(self.source)
            self._pg_name = f"{source.database}_{name}"
            self._admin = _libpq(source.set(database="postgres").render_as_string(hide_password=False))
            with psycopg.connect(self._admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self._pg_name}" TEMPLATE "{source.database}"')
            self.url = source.set(database=self._pg_name).render_as_string(hide_password=False)

    def drop(self) -> None:
        if self._pg_name is not None:
            import psycopg

            with psycopg.connect(self._admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)')


def at_once(count: int, run: Callable[[int], None]) -> float:
    """Run `run(0)` .. `run(count - 1)` in threads of their own (each waits at a barrier first); wall seconds."""
    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - wall


def replay(url: str, recording: Recording) -> tuple[float, list[float], list[str]]:
    """Send every recorded sync again, all at once; (wall seconds, each sync's seconds, errors)."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    connections = [http.client.HTTPConnection(host, port, timeout=60) for _ in recording.syncs]
    for conn in connections:
        conn.connect()
    barrier = threading.Barrier(len(recording.syncs))
    durations = [0.0] * len(recording.syncs)
    errors: list[str] = []

    def run(i: int) -> None:
        conn = connections[i]
        barrier.wait()
        start = time.perf_counter()
        try:
            for x in recording.syncs[i]:
                conn.request(x.method, x.target, body=x.body or None, headers=x.headers)
                answer = conn.getresponse()
                body = answer.read()
                if answer.status != x.status:
                    errors.append(f"{x.method} {x.target}: {answer.status}, recorded {x.status}")
                elif _outcomes(x.target, answer.status, body) != x.outcomes:
                    errors.append(f"{x.target}: other outcomes than recorded")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
        durations[i] = time.perf_counter() - start

    wall = at_once(len(recording.syncs), run)
    for conn in connections:
        with suppress(OSError):
            conn.close()
    return wall, durations, errors


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children still running (central's workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
                total += (int(fields[11]) + int(fields[12])) / tick
    return total


def replay_on_copy(copy: CentralCopy, root: Path, recording: Recording,
                   workers: int) -> tuple[float, list[float], list[str], float]:
    """A fresh central process on the copy receives the recording; also returns central's CPU seconds for it."""
    return replay_rounds(copy, root, [recording], workers)[0]


def replay_rounds(copy: CentralCopy, root: Path, rounds: list[Recording],
                  workers: int) -> list[tuple[float, list[float], list[str], float]]:
    """One fresh central process on the copy receives the recorded rounds one after the other (each all at once);
    for each: the wall seconds, each sync's seconds, the errors and central's CPU seconds."""
    server = CentralServer(root / f"central-on-{copy.name}", workers=workers, db_url=copy.url).start()
    out = []
    try:
        assert server.process is not None
        for recording in rounds:
            before = cpu_seconds(server.process.pid)
            wall, durations, errors = replay(server.url, recording)
            out.append((wall, durations, errors, cpu_seconds(server.process.pid) - before))
        return out
    finally:
        server.close()
