"""Use cases for the story: add entries, confirm them with the parent, read the timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case
from workbench.clock import today
from workbench.dates import parse_date
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.store.unit_of_work import UnitOfWork
from workbench.story.models import StoryEntry

KINDS = {"huisbezoek": "Huisbezoek", "telefoon": "Telefoon", "e-mail": "E-mail", "brief": "Brief",
         "overleg": "Overleg", "notitie": "Notitie"}
MAX_TEXT = 100_000


@dataclass(frozen=True)
class StoryEntryInfo:
    id: str
    case_id: str
    occurred_at: dt.datetime
    kind: str
    location: str
    present: str
    text: str
    author_id: str
    confirmed_by_parent: bool
    confirmed_on: dt.date | None


def _info(row: StoryEntry) -> StoryEntryInfo:
    return StoryEntryInfo(row.id, row.case_id, row.occurred_at, row.kind, row.location, row.present, row.text,
                          row.author_id, row.confirmed_by_parent, row.confirmed_on)


def validate_entry(*, kind: str, text: str, location: str = "", present: str = "") -> tuple[str, str, str, str]:
    if kind not in KINDS:
        raise ValidationError(f"Soort contact is onbekend: kies uit {', '.join(KINDS)}.", field="kind")
    body = (text or "").strip()
    if not body:
        raise ValidationError("Verslag is leeg: schrijf op wat er is besproken.", field="text")
    if len(body) > MAX_TEXT:
        raise ValidationError(
            f"Verslag is te lang ({len(body):,} tekens; maximaal {MAX_TEXT:,}). Splits het in delen.".replace(",", "."),
            field="text")
    if len(location) > 200:
        raise ValidationError("Plaats is te lang (maximaal 200 tekens).", field="location")
    if len(present) > 500:
        raise ValidationError("Aanwezigen is te lang (maximaal 500 tekens).", field="present")
    return kind, body, location.strip(), present.strip()


class StoryService:
    """The story is append-mostly: entries are added and confirmed, never rewritten."""

    def add(self, uow: UnitOfWork, case_id: str, *, kind: str, text: str, occurred_at: dt.datetime | None = None,
            location: str = "", present: str = "") -> StoryEntryInfo:
        case = uow.session.get(Case, case_id)
        if case is None or case.deleted_at is not None:
            raise NotFound("Deze zaak bestaat niet (meer) op dit apparaat.")
        kind, body, location, present = validate_entry(kind=kind, text=text, location=location, present=present)
        when = occurred_at or uow.clock.now()
        if when.tzinfo is None:
            raise ValidationError("Tijdstip mist een tijdzone.", field="occurred_at")
        row = StoryEntry(case_id=case_id, occurred_at=when, kind=kind, location=location, present=present,
                         text=body, author_id=uow.actor.user_id)
        uow.session.add(row)
        uow.session.flush()
        return _info(row)

    def confirm(self, uow: UnitOfWork, entry_id: str, *, on_date: str | dt.date | None = None) -> StoryEntryInfo:
        """Mark that the parent confirmed this account of what was said."""
        row = uow.session.get(StoryEntry, entry_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("Dit verslag bestaat niet (meer).")
        if row.confirmed_by_parent:
            raise NotAllowed("De ouder heeft dit verslag al bevestigd.")
        row.confirmed_by_parent = True
        row.confirmed_on = parse_date(on_date, field="confirmed_on", label="Datum bevestiging",
                                      required=False) or today(uow.clock)
        uow.session.flush()
        return _info(row)

    def timeline(self, uow: UnitOfWork, case_id: str, *, kind: str | None = None) -> list[StoryEntryInfo]:
        """The case's story, newest first; reading it is audited as one view."""
        stmt = select(StoryEntry).where(StoryEntry.case_id == case_id, StoryEntry.deleted_at.is_(None))
        if kind:
            stmt = stmt.where(StoryEntry.kind == kind)
        rows = uow.session.scalars(stmt.order_by(StoryEntry.occurred_at.desc()))
        uow.audit(AuditEntry("view", "story", case_id, case_id))
        return [_info(r) for r in rows]
