"""A sync's round trip: the anchor claim, a push batch and the first pull page in one request (``POST /v1/sync/round``).

Every request costs central its HTTP layer and an authentication; the usual sync (claim, push, pull, trail)
goes in two requests this way, a sync with nothing to push in one. What a sync means does not change: central
works on the claim, the changes and the page in that order, each as its own endpoint does. The device falls
back to the separate requests when central holds another anchor tip than the claim built on (the claim goes on
its own, as anchoring.exchange does, and the batch again without it), and when central does not know the
round trip (a central of an earlier version answers 404 or 405): then every sync of the next day uses the
separate requests, and the round trip is tried again after it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from workbench.store.hooks import Origin
from workbench.store.unit_of_work import UnitOfWork
from workbench.sync import anchoring, epoch, state
from workbench.sync.protocol import Change, PageWanted, RoundRequest, RoundResponse
from workbench.sync.sanity import summary_wanted
from workbench.sync.transport import CentralRefused

if TYPE_CHECKING:
    from workbench.sync.engine import SyncEngine, SyncReport

UNKNOWN = "round_trip_unknown"  # when central last answered that it does not know the round trip
RETRY_AFTER = dt.timedelta(hours=24)
NOT_THERE = (404, 405)  # what a central without the endpoint answers (no route; a route for another method)


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
        if claim is None or not anchoring.moved(exc):
            raise
        # Central holds another tip than the claim built on (nothing was applied): claim as before, then again.
        anchoring.exchange(engine, ask=True)
        return send(engine, request.model_copy(update={"anchor": None}))
    if claim is not None and answer.anchor is not None:
        anchoring.taken(engine, claim, answer.anchor)
    return answer
