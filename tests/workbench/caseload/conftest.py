"""A hand-built team (a lead, two handlers, a reviewer, an outsider) whose figures are known by hand on 29-11-2026."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.helpers.factories import TEST_BSNS
from workbench.cases.models import Case, CaseTrack
from workbench.letters.models import Letter
from workbench.parties.models import Parent
from workbench.plans.models import Action, Commitment
from workbench.plans.service import PlanService
from workbench.staff.models import Role, Team, User
from workbench.store.hooks import Origin
from workbench.store.unit_of_work import Actor, Store, UnitOfWork
from workbench.story.models import StoryEntry
from workbench.sync.models import DeviceStatus

TODAY = dt.date(2026, 11, 29)
UTC = dt.UTC


def _at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC)


@dataclass
class TeamData:
    """Who is who, and which case is which (ids by the names the tests use)."""

    lead: Actor
    anna: Actor
    bram: Actor
    reviewer: Actor
    outsider: Actor
    cases: dict[str, str] = field(default_factory=dict)
    team_id: str = ""


def _user(uow: UnitOfWork, name: str, role: Role, team_id: str) -> Actor:
    actor = Actor(str(uuid.uuid4()), str(uuid.uuid4()))
    uow.session.add(User(id=actor.user_id, username=name.split()[0].lower(), display_name=name, role=role,
                         team_id=team_id))
    return actor


def _case(uow: UnitOfWork, n: int, *, handler: Actor, team_id: str, phase: str, opened: str,
          **over: Any) -> str:
    parent = Parent(bsn=TEST_BSNS[n], voornamen=f"Ouder{n} Test", voorletters="O.", achternaam=f"Achternaam{n}")
    uow.session.add(parent)
    uow.session.flush()
    case = Case(reference=f"UHT-2026-{n:06d}", parent_id=parent.id, handler_id=handler.user_id, team_id=team_id,
                phase=phase, phase_since=dt.date.fromisoformat(over.pop("since", opened)),
                opened_on=dt.date.fromisoformat(opened), **over)
    uow.session.add(case)
    uow.session.flush()
    return case.id


def _story(uow: UnitOfWork, case_id: str, when: dt.datetime, kind: str, author: Actor) -> None:
    uow.session.add(StoryEntry(case_id=case_id, occurred_at=when, kind=kind, text=f"{kind} met de ouder",
                               author_id=author.user_id))


def _commitment(uow: UnitOfWork, case_id: str, text: str, due: str, status: str = "open",
                resolved: str | None = None) -> None:
    uow.session.add(Commitment(case_id=case_id, description=text, promised_by="Anna", promised_on=dt.date(2026, 8, 1),
                               due_on=dt.date.fromisoformat(due), status=status,
                               resolved_on=dt.date.fromisoformat(resolved) if resolved else None))


def build_team(store: Store) -> TeamData:
    boot = Actor(str(uuid.uuid4()), str(uuid.uuid4()))
    with store.unit_of_work(boot, Origin.IMPORT) as uow:  # keep the past updated_at the rows are given
        team, other = Team(name="Team Noord"), Team(name="Team Zuid")
        uow.session.add_all([team, other])
        uow.session.flush()
        t = team.id
        data = TeamData(lead=_user(uow, "Lotte Leiding", Role.TEAM_LEAD, t),
                        anna=_user(uow, "Anna Bakker", Role.HANDLER, t),
                        bram=_user(uow, "Bram de Vries", Role.HANDLER, t),
                        reviewer=_user(uow, "Rik Controle", Role.REVIEWER, t),
                        outsider=_user(uow, "Olga Elders", Role.HANDLER, other.id), team_id=t)
        uow.session.flush()
        a, b = data.anna, data.bram
        c = data.cases
        # a1: urgent, decision term passed on 03-11-2026, last contact a phone call 10 days ago (a later note
        # is not contact).
        c["a1"] = _case(uow, 0, handler=a, team_id=t, phase="integrale_beoordeling", opened="2026-01-01",
                        urgent_eviction=True, decision_due_on=dt.date(2026, 11, 3))
        _story(uow, c["a1"], _at("2026-11-19"), "telefoon", a)
        _story(uow, c["a1"], _at("2026-11-28"), "notitie", a)
        # a2: bezwaar without a recorded term: bezwaartermijn ended 10-09-2026, so the 12-week beslistermijn
        # runs to 03-12-2026 (near). Never any contact: 546 days since opening.
        c["a2"] = _case(uow, 1, handler=a, team_id=t, phase="bezwaar", opened="2025-06-01", since="2026-09-01",
                        objection_due_on=dt.date(2026, 9, 10))
        # a3: closed, but its bezwaartermijn still runs.
        c["a3"] = _case(uow, 2, handler=a, team_id=t, phase="afgesloten", opened="2025-01-01",
                        closed_on=dt.date(2026, 10, 1), objection_due_on=dt.date(2027, 1, 15))
        # a4: tombstoned: counts for nothing.
        c["a4"] = _case(uow, 3, handler=a, team_id=t, phase="aangemeld", opened="2026-11-01", urgent_energy=True,
                        decision_due_on=dt.date(2026, 11, 2), deleted_at=_at("2026-11-10"))
        # a5: opened by Bram, reassigned to Anna below; Bram's home visit 40 days ago; term on 10-12-2026.
        c["a5"] = _case(uow, 4, handler=b, team_id=t, phase="eerste_toets", opened="2026-03-01",
                        decision_due_on=dt.date(2026, 12, 10))
        _story(uow, c["a5"], _at("2026-10-20"), "huisbezoek", b)
        # b1: new case, only a meeting about it (no contact yet): 10 days since opening; one running track.
        c["b1"] = _case(uow, 5, handler=b, team_id=t, phase="aangemeld", opened="2026-11-19")
        _story(uow, c["b1"], _at("2026-11-28"), "overleg", b)
        uow.session.add_all([
            CaseTrack(case_id=c["b1"], track="brede_ondersteuning", started_on=dt.date(2026, 11, 20)),
            CaseTrack(case_id=c["b1"], track="publieke_schulden", started_on=dt.date(2026, 11, 19),
                      ended_on=dt.date(2026, 11, 21))])
        # b2: an e-mail at 23:30 UTC on 28-11 is 00:30 on 29-11 in the Netherlands: 0 days.
        c["b2"] = _case(uow, 6, handler=b, team_id=t, phase="nazorg", opened="2026-02-01")
        _story(uow, c["b2"], _at("2026-11-28", 23, 30), "e-mail", b)
        # x1: another team's case.
        c["x1"] = _case(uow, 7, handler=data.outsider, team_id=other.id, phase="bezwaar", opened="2024-01-01",
                        urgent_garnishment=True, decision_due_on=dt.date(2026, 1, 1))
        uow.session.add_all([
            Action(case_id=c["a1"], description="Schuldenlijst opvragen", owner="pzb", due_on=dt.date(2026, 11, 20)),
            Action(case_id=c["a1"], description="Later", owner="pzb", due_on=dt.date(2026, 12, 20)),
            Action(case_id=c["a1"], description="Gedaan", owner="pzb", due_on=dt.date(2026, 11, 1), status="done",
                   done_on=dt.date(2026, 11, 2)),
            Action(case_id=c["a1"], description="Weg", owner="pzb", due_on=dt.date(2026, 11, 10),
                   deleted_at=_at("2026-11-11")),
            Action(case_id=c["a3"], description="Op gesloten zaak", owner="pzb", due_on=dt.date(2026, 11, 1))])
        _commitment(uow, c["a1"], "Terugbellen", "2026-11-25")  # open, overdue, due in the window
        _commitment(uow, c["a1"], "Brief sturen", "2026-12-15")  # open, not yet due
        _commitment(uow, c["a1"], "Uitleg geven", "2026-11-12", "kept", "2026-11-10")  # early: on time
        _commitment(uow, c["a1"], "Afspraak maken", "2026-11-05", "kept_late", "2026-11-07")  # late
        _commitment(uow, c["a1"], "Nieuwe datum", "2026-12-20", "renegotiated")  # live, not yet due
        _commitment(uow, c["a5"], "Gemeente bellen", "2026-11-01", "broken", "2026-11-02")  # not kept
        _commitment(uow, c["a1"], "Lang geleden", "2026-08-01", "kept", "2026-08-01")  # outside the 90 days
        uow.session.add_all([
            Letter(case_id=c["a1"], template_id="uitnodiging_huisbezoek", template_version=1, kind="brief",
                   status="in_review", author_id=a.user_id, updated_at=_at("2026-11-20", 9)),
            Letter(case_id=c["a1"], template_id="uitnodiging_huisbezoek", template_version=1, kind="brief",
                   status="draft", author_id=a.user_id, updated_at=_at("2026-11-01", 9))])
        uow.session.add_all([
            DeviceStatus(device_id=a.device_id, user_id=a.user_id, device_name="laptop-anna",
                         last_sync_at=_at("2026-11-20", 8), pending_changes=12, open_conflicts=0,
                         reported_at=_at("2026-11-20", 8)),
            DeviceStatus(device_id=str(uuid.uuid4()), user_id=a.user_id, device_name="telefoon-anna",
                         last_sync_at=None, pending_changes=0, open_conflicts=0, reported_at=None),
            DeviceStatus(device_id=b.device_id, user_id=b.user_id, device_name="laptop-bram",
                         last_sync_at=_at("2026-11-29", 7), pending_changes=3, open_conflicts=1,
                         reported_at=_at("2026-11-29", 7))])
    # A promise kept on its very due date, through the real service: on time.
    with store.unit_of_work(data.anna) as uow:
        kept = PlanService().add_commitment(uow, c["a3"], description="Beschikking uitleggen", promised_by="Anna",
                                            promised_on="2026-10-01", due_on="2026-10-15")
        assert PlanService().keep(uow, kept.id, on_date="2026-10-15").status == "kept"
    # The reassignment: a5 moves from Bram to Anna, its story and promise with it. Central makes that change
    # (a team lead never writes another handler's case on a device); it arrives through sync.
    with store.unit_of_work(data.lead, Origin.SYNC) as uow:
        row = uow.session.get(Case, c["a5"])
        assert row is not None
        row.handler_id = a.user_id
    return data


@pytest.fixture
def team(store: Store) -> TeamData:
    return build_team(store)
