"""A sync's round trip: the anchor claim, a push batch, the audit trail and the first pull page in one request
(``POST /v1/sync/round``, workbench.sync.round_protocol).

Every request costs central its HTTP layer and an authentication; the usual sync (claim, push, trail, pull) goes
in one request this way. What a sync means does not change: central works on the claim, the changes, the trail
and the page in that order, each as its own endpoint does. The trail is the events after the last one central
said it holds (none when it never said: the trail goes on its own, asking first); a trail central does not take
in the round trip goes on its own after the pull, as before, and the device hears why there. The device falls
back to the separate requests when central holds another anchor tip than the claim built on (the claim goes on
its own, as anchoring.exchange does, and the batch again without it), and when central does not know the
round trip (a central of an earlier version answers 404 or 405): then every sync of the next day uses the
separate requests, and the round trip is tried again after it. A central that knows the round trip but not the
trail in it refuses the field (422), and a push batch of long texts may pass the size limit only with the trail
(413): then the round trip goes again without it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from workbench.store.hooks import Origin
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync import anchoring, epoch, state, trail
from workbench.sync.protocol import Change, PageWanted
from workbench.sync.round_protocol import MAX_ROUND_TRAIL, RoundRequest, RoundResponse
from workbench.sync.sanity import summary_wanted
from workbench.sync.trail_protocol import TrailEvent
from workbench.sync.transport import CentralRefused

if TYPE_CHECKING:
    from workbench.sync.engine import SyncEngine, SyncReport

UNKNOWN = "round_trip_unknown"  # when central last answered that it does not know the round trip
RETRY_AFTER = dt.timedelta(hours=24)
NOT_THERE = (404, 405)  # what a central without the endpoint answers (no route; a route for another method)
TRAIL_REFUSED = (413, 422)  # a round trip too large with its trail; a central that does not know the trail in it


def known(engine: SyncEngine) -> bool:
    """Whether to send round trips: unless central said it did not know them within the last day."""
    with engine.store.unit_of_work(engine.actor) as uow:
        said = state.get(uow.session, UNKNOWN)
        return not said or uow.clock.now() - dt.datetime.fromisoformat(said) >= RETRY_AFTER


def page_wanted(engine: SyncEngine, uow: UnitOfWork, report: SyncReport,
                batch: list[tuple[int, Change]]) -> PageWanted | None:
    """The first page the pull after this push will ask for, when ``batch`` empties the outbox (None on a first
    sync: the pull takes central's snapshot instead)."""
    cursor = state.cursor(uow.session)
    if cursor == 0:
        return None
    return PageWanted(cursor=cursor, limit=engine.page, epoch=epoch.known(uow.session),
                      summary=summary_wanted(uow, report, sending=len(batch)))


def send(engine: SyncEngine, request: RoundRequest) -> RoundResponse | None:
    """Send one round trip and remember the anchor central took; None when central does not know round trips
    (the claim has then been made on its own). Raises CentralRefused, CentralUnreachable as a push does."""
    claim = request.anchor
    try:
        answer = engine.transport.round_trip(request)
    except CentralRefused as exc:
        if exc.status in NOT_THERE:
            with engine.store.unit_of_work(engine.actor, Origin.SYNC) as uow:
                state.put(uow.session, UNKNOWN, uow.clock.now().isoformat())
            if claim is not None:
                anchoring.exchange(engine)
            return None
        if exc.status in TRAIL_REFUSED and request.trail:
            # A central of an earlier version does not know the trail in a round trip, or the trail made a full
            # batch too large: nothing was applied, the round trip goes again without it and the trail on its own.
            return send(engine, request.model_copy(update={"trail": []}))
        if claim is None or not anchoring.moved(exc):
            raise
        # Central holds another tip than the claim built on (nothing was applied): claim as before, then again.
        anchoring.exchange(engine, ask=True)
        return send(engine, request.model_copy(update={"anchor": None}))
    if claim is not None and answer.anchor is not None:
        anchoring.taken(engine, claim, answer.anchor)
    return answer


def trail_wanted(engine: SyncEngine, uow: UnitOfWork) -> list[TrailEvent]:
    """The audit events the opening round trip carries: those after the last one central said it holds, at most
    MAX_ROUND_TRAIL and the engine's batch and run limits (none when central never said: the trail then asks
    first, after the push)."""
    kept = state.get(uow.session, trail.SENT)
    size = min(MAX_ROUND_TRAIL, engine.trail_batch, engine.trail_limit)
    return [] if kept is None or size < 1 else trail.events_after(uow.session, int(kept), size)[0]


def trail_taken(engine: SyncEngine, request: RoundRequest, answer: RoundResponse) -> int:
    """Remember how far central holds the trail after the round trip; returns the events it took."""
    if not request.trail or answer.trail is None:
        return 0
    held = answer.trail.seq
    trail.remember(engine, held)
    return max(0, min(held, request.trail[-1].seq) - request.trail[0].seq + 1)
