"""The HTTP API of central (FastAPI): enrollment, push, pull, the sanity-check endpoints and assignment."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from sqlalchemy import text

from central import accounts, anchors, assignment, audit_trail, devices, inventory, numbering, pull, snapshot, writer
from central.database import DEFAULT_DB, Database
from central.errors import ApiError
from central.guard import RequestGuard
from central.handling import CREDENTIALS, Caller, Credentials, HandlerRoute, User, in_lane, now
from central.rounds import round_trip
from central.serving import DEFAULT_THREADS
from workbench import __version__
from workbench.sync.protocol import (
    MAX_PULL,
    PROTOCOL_VERSION,
    AnchorClaim,
    AnchorHeld,
    DeviceReport,
    EnrollRequest,
    EnrollResponse,
    Entity,
    FetchRequest,
    FetchResponse,
    NumbersRequest,
    NumbersResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    RowVersions,
    Summary,
    SummaryWanted,
    TeamDevices,
    TokenRotation,
    Uuid,
)
from workbench.sync.round_protocol import RoundRequest, RoundResponse
from workbench.sync.trail_protocol import TrailBatch, TrailHeld

log = logging.getLogger(__name__)
MAX_CURSOR = 2**62  # larger cursors would overflow a 64-bit sequence column



def create_app(db: Database, *, threads: int = DEFAULT_THREADS) -> FastAPI:
    """The app over one database; several processes may serve the same database.

    `threads`: how many requests this process works on at once. Pushes take one more lane of their own, one at
    a time: they queue for central's one write lock anyway, and a push waiting there must not hold a thread
    the pulls and audit uploads of other devices need.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        app.state.push_lane = anyio.CapacityLimiter(1)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Zaakwerkbank central",
        version=f"{__version__} (protocol {PROTOCOL_VERSION})",
        description="Reference central system the Zaakwerkbank devices sync with (see workbench.sync.protocol).",
    )
    app.state.db = db
    app.router.route_class = HandlerRoute  # a plain endpoint makes one thread hop, authentication included
    app.add_middleware(RequestGuard)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        content = {"detail": exc.detail} if exc.code is None else {"detail": exc.detail, "code": exc.code}
        return JSONResponse(status_code=exc.status, content=content)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        credentials = request.scope.get(CREDENTIALS)
        if isinstance(credentials, Credentials):  # an unknown or revoked device hears that first, as always
            try:
                await anyio.to_thread.run_sync(credentials.principal)
            except ApiError as refused:
                return await _api_error(request, refused)
        errors = [{"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", "")),
                   "type": str(e.get("type", ""))} for e in exc.errors()[:20]]
        first = errors[0] if errors else {"loc": [], "msg": ""}
        where = ".".join(first["loc"]) or "verzoek"
        return JSONResponse(status_code=422, content={
            "detail": f"Ongeldig verzoek bij {where}: {first['msg']}", "errors": errors})

    @app.get("/v1/health", tags=["service"])
    def health() -> dict[str, Any]:
        with db.read() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok", "protocol": PROTOCOL_VERSION}

    @app.post("/v1/enroll", tags=["devices"], responses={401: {}, 409: {}, 429: {}})
    def enroll(body: EnrollRequest, request: Request) -> EnrollResponse:
        source = request.client.host if request.client is not None else None
        answer, _token = accounts.enroll(db, body, now(), source=source)
        return answer

    @app.post("/v1/sync/push", tags=["sync"], responses={401: {}, 403: {}, 409: {}, 413: {}})
    @in_lane("push_lane")
    def sync_push(body: PushRequest, user: User) -> PushResponse:
        return writer.push(db, user, body, now())

    @app.post("/v1/sync/round", tags=["sync"], response_model=RoundResponse, responses={401: {}, 403: {}, 409: {}})
    async def sync_round(body: RoundRequest, caller: Caller, request: Request) -> Response:
        """The anchor claim, a push batch, the audit trail and the first pull page in one request (central.rounds)."""
        lane = getattr(request.app.state, "push_lane", None)  # None when the app runs without its lifespan
        answer = await round_trip(db, caller, body, now(), push_lane=lane)
        # Without a trail the field is left out: a device of an earlier version refuses fields it does not know.
        left_out = {"trail"} if answer.trail is None else None
        return Response(content=answer.model_dump_json(exclude=left_out), media_type="application/json")

    @app.get("/v1/sync/pull", tags=["sync"], response_model=PullResponse)
    def sync_pull(
        user: User,
        cursor: Annotated[int, Query(ge=0, le=MAX_CURSOR)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = MAX_PULL,
        epoch: Annotated[Uuid | None, Query(description="the epoch the device last synced with")] = None,
        summary: Annotated[SummaryWanted | None, Query(
            description="the last page carries the summary: always, or only when it moved something")] = None,
    ) -> Response:
        page = pull.pull(db, user, cursor, limit, epoch=epoch, now=now(), summary=summary)
        # Without a summary the field is left out: a device of an earlier version refuses fields it does not know.
        left_out = {"summary"} if page.summary is None else None
        return Response(content=page.model_dump_json(exclude=left_out), media_type="application/json")

    @app.get("/v1/sync/snapshot", tags=["sync"], responses={200: {"content": {"application/x-ndjson": {}}}})
    def sync_snapshot(user: User) -> StreamingResponse:
        """Every row the user may see now (a first sync): a `SnapshotHeader` line, then one `ServerChange` a line."""
        return StreamingResponse(snapshot.snapshot_lines(db, user), media_type="application/x-ndjson")

    @app.get("/v1/sync/summary", tags=["sync"])
    def sync_summary(user: User) -> Summary:
        return inventory.summary(db, user)

    @app.get("/v1/sync/rows/{entity}", tags=["sync"])
    def sync_rows(entity: Annotated[Entity, Path()], user: User) -> RowVersions:
        return inventory.row_versions(db, user, entity)

    @app.post("/v1/sync/fetch", tags=["sync"])
    def sync_fetch(body: FetchRequest, user: User) -> FetchResponse:
        return inventory.fetch(db, user, body)

    @app.post("/v1/sync/numbers", tags=["sync"], responses={403: {}, 409: {}})
    def sync_numbers(body: NumbersRequest, user: User) -> NumbersResponse:
        return numbering.top_up(db, user, body, now())

    @app.get("/v1/sync/anchor", tags=["sync"], responses={409: {}})
    def anchor_held(user: User) -> AnchorHeld:
        return anchors.held(db, user)

    @app.post("/v1/sync/anchor", tags=["sync"], responses={403: {}, 409: {}})
    def anchor_claim(body: AnchorClaim, user: User) -> AnchorHeld:
        return anchors.claim(db, user, body, now())

    @app.get("/v1/sync/audit", tags=["sync"], responses={409: {}})
    def trail_held(user: User) -> TrailHeld:
        return audit_trail.held(db, user)

    @app.post("/v1/sync/audit", tags=["sync"], responses={403: {}, 409: {}})
    def trail_receive(body: TrailBatch, user: User) -> TrailHeld:
        return audit_trail.receive(db, user, body, now())

    @app.post("/v1/sync/token", tags=["devices"], responses={401: {}})
    def rotate_token(user: User) -> TokenRotation:
        return accounts.rotate_token(db, user, now())

    @app.post("/v1/sync/device-report", tags=["devices"], status_code=204, responses={403: {}})
    def device_report(body: DeviceReport, user: User) -> Response:
        devices.record_report(db, user, body, now())
        return Response(status_code=204)

    @app.get("/v1/team/devices", tags=["devices"])
    def list_team_devices(user: User) -> TeamDevices:
        return devices.team_devices(db, user)

    @app.post("/v1/cases/{case_id}/assign", tags=["cases"], responses={403: {}, 404: {}})
    def assign_case(
        case_id: Annotated[Uuid, Path()], body: assignment.AssignRequest, user: User,
    ) -> assignment.AssignResponse:
        return assignment.assign(db, case_id=case_id, handler=body.handler_id, reason=body.reason, by=user,
                                 now=now())

    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers: the database comes from CENTRAL_DB, the threads from CENTRAL_THREADS (both
    set by ``central serve``)."""
    threads = int(os.environ.get("CENTRAL_THREADS") or DEFAULT_THREADS)
    return create_app(Database(os.environ.get("CENTRAL_DB") or DEFAULT_DB), threads=threads)
