"""Serving central with several worker processes, each accepting on its own SO_REUSEPORT socket.

uvicorn's own workers share one listening socket, and whichever worker wakes first accepts every connection
waiting: when 50 devices sync at the same moment, one worker serves all of them and the other cores idle
(bench.sync_replay measured 1.29 CPU s on one worker, 0.01 s on the other). With a socket per worker bound with
SO_REUSEPORT the kernel spreads new connections over the workers. Where the platform lacks SO_REUSEPORT,
uvicorn's own workers serve.

Beside the workers runs one writer process (central.writer) that applies every worker's pushes, so the push
holding the write lock does not share a GIL with the requests its worker serves. The writer listens on a Unix
socket in a folder only central's user can enter, and answers only callers that prove the key the supervisor
handed its workers. A writer that ends is started again; meanwhile each worker applies its pushes itself.
"""

from __future__ import annotations

import logging
import logging.config
import multiprocessing
import os
import shutil
import signal
import socket
import tempfile
import time
from contextlib import suppress
from typing import Any

from central.errors import SetupError

log = logging.getLogger(__name__)

APP = "central.app:app_from_env"
RESTART_PAUSE_S = 1.0  # between a worker's unexpected end and its replacement
STOP_GRACE_S = 15.0  # a worker has this long to finish its requests after SIGTERM
# Threads per worker process for the handlers. Central's handlers are CPU work in Python between short
# database round trips: with anyio's default of 40 threads, 25 requests at once fight over one GIL, and the
# push that holds the global write lock waits its turn after every round trip (bench.sync_replay: 50 devices at
# once, the lock held 20-27 ms per push with 40 threads, 9-13 ms with 4; central took in ~40 % more).
DEFAULT_THREADS = 4


def serve(*, host: str, port: int, workers: int, options: dict[str, Any]) -> int:
    """Serve until SIGTERM or SIGINT; `options` are uvicorn.Config keyword arguments (TLS, logging)."""
    import uvicorn

    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, **options)
        return 0
    return _Supervisor(host, port, workers, options).run()


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # only sockets of the same user join the group
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def _worker(host: str, port: int, options: dict[str, Any], writer: tuple[str, bytes]) -> None:
    import uvicorn

    from central import writer as pushes

    pushes.attach(*writer)
    sock = _listening_socket(host, port)
    config = uvicorn.Config(APP, factory=True, host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[sock])


def _writer(address: str, authkey: bytes, options: dict[str, Any]) -> None:
    from central import writer

    logging.config.dictConfig(options["log_config"])
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the supervisor stops it last
    writer.serve(address, authkey, os.environ["CENTRAL_DB"])


class _Supervisor:
    """Starts the workers, replaces one that ends unexpectedly, and stops them all on SIGTERM or SIGINT."""

    def __init__(self, host: str, port: int, workers: int, options: dict[str, Any]) -> None:
        self.host, self.port, self.count, self.options = host, port, workers, options
        self.context = multiprocessing.get_context("spawn")
        self.stopping = False
        self.folder = ""
        self.writer = ("", b"")

    def _start(self) -> multiprocessing.process.BaseProcess:
        process = self.context.Process(target=_worker, args=(self.host, self.port, self.options, self.writer),
                                       daemon=False)
        process.start()
        return process

    def _start_writer(self) -> multiprocessing.process.BaseProcess:
        with suppress(FileNotFoundError):
            os.unlink(self.writer[0])  # a writer's socket that ended with it
        process = self.context.Process(target=_writer, args=(*self.writer, self.options), daemon=False)
        process.start()
        return process

    def _stop(self, _signum: int, _frame: Any) -> None:
        self.stopping = True

    def run(self) -> int:
        logging.config.dictConfig(self.options["log_config"])
        try:  # fail at once, in this process, when the address cannot be had (taken by another program, or wrong)
            _listening_socket(self.host, self.port).close()
        except OSError as exc:
            raise SetupError(f"Central kan niet luisteren op {self.host}:{self.port} (--host, --port): "
                             f"{exc.strerror or exc}.") from None
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._stop)
        # The writer's socket, in a folder only this user can enter, and the key a worker proves it has.
        self.folder = tempfile.mkdtemp(prefix="central-writer-")
        self.writer = (os.path.join(self.folder, "writer.sock"), os.urandom(32))
        started = time.monotonic()
        writer = self._start_writer()
        processes = [self._start() for _ in range(self.count)]
        failed = False
        while not self.stopping:
            time.sleep(0.2)
            if not writer.is_alive() and not self.stopping:
                log.warning("central writer ended (exit %s); starting a new one", writer.exitcode)
                writer = self._start_writer()  # meanwhile each worker applies its pushes itself
            for i, process in enumerate(processes):
                if process.is_alive() or self.stopping:
                    continue
                if time.monotonic() - started < 10 and process.exitcode not in (0, None):
                    log.error("central worker %d could not start (exit %s); stopping", i, process.exitcode)
                    failed, self.stopping = True, True
                    break
                log.warning("central worker %d ended (exit %s); starting a new one", i, process.exitcode)
                time.sleep(RESTART_PAUSE_S)
                processes[i] = self._start()
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests it is serving
        deadline = time.monotonic() + STOP_GRACE_S
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        writer.terminate()  # after the workers: a push they were still serving has had its answer
        writer.join(STOP_GRACE_S)
        if writer.is_alive():
            writer.kill()
            writer.join()
        shutil.rmtree(self.folder, ignore_errors=True)
        return 1 if failed else 0
