"""Use cases for the story: add entries, send them for and record the parent's confirmation, read the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case
from workbench.clock import today
from workbench.dates import parse_date
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.store.unit_of_work import UnitOfWork
from workbench.story.kinds import KINDS as KINDS
from workbench.story.models import StoryEntry

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
    sent_for_confirmation_on: dt.date | None = None
    confirmation_letter_id: str | None = None


# StoryEntryInfo's fields in order: the timeline reads these columns, not whole ORM entries, whose loading and
# identity-map bookkeeping was a large part of opening a case with 500 entries.
_INFO_COLUMNS = (StoryEntry.id, StoryEntry.case_id, StoryEntry.occurred_at, StoryEntry.kind, StoryEntry.location,
                 StoryEntry.present, StoryEntry.text, StoryEntry.author_id, StoryEntry.confirmed_by_parent,
                 StoryEntry.confirmed_on, StoryEntry.sent_for_confirmation_on, StoryEntry.confirmation_letter_id)


def _info(row: StoryEntry) -> StoryEntryInfo:
    return StoryEntryInfo(*(getattr(row, column.key) for column in _INFO_COLUMNS))


def confirmation_state(entry: StoryEntryInfo, *, today: dt.date, reply_within_days: int) -> str:
    """Where the parent's confirmation of this account stands: "confirmed", "sent" (waiting for the reply),
    "unanswered" (sent more than `reply_within_days` ago, no confirmation) or "not_sent".

    Silence never counts as agreement: an unanswered account stays unconfirmed until the parent confirms it.
    """
    if entry.confirmed_by_parent:
        return "confirmed"
    if entry.sent_for_confirmation_on is None:
        return "not_sent"
    if today > entry.sent_for_confirmation_on + dt.timedelta(days=reply_within_days):
        return "unanswered"
    return "sent"


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

    def entries(self, uow: UnitOfWork, case_id: str, entry_ids: Sequence[str], *,
                field: str = "story_entry_ids", audit: bool = True) -> list[StoryEntryInfo]:
        """The given entries of this case in time order (each once); ValidationError naming `field` when one is
        unknown, removed or belongs to another case. Reading them is audited as a view unless `audit` is False
        (only checking that ids belong to the case reads no text for anyone)."""
        wanted = list(dict.fromkeys(entry_ids))
        if not wanted:
            raise ValidationError("Kies ten minste één verslag uit het verhaal.", field=field)
        rows = {r.id: r for r in uow.session.scalars(select(StoryEntry).where(StoryEntry.id.in_(wanted)))}
        for n, entry_id in enumerate(wanted):
            row = rows.get(entry_id)
            if row is None or row.deleted_at is not None or row.case_id != case_id:
                raise ValidationError(f"Verslag {n + 1} hoort niet bij deze zaak of bestaat niet (meer). "
                                      "Kies de verslagen opnieuw.", field=field)
        ordered = sorted(rows.values(), key=lambda r: (r.occurred_at, r.id))
        if audit:
            uow.audit(AuditEntry("view", "story", case_id, case_id, detail=f"{len(ordered)} verslagen"))
        return [_info(r) for r in ordered]

    def mark_sent(self, uow: UnitOfWork, entry_ids: Sequence[str], *, on_date: dt.date, letter_id: str) -> None:
        """Record that these accounts went to the parent for confirmation in letter `letter_id` on `on_date`.

        Only the sending is recorded; the parent confirms by phone, mail or signing (`confirm`), never by silence.
        An account the parent already confirmed is left as it is.
        """
        rows = uow.session.scalars(select(StoryEntry).where(StoryEntry.id.in_(list(entry_ids)),
                                                            StoryEntry.deleted_at.is_(None)))
        for row in rows:
            if not row.confirmed_by_parent:
                row.sent_for_confirmation_on, row.confirmation_letter_id = on_date, letter_id
        uow.session.flush()

    def timeline(self, uow: UnitOfWork, case_id: str, *, kind: str | None = None) -> list[StoryEntryInfo]:
        """The case's story, newest first; reading it is audited as one view."""
        stmt = select(*_INFO_COLUMNS).where(StoryEntry.case_id == case_id, StoryEntry.deleted_at.is_(None))
        if kind:
            stmt = stmt.where(StoryEntry.kind == kind)
        rows = uow.session.execute(stmt.order_by(StoryEntry.occurred_at.desc()))
        uow.audit(AuditEntry("view", "story", case_id, case_id))
        return [StoryEntryInfo(*row) for row in rows]
