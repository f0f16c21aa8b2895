"""What central logs per request: a line for every refused request (4xx), none for an answered one unless
``central serve --access-log`` asks for uvicorn's line for every request."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from central import cli, serving
from tests.helpers.central import CentralServer, Crew


def _log_after(server: CentralServer, wanted: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = server.log_path.read_text(errors="replace")
        if wanted in text or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


def test_a_refused_request_is_logged_and_an_answered_one_is_not(central_server: CentralServer) -> None:
    crew = Crew(central_server)
    try:
        device = crew.device()
        for _ in range(3):
            assert device.http.get("/v1/sync/anchor").status_code == 200
        assert device.http.get("/v1/sync/anchor", headers={"Authorization": "Bearer onbekend"}).status_code == 401
        assert device.http.post("/v1/sync/fetch", content=b"{", headers={
            "Content-Type": "application/json"}).status_code == 422
        assert device.http.get("/v1/geen-pad").status_code == 404
        text = _log_after(central_server, "/v1/geen-pad")
    finally:
        crew.close()
    assert "refused GET /v1/sync/anchor: 401" in text
    assert "refused POST /v1/sync/fetch: 422" in text
    assert "refused GET /v1/geen-pad: 404" in text
    assert "127.0.0.1" in text.split("refused GET /v1/sync/anchor: 401", 1)[1].splitlines()[0]
    assert '"GET /v1/sync/anchor HTTP/1.1" 200' not in text  # uvicorn's access line: off unless asked for
    assert "onbekend" not in text  # never a token


@pytest.mark.parametrize(("flag", "logged"), [([], False), (["--access-log"], True)])
def test_access_log_is_uvicorns_line_for_every_request_when_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: list[str], logged: bool,
) -> None:
    seen: dict[str, Any] = {}

    def serve(**kwargs: Any) -> int:
        seen.update(kwargs["options"])
        return 0

    monkeypatch.setattr(serving, "serve", serve)
    for name in ("CENTRAL_DB", "CENTRAL_THREADS"):  # serve sets them for its workers: restored after the test
        monkeypatch.setenv(name, "")
    assert cli.main(["serve", "--db", f"sqlite:///{tmp_path / 'c.db'}", *flag]) == 0
    assert seen["access_log"] is logged
