"""Case phases, the transitions allowed between them, and the parallel tracks (DOMAIN.md section 6)."""

from __future__ import annotations

from workbench.errors import NotAllowed, ValidationError

PHASES: dict[str, str] = {
    "aangemeld": "Aangemeld",
    "eerste_toets": "Eerste toets",
    "integrale_beoordeling": "Integrale beoordeling",
    "feitenrelaas": "Feitenrelaas",
    "vooraankondiging": "Vooraankondiging",
    "zienswijze": "Zienswijze",
    "definitieve_beschikking": "Definitieve beschikking",
    "aanvullende_schade": "Aanvullende schade",
    "bezwaar": "Bezwaar",
    "beroep": "Beroep",
    "nazorg": "Nazorg",
    "afgesloten": "Afgesloten",
}

TRANSITIONS: dict[str, frozenset[str]] = {
    "aangemeld": frozenset({"eerste_toets", "afgesloten"}),
    "eerste_toets": frozenset({"integrale_beoordeling", "bezwaar", "afgesloten"}),
    "integrale_beoordeling": frozenset({"feitenrelaas"}),
    "feitenrelaas": frozenset({"vooraankondiging"}),
    "vooraankondiging": frozenset({"zienswijze", "definitieve_beschikking"}),
    "zienswijze": frozenset({"definitieve_beschikking"}),
    "definitieve_beschikking": frozenset({"aanvullende_schade", "bezwaar", "nazorg", "afgesloten"}),
    "aanvullende_schade": frozenset({"bezwaar", "nazorg", "afgesloten"}),
    # A well-founded objection sends the case back for a new assessment.
    "bezwaar": frozenset({"beroep", "integrale_beoordeling", "nazorg", "afgesloten"}),
    "beroep": frozenset({"nazorg", "afgesloten"}),
    "nazorg": frozenset({"afgesloten"}),
    "afgesloten": frozenset({"nazorg"}),
}

TRACKS: dict[str, str] = {
    "brede_ondersteuning": "Brede ondersteuning (gemeente)",
    "publieke_schulden": "Publieke schulden",
    "private_schulden": "Private schulden",
    "kindregeling": "Kindregeling",
    "ex_partner": "Ex-partnerregeling",
    "nabestaanden": "Nabestaandenregeling",
}

URGENCY_FLAGS: dict[str, str] = {
    "urgent_eviction": "Dreigende huisuitzetting",
    "urgent_energy": "Afsluiting energie",
    "urgent_garnishment": "Beslag",
}


def check_phase(phase: str) -> str:
    if phase not in PHASES:
        raise ValidationError(f"Fase is onbekend: {phase!r}.", field="phase")
    return phase


def check_transition(current: str, target: str) -> None:
    """Refuse a phase change the process does not allow, naming both phases."""
    check_phase(target)
    if target not in TRANSITIONS[current]:
        raise NotAllowed(
            f"Van fase '{PHASES[current]}' kan een zaak niet naar '{PHASES[target]}'.")


def check_track(track: str) -> str:
    if track not in TRACKS:
        raise ValidationError(f"Spoor is onbekend: {track!r}.", field="track")
    return track
