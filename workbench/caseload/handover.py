"""The handover summary a new handler reads first, so the parent never has to tell the story again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.audit.chain import AuditEntry
from workbench.caseload.terms import local_day
from workbench.cases.models import Case
from workbench.cases.phases import PHASES
from workbench.cases.queries import cases_statement
from workbench.errors import NotFound
from workbench.letters.models import Letter
from workbench.plans import vocabulary as vocab
from workbench.plans.models import Action, Commitment
from workbench.staff.models import User
from workbench.store.unit_of_work import UnitOfWork
from workbench.story.models import StoryEntry
from workbench.story.service import KINDS

LETTER_STATUSES = {"draft": "Concept", "in_review": "Ter controle", "approved": "Goedgekeurd", "issued": "Verstuurd"}


@dataclass(frozen=True)
class HandoverItem:
    """An open action or commitment: what, who, by when (None: no date agreed)."""

    description: str
    who: str
    due_on: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class HandoverSummary:
    """What a case holds for the handler taking it over.

    Attributes:
        previous_handler: the name of the person who last wrote in the story before the current holder,
            when that is someone else (the handover's giver, as far as this device can tell); None otherwise.
        story: (day, kind label, text), newest first; every entry, nothing summarised away.
        actions: open actions, earliest due first (undated last).
        commitments: live promises (open or renegotiated), earliest due first.
        letters: (template id, status label, last change day), newest first; tombstoned ones left out.
    """

    case_id: str
    reference: str
    parent_name: str
    phase: str
    handler_name: str
    previous_handler: str | None
    story: tuple[tuple[dt.date, str, str], ...]
    actions: tuple[HandoverItem, ...]
    commitments: tuple[HandoverItem, ...]
    letters: tuple[tuple[str, str, dt.date], ...]


def _names(session: Session, ids: set[str]) -> dict[str, str]:
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def handover_summary(uow: UnitOfWork, case_id: str) -> HandoverSummary:
    """The handover summary of one case on this device; reading it is audited as a view of the case."""
    session = uow.session
    row = session.execute(cases_statement().add_columns(Case.handler_id).where(Case.id == case_id)).first()
    if row is None:
        raise NotFound("Deze zaak bestaat niet (meer) op dit apparaat.")
    _cid, reference, parent_name, phase, _mask, handler_id = row
    today = local_day(uow.clock.now())
    entries = session.execute(
        select(StoryEntry.occurred_at, StoryEntry.kind, StoryEntry.text, StoryEntry.author_id)
        .where(StoryEntry.case_id == case_id, StoryEntry.deleted_at.is_(None))
        .order_by(StoryEntry.occurred_at.desc(), StoryEntry.id)).all()
    previous_id = next((author for *_, author in entries if author != handler_id), None)
    names = _names(session, {handler_id} | ({previous_id} if previous_id else set()))
    actions = session.execute(
        select(Action.description, Action.owner, Action.owner_name, Action.due_on)
        .where(Action.case_id == case_id, Action.status == "open", Action.deleted_at.is_(None))
        .order_by(Action.due_on.is_(None), Action.due_on, Action.description)).all()
    commitments = session.execute(
        select(Commitment.description, Commitment.promised_by, Commitment.due_on)
        .where(Commitment.case_id == case_id, Commitment.status.in_(sorted(vocab.COMMITMENT_LIVE)),
               Commitment.deleted_at.is_(None))
        .order_by(Commitment.due_on, Commitment.description)).all()
    letters = session.execute(
        select(Letter.template_id, Letter.status, Letter.updated_at)
        .where(Letter.case_id == case_id, Letter.deleted_at.is_(None))
        .order_by(Letter.updated_at.desc(), Letter.id)).all()
    uow.audit(AuditEntry("view", "case", case_id, case_id, detail="handover"))
    return HandoverSummary(
        case_id=case_id, reference=reference, parent_name=parent_name, phase=PHASES.get(phase, phase),
        handler_name=names.get(handler_id, ""),
        previous_handler=names.get(previous_id) if previous_id else None,
        story=tuple((local_day(at), KINDS.get(kind, kind), text) for at, kind, text, _a in entries),
        actions=tuple(HandoverItem(text, f"{vocab.ACTION_OWNERS.get(owner, owner)}"
                                         + (f": {name}" if name else ""), due, due is not None and due < today)
                      for text, owner, name, due in actions),
        commitments=tuple(HandoverItem(text, who, due, due < today) for text, who, due in commitments),
        letters=tuple((tid, LETTER_STATUSES.get(status, status), local_day(at)) for tid, status, at in letters))


def waiting_handovers(uow: UnitOfWork) -> list[HandoverSummary]:
    """The summaries of every case someone else handed to this user that they have not marked read, by reference.

    Only reassignments fill that list (see `workbench.sync.engine.handovers`): cases a newly enrolled device
    receives are not handovers. A case no longer on this device (reassigned away again) is dropped from it.
    """
    from workbench.sync import state

    summaries = []
    for case_id in state.pending_handovers(uow.session):
        try:
            summaries.append(handover_summary(uow, case_id))
        except NotFound:
            state.acknowledge_handover(uow.session, case_id)
    return sorted(summaries, key=lambda s: s.reference)
