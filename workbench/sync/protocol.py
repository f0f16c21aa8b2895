"""The sync wire protocol (version 1), shared by the workbench client and the central service.

Push: ``POST /v1/sync/push`` with a `PushRequest`; the answer is a `PushResponse` with one `ChangeResult`
per change, in order. Pull: ``GET /v1/sync/pull?cursor=N&limit=M`` answers a `PullResponse`.
Enrollment: ``POST /v1/enroll`` with `EnrollRequest` answers `EnrollResponse` (the device token is then
sent as ``Authorization: Bearer <token>`` on every other call). ``GET /v1/sync/summary`` answers a
`Summary` used for the after-sync sanity check. A device's first sync reads ``GET /v1/sync/snapshot`` (see
`SnapshotHeader`) instead of replaying the change log page by page. Round trip: ``POST /v1/sync/round``
(workbench.sync.round_protocol) does a sync's usual requests in one; the separate endpoints stay for devices of
earlier versions.

Merge rules (applied by central, per field):
- ``base_rev`` equal to the server's rev: every field is applied (``applied``).
- otherwise, per field: server value equal to the change's old value, or equal to its new value:
  applied silently; anything else is a clash: the server keeps its value and answers it in
  ``conflicts`` (``conflict``). Non-clashing fields of the same change are still applied.
- Append-only entities never clash: their inserts are unique, their mutable fields take the newer
  change (server order).
A replayed ``change_id`` returns the first answer and changes nothing; the same ``change_id`` with a
different payload is refused with HTTP 409.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

PROTOCOL_VERSION: Literal[1] = 1
MAX_BATCH = 200  # changes per push
MAX_PULL = 1000  # changes per pull page
MAX_BODY_BYTES = 8 * 1024 * 1024  # a bigger request is refused with 413
MAX_REV = 2**62  # revisions and cursors stay well inside a 64-bit column
MAX_COUNT = 10**9  # counts a device reports (a 32-bit column holds them)

# Every entity a device may push, and whether it is append-only (never conflicts).
ENTITIES: dict[str, bool] = {
    "parent": False, "child": False, "ex_partner": False, "case": False, "phase_change": True,
    "case_track": False, "story_entry": True, "need": False, "action": False, "commitment": False,
    "commitment_status_change": True, "consent": False, "disclosure": True, "letter": False,
    "payment": True, "user": False, "team": False,
}
# Rows other rows refer to come first (teams, users, parents, cases, then what hangs under a case: a letter
# before the commitments and payments that name it as their source).
DEPENDENCY_ORDER = ("team", "user", "parent", "child", "ex_partner", "case", "phase_change", "case_track",
                    "story_entry", "need", "action", "letter", "commitment", "commitment_status_change",
                    "consent", "disclosure", "payment")
# Entities that only central writes (devices receive them; a device's push of them is ignored).
CENTRAL_OWNED = frozenset({"user", "team"})
# Entities scoped by a parent rather than by a case (visible when a visible case has that parent).
PARENT_SCOPED = frozenset({"parent", "child", "ex_partner"})


def _lower(value: str) -> str:
    return value.lower()


def _plausible(value: dt.datetime) -> dt.datetime:
    """A moment with its zone that a database can hold once in UTC (years 1970 to 9000)."""
    try:
        utc = value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("tijdstip valt buiten het mogelijke bereik") from None
    if not 1970 <= utc.year <= 9000:
        raise ValueError("tijdstip valt buiten het mogelijke bereik (1970-9000)")
    return value


# A UUID in any case on the way in, always its canonical lower-case form once read: an id in upper case
# names the same row (or the same change) as in lower case.
Uuid = Annotated[str, StringConstraints(
    pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"), AfterValidator(_lower)]
# A moment with its time zone, in a range the database holds.
Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,59}$")]
Entity = Literal[
    "parent", "child", "ex_partner", "case", "phase_change", "case_track", "story_entry", "need",
    "action", "commitment", "commitment_status_change", "consent", "disclosure", "letter", "payment", "user",
    "team",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scope(Strict):
    """Where a row belongs, so central can decide who may see it.

    Attributes:
        case_id: the case of a case-scoped row (the row's own id for a case).
        parent_id: the parent of a parent-scoped row (the row's own id for a parent; a case's parent).
    """

    case_id: Uuid | None = None
    parent_id: Uuid | None = None


class Change(Strict):
    """One local change as it sits in the outbox.

    Attributes:
        fields: ``{field: [old, new]}`` in JSON form; old is what the device last saw from the server.
        deleted: True when this change sets the tombstone.
    """

    change_id: Uuid
    entity: Entity
    row_id: Uuid
    op: Literal["insert", "update"]
    base_rev: int = Field(ge=0, le=MAX_REV)
    fields: dict[FieldName, tuple[Any, Any]] = Field(max_length=200)
    scope: Scope

    def digest(self) -> str:
        """A stable hash of the payload: a replay must carry exactly the same one."""
        body = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


class PushRequest(Strict):
    protocol: Literal[1] = PROTOCOL_VERSION
    device_id: Uuid
    changes: list[Change] = Field(min_length=1, max_length=MAX_BATCH)


class ChangeResult(Strict):
    """Central's answer to one change.

    Attributes:
        status: applied (all fields taken), merged (taken over newer server values), conflict (some
            fields clashed; the rest were taken), ignored (central-owned entity), refused (not allowed).
        rev: the row's server revision after this change (0 for refused/ignored).
        row: the row's full data on the server after this change (merged/conflict), for the device to adopt.
        conflicts: ``{field: server value}`` for the fields that clashed.
        reason: why a change was refused (Dutch, shown to the handler).
    """

    change_id: Uuid
    status: Literal["applied", "merged", "conflict", "ignored", "refused"]
    rev: int = 0
    row: dict[str, Any] | None = None
    conflicts: dict[str, Any] | None = None
    reason: str | None = None


class PushResponse(Strict):
    protocol: Literal[1] = PROTOCOL_VERSION
    results: list[ChangeResult]


class ServerChange(Strict):
    """One row version the device may see, after a cursor.

    Attributes:
        seq: central's global change sequence number.
        fields: the new values of the fields this change set (all data fields for a snapshot).
        origin_change_id: the device change that produced it (None for central's own writes),
            so a device recognises the echo of its own push.
        snapshot: True when the row is sent whole because the user just gained access to its case.
    """

    seq: int
    entity: Entity
    row_id: Uuid
    rev: int
    fields: dict[str, Any]
    deleted: bool = False
    scope: Scope
    origin_change_id: Uuid | None = None
    snapshot: bool = False


class Summary(Strict):
    """What the user may see on central: count and a hash over sorted ``entity:row_id:rev`` lines.

    Attributes:
        cursor: the sequence the summary was taken at.
        counts: per entity, the number of visible rows (tombstones included).
        digest: sha256 over the sorted lines ``entity:row_id:rev``.
    """

    cursor: int
    counts: dict[str, int]
    digest: str


# What a pull asks of its last page (``GET /v1/sync/pull?summary=...``): "always" the summary, or only when
# the page "moved" something for the user (changes or revocations); not asking means no summary.
SummaryWanted = Literal["always", "moved"]


class PullResponse(Strict):
    """A page of changes after the cursor.

    Attributes:
        next_cursor: give this as ``cursor`` on the next pull.
        more: True when another page waits.
        revoked: case ids the user lost access to (reassigned); purge once the outbox holds none of them.
        handed_over: case ids granted in this page because central's assignment moved them from another
            handler to this user (a case the user opened themselves, or already held, is not among them).
        epoch: central's epoch (central.epochs); a device that knew another one compares its rows with
            central's and pushes again what central lacks before it takes this page.
        summary: on the last page only, when the pull asked for it (`SummaryWanted`): what
            ``GET /v1/sync/summary`` would answer at ``next_cursor``, so the after-sync check needs no request.
            Absent otherwise (a device of an earlier version never asks, and never sees the field).
    """

    protocol: Literal[1] = PROTOCOL_VERSION
    changes: list[ServerChange]
    next_cursor: int
    more: bool
    revoked: list[Uuid] = Field(default_factory=list)
    handed_over: list[Uuid] = Field(default_factory=list)
    epoch: Uuid | None = None
    summary: Summary | None = None


class SnapshotHeader(Strict):
    """The first line of ``GET /v1/sync/snapshot``: every row the user may see now, for a device's first sync.

    The body is newline-delimited JSON: this header, then `count` lines of one `ServerChange` each (whole rows,
    ``snapshot`` true), parents before the rows that refer to them (`DEPENDENCY_ORDER`).

    Attributes:
        cursor: the sequence the snapshot was taken at; the device pulls on from here.
        count: how many rows follow (fewer means the stream was cut).
    """

    protocol: Literal[1] = PROTOCOL_VERSION
    cursor: int = Field(ge=0, le=MAX_REV)
    count: int = Field(ge=0, le=MAX_COUNT)


class EnrollRequest(Strict):
    username: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    device_id: Uuid
    device_name: Annotated[str, StringConstraints(max_length=200)] = ""


MAX_CASE_NUMBER = 999_999  # the NNNNNN of UHT-JJJJ-NNNNNN


class NumberRange(Strict):
    """Case numbers reserved for one device, `first` to `last` included (see workbench.cases.numbering)."""

    first: Annotated[int, Field(ge=1, le=MAX_CASE_NUMBER)]
    last: Annotated[int, Field(ge=1, le=MAX_CASE_NUMBER)]


class EnrollResponse(Strict):
    """The device's user, its token, and every block of case numbers reserved for it (the same on a retry)."""

    device_token: str
    user_id: Uuid
    username: str
    display_name: str
    role: Literal["handler", "team_lead", "reviewer"]
    team_id: Uuid | None
    team_name: str | None
    number_blocks: list[NumberRange] = Field(default_factory=list)


class NumbersRequest(Strict):
    """At sync: the blocks the device holds (their first numbers) and how many numbers it has left."""

    device_id: Uuid
    known: Annotated[list[Annotated[int, Field(ge=1, le=MAX_CASE_NUMBER)]], Field(max_length=10_000)]
    left: Annotated[int, Field(ge=0, le=MAX_CASE_NUMBER)]


class NumbersResponse(Strict):
    """Blocks of this device the request did not list: reserved now, or before when an answer was lost."""

    blocks: list[NumberRange]


# The ``code`` of a 401 answer that tells the device why its token no longer works.
ANCHOR_MOVED = "anchor_moved"  # central holds another anchor tip than the claim was built on: ask, claim again
TRAIL_GAP = "trail_gap"  # an audit batch starts after central's tip: ask where central stands, send from there
DEVICE_REVOKED = "device_revoked"  # revoked by an administrator (or its user disabled): the device erases itself
TOKEN_EXPIRED = "token_expired"  # not renewed in time: the device must be enrolled again


class TokenRotation(Strict):
    """A fresh device token from ``POST /v1/sync/token``; the old one works until the new one is first used.

    Attributes:
        expires_at: when the new token stops working.
        renew_after: from when the device should ask for the next one.
    """

    device_token: str
    expires_at: AwareDatetime
    renew_after: AwareDatetime


class RowVersions(Strict):
    """Every visible row's revision of one entity, to repair only what differs."""

    entity: Entity
    revs: dict[str, int]


def summary_digest(lines: list[str]) -> str:
    """The digest both sides compute over ``entity:row_id:rev`` lines."""
    h = hashlib.sha256()
    for line in sorted(lines):
        h.update(line.encode("ascii"))
        h.update(b"\n")
    return h.hexdigest()


class FetchRequest(Strict):
    """Ask for the current server version of some rows (the repair after a failed sanity check)."""

    entity: Entity
    row_ids: list[Uuid] = Field(min_length=1, max_length=MAX_PULL)


class FetchResponse(Strict):
    changes: list[ServerChange]


MAX_QUARANTINED = 10_000_000  # more rows than a device holds; a larger count is not a report but an attack


class DeviceReport(Strict):
    """What a device tells central after each sync, so a team lead sees how fresh each laptop is."""

    device_id: Uuid
    last_sync_at: Moment | None
    pending_changes: int = Field(ge=0, le=MAX_COUNT)
    open_conflicts: int = Field(ge=0, le=MAX_COUNT)
    # Row versions from central the device could not adopt and holds aside (0 from devices that predate it).
    quarantined_rows: int = Field(default=0, ge=0, le=MAX_QUARANTINED)
    # Audit events on the device that have not reached central yet (workbench.sync.trail; 0 from older devices).
    audit_pending: int = Field(default=0, ge=0, le=MAX_COUNT)


class DeviceFreshnessWire(Strict):
    """One device as central last heard from it (``GET /v1/team/devices``)."""

    device_id: Uuid
    user_id: Uuid
    device_name: str
    last_sync_at: dt.datetime | None
    pending_changes: int
    open_conflicts: int
    reported_at: dt.datetime | None
    quarantined_rows: int = 0
    audit_pending: int = 0


class TeamDevices(Strict):
    """The devices the asking user may see: their own; every device of the team for a team lead."""

    devices: list[DeviceFreshnessWire]


class AssignRequest(Strict):
    """Body of ``POST /v1/cases/{case_id}/assign``: a team lead hands a case to another handler."""

    handler_id: Uuid
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


# -- the audit chain's anchor (``GET``/``POST /v1/sync/anchor``) ----------------------------------------------

Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
MAX_ANCHOR = 2**62  # sequence numbers and counters above this are refused (they would overflow a BIGINT)


class AnchorHeld(Strict):
    """The tip of a device's audit chain that central holds (0, 0 before the first claim); never its hash.

    Attributes:
        seq: the sequence number of the held tip; the device proves extension with its own hash there.
        counter: the device's anchor counter central last accepted; a lower one is a rollback.
    """

    seq: int = Field(ge=0, le=MAX_ANCHOR)
    counter: int = Field(ge=0, le=MAX_ANCHOR)


class AnchorClaim(Strict):
    """A device's new chain tip, with the proof that it extends the tip central holds.

    Attributes:
        seq, hash: the device's current chain tip.
        counter: its keyring anchor counter (grows with every anchoring on the device).
        base_seq: the ``seq`` of `AnchorHeld` the device was told; base_hash: the device's own hash of that
            event (64 zeros for 0). Central compares it with the hash it holds: a different chain is refused.
    """

    device_id: Uuid
    seq: int = Field(ge=0, le=MAX_ANCHOR)
    hash: Sha256Hex
    counter: int = Field(ge=0, le=MAX_ANCHOR)
    base_seq: int = Field(ge=0, le=MAX_ANCHOR)
    base_hash: Sha256Hex


# -- one round trip (``POST /v1/sync/round``) ------------------------------------------------------------------


class PageWanted(Strict):
    """The first pull page a round trip asks for, read after its push: ``GET /v1/sync/pull``'s parameters."""

    cursor: int = Field(ge=0, le=MAX_REV)
    limit: int = Field(ge=1, le=MAX_PULL)
    epoch: Uuid | None = None
    summary: SummaryWanted | None = None
