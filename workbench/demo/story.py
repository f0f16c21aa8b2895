"""Story entries for demo cases: dated contacts of every kind, their text fitting the phase at the time."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from workbench.demo.basics import BASE_DATE, BASE_TIME, day_between, dutch_amount, new_id, office_time
from workbench.demo.people import Household
from workbench.demo.process import CaseFacts
from workbench.demo.texts import CREDITORS, SCHOOLS, StoryWriter

KIND_WEIGHTS: dict[str, int] = {"telefoon": 30, "notitie": 18, "e-mail": 15, "huisbezoek": 12, "overleg": 14,
                                "brief": 11}
CONFIRMABLE = frozenset({"huisbezoek", "telefoon", "overleg"})
MIN_ENTRIES, MAX_ENTRIES = 5, 35  # 20 per case on average
LAST_DAY = BASE_DATE - dt.timedelta(days=1)


class StoryMaker:
    """Writes a case's story entries; most are by the case's handler, some by colleagues."""

    def __init__(self, rng: random.Random, user_id: str, handlers: list[str]) -> None:
        self.rng = rng
        self.user_id = user_id
        self.handlers = handlers
        self.writer = StoryWriter(rng)
        self._kinds = list(KIND_WEIGHTS)
        self._kind_weights = list(KIND_WEIGHTS.values())

    def slots(self, household: Household) -> dict[str, str]:
        rng = self.rng
        return {
            "gemeente": household.gemeente, "ouder": household.addressed,
            "kind": rng.choice(household.children) if household.children else "de kinderen",
            "bedrag": dutch_amount(rng.randint(150, 9_000) * 100 + rng.choice((0, 0, 50, 95))),
            "schuldeiser": rng.choice(CREDITORS), "corporatie": "woningcorporatie", "school": rng.choice(SCHOOLS),
        }

    def entries(self, facts: CaseFacts, household: Household, domains: list[str],
                out: dict[str, list[dict[str, Any]]]) -> None:
        rng = self.rng
        slots = self.slots(household)
        last = min(facts.closed_on + dt.timedelta(days=14), LAST_DAY) if facts.closed_on else LAST_DAY
        count = rng.randint(MIN_ENTRIES, MAX_ENTRIES)
        days = sorted(day_between(rng, facts.opened_on, last) for _ in range(count))
        kinds = rng.choices(self._kinds, self._kind_weights, k=count)
        rows = out["story_entry"]
        for day, kind in zip(days, kinds, strict=True):
            location, present = self.writer.where_and_who(kind, household.gemeente)
            confirmed = kind in CONFIRMABLE and rng.random() < 0.35
            rows.append({
                "id": new_id(rng), "case_id": facts.case_id, "occurred_at": office_time(rng, day), "kind": kind,
                "location": location, "present": present,
                "text": self.writer.text(kind, facts.phase_on(day), domains, slots),
                "author_id": facts.handler_id if rng.random() < 0.85 else rng.choice(self.handlers),
                "confirmed_by_parent": confirmed,
                "confirmed_on": min(day + dt.timedelta(days=rng.randint(0, 10)), LAST_DAY) if confirmed else None,
                "rev": 0, "updated_at": BASE_TIME, "updated_by": self.user_id,
            })
