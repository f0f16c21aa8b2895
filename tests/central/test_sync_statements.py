"""Statements central runs per request of a sync (pull, audit trail, anchor claim) and per authentication.

Every statement costs central CPU (SQLAlchemy, the driver) and, in a write, holds a lock: a sync of a device
with two new cases must not cost more than the budgets here. Counted in-process with a ``before_cursor_execute``
listener; BEGIN and the advisory locks are transaction control and not counted (they differ per engine).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from central import accounts, audit_trail
from central.app import create_app
from central.database import Database
from central.models import Device
from tests.central.wire import change, new_letter, open_case
from tests.helpers.central import TEST_PASSWORD, CentralServer, DeviceSession
from tests.helpers.devices import Device as Laptop
from tests.helpers.devices import make_device
from tests.helpers.factories import make_case
from workbench.store.hooks import Origin
from workbench.sync import client, rounds, state
from workbench.sync.transport import Transport

_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SELECT pg_advisory_xact_lock)", re.IGNORECASE)


class StatementLog:
    """The statements run on any engine while `counting` is open, by the request (method and path) they served."""

    def __init__(self) -> None:
        self.by_request: dict[str, list[str]] = defaultdict(list)
        self.current: str | None = None

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.current is not None and not _CONTROL.match(statement):
            self.by_request[self.current].append(" ".join(statement.split())[:160])

    @contextmanager
    def counting(self, label: str | None = None) -> Iterator[None]:
        self.current = label
        event.listen(Engine, "before_cursor_execute", self._seen)
        try:
            yield
        finally:
            event.remove(Engine, "before_cursor_execute", self._seen)
            self.current = None

    def middleware(self, app: FastAPI) -> None:
        """Label each request's statements with its method and path."""

        @app.middleware("http")
        async def _label(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
            self.current = f"{request.method} {request.url.path}"
            try:
                return await call_next(request)
            finally:
                self.current = None

    def count(self, request: str) -> int:
        return len(self.by_request[request])

    def listing(self, request: str) -> str:
        return "\n".join(f"{n} x {sql}" for sql, n in Counter(self.by_request[request]).items())


@dataclass
class Counted:
    log: StatementLog
    db: Database
    device_id: str
    token: str
    requests: Counter[str]
    review_pull: list[str]  # a reviewer's first pull, granted one letter in review
    round_trip: list[str]  # the same sync (two new cases) in one round trip: POST /v1/sync/round


@pytest.fixture(scope="module")
def counted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Counted]:
    """A handler's device with two new cases, synced once against central in-process, statements counted; and
    a reviewer's first pull, of a letter in review of the same team."""
    root = Path(tmp_path_factory.mktemp("statements"))
    server = CentralServer(root / "central").start()
    laptop: Laptop | None = None
    db: Database | None = None
    try:
        server.add_user("teller", role="handler", team="Team Tellers")
        laptop = make_device(root, name="teller", url=server.url, username="teller", password=TEST_PASSWORD)
        server.add_user("schrijver", role="handler", team="Team Tellers")
        server.add_user("controleur", role="reviewer", team="Team Tellers")
        author, reviewer = DeviceSession(server, "schrijver"), DeviceSession(server, "controleur")
        case_id, _ = open_case(author)
        letter = new_letter(case_id, author.user_id)
        author.push_ok(letter)
        author.push_ok(change("letter", letter["row_id"], {"status": ("draft", "in_review")}, base_rev=1,
                              case_id=case_id))
        author.close()
        reviewer.close()
        server.stop()  # the same database, served in-process from here on
        db = Database(server.db_url)
        app = create_app(db)
        log = StatementLog()
        log.middleware(app)
        requests: Counter[str] = Counter()
        with TestClient(app, base_url="http://testserver") as http:
            token = laptop.secrets.get(client.token_name(laptop.ws.descriptor.profile_id))
            http.headers["Authorization"] = f"Bearer {token}"
            http.event_hooks["request"] = [lambda r: requests.update([f"{r.method} {r.url.path}"])]
            transport = Transport("http://testserver", client=http)
            client.sync(laptop.ws, transport=transport)  # warm-up: the engines' first connections ask things once
            log.by_request.clear()
            requests.clear()
            with laptop.ws.unit_of_work(Origin.SYNC) as uow:  # the separate requests, one endpoint each
                state.put(uow.session, rounds.UNKNOWN, uow.clock.now().isoformat())
            with laptop.ws.unit_of_work() as uow:
                make_case(uow, 1)
                make_case(uow, 2)
            with log.counting():
                report = client.sync(laptop.ws, transport=transport)
            sync = dict(log.by_request)
            log.by_request.clear()
            http.event_hooks["request"] = []
            with laptop.ws.unit_of_work(Origin.SYNC) as uow:  # and the same sync in one round trip
                state.put(uow.session, rounds.UNKNOWN, (uow.clock.now() - rounds.RETRY_AFTER).isoformat())
            with laptop.ws.unit_of_work() as uow:
                make_case(uow, 3)
                make_case(uow, 4)
            with log.counting():
                in_one = client.sync(laptop.ws, transport=transport)
            assert (in_one.pushed, in_one.refused, in_one.in_step) == (6, 0, True), in_one
            round_trip = log.by_request["POST /v1/sync/round"]
            log.by_request.clear()
            http.event_hooks["request"] = []
            with log.counting():
                page = http.get("/v1/sync/pull", params={"cursor": 0, "limit": 1000, "summary": "always"},
                                headers={"Authorization": f"Bearer {reviewer.token}"})
            assert page.status_code == 200, page.text
            assert letter["row_id"] in {c["row_id"] for c in page.json()["changes"]}
            review_pull = log.by_request["GET /v1/sync/pull"]
            log.by_request.clear()
            log.by_request.update(sync)
        assert (report.pushed, report.refused, report.in_step, report.audit_problem) == (6, 0, True, ""), report
        assert report.audit_sent >= 2, report
        token = laptop.secrets.get(client.token_name(laptop.ws.descriptor.profile_id))
        assert token is not None
        yield Counted(log, db, laptop.ws.descriptor.device_id, token, requests, review_pull, round_trip)
    finally:
        if laptop is not None:
            laptop.close()
        if db is not None:
            db.dispose()
        server.close()


def _within(counted: Counted, request: str, budget: int) -> None:
    assert counted.requests[request] == 1, dict(counted.requests)
    used = counted.log.count(request)
    assert used <= budget, f"{request}: {used} statements, budget {budget}:\n{counted.log.listing(request)}"


def test_a_pull_of_two_granted_cases_runs_six_statements(counted: Counted) -> None:
    # authentication, head and epoch, the events, the assignment periods, the granted rows, the summary
    _within(counted, "GET /v1/sync/pull", 6)


def test_a_reviewers_pull_of_a_letter_in_review_runs_six_statements(counted: Counted) -> None:
    # authentication, head and epoch, the events, the reviews, the letter with its case and parent, the summary
    listing = "\n".join(counted.review_pull)
    assert len(counted.review_pull) <= 6, f"{len(counted.review_pull)} statements, budget 6:\n{listing}"


def test_an_audit_trail_upload_runs_three_statements_whatever_its_length(counted: Counted) -> None:
    # authentication, the held tip with the anchor and flag, one insert of every new event
    assert len([s for s in counted.log.by_request["POST /v1/sync/audit"] if s.startswith("INSERT")]) == 1
    _within(counted, "POST /v1/sync/audit", 3)


def test_an_anchor_claim_that_extends_the_tip_runs_two_statements(counted: Counted) -> None:
    # authentication and one conditional update
    _within(counted, "POST /v1/sync/anchor", 2)


def test_a_round_trip_runs_the_statements_of_its_four_requests_with_one_authentication(counted: Counted) -> None:
    requests = ("POST /v1/sync/anchor", "POST /v1/sync/push", "POST /v1/sync/audit", "GET /v1/sync/pull")
    separate = sum(counted.log.count(r) for r in requests)
    used, listing = len(counted.round_trip), "\n".join(counted.round_trip)
    assert any(s.startswith("INSERT INTO trail_event") for s in counted.round_trip), listing  # the trail came along
    # the claim, the push, the trail and the page, as their own requests run them, less three authentications
    assert used <= separate - 3, f"{used} statements, budget {separate - 3}:\n{listing}"


def _authenticate(counted: Counted, now: dt.datetime) -> list[str]:
    log = StatementLog()
    with log.counting("auth"):
        principal = accounts.authenticate(counted.db, f"Bearer {counted.token}", now)
    assert principal.device_id == counted.device_id
    return log.by_request["auth"]


def _last_seen(counted: Counted) -> dt.datetime:
    with counted.db.read() as session:
        device = session.get(Device, counted.device_id)
        assert device is not None
        return device.last_seen_at


def test_authenticating_a_device_seen_lately_runs_one_select(counted: Counted) -> None:
    now = _last_seen(counted) + dt.timedelta(seconds=1)
    assert len(_authenticate(counted, now)) == 1
    assert _last_seen(counted) == now - dt.timedelta(seconds=1)  # no write


def test_authenticating_a_device_not_seen_for_a_while_runs_two_statements(counted: Counted) -> None:
    now = _last_seen(counted) + accounts.SEEN_RESOLUTION + dt.timedelta(seconds=1)
    used = _authenticate(counted, now)
    assert len(used) <= 2, "\n".join(used)  # the select, and one update of last_seen_at
    assert _last_seen(counted) == now


def test_asking_how_far_central_holds_the_trail_runs_one_select(counted: Counted) -> None:
    principal = accounts.authenticate(counted.db, f"Bearer {counted.token}", _last_seen(counted))
    log = StatementLog()
    with log.counting("held"):
        held = audit_trail.held(counted.db, principal)
    assert held.seq >= 2
    assert len(log.by_request["held"]) == 1, "\n".join(log.by_request["held"])  # the tip, the anchor and the flag
