"""Central's tables: accounts, devices, case access history, the current rows and the global change log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Sequence numbers: BIGINT on PostgreSQL, but INTEGER on SQLite so the primary key is the rowid.
Seq = BigInteger().with_variant(Integer(), "sqlite")


class Stamp(TypeDecorator[dt.datetime]):
    """A UTC timestamp: timestamptz on PostgreSQL; on SQLite stored naive and read back as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    """The metadata of the central schema; db/central migrations are compared against it."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Team(Base):
    __tablename__ = "team"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class User(Base):
    """A person who may enroll devices.

    Attributes:
        role: handler, team_lead or reviewer.
        password_hash: argon2 encoded hash; never leaves central.
    """

    __tablename__ = "user_account"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(Stamp())
    # Set by ``central disable-user``: no enrollment, and every device of the user is revoked.
    disabled_at: Mapped[dt.datetime | None] = mapped_column(Stamp(), nullable=True)
    disabled_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")


class Device(Base):
    """An enrolled laptop; its token is only stored as a SHA-256 hash.

    Attributes:
        token_expires_at: when the current token stops working (central.security.token_lifetime); a sync
            rotates it before then.
        previous_token_sha256: the token a rotation replaced; still accepted until the new one is first
            used, so a rotation whose answer was lost does not lock the device out.
        revoked_at, revoke_reason: set by ``central revoke-device`` (or ``disable-user``); the token is
            refused and the device erases itself when it hears it.
    """

    __tablename__ = "device"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[dt.datetime] = mapped_column(Stamp())
    last_seen_at: Mapped[dt.datetime] = mapped_column(Stamp())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(Stamp(), nullable=True)
    revoke_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    token_expires_at: Mapped[dt.datetime | None] = mapped_column(Stamp(), nullable=True)
    previous_token_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    # The device's own report after its last sync (freshness for the team lead).
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(Stamp(), nullable=True)
    pending_changes: Mapped[int] = mapped_column(Integer(), default=0, server_default="0")
    open_conflicts: Mapped[int] = mapped_column(Integer(), default=0, server_default="0")
    quarantined_rows: Mapped[int] = mapped_column(Integer(), default=0, server_default="0")
    # Audit events the device holds that have not reached central yet (central.audit_trail).
    audit_pending: Mapped[int] = mapped_column(Integer(), default=0, server_default="0")
    reported_at: Mapped[dt.datetime | None] = mapped_column(Stamp(), nullable=True)


class DeviceAnchor(Base):
    """The newest audit-chain tip a device proved at sync, and whether central stopped trusting it.

    Attributes:
        seq, hash: the device's chain tip; every later claim must extend it (central.anchors).
        counter: the device's keyring anchor counter; it never goes down.
        flagged_at, flag_reason: set when a claim did not extend the tip (rolled back or rewritten); the
            device's pushes and claims are refused until an administrator clears it.
    """

    __tablename__ = "device_anchor"

    device_id: Mapped[str] = mapped_column(ForeignKey("device.device_id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger())
    hash: Mapped[str] = mapped_column(String(64))
    counter: Mapped[int] = mapped_column(BigInteger())
    anchored_at: Mapped[dt.datetime] = mapped_column(Stamp())
    flagged_at: Mapped[dt.datetime | None] = mapped_column(Stamp(), nullable=True)
    flag_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")


class TrailEvent(Base):
    """One audit event of a device's hash chain, as the device sent it (append-only; central.audit_trail).

    Attributes:
        device_id: whose chain it is (the uploading device); seq: its position there, 1-based and gapless.
        event_device_id: the device the event itself names (part of what its hash covers).
        prev_hash, hash: the chain as the device computed it; central checks both on arrival and at
            ``central audit verify``.
        received_at: when central took it.
    """

    __tablename__ = "trail_event"

    device_id: Mapped[str] = mapped_column(ForeignKey("device.device_id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger(), primary_key=True, autoincrement=False)
    event_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(Stamp())
    user_id: Mapped[str] = mapped_column(String(64))
    event_device_id: Mapped[str] = mapped_column(String(64))
    verb: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    result: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(2000))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(Stamp())


class AdminAction(Base):
    """One administrative action on central (a user added, a device revoked, a role changed), never changed.

    Attributes:
        actor: who ran it (CENTRAL_ADMIN, else the operating-system account running ``central``).
        action: the command, e.g. "revoke-device".
        target: the user name or device id it acted on.
        detail: what changed, as JSON (old and new values, devices revoked along).
    """

    __tablename__ = "admin_action"

    id: Mapped[int] = mapped_column(Seq, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(Stamp())
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200), index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON())


class LoginThrottle(Base):
    """Failed enrollment attempts per bucket (username and source, source, global); see central.throttle.

    Kept in the database so every central process throttles alike.
    """

    __tablename__ = "login_throttle"

    bucket: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer())
    last_failed_at: Mapped[dt.datetime] = mapped_column(Stamp())


class CaseAccess(Base):
    """One assignment period of a case: who handled it, in which team, between two change sequences.

    The current assignment has ``to_seq`` None; earlier ones stay as history, so a former handler may
    still push offline edits and pull knows when to revoke.
    """

    __tablename__ = "case_access"

    id: Mapped[int] = mapped_column(Seq, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36))
    parent_id: Mapped[str] = mapped_column(String(36))
    handler_id: Mapped[str] = mapped_column(String(36), index=True)
    team_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    from_seq: Mapped[int] = mapped_column(Seq, index=True)
    to_seq: Mapped[int | None] = mapped_column(Seq, nullable=True, index=True)
    assigned_at: Mapped[dt.datetime] = mapped_column(Stamp())
    reason: Mapped[str] = mapped_column(String(500), default="")

    # Two-column indexes, so SQLite (which has no statistics) looks a change up by its case, not by the
    # handler's every period.
    __table_args__ = (
        Index("ix_case_access_case_handler", "case_id", "handler_id"),
        Index("ix_case_access_parent_handler", "parent_id", "handler_id"),
    )


class ReviewAccess(Base):
    """A letter reviewers may see, from the change that first put it in review until the one that issued it."""

    __tablename__ = "review_access"

    letter_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    parent_id: Mapped[str] = mapped_column(String(36), index=True)
    from_seq: Mapped[int] = mapped_column(Seq, index=True)
    to_seq: Mapped[int | None] = mapped_column(Seq, nullable=True, index=True)
    # The team of the letter's case when it went into review: reviewers of that team (or with that team in
    # their review pool) see it; None for a case without a team, which no reviewer sees.
    team_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)


class ReviewPool(Base):
    """A team whose letters a reviewer reviews besides those of their own team (``central review-pool``)."""

    __tablename__ = "review_pool"

    reviewer_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("team.id"), primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(Stamp())


class Epoch(Base):
    """Central's epoch: a random id made with the database, replaced when the database was restored.

    Devices keep the epoch they last synced with; a different one tells them central may have forgotten
    changes they pushed (central.epochs, workbench.sync.epoch). One row only.

    Attributes:
        reason: why this epoch began (new database, ``central new-epoch``, or a device that was ahead).
    """

    __tablename__ = "central_epoch"

    id: Mapped[int] = mapped_column(Integer(), primary_key=True)
    epoch: Mapped[str] = mapped_column(String(36))
    started_at: Mapped[dt.datetime] = mapped_column(Stamp())
    reason: Mapped[str] = mapped_column(String(500), default="", server_default="")


class LetterApproval(Base):
    """What a reviewer approved: the digest of the letter's content (workbench.letters.approval), kept for its issue.

    Attributes:
        digest: sha256 over the approved content; the issued letter must have the same.
        approved_at: central's time of the approval; an issue may not be dated before its day.
    """

    __tablename__ = "letter_approval"

    letter_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    reviewer_id: Mapped[str] = mapped_column(String(36))
    approved_at: Mapped[dt.datetime] = mapped_column(Stamp())


class Record(Base):
    """The current server version of one synced row.

    Attributes:
        data: every data field the devices sent, as JSON.
        case_id: the case of a case-scoped row (own id for a case); None for parent-scoped rows.
        parent_id: the parent of a parent-scoped row (own id for a parent; a case's parent).
        created_by: user id of the first writer (decides who may still write an orphan parent).
    """

    __tablename__ = "record"

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rev: Mapped[int] = mapped_column(Integer())
    data: Mapped[dict[str, Any]] = mapped_column(JSON())
    case_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    parent_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    deleted: Mapped[bool] = mapped_column(Boolean(), default=False)
    created_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(Stamp())


class ChangeLog(Base):
    """One row version in commit order; pull cursors are positions in this sequence.

    Attributes:
        fields: the values this change set (all data fields for a new row).
        origin_change_id: the device change that caused it; None for central's own writes.
    """

    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(Seq, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    rev: Mapped[int] = mapped_column(Integer())
    fields: Mapped[dict[str, Any]] = mapped_column(JSON())
    case_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    parent_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    deleted: Mapped[bool] = mapped_column(Boolean(), default=False)
    origin_change_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(Stamp())

    __table_args__ = (Index("ix_change_log_entity_row", "entity", "row_id"),)


class AppliedChange(Base):
    """The first answer to every change_id, so a replay returns it and changes nothing."""

    __tablename__ = "applied_change"

    change_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36))
    digest: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON())
    applied_at: Mapped[dt.datetime] = mapped_column(Stamp())



class CaseNumber(Base):
    """A case number in use, or once used and kept as a former number: no number ever names two cases.

    Attributes:
        number: the NNNNNN part of UHT-JJJJ-NNNNNN (blocks are reserved above the highest one).
    """

    __tablename__ = "case_number"

    reference: Mapped[str] = mapped_column(String(40), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    number: Mapped[int] = mapped_column(Integer(), index=True)


class NumberBlock(Base):
    """Case numbers reserved for one device (as Open Zaak's zaaknummer_reserveren): first..last included."""

    __tablename__ = "number_block"

    first: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer())
    device_id: Mapped[str] = mapped_column(ForeignKey("device.device_id"), index=True)
    reserved_at: Mapped[dt.datetime] = mapped_column(Stamp())
