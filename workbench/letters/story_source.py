"""The story told once: a gespreksverslag and a beschikking's "Wat is er gebeurd?" filled from chosen story entries.

The values only pre-fill the letter; the handler can still change every word. The chosen entries are kept on the
letter (`Letter.story_entry_ids`), and issuing a gespreksverslag records that they went to the parent for
confirmation. The parent confirms by phone, mail or signing; silence never counts as agreement.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.clock import today
from workbench.dates import dutch_date
from workbench.errors import BugError, NotFound, ValidationError
from workbench.letters.models import Letter
from workbench.letters.organisation import organisation
from workbench.letters.templates import Template
from workbench.local_time import local_day
from workbench.store.unit_of_work import UnitOfWork
from workbench.story.service import KINDS, StoryEntryInfo, StoryService

GESPREKSVERSLAG = "gespreksverslag_ter_bevestiging"
BESCHIKKING = "beschikking_integrale_beoordeling"
# Templates whose text can start from the story, and the templates that ask the parent to confirm it.
STORY_TEMPLATES = frozenset({GESPREKSVERSLAG, BESCHIKKING})
CONFIRMATION_TEMPLATES = frozenset({GESPREKSVERSLAG})
VISIT_KIND = "huisbezoek"  # a finished home visit is written as one story entry of this kind (visits.service)
FIRST_WORDS = 80
FIELD = "story_entry_ids"

_story = StoryService()


@dataclass(frozen=True)
class StoryChoice:
    """One story entry offered in the letter wizard: its date, kind and first words.

    Attributes:
        occurred_on: the day in the Netherlands; is_visit: a finished home visit (kind huisbezoek).
    """

    id: str
    occurred_on: dt.date
    kind: str
    kind_label: str
    location: str
    first_words: str
    is_visit: bool


def first_words(text: str, limit: int = FIRST_WORDS) -> str:
    """The start of `text` on one line, cut at a word and ended with … when there is more."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(" ,.;:") + "…"


def _day(entry: StoryEntryInfo) -> dt.date:
    return local_day(entry.occurred_at)


def story_choices(uow: UnitOfWork, case_id: str) -> list[StoryChoice]:
    """The case's story entries to choose from, newest first (reading the story is audited as a view)."""
    return [StoryChoice(id=e.id, occurred_on=_day(e), kind=e.kind, kind_label=KINDS.get(e.kind, e.kind),
                        location=e.location, first_words=first_words(e.text), is_visit=e.kind == VISIT_KIND)
            for e in _story.timeline(uow, case_id)]


def _people(entries: Sequence[StoryEntryInfo]) -> list[str]:
    """Who was present, one person a line, each once (the story keeps them as "Ouder, tolk")."""
    seen: dict[str, str] = {}
    for entry in entries:
        for name in re.split(r"[,;\n]", entry.present):
            name = name.strip()
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name
    return list(seen.values())


def conversation_values(uow: UnitOfWork, case_id: str, *, visit_entry_id: str | None = None,
                        entry_ids: Sequence[str] | None = None) -> dict[str, Any]:
    """A gespreksverslag's conversation_date, conversation_place, present and account from a finished home visit
    or from chosen story entries (in time order, whatever order they were chosen in).

    Raises ValidationError naming `visit_entry_id` or `story_entry_ids` when an entry is not of this case.
    """
    if (visit_entry_id is None) == (entry_ids is None):
        raise BugError("give either a home visit or story entries")
    if visit_entry_id is not None:
        entries = _story.entries(uow, case_id, [visit_entry_id], field="visit_entry_id")
        if entries[0].kind != VISIT_KIND:
            raise ValidationError("Dit verslag is geen huisbezoek. Kies een afgerond huisbezoek.",
                                  field="visit_entry_id")
    else:
        entries = _story.entries(uow, case_id, list(entry_ids or ()))
    places = list(dict.fromkeys(e.location for e in entries if e.location))
    return {"conversation_date": _day(entries[0]), "conversation_place": "; ".join(places),
            "present": _people(entries), "account": "\n\n".join(e.text for e in entries)}


def facts_from_story(uow: UnitOfWork, case_id: str, entry_ids: Sequence[str]) -> str:
    """The start of a beschikking's "Wat is er gebeurd?": each chosen entry with its date and kind, in time order."""
    entries = _story.entries(uow, case_id, entry_ids)
    return "\n\n".join(f"{dutch_date(_day(e))}, {KINDS.get(e.kind, e.kind).lower()}: {e.text}" for e in entries)


def fill_values(uow: UnitOfWork, case_id: str, *, template_id: str, entry_ids: Sequence[str]) -> dict[str, Any]:
    """The fields of `template_id` that the chosen entries fill (the wizard puts them in the form, still editable)."""
    if template_id == GESPREKSVERSLAG:
        return conversation_values(uow, case_id, entry_ids=entry_ids)
    if template_id == BESCHIKKING:
        return {"facts": facts_from_story(uow, case_id, entry_ids)}
    raise ValidationError("Deze brief kan niet uit het verhaal worden gevuld.", field=FIELD)


def checked_entry_ids(uow: UnitOfWork, case_id: str, entry_ids: Sequence[str] | None) -> list[str] | None:
    """The entry ids to store on a letter, in the order chosen and each once; None stays None (nothing chosen).

    Raises ValidationError naming `story_entry_ids` when one is not an entry of this case.
    """
    if entry_ids is None:
        return None
    if isinstance(entry_ids, str) or not all(isinstance(i, str) for i in entry_ids):
        raise ValidationError("De gekozen verslagen zijn ongeldig.", field=FIELD)
    chosen = list(dict.fromkeys(entry_ids))
    if chosen:
        _story.entries(uow, case_id, chosen, audit=False)
    return chosen


def letter_story_entry_ids(uow: UnitOfWork, letter_id: str) -> tuple[str, ...]:
    """The story entries a letter was filled from, in the order chosen (to tick them again when it is edited)."""
    row = uow.session.get(Letter, letter_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("Deze brief bestaat niet (meer) op dit apparaat.")
    return tuple(row.story_entry_ids or ())


def reply_within_days() -> int:
    """How many days a parent gets to react to a letter (organisation.json "reply_within_days", a house choice)."""
    return organisation().reply_within_days


def on_issued(uow: UnitOfWork, letter: Letter, template: Template) -> None:
    """Issue effect: a gespreksverslag's entries are now waiting for the parent's confirmation (never confirmed)."""
    if template.id not in CONFIRMATION_TEMPLATES or not letter.story_entry_ids:
        return
    sent_on = letter.dated_on or today(uow.clock)
    _story.mark_sent(uow, letter.story_entry_ids, on_date=sent_on, letter_id=letter.id)
