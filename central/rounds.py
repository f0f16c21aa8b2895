"""``POST /v1/sync/round``: a sync's anchor claim, push batch and first pull page in one request.

Each step is what its own endpoint does, in the lane that endpoint runs in: the claim (central.anchors) and the
page (central.pull) in the request threads, the push (central.push, in the writer process when central runs
one: central.writer) in the push lane, where it waits without holding a thread other requests need. The page
is read after the push committed, so it brings the push's own echo as a later pull would. A claim central does
not take refuses the whole request with the answer ``POST /v1/sync/anchor`` gives, before any change is applied.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

import anyio
import anyio.to_thread

from central import anchors, pull, writer
from central.accounts import Principal
from central.database import Database
from central.errors import ApiError
from central.handling import Credentials
from workbench.sync.protocol import AnchorHeld, ChangeResult, PullResponse, PushRequest, RoundRequest, RoundResponse

log = logging.getLogger(__name__)

def _caller_and_claim(db: Database, caller: Credentials, body: RoundRequest,
                      now: dt.datetime) -> tuple[Principal, AnchorHeld | None]:
    """Authenticate the caller, then take the claim: one worker-thread hop for both."""
    user = caller.principal()
    if body.device_id != user.device_id:
        raise ApiError(403, anchors.OTHER_DEVICE)
    return user, (anchors.claim(db, user, body.anchor, now) if body.anchor is not None else None)


async def round_trip(db: Database, caller: Credentials, body: RoundRequest, now: dt.datetime, *,
                     push_lane: anyio.CapacityLimiter | None) -> RoundResponse:
    """Claim, push, then read the page; ``push_lane`` None: the push takes a request thread (no lifespan ran)."""
    user, held = await anyio.to_thread.run_sync(partial(_caller_and_claim, db, caller, body, now))
    results: list[ChangeResult] = []
    if body.changes:
        request = PushRequest(device_id=body.device_id, changes=body.changes)
        # A claim taken just now vouches that the device is not flagged: the push need not read that again.
        applying = partial(writer.push, db, user, request, now, unflagged=held is not None)
        results = (await anyio.to_thread.run_sync(applying, limiter=push_lane)).results
    page: PullResponse | None = None
    if body.pull is not None:
        wanted = body.pull
        try:
            page = await anyio.to_thread.run_sync(partial(
                pull.pull, db, user, wanted.cursor, wanted.limit, epoch=wanted.epoch, now=now,
                summary=wanted.summary))
        except ApiError as exc:
            # The push is committed: its answers must reach the device. It pulls on its own and hears why there.
            log.info("round page left out device=%s status=%d", user.device_id, exc.status)
    return RoundResponse(anchor=held, results=results, page=page)
