"""Use cases for a home visit: start, autosave, offer back after a crash, end as one record."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from workbench.cases.models import Case
from workbench.errors import NotFound, ValidationError
from workbench.plans.service import PlanService
from workbench.store.unit_of_work import UnitOfWork
from workbench.story.service import MAX_TEXT, StoryEntryInfo, StoryService
from workbench.visits.models import VisitDraft

TOPICS = {
    "verhaal": "Het verhaal van de ouder", "financien": "Geld en schulden", "wonen": "Wonen",
    "zorg": "Zorg en gezondheid", "werk": "Werk en inkomen", "kinderen": "Kinderen en gezin",
    "gemeente": "Hulp van de gemeente", "vervolg": "Afspraken en vervolg",
}
MAX_ITEMS = 50


@dataclass(frozen=True)
class VisitItem:
    """An action or commitment agreed during the visit, created when the visit ends."""

    kind: str  # "action" or "commitment"
    description: str
    due_on: dt.date | None
    owner: str = "pzb"
    owner_name: str = ""
    due_text: str = ""  # what was typed in the date field when it is no date yet: kept, never dropped


@dataclass(frozen=True)
class VisitDraftInfo:
    id: str
    case_id: str
    case_reference: str
    started_at: dt.datetime
    saved_at: dt.datetime
    location: str
    present: str
    topics: tuple[str, ...]
    text: str
    items: tuple[VisitItem, ...]


@dataclass(frozen=True)
class VisitOutcome:
    entry: StoryEntryInfo
    action_ids: tuple[str, ...]
    commitment_ids: tuple[str, ...]


def _item_json(item: VisitItem) -> dict[str, Any]:
    return {"kind": item.kind, "description": item.description, "owner": item.owner,
            "owner_name": item.owner_name, "due_on": item.due_on.isoformat() if item.due_on else None,
            "due_text": "" if item.due_on else item.due_text[:40]}


def _item(data: dict[str, Any]) -> VisitItem:
    due = data.get("due_on")
    return VisitItem(data["kind"], data["description"], dt.date.fromisoformat(due) if due else None,
                     data.get("owner", "pzb"), data.get("owner_name", ""), data.get("due_text", ""))


class VisitService:
    """Drafts are saved as often as the window likes; saving is cheap and never validates the free text."""

    def __init__(self, story: StoryService, plans: PlanService) -> None:
        self._story = story
        self._plans = plans

    def _draft(self, uow: UnitOfWork, draft_id: str) -> VisitDraft:
        row = uow.session.get(VisitDraft, draft_id)
        if row is None:
            raise NotFound("Dit huisbezoek is al afgesloten of verwijderd.")
        return row

    def _info(self, uow: UnitOfWork, row: VisitDraft) -> VisitDraftInfo:
        ref = uow.session.scalar(select(Case.reference).where(Case.id == row.case_id)) or ""
        return VisitDraftInfo(row.id, row.case_id, ref, row.started_at, row.saved_at, row.location, row.present,
                              tuple(row.topics), row.text, tuple(_item(i) for i in row.items))

    def start(self, uow: UnitOfWork, case_id: str) -> VisitDraftInfo:
        case = uow.session.get(Case, case_id)
        if case is None or case.deleted_at is not None:
            raise NotFound("Deze zaak bestaat niet (meer) op dit apparaat.")
        now = uow.clock.now()
        row = VisitDraft(id=str(uuid.uuid4()), case_id=case_id, author_id=uow.actor.user_id, started_at=now,
                         saved_at=now, location="", present="", topics=[], text="", items=[], saves=0)
        uow.session.add(row)
        uow.session.flush()
        return self._info(uow, row)

    def save(self, uow: UnitOfWork, draft_id: str, *, location: str, present: str, topics: list[str],
             text: str, items: list[VisitItem]) -> None:
        """Autosave: store exactly what is on screen (only sizes are checked, so nothing typed is refused)."""
        row = self._draft(uow, draft_id)
        if len(text) > MAX_TEXT:
            raise ValidationError("Verslag is te lang om op te slaan; splits het in delen.", field="text")
        if len(items) > MAX_ITEMS:
            raise ValidationError(f"Meer dan {MAX_ITEMS} afspraken in één bezoek.", field="items")
        row.location, row.present = location[:200], present[:500]
        row.topics = [t for t in topics if t in TOPICS]
        row.text = text
        row.items = [_item_json(i) for i in items]
        row.saved_at = uow.clock.now()
        row.saves += 1
        uow.session.flush()

    def unfinished(self, uow: UnitOfWork) -> list[VisitDraftInfo]:
        """This user's visits that were never ended (after a crash or a flat battery), newest first."""
        rows = uow.session.scalars(select(VisitDraft).where(VisitDraft.author_id == uow.actor.user_id)
                                   .order_by(VisitDraft.saved_at.desc()))
        return [self._info(uow, r) for r in rows]

    def get(self, uow: UnitOfWork, draft_id: str) -> VisitDraftInfo:
        return self._info(uow, self._draft(uow, draft_id))

    def discard(self, uow: UnitOfWork, draft_id: str) -> None:
        uow.session.delete(self._draft(uow, draft_id))
        uow.session.flush()

    def finish(self, uow: UnitOfWork, draft_id: str) -> VisitOutcome:
        """The story entry, the actions and the commitments, all in the caller's one transaction."""
        row = self._draft(uow, draft_id)
        topics = ", ".join(TOPICS[t] for t in row.topics if t in TOPICS)
        text = row.text.strip()
        if topics and text:
            text = f"Besproken: {topics}.\n\n{text}"
        entry = self._story.add(uow, row.case_id, kind="huisbezoek", text=text, occurred_at=row.started_at,
                                location=row.location, present=row.present)
        actions: list[str] = []
        commitments: list[str] = []
        for n, data in enumerate(row.items):
            item = _item(data)
            try:
                if item.due_on is None and item.due_text.strip():
                    raise ValidationError(f"De datum '{item.due_text}' is geen geldige datum.", field="due_on")
                if item.kind == "commitment":
                    if item.due_on is None:
                        raise ValidationError("Een toezegging heeft een datum nodig.", field="due_on")
                    commitments.append(self._plans.add_commitment(
                        uow, row.case_id, description=item.description, promised_by=item.owner_name or "pzb'er",
                        due_on=item.due_on, promised_on=row.started_at.date()).id)
                else:
                    actions.append(self._plans.add_action(
                        uow, row.case_id, description=item.description, owner=item.owner,
                        owner_name=item.owner_name, due_on=item.due_on).id)
            except ValidationError as exc:
                raise ValidationError(f"Afspraak {n + 1}: {exc.text()}", field=f"items[{n}].{exc.field}") from None
        uow.session.delete(row)
        uow.session.flush()
        return VisitOutcome(entry, tuple(actions), tuple(commitments))
