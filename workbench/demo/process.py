"""The case process for demo cases: phase paths along TRANSITIONS, dated history, tracks and deadlines."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from workbench.cases.phases import PHASES, TRANSITIONS
from workbench.demo.basics import BASE_DATE, BASE_TIME, FIRST_OPENED, LAST_OPENED, day_between, new_id
from workbench.demo.people import Household

# How the demo caseload is spread over the phases (per 100 cases), as on the base date.
PHASE_WEIGHTS: dict[str, int] = {
    "aangemeld": 4, "eerste_toets": 5, "integrale_beoordeling": 10, "feitenrelaas": 6, "vooraankondiging": 5,
    "zienswijze": 4, "definitieve_beschikking": 11, "aanvullende_schade": 13, "bezwaar": 9, "beroep": 4,
    "nazorg": 12, "afgesloten": 17,
}
# How likely each allowed step is when a path has a choice (steps not listed are not taken).
STEP_WEIGHTS: dict[str, dict[str, float]] = {
    "aangemeld": {"eerste_toets": 0.95, "afgesloten": 0.05},
    "eerste_toets": {"integrale_beoordeling": 0.9, "bezwaar": 0.05, "afgesloten": 0.05},
    "vooraankondiging": {"zienswijze": 0.4, "definitieve_beschikking": 0.6},
    "definitieve_beschikking": {"aanvullende_schade": 0.35, "bezwaar": 0.2, "nazorg": 0.3, "afgesloten": 0.15},
    "aanvullende_schade": {"bezwaar": 0.2, "nazorg": 0.5, "afgesloten": 0.3},
    "bezwaar": {"beroep": 0.2, "integrale_beoordeling": 0.15, "nazorg": 0.35, "afgesloten": 0.3},
    "beroep": {"nazorg": 0.5, "afgesloten": 0.5},
    "afgesloten": {"nazorg": 0.05},
}
REASONS: dict[str, str] = {
    "eerste_toets": "Eerste toets gestart", "integrale_beoordeling": "Integrale beoordeling gestart",
    "feitenrelaas": "Feitenrelaas opgesteld", "vooraankondiging": "Vooraankondiging verstuurd",
    "zienswijze": "Zienswijze ontvangen", "definitieve_beschikking": "Definitieve beschikking genomen",
    "aanvullende_schade": "Verzoek aanvullende schade ingediend", "bezwaar": "Bezwaar ontvangen",
    "beroep": "Beroep ingesteld", "nazorg": "Nazorg gestart", "afgesloten": "Zaak afgerond",
}
DECISION_TERMS: dict[str, int] = {  # days from entering the phase to the decision deadline
    "integrale_beoordeling": 182, "feitenrelaas": 182, "vooraankondiging": 91, "zienswijze": 56,
    "aanvullende_schade": 365, "bezwaar": 84, "beroep": 280,
}
URGENCY_CHANCE = 0.025  # per flag; about 7% of open cases carry at least one


def spread_phases(rng: random.Random, n: int) -> list[str]:
    """`n` target phases in PHASE_WEIGHTS proportions (largest remainder), shuffled."""
    total = sum(PHASE_WEIGHTS.values())
    exact = {p: n * w / total for p, w in PHASE_WEIGHTS.items()}
    counts = {p: int(v) for p, v in exact.items()}
    for p in sorted(exact, key=lambda p: (counts[p] - exact[p], p))[: n - sum(counts.values())]:
        counts[p] += 1
    out = [p for p in PHASES for _ in range(counts[p])]
    rng.shuffle(out)
    return out


def _life(rng: random.Random) -> list[str]:
    """One whole case life from registration to closing, each step drawn from STEP_WEIGHTS."""
    path = ["aangemeld"]
    while len(path) < 20:
        here = path[-1]
        if here == "afgesloten" and rng.random() >= STEP_WEIGHTS["afgesloten"]["nazorg"]:
            return path
        nxt = sorted(TRANSITIONS[here])
        weights = STEP_WEIGHTS.get(here)
        path.append(rng.choices(list(weights), list(weights.values()))[0] if weights else nxt[0])
    return path


def phase_path(rng: random.Random, target: str) -> list[str]:
    """A plausible history that ends in `target`: a whole life cut where it first reaches that phase.

    Only allowed transitions are taken; lives that never pass `target` are drawn again.
    """
    while True:
        life = _life(rng)
        if target in life:
            return life[: life.index(target) + 1]


@dataclass
class CaseFacts:
    """A generated case as the story and plan generators see it."""

    case_id: str
    reference: str
    phase: str
    opened_on: dt.date
    handler_id: str
    history_days: list[dt.date] = field(default_factory=list)
    history_phases: list[str] = field(default_factory=list)
    closed_on: dt.date | None = None

    def phase_on(self, day: dt.date) -> str:
        at = bisect.bisect_right(self.history_days, day) - 1
        return self.history_phases[max(at, 0)]

    def reached(self, phase: str) -> dt.date | None:
        for day, p in zip(self.history_days, self.history_phases, strict=True):
            if p == phase:
                return day
        return None


def _row(rng: random.Random, user_id: str, **values: Any) -> dict[str, Any]:
    return {"id": new_id(rng), "rev": 0, "updated_at": BASE_TIME, "updated_by": user_id, **values}


def _objection_due(decided: dt.date) -> dt.date:
    """Bezwaartermijn for a UHT decision by its date (DOMAIN.md 1.5)."""
    if decided < dt.date(2024, 1, 1):
        return dt.date(2025, 1, 1)
    if decided < dt.date(2024, 7, 10):
        return decided + dt.timedelta(days=365)
    return decided + dt.timedelta(weeks=16)


class CaseMaker:
    """Writes one case with its phase history and tracks into the row lists."""

    def __init__(self, rng: random.Random, user_id: str, taken_references: frozenset[str]) -> None:
        self.rng = rng
        self.user_id = user_id
        self._taken = taken_references
        self._last_number: dict[int, int] = {}

    def reference(self, year: int) -> str:
        """The next free `UHT-YYYY-NNNNNN` of the year, leaving small gaps as a real register has."""
        while True:
            number = self._last_number.get(year, 0) + self.rng.randint(1, 3)
            self._last_number[year] = number
            ref = f"UHT-{year}-{number:06d}"
            if ref not in self._taken:
                return ref

    def case(self, household: Household, *, target: str, handler_id: str, team_id: str | None,
             out: dict[str, list[dict[str, Any]]]) -> CaseFacts:
        rng = self.rng
        path = phase_path(rng, target)
        early = target in ("aangemeld", "eerste_toets")
        opened = day_between(rng, dt.date(2023, 1, 1) if early else FIRST_OPENED, LAST_OPENED)
        reference = self.reference(opened.year)
        last_day = BASE_DATE - dt.timedelta(days=1)
        days = [opened]
        if len(path) > 1:
            final = day_between(rng, min(opened + dt.timedelta(days=20 * len(path)), last_day), last_day)
            days += [*sorted(day_between(rng, opened + dt.timedelta(days=1), final) for _ in path[2:]), final]
        facts = CaseFacts(new_id(rng), reference, target, opened, handler_id, days, path)
        facts.closed_on = days[-1] if target == "afgesloten" else None
        urgent = target != "afgesloten"
        flags = {k: urgent and rng.random() < URGENCY_CHANCE
                 for k in ("urgent_eviction", "urgent_energy", "urgent_garnishment")}
        decision_due = None
        if target in DECISION_TERMS and rng.random() < 0.75:
            decision_due = days[-1] + dt.timedelta(days=DECISION_TERMS[target])
        objection_due = None
        if target in ("definitieve_beschikking", "aanvullende_schade") or (
                target == "eerste_toets" and rng.random() < 0.3):
            decided = facts.reached("definitieve_beschikking") or days[-1]
            objection_due = _objection_due(decided)
        out["case_file"].append(_row(
            rng, self.user_id, id=facts.case_id, reference=reference, former_references="",
            parent_id=household.parent_id,
            handler_id=handler_id, team_id=team_id, phase=target, phase_since=days[-1], opened_on=opened,
            closed_on=facts.closed_on, decision_due_on=decision_due, objection_due_on=objection_due, **flags))
        previous: str | None = None
        for day, phase in zip(days, path, strict=True):
            out["phase_change"].append(_row(rng, self.user_id, case_id=facts.case_id, from_phase=previous,
                                            to_phase=phase, on_date=day,
                                            reason=REASONS.get(phase, "Zaak geopend") if previous else
                                            "Zaak geopend"))
            previous = phase
        self._tracks(facts, household, out)
        return facts

    def _tracks(self, facts: CaseFacts, household: Household, out: dict[str, list[dict[str, Any]]]) -> None:
        rng = self.rng
        last_day = BASE_DATE - dt.timedelta(days=1)
        beschikking = facts.reached("definitieve_beschikking")
        first_test = facts.reached("eerste_toets")
        wanted: list[tuple[str, dt.date, dt.date | None]] = []
        if rng.random() < 0.5:
            wanted.append(("publieke_schulden", facts.opened_on + dt.timedelta(days=rng.randint(3, 30)),
                           beschikking))
        if first_test and rng.random() < 0.45:
            start = day_between(rng, first_test, last_day)
            wanted.append(("brede_ondersteuning", start,
                           day_between(rng, start, last_day) if rng.random() < 0.3 else None))
        if first_test and rng.random() < 0.2:
            start = day_between(rng, first_test, last_day)
            wanted.append(("private_schulden", start,
                           day_between(rng, start, last_day) if rng.random() < 0.4 else None))
        if beschikking and household.children and rng.random() < 0.6:
            wanted.append(("kindregeling", day_between(rng, beschikking, last_day), None))
        if household.ex_partner and rng.random() < 0.2:
            wanted.append(("ex_partner", day_between(rng, facts.opened_on, last_day), None))
        if rng.random() < 0.01:
            wanted.append(("nabestaanden", day_between(rng, facts.opened_on, last_day), None))
        for track, start, end in wanted:
            if end is not None and end < start:
                end = start
            out["case_track"].append(_row(rng, self.user_id, case_id=facts.case_id, track=track,
                                          started_on=min(start, last_day), ended_on=end))
