"""Reading the audit trails central holds: verify every device's chain again, and who saw and changed a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.database import Database
from central.models import Device, DeviceAnchor, Record, TrailEvent, User
from workbench.audit.digest import GENESIS, EventFields, fields_hash
from workbench.local_time import moment_text

# How a person reads what happened (past participles, as the window's Historie tab says them).
VERBS = {
    "view": "bekeken", "create": "aangemaakt", "update": "gewijzigd", "delete": "verwijderd",
    "reveal_bsn": "BSN getoond", "export": "geëxporteerd", "import": "geïmporteerd", "share": "gedeeld",
    "print": "afgedrukt of verstuurd", "search": "gezocht", "sync": "gesynchroniseerd",
    "purge": "van het apparaat verwijderd (overgedragen)", "resolve": "conflict opgelost",
    "reassign": "overgedragen", "enroll": "gekoppeld aan de centrale", "lock": "vergrendeld",
    "unlock": "ontgrendeld", "passwd": "wachtwoord gewijzigd", "rekey": "opnieuw versleuteld",
    "anchor": "controlepunt vastgelegd",
}
ENTITIES = {
    "case": "zaak", "parent": "ouder", "child": "kind", "ex_partner": "ex-partner", "story": "verhaal",
    "story_entry": "verslag", "plan": "plan", "need": "behoefte", "action": "actie", "commitment": "toezegging",
    "commitment_status_change": "status van een toezegging", "consent": "toestemming",
    "disclosure": "verstrekking", "phase_change": "fasewissel", "case_track": "spoor", "letter": "brief",
    "letters": "brieven van de zaak", "visit_draft": "huisbezoek", "payment": "betaling", "conflict": "conflict",
}
RESULTS = {"ok": "", "denied": " (geweigerd)", "failed": " (mislukt)"}


@dataclass(frozen=True)
class ChainCheck:
    """One device's chain on central: how many events were checked, and the first break (Dutch) if any."""

    device_id: str
    username: str
    checked: int
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _fields(ev: TrailEvent) -> EventFields:
    at = ev.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return EventFields(ev.seq, ev.event_id, at, ev.user_id, ev.event_device_id, ev.verb, ev.entity, ev.entity_id,
                       ev.case_id, ev.result, ev.detail)


def _walk(session: Session, device_id: str, anchor: DeviceAnchor | None, batch: int) -> tuple[int, str]:
    """Check one chain from its first event; (events checked, the first problem or "")."""
    prev, expected, checked = GENESIS, 1, 0
    stmt = (select(TrailEvent).where(TrailEvent.device_id == device_id).order_by(TrailEvent.seq)
            .execution_options(yield_per=batch))
    for ev in session.scalars(stmt):
        if ev.seq != expected:
            return checked, f"gebeurtenis {expected} ontbreekt"
        if ev.prev_hash != prev:
            return checked, f"gebeurtenis {ev.seq} sluit niet aan op de vorige"
        if fields_hash(prev, _fields(ev)) != ev.hash:
            return checked, f"gebeurtenis {ev.seq} is gewijzigd"
        if anchor is not None and ev.seq == anchor.seq and ev.hash != anchor.hash:
            return checked, f"gebeurtenis {ev.seq} is niet die van het controlepunt"
        prev, expected, checked = ev.hash, expected + 1, checked + 1
        session.expunge(ev)
    return checked, ""


def verify_all(db: Database, *, batch: int = 5000) -> Iterator[ChainCheck]:
    """Walk every device's chain on central again; an edited, deleted or inserted event breaks it."""
    with db.read() as session:
        owners = session.execute(
            select(Device.device_id, User.username).join(User, User.id == Device.user_id)
            .where(Device.device_id.in_(select(TrailEvent.device_id).distinct()))
            .order_by(User.username, Device.device_id)).all()
        for device_id, username in owners:
            checked, problem = _walk(session, device_id, session.get(DeviceAnchor, device_id), batch)
            yield ChainCheck(device_id, username, checked, problem)


@dataclass(frozen=True)
class CaseEvent:
    """One line of a case's history: when (UTC), who, on which device, and what."""

    at: dt.datetime
    user_id: str
    who: str
    device_id: str
    device_name: str
    verb: str
    entity: str
    entity_id: str
    result: str
    detail: str

    def what(self) -> str:
        """`zaak bekeken`, `verslag aangemaakt (geweigerd)`: the entity and the verb in Dutch."""
        noun = ENTITIES.get(self.entity, self.entity)
        return f"{noun} {VERBS.get(self.verb, self.verb)}{RESULTS.get(self.result, f' ({self.result})')}"

    def line(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        device = self.device_name or self.device_id
        return f"{moment_text(self.at, seconds=True)}  {self.who}  {self.what()}{detail}  [apparaat: {device}]"


def case_history(db: Database, case_id: str) -> tuple[str | None, list[CaseEvent]]:
    """The case's reference (None when central does not know the case) and every event about it, oldest first."""
    with db.read() as session:
        record = session.get(Record, ("case", case_id))
        reference = str(record.data.get("reference") or "") if record is not None else None
        rows = session.execute(
            select(TrailEvent, User.username, User.display_name, Device.name)
            .outerjoin(User, User.id == TrailEvent.user_id)
            .join(Device, Device.device_id == TrailEvent.device_id)
            .where(TrailEvent.case_id == case_id)
            .order_by(TrailEvent.at, TrailEvent.device_id, TrailEvent.seq)).all()
    events = []
    for ev, username, display, device_name in rows:
        who = f"{display or username} ({username})" if username else f"onbekende gebruiker {ev.user_id}"
        events.append(CaseEvent(ev.at, ev.user_id, who, ev.device_id, device_name or "", ev.verb, ev.entity,
                                ev.entity_id, ev.result, ev.detail))
    return reference, events
