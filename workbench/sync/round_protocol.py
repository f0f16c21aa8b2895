"""A sync's round trip on the wire (``POST /v1/sync/round``): the anchor claim, a push batch, the audit trail
and the first pull page in one request, and their answers in one."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from workbench.sync.protocol import (
    MAX_BATCH,
    PROTOCOL_VERSION,
    AnchorClaim,
    AnchorHeld,
    Change,
    ChangeResult,
    PageWanted,
    PullResponse,
    Strict,
    Uuid,
)
from workbench.sync.trail_protocol import TrailEvent, TrailHeld

# Audit events a round trip carries at most; a longer trail goes on its own after the sync (workbench.sync.trail).
# With a full push batch the request stays far below the size limit.
MAX_ROUND_TRAIL = 100


class RoundRequest(Strict):
    """A sync's usual requests as one: the anchor claim, a push batch, the audit trail and the first pull page.

    Central works on them in this order, each as its own endpoint does: a claim it does not take refuses the
    whole request (nothing applied, the same answer as ``POST /v1/sync/anchor``); then the changes, as
    ``POST /v1/sync/push``; then, after the push committed, the trail, as ``POST /v1/sync/audit``; then the
    page, as ``GET /v1/sync/pull``.

    Attributes:
        anchor: the claim of `AnchorClaim`, or None (no claim this time).
        changes: a push batch (it may be empty: a sync with nothing to push).
        trail: the audit events right after the last one central said it holds, oldest first (empty: none).
        pull: the first page wanted after the push, or None.
    """

    protocol: Literal[1] = PROTOCOL_VERSION
    device_id: Uuid
    anchor: AnchorClaim | None = None
    changes: list[Change] = Field(default_factory=list, max_length=MAX_BATCH)
    trail: list[TrailEvent] = Field(default_factory=list, max_length=MAX_ROUND_TRAIL)
    pull: PageWanted | None = None


class RoundResponse(Strict):
    """The answers of a `RoundRequest`: the tip central holds after the claim (None without a claim), one
    `ChangeResult` per change in order, how far central holds the trail after taking it (None when none came,
    or when central refused it: the device sends it on its own and hears why there), and the page (None when
    not asked, or when central could not read it then: the device pulls it on its own)."""

    protocol: Literal[1] = PROTOCOL_VERSION
    anchor: AnchorHeld | None = None
    results: list[ChangeResult] = Field(default_factory=list)
    trail: TrailHeld | None = None
    page: PullResponse | None = None
