"""A real ``python -m central serve`` for tests: SQLite file, or PostgreSQL when WORKBENCH_TEST_PG_URL is set."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
PG_ENV = "WORKBENCH_TEST_PG_URL"
TEST_PASSWORD = "Welkom-bij-de-test-1"  # synthetic; every test user gets it unless told otherwise
# Cheap argon2 for the test server, set through configuration (production defaults stay untouched).
CHEAP_ARGON2 = "1,8,1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _libpq(url: str) -> str:
    """A psycopg conninfo URL from a SQLAlchemy one."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


class PostgresDatabase:
    """A fresh database created for one server on the cluster of WORKBENCH_TEST_PG_URL, dropped by `drop`."""

    def __init__(self, admin_url: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        self._admin = _libpq(admin_url)
        self.name = f"central_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self._admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.url = make_url(admin_url).set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self._admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_database(engine: str, root: Path, *, before_schema: Any = None) -> Iterator[Any]:
    """A central database at the schema's head, for tests that call central's functions in-process: SQLite under
    ``root``, or (``engine`` "postgresql") a fresh PostgreSQL database, dropped afterwards (skipped without one).

    ``before_schema``: called once the database exists, before the migrations run (their ids are the first made).
    """
    from central.database import Database, upgrade_to_head

    fresh: PostgresDatabase | None = None
    if engine == "sqlite":
        url = f"sqlite:///{root / 'central.db'}"
    elif not os.environ.get(PG_ENV):
        pytest.skip("needs PostgreSQL (WORKBENCH_TEST_PG_URL)")
    else:
        fresh = PostgresDatabase(os.environ[PG_ENV])
        url = fresh.url
    database = Database(url)
    try:
        if before_schema is not None:
            before_schema()
        upgrade_to_head(database)
        yield database
    finally:
        database.dispose()
        if fresh is not None:
            fresh.drop()


class CentralServer:
    """One central process on a free loopback port.

    Attributes:
        url: the base URL (https when started with a certificate).
        db_url: the database it serves (several servers may share one: pass ``db_url``).
        verify: what an httpx client should verify TLS with (a context trusting the cert, or True).
    """

    def __init__(
        self, workdir: Path, *, db_url: str | None = None, cert: Path | None = None, key: Path | None = None,
        workers: int = 1, env: dict[str, str] | None = None, threads: int | None = None,
    ) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self._pg: PostgresDatabase | None = None
        if db_url is None:
            pg_admin = os.environ.get(PG_ENV)
            if pg_admin:
                self._pg = PostgresDatabase(pg_admin)
                db_url = self._pg.url
            else:
                db_url = f"sqlite:///{workdir / 'central.db'}"
        self.db_url = db_url
        self.cert, self.key, self.workers, self.threads = cert, key, workers, threads
        self.port = free_port()
        scheme = "https" if cert else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(cert)) if cert else True
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
                    "CENTRAL_ARGON2": CHEAP_ARGON2, "CENTRAL_DB": db_url, **(env or {})}
        self.env.pop("CENTRAL_PASSWORD", None)
        self.log_path = workdir / f"central-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    # -- process control -------------------------------------------------------------------------

    def start(self, timeout: float = 60.0) -> CentralServer:
        args = [sys.executable, "-m", "central", "serve", "--db", self.db_url, "--host", "127.0.0.1",
                "--port", str(self.port), "--workers", str(self.workers)]
        if self.cert and self.key:
            args += ["--cert", str(self.cert), "--key", str(self.key)]
        if self.threads is not None:
            args += ["--threads", str(self.threads)]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(args, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        log.close()
        self._wait_healthy(timeout)
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"central exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/v1/health", verify=self.verify, timeout=2).status_code == 200:
                    return
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"central did not become healthy in {timeout} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the server (and its workers): no shutdown, no cleanup, as a crash."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """A graceful stop (SIGTERM), then SIGKILL if it hangs."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> CentralServer:
        self.kill()
        return self.start()

    def close(self) -> None:
        """Stop the server and drop its PostgreSQL database (if it made one)."""
        self.stop()
        if self._pg is not None:
            self._pg.drop()
            self._pg = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # -- the CLI against the same database ---------------------------------------------------------

    def cli(self, *args: str, password: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = dict(self.env)
        if password is not None:
            env["CENTRAL_PASSWORD"] = password
        done = subprocess.run([sys.executable, "-m", "central", *args, "--db", self.db_url], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        if check and done.returncode != 0:
            raise RuntimeError(f"central {' '.join(args)} failed ({done.returncode}): {done.stderr}")
        return done

    def add_user(self, name: str, *, role: str = "handler", team: str = "Team Noord", display_name: str = "",
                 password: str = TEST_PASSWORD) -> dict[str, Any]:
        """Add a user through ``central add-user``; returns user_id, username, role, team_id."""
        args = ["add-user", name, "--role", role, "--team", team]
        if display_name:
            args += ["--display-name", display_name]
        return dict(json.loads(self.cli(*args, password=password).stdout))

    def assign(self, case_id: str, username: str, reason: str = "herverdeling") -> dict[str, Any]:
        return dict(json.loads(self.cli("assign", case_id, username, "--reason", reason).stdout))

    def stats(self) -> dict[str, int]:
        return dict(json.loads(self.cli("stats").stdout))

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, verify=self.verify, timeout=30, **kwargs)


class DeviceSession:
    """An enrolled device speaking the raw wire protocol (for central's own tests and fault tests).

    Attributes:
        user_id, device_id, token: what enrollment gave.
    """

    def __init__(self, server: CentralServer, username: str, password: str = TEST_PASSWORD,
                 device_id: str | None = None) -> None:
        self.device_id = device_id or str(uuid.uuid4())
        self.http = server.client()
        answer = self.http.post("/v1/enroll", json={"username": username, "password": password,
                                                    "device_id": self.device_id, "device_name": "testlaptop"})
        answer.raise_for_status()
        body = answer.json()
        self.enrollment = body
        self.user_id: str = body["user_id"]
        self.token: str = body["device_token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def push(self, *changes: dict[str, Any], device_id: str | None = None) -> httpx.Response:
        return self.http.post("/v1/sync/push", json={"protocol": 1, "device_id": device_id or self.device_id,
                                                     "changes": list(changes)})

    def push_ok(self, *changes: dict[str, Any]) -> list[dict[str, Any]]:
        answer = self.push(*changes)
        assert answer.status_code == 200, answer.text
        return list(answer.json()["results"])

    def pull(self, cursor: int = 0, limit: int = 1000) -> dict[str, Any]:
        answer = self.http.get("/v1/sync/pull", params={"cursor": cursor, "limit": limit})
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def pull_all(self, cursor: int = 0, limit: int = 1000) -> tuple[list[dict[str, Any]], list[str], int]:
        """Every page after ``cursor``: (changes, revoked case ids, final cursor)."""
        changes: list[dict[str, Any]] = []
        revoked: list[str] = []
        while True:
            page = self.pull(cursor, limit)
            changes += page["changes"]
            revoked += page["revoked"]
            assert page["next_cursor"] >= cursor
            cursor = page["next_cursor"]
            if not page["more"]:
                return changes, revoked, cursor

    def close(self) -> None:
        self.http.close()


class Crew:
    """Users (with enrolled devices) in teams of their own on one server, named uniquely per test."""

    _counter = itertools.count(1)

    def __init__(self, server: CentralServer) -> None:
        self.server = server
        self.tag = uuid.uuid4().hex[:6]
        self.devices: list[DeviceSession] = []

    def team(self, name: str = "noord") -> str:
        return f"Team {name} {self.tag}"

    def device(self, role: str = "handler", *, team: str = "noord", name: str = "") -> DeviceSession:
        username = f"{name or role}{next(self._counter)}_{self.tag}"
        user = self.server.add_user(username, role=role, team=self.team(team), display_name=f"Test {username}")
        device = DeviceSession(self.server, username)
        assert device.user_id == user["user_id"]
        self.devices.append(device)
        return device

    def close(self) -> None:
        for device in self.devices:
            device.close()


@pytest.fixture
def central_server(tmp_path: Path) -> Iterator[CentralServer]:
    """A fresh central on loopback for one test (PostgreSQL when WORKBENCH_TEST_PG_URL is set)."""
    server = CentralServer(tmp_path / "central").start()
    try:
        yield server
    finally:
        server.close()
