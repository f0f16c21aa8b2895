"""Meeting a central that forgot: a new epoch (central restored from a backup), or a row central holds older.

Central's epoch (central.epochs) comes with every pull. When it differs from the one this device synced
with, or when central holds one of our rows at a lower revision than we do (revisions only go up on central,
unless it went back in time), central may lack changes this device pushed long ago. The device then:

1. compares each of its own rows (of the cases it holds, see `_MineFilter`) with central's revisions;
2. puts back in the outbox every row central lacks (as an insert) and, for a row central holds older, the
   fields whose values differ (as an update on central's revision); the next push sends them;
3. pulls again from the start, without purging cases central no longer shows (central may have forgotten
   the assignment): nothing local is deleted because central forgot it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case
from workbench.i18n import _, ngettext
from workbench.staff.models import User
from workbench.store.hooks import Origin
from workbench.store.schema import Syncable
from workbench.sync import state
from workbench.sync.models import OutboxEntry
from workbench.sync.protocol import CENTRAL_OWNED, DEPENDENCY_ORDER, MAX_PULL, PARENT_SCOPED, FetchRequest
from workbench.sync.rows import entity_class, row_data, scope_of

if TYPE_CHECKING:
    from workbench.sync.engine import SyncEngine, SyncReport

EPOCH = "central_epoch"
# Set while the device pulls again from the start after a recovery; cleared by the last page of that pull.
REPLAYING = "epoch_replay"
# The epoch in which the device last found central behind on its own (see `recover`).
NOTICED = "central_behind_in_epoch"
ENTITIES = tuple(e for e in DEPENDENCY_ORDER if e not in CENTRAL_OWNED)


def known(session: Session) -> str | None:
    """The epoch of central this device last synced with (None before its first pull with one)."""
    return state.get(session, EPOCH)


def remember(session: Session, epoch: str) -> None:
    if state.get(session, EPOCH) != epoch:
        state.put(session, EPOCH, epoch)


def replaying(session: Session) -> bool:
    return state.get(session, REPLAYING) == "1"


def replay_done(session: Session) -> None:
    if replaying(session):
        state.put(session, REPLAYING, "0")


def behind(theirs: Mapping[str, Mapping[str, int]], ours: Mapping[str, Mapping[str, int]]) -> int:
    """How many of our rows central holds at a lower revision than we do (it forgot their later versions)."""
    return sum(1 for entity, revs in theirs.items() if entity not in CENTRAL_OWNED for row_id, rev in revs.items()
               if rev < ours.get(entity, {}).get(row_id, 0))


@dataclass
class _Plan:
    """What one entity needs: rows central lacks, and central's version of rows it holds older than ours."""

    missing: list[str] = field(default_factory=list)
    older: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)


class _MineFilter:
    """The rows this device pushes again: those of the cases its user holds here, and their parents.

    A reviewer pushes again only their review of letters central still holds; rows of cases of others (a
    team lead's view of the team) are their own devices' to push.
    """

    def __init__(self, session: Session, user_id: str) -> None:
        user = session.get(User, user_id)
        self.reviewer = user is not None and user.role == "reviewer"
        held = session.execute(select(Case.id, Case.parent_id).where(Case.handler_id == user_id)).all()
        self.cases = {case_id for case_id, _ in held}
        with_case = set(session.scalars(select(Case.parent_id)))
        self.parents = {parent_id for _, parent_id in held}
        self._with_case = with_case
        self.user_id = user_id

    def keeps(self, session: Session, obj: Syncable) -> bool:
        entity = obj.__entity__
        if self.reviewer:
            return entity == "letter" and getattr(obj, "reviewer_id", None) == self.user_id
        if entity == "parent":
            return obj.id in self.parents or obj.id not in self._with_case
        if entity in PARENT_SCOPED:
            return getattr(obj, "parent_id", None) in self.parents
        return scope_of(session, obj).case_id in self.cases


def local_revisions(engine: SyncEngine) -> dict[str, dict[str, int]]:
    """Our rows central has seen (rev > 0), by entity."""
    out: dict[str, dict[str, int]] = {}
    with engine.store.unit_of_work(engine.actor) as uow:
        for entity in ENTITIES:
            cls = entity_class(entity)
            rows = uow.session.execute(select(cls.id, cls.rev).where(cls.rev > 0))
            out[entity] = {row_id: rev for row_id, rev in rows}
    return out


def recover(engine: SyncEngine, report: SyncReport, *, epoch: str | None,
            theirs: Mapping[str, Mapping[str, int]] | None = None) -> int | None:
    """Put back in the outbox what central lacks of our rows; pull again from the start. Returns the count.

    ``epoch``: central's new epoch to remember (None when the device found central behind on its own);
    ``theirs``: central's revisions by entity when the caller has them already. Returns None (and does
    nothing) when the device found central behind on its own again, within the same epoch, with nothing of
    its own to give back: the rows behind are others' (a team lead's view), whose devices push them again.
    """
    ours = local_revisions(engine)
    plans: dict[str, _Plan] = defaultdict(_Plan)
    with engine.store.unit_of_work(engine.actor) as uow:
        mine = _MineFilter(uow.session, engine.actor.user_id)
        wanted: dict[str, list[str]] = {}
        for entity in ENTITIES:
            if not ours[entity]:
                continue
            cls = entity_class(entity)
            rows = uow.session.scalars(select(cls).where(cls.id.in_(list(ours[entity]))))
            wanted[entity] = [obj.id for obj in rows if mine.keeps(uow.session, obj)]
    for entity, row_ids in wanted.items():
        revs = theirs[entity] if theirs is not None and entity in theirs else \
            engine.transport.row_versions(entity).revs
        plan = plans[entity]
        if not mine.reviewer:
            plan.missing = [row_id for row_id in row_ids if row_id not in revs]
        older = [row_id for row_id in row_ids if row_id in revs and revs[row_id] < ours[entity][row_id]]
        for start in range(0, len(older), MAX_PULL):
            fetched = engine.transport.fetch(FetchRequest(entity=entity,  # type: ignore[arg-type]
                                                          row_ids=older[start:start + MAX_PULL]))
            plan.older.update({c.row_id: (c.rev, dict(c.fields)) for c in fetched.changes})
    if epoch is None and not any(p.missing or p.older for p in plans.values()):
        with engine.store.unit_of_work(engine.actor) as uow:
            if state.get(uow.session, NOTICED) == (known(uow.session) or ""):
                return None
    queued = _queue(engine, plans, epoch)
    report.epoch_changed = report.epoch_changed or epoch is not None
    report.central_behind = True
    report.repushed += queued
    return queued


def _enqueue(session: Session, entity: str, row_id: str, *, op: str, base_rev: int, fields: dict[str, list[Any]],
             now: dt.datetime) -> None:
    session.add(OutboxEntry(change_id=str(uuid.uuid4()), entity=entity, row_id=row_id, op=op, base_rev=base_rev,
                            fields=fields, created_at=now))


def _queue(engine: SyncEngine, plans: Mapping[str, _Plan], epoch: str | None) -> int:
    queued = 0
    with engine.store.unit_of_work(engine.actor, Origin.SYNC) as uow:  # it writes the outbox itself
        session = uow.session
        now = uow.clock.now()
        for entity in ENTITIES:
            plan = plans.get(entity)
            if plan is None or not (plan.missing or plan.older):
                continue
            cls = entity_class(entity)
            table = inspect(cls).local_table
            for obj in session.scalars(select(cls).where(cls.id.in_(plan.missing))):
                fields = {key: [None, value] for key, value in row_data(obj).items()}
                _enqueue(session, entity, obj.id, op="insert", base_rev=0, fields=fields, now=now)
                session.execute(update(table).where(table.c.id == obj.id).values(rev=0))
                queued += 1
            for obj in session.scalars(select(cls).where(cls.id.in_(list(plan.older)))):
                rev, central = plan.older[obj.id]
                differ = {key: [central.get(key), value] for key, value in row_data(obj).items()
                          if central.get(key) != value}
                # The change builds on central's revision, so central applies it as it is.
                session.execute(update(table).where(table.c.id == obj.id).values(rev=rev))
                if differ:
                    _enqueue(session, entity, obj.id, op="update", base_rev=rev, fields=differ, now=now)
                    queued += 1
        state.put(session, state.CURSOR, "0")
        state.put(session, REPLAYING, "1")
        if epoch is not None:
            remember(session, epoch)
        else:
            state.put(session, NOTICED, known(session) or "")
        uow.audit(AuditEntry("sync", "device", engine.actor.device_id,
                             detail=f"central_forgot epoch={'new' if epoch else 'same'} repushed={queued}"))
    return queued


def explain(report: SyncReport) -> str:
    """What the window and the CLI say after a sync in which central had forgotten changes ('' otherwise)."""
    if not report.central_behind:
        return ""
    sent = ngettext("{n} gegeven is opnieuw naar de centrale gestuurd.",
                    "{n} gegevens zijn opnieuw naar de centrale gestuurd.", report.repushed)
    parts = [_("De centrale is teruggezet (nieuw tijdperk).") if report.epoch_changed else
             _("De centrale miste wijzigingen die dit apparaat eerder had verstuurd."),
             sent.format(n=report.repushed), _("Op dit apparaat is niets verloren gegaan.")]
    if report.kept:
        parts.append(ngettext(
            "{n} zaak die de centrale niet meer aan u toont, blijft op dit apparaat; vraag uw teamleider of die "
            "nog bij u hoort.",
            "{n} zaken die de centrale niet meer aan u toont, blijven op dit apparaat; vraag uw teamleider of "
            "die nog bij u horen.", len(report.kept)).format(n=len(report.kept)))
    return " ".join(parts)
