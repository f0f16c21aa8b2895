"""Central's fixed cost per request: one worker-thread hop per request (authentication, endpoint and answer), with
every refusal as before (401 before 422, a revoked device refused at once on every endpoint)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from central import admin
from central.app import create_app
from central.database import Database
from tests.central.wire import new_parent
from tests.helpers.central import CentralServer, Crew

_REVOKE_REASON = "laptop kwijt (test)"


@dataclass
class InProcess:
    http: TestClient
    db: Database
    device_id: str
    token: str
    hops: list[str]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    """One enrolled device; central served in-process on the same database, every worker-thread hop counted."""
    root = Path(tmp_path_factory.mktemp("overhead"))
    server = CentralServer(root / "central").start()
    db: Database | None = None
    try:
        crew = Crew(server)
        device = crew.device()
        device_id, token = device.device_id, device.token
        crew.close()
        server.stop()
        db = Database(server.db_url)
        hops: list[str] = []
        real = anyio.to_thread.run_sync

        async def counted(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            hops.append(getattr(func, "__name__", repr(func)))
            return await real(func, *args, **kwargs)

        with pytest.MonkeyPatch.context() as patch, TestClient(create_app(db), base_url="http://testserver") as http:
            patch.setattr(anyio.to_thread, "run_sync", counted)
            http.headers["Authorization"] = f"Bearer {token}"
            yield InProcess(http, db, device_id, token, hops)
    finally:
        if db is not None:
            db.dispose()
        server.close()


def _hops(served: InProcess, method: str, path: str, **kwargs: Any) -> tuple[int, int]:
    served.hops.clear()
    answer = served.http.request(method, path, **kwargs)
    return answer.status_code, len(served.hops)


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/v1/sync/anchor", None),
    ("GET", "/v1/sync/audit", None),
    ("GET", "/v1/sync/pull?cursor=0&limit=100", None),
    ("GET", "/v1/sync/summary", None),
    ("GET", "/v1/sync/rows/case", None),
    ("GET", "/v1/team/devices", None),
    ("POST", "/v1/sync/fetch", {"entity": "case", "row_ids": [str(uuid.uuid4())]}),
    ("POST", "/v1/sync/push", "push"),
    ("GET", "/v1/health", None),
])
def test_a_request_makes_one_thread_hop(served: InProcess, method: str, path: str, body: Any) -> None:
    if body == "push":
        body = {"protocol": 1, "device_id": served.device_id, "changes": [new_parent()]}
    assert _hops(served, method, path, json=body) == (200, 1)


def test_a_round_trip_authenticates_in_its_first_hop(served: InProcess) -> None:
    """The round trip makes its own hops: the caller with the claim, the push in its lane, the page."""
    body = {"device_id": served.device_id, "changes": [new_parent()], "pull": {"cursor": 0, "limit": 100}}
    assert _hops(served, "POST", "/v1/sync/round", json=body) == (200, 3)
    assert "_caller_and_claim" in served.hops[0]
    served.hops.clear()
    refused = served.http.post("/v1/sync/round", json={**body, "changes": []},
                               headers={"Authorization": "Bearer nietbestaand"})
    assert refused.status_code == 401
    assert len(served.hops) == 1 and "_caller_and_claim" in served.hops[0]
    assert "nietbestaand" not in served.hops[0]  # the token stays out of every repr


def test_an_unknown_token_is_refused_in_one_hop(served: InProcess) -> None:
    served.hops.clear()
    answer = served.http.get("/v1/sync/anchor", headers={"Authorization": "Bearer nietbestaand"})
    assert answer.status_code == 401
    assert "apparaat" in answer.json()["detail"]
    assert len(served.hops) == 1


def test_authentication_is_refused_before_the_body_is_judged(served: InProcess) -> None:
    for headers in ({"Authorization": "Bearer nietbestaand"}, {"Authorization": ""}):
        answer = served.http.post("/v1/sync/fetch", json={"entity": "geen-entiteit"}, headers=headers)
        assert answer.status_code == 401, answer.text
        assert "apparaat" in answer.json()["detail"]
    answer = served.http.post("/v1/sync/fetch", json={"entity": "geen-entiteit"})
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("Ongeldig verzoek bij body.entity")


def test_the_openapi_schema_keeps_the_answers_and_the_bearer_scheme(served: InProcess) -> None:
    spec = served.http.get("/openapi.json").json()
    anchor = spec["paths"]["/v1/sync/anchor"]["get"]
    assert anchor["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AnchorHeld"}
    assert anchor["security"] == [{"HTTPBearer": []}]
    assert [p["name"] for p in spec["paths"]["/v1/sync/pull"]["get"]["parameters"]] == [
        "cursor", "limit", "epoch", "summary"]
    push = spec["paths"]["/v1/sync/push"]["post"]
    assert push["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PushRequest"}
    assert push["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PushResponse"}


def test_a_json_body_is_parsed_once(served: InProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[int] = []
    real = json.loads

    def counted(text: str | bytes, *args: Any, **kwargs: Any) -> Any:
        parses.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counted)
    answer = served.http.post("/v1/sync/fetch", json={"entity": "case", "row_ids": [str(uuid.uuid4())]})
    monkeypatch.undo()
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"changes": []}
    assert len(parses) == 1


def test_a_revoked_device_is_refused_at_once_on_every_endpoint(served: InProcess) -> None:
    """Runs last in this module: it revokes the device."""
    admin.revoke_device(served.db, served.device_id, reason=_REVOKE_REASON, now=dt.datetime.now(dt.UTC))
    routes = [route for route in served.http.app.routes  # type: ignore[attr-defined]
              if getattr(route, "dependant", None) is not None and route.path.startswith(("/v1/sync", "/v1/team",
                                                                                          "/v1/cases"))]
    assert len(routes) >= 14
    for route in routes:
        path = route.path.replace("{entity}", "case").replace("{case_id}", str(uuid.uuid4()))
        for method in route.methods:
            for body in ({}, {"not": "valid"}) if method == "POST" else (None,):
                answer = served.http.request(method, path, json=body)
                assert answer.status_code == 401, (method, path, answer.text)
                assert answer.json().get("code") == "device_revoked", (method, path, answer.text)
                assert _REVOKE_REASON in answer.json()["detail"]
