"""One writer process applies the pushes of every worker, so the push holding the write lock runs alone.

Central serializes pushes on one write lock (central.database). With the push in a worker process, the push
holding that lock shares its process's one GIL with the requests the worker serves meanwhile (pulls, audit
uploads, claims, the event loop): it waits after each database round trip, and the lock was held 2.6 times
as long as the push's own CPU time (bench.sync_replay, 50 devices on PostgreSQL). `central serve --workers N`
therefore starts one writer process beside the workers (central.serving); each worker hands its pushes to it
over a connection of its own (a Unix socket), one at a time, and the writer applies them with
`central.push.push`, as the worker would have.

A worker without a writer (one worker, the tests' in-process apps) applies its pushes itself. A worker whose
writer is gone (it died, or the connection broke mid-push) applies that push itself and tries the writer again at
its next: a push is idempotent by its change ids, so applying again one that the writer may have committed
returns the first answers.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, Listener
from typing import Any

from central import push as pushing
from central.accounts import Principal
from central.database import Database
from central.errors import ApiError
from workbench.sync.protocol import PushRequest, PushResponse

log = logging.getLogger(__name__)


class _Writer:
    """This worker's connection to the writer (made at its first push, again after a failure); one push at a
    time goes through it."""

    def __init__(self, address: str, authkey: bytes) -> None:
        self._address, self._authkey = address, authkey
        self._conn: Connection | None = None
        self._turn = threading.Lock()

    def push(self, db: Database, user: Principal, request: PushRequest, now: dt.datetime, *,
             unflagged: bool) -> PushResponse:
        with self._turn:
            try:
                if self._conn is None:
                    self._conn = Client(self._address, family="AF_UNIX", authkey=self._authkey)
                self._conn.send((user, request, now, unflagged))
                kind, value = self._conn.recv()
            except (EOFError, OSError, AuthenticationError):
                log.warning("central writer not reachable: this worker applies the push itself")
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None
            else:
                return _result(kind, value)
        return pushing.push(db, user, request, now, unflagged=unflagged)


_writer: _Writer | None = None


def attach(address: str, authkey: bytes) -> None:
    """Hand this process's pushes to the writer listening at ``address`` (a worker, at its start)."""
    global _writer
    _writer = _Writer(address, authkey)


def push(db: Database, user: Principal, request: PushRequest, now: dt.datetime, *,
         unflagged: bool = False) -> PushResponse:
    """`central.push.push`, in the writer process when this worker has one, else here."""
    if _writer is None:
        return pushing.push(db, user, request, now, unflagged=unflagged)
    return _writer.push(db, user, request, now, unflagged=unflagged)


def _result(kind: str, value: Any) -> PushResponse:
    if kind == "ok":
        assert isinstance(value, PushResponse)
        return value
    if kind == "refused":
        status, detail, code = value
        raise ApiError(status, detail, code=code)
    raise RuntimeError(f"central writer could not apply the push: {value}")


def serve(address: str, authkey: bytes, db_url: str) -> None:
    """The writer's loop: each worker's connection gets a thread, and one push at a time is applied.

    Only a process that knows ``authkey`` (the supervisor's workers) is answered; the socket lives in a folder
    only central's user can enter (central.serving).
    """
    db = Database(db_url)
    listener = Listener(address, family="AF_UNIX", authkey=authkey)
    turn = threading.Lock()  # a thread waiting here, or for its worker's next push, holds no GIL
    log.info("central writer applies the workers' pushes")
    while True:
        try:
            conn = listener.accept()
        except (OSError, EOFError, AuthenticationError):
            time.sleep(0.01)  # a caller without the key, or one that left during the handshake
            continue
        threading.Thread(target=_answer, args=(conn, db, turn), name="writer-worker", daemon=True).start()


def _answer(conn: Connection, db: Database, turn: threading.Lock) -> None:
    """Apply one worker's pushes as they come, until it goes (a restarted worker connects anew)."""
    with conn:
        while True:
            try:
                user, request, now, unflagged = conn.recv()
            except (EOFError, OSError):
                return
            with turn:
                answer = _apply(db, user, request, now, unflagged)
            try:
                conn.send(answer)
            except OSError:
                return


def _apply(db: Database, user: Principal, request: PushRequest, now: dt.datetime,
           unflagged: bool) -> tuple[str, Any]:
    try:
        return "ok", pushing.push(db, user, request, now, unflagged=unflagged)
    except ApiError as exc:
        return "refused", (exc.status, exc.detail, exc.code)
    except Exception as exc:  # the worker answers 500, as for its own error; the details stay in this log
        log.exception("central writer: push failed")
        return "error", type(exc).__name__
