"""A TCP proxy on loopback that can cut a connection mid-request or mid-response, for sync fault tests."""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass


@dataclass
class Cut:
    """What to do to one connection.

    Attributes:
        request_bytes: close both sides after forwarding this many request bytes (None: no cut).
        response_bytes: close both sides after forwarding this many response bytes (None: no cut).
    """

    request_bytes: int | None = None
    response_bytes: int | None = None


class CuttingProxy:
    """Forwards 127.0.0.1:<port> to the upstream port; `plan` holds one Cut per coming connection.

    Attributes:
        cuts_done: connections cut so far.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.plan: list[Cut] = []
        self.cuts_done = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                cut = self.plan.pop(0) if self.plan else Cut()
            threading.Thread(target=self._serve, args=(conn, cut), daemon=True).start()

    def _serve(self, client: socket.socket, cut: Cut) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        except OSError:
            client.close()
            return
        done = threading.Event()

        def pump(src: socket.socket, dst: socket.socket, limit: int | None) -> None:
            sent = 0
            try:
                while not done.is_set():
                    data = src.recv(65536)
                    if not data:
                        break
                    if limit is not None and sent + len(data) >= limit:
                        dst.sendall(data[: max(0, limit - sent)])
                        with self._lock:
                            self.cuts_done += 1
                        break
                    dst.sendall(data)
                    sent += len(data)
            except OSError:
                pass
            finally:
                done.set()
                for s in (src, dst):
                    with contextlib.suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)
                    s.close()

        threading.Thread(target=pump, args=(upstream, client, cut.response_bytes), daemon=True).start()
        pump(client, upstream, cut.request_bytes)

    def close(self) -> None:
        self._stop = True
        self._server.close()
