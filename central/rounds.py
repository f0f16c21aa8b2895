"""``POST /v1/sync/round``: a sync's anchor claim, push batch, audit trail and first pull page in one request.

Each step is what its own endpoint does, in the lane that endpoint runs in: the claim (central.anchors), the
trail (central.audit_trail) and the page (central.pull) in the request threads, the push (central.push, in the
writer process when central runs one: central.writer) in the push lane, where it waits without holding a thread
other requests need. The trail and the page come after the push committed, so the page brings the push's own
echo as a later pull would. A claim central does not take refuses the whole request with the answer
``POST /v1/sync/anchor`` gives, before any change is applied.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

import anyio
import anyio.to_thread

from central import anchors, audit_trail, pull, writer
from central.accounts import Principal
from central.database import Database
from central.errors import OTHER_DEVICE, ApiError
from central.handling import Credentials
from workbench.sync.protocol import AnchorHeld, ChangeResult, PullResponse, PushRequest
from workbench.sync.round_protocol import RoundRequest, RoundResponse
from workbench.sync.trail_protocol import TrailBatch, TrailHeld

log = logging.getLogger(__name__)

def _caller_and_claim(db: Database, caller: Credentials, body: RoundRequest,
                      now: dt.datetime) -> tuple[Principal, AnchorHeld | None]:
    """Authenticate the caller, then take the claim: one worker-thread hop for both."""
    user = caller.principal()
    if body.device_id != user.device_id:
        raise ApiError(403, OTHER_DEVICE)
    return user, (anchors.claim(db, user, body.anchor, now) if body.anchor is not None else None)


async def round_trip(db: Database, caller: Credentials, body: RoundRequest, now: dt.datetime, *,
                     push_lane: anyio.CapacityLimiter | None) -> RoundResponse:
    """Claim, push, then take the trail and read the page; ``push_lane`` None: the push takes a request thread
    (no lifespan ran)."""
    user, held = await anyio.to_thread.run_sync(partial(_caller_and_claim, db, caller, body, now))
    results: list[ChangeResult] = []
    if body.changes:
        request = PushRequest(device_id=body.device_id, changes=body.changes)
        # A claim taken just now vouches that the device is not flagged: the push need not read that again.
        applying = partial(writer.push, db, user, request, now, unflagged=held is not None)
        results = (await anyio.to_thread.run_sync(applying, limiter=push_lane)).results
    trail, page = None, None
    if body.trail or body.pull is not None:
        trail, page = await anyio.to_thread.run_sync(partial(_trail_and_page, db, user, body, now))
    return RoundResponse(anchor=held, results=results, trail=trail, page=page)


def _trail_and_page(db: Database, user: Principal, body: RoundRequest,
                    now: dt.datetime) -> tuple[TrailHeld | None, PullResponse | None]:
    """After the push committed: take the trail, then read the page (one worker-thread hop for both). Either
    one central refuses is left out of the answer: the push's answers must reach the device, which then sends
    the trail or pulls the page on its own and hears why there."""
    trail: TrailHeld | None = None
    if body.trail:
        try:
            trail = audit_trail.receive(db, user, TrailBatch(device_id=body.device_id, events=body.trail), now)
        except ApiError as exc:
            log.info("round trail left out device=%s status=%d", user.device_id, exc.status)
    page: PullResponse | None = None
    if body.pull is not None:
        wanted = body.pull
        try:
            page = pull.pull(db, user, wanted.cursor, wanted.limit, epoch=wanted.epoch, now=now,
                             summary=wanted.summary)
        except ApiError as exc:
            log.info("round page left out device=%s status=%d", user.device_id, exc.status)
    return trail, page
