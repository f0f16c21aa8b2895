"""Use cases for cases: open, change phase (only allowed transitions), tracks, urgency, deadlines."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select

from workbench.audit.chain import AuditEntry
from workbench.cases import numbering
from workbench.cases.models import Case, CaseTrack, PhaseChange
from workbench.cases.phases import PHASES, URGENCY_FLAGS, check_phase, check_track, check_transition
from workbench.cases.queries import CaseRow as CaseRow
from workbench.cases.queries import case_list_rows, cases_statement
from workbench.clock import today
from workbench.dates import parse_date
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.parties.models import Parent
from workbench.staff.models import Role, User
from workbench.store.unit_of_work import UnitOfWork

REFERENCE = re.compile(r"^UHT-(\d{4})-(\d{6})$")


@dataclass(frozen=True)
class PhaseStep:
    from_phase: str | None
    to_phase: str
    on_date: dt.date
    reason: str


@dataclass(frozen=True)
class TrackInfo:
    id: str
    track: str
    started_on: dt.date
    ended_on: dt.date | None


@dataclass(frozen=True)
class CaseDetail:
    """A case's own facts (the parent, story and plan come from their services)."""

    id: str
    reference: str
    parent_id: str
    handler_id: str
    team_id: str | None
    phase: str
    phase_label: str
    phase_since: dt.date
    urgency: tuple[str, ...]
    opened_on: dt.date
    closed_on: dt.date | None
    decision_due_on: dt.date | None
    objection_due_on: dt.date | None
    tracks: tuple[TrackInfo, ...]
    history: tuple[PhaseStep, ...]


def valid_reference(text: str) -> str:
    ref = (text or "").strip().upper()
    if not REFERENCE.match(ref):
        raise ValidationError("Zaaknummer is ongeldig: gebruik UHT-JJJJ-NNNNNN.", field="reference")
    return ref


class CaseService:
    """Cases and their process; phase changes follow `phases.TRANSITIONS` and keep a dated history."""

    def _load(self, uow: UnitOfWork, case_id: str) -> Case:
        row = uow.session.get(Case, case_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("Deze zaak bestaat niet (meer) op dit apparaat.")
        return row

    def list_rows(self, uow: UnitOfWork, *, limit: int | None = None) -> list[CaseRow]:
        """The cases of Mijn zaken (or the first `limit` by reference) as case-list rows.

        Every case on the device, except for a reviewer: the cases its device holds only for the letters it
        reviews (with none of their promises or story) are not theirs, so only cases they handle are listed.
        """
        me = uow.session.get(User, uow.actor.user_id)
        only = me.id if me is not None and me.role == Role.REVIEWER else None
        return case_list_rows(uow, limit=limit, handler_id=only)

    def parent_names(self, uow: UnitOfWork, case_ids: Collection[str]) -> dict[str, str]:
        """The parent's display name for each of these cases (search hits), as the case list shows it."""
        if not case_ids:
            return {}
        stmt = cases_statement().where(Case.id.in_(list(case_ids)))
        return {case_id: name for case_id, _reference, name, *_ in uow.session.execute(stmt)}

    def next_reference(self, uow: UnitOfWork, year: int) -> str:
        """The number a new case gets: final at once (see workbench.cases.numbering)."""
        return numbering.next_reference(uow.session, year)

    def open_case(self, uow: UnitOfWork, *, parent_id: str, handler_id: str | None = None,
                  team_id: str | None = None, opened_on: str | dt.date | None = None,
                  reference: str | None = None) -> CaseDetail:
        parent = uow.session.get(Parent, parent_id)
        if parent is None or parent.deleted_at is not None:
            raise NotFound("Deze ouder bestaat niet (meer).")
        day = parse_date(opened_on, field="opened_on", label="Datum aanmelding", required=False) or today(uow.clock)
        ref = valid_reference(reference) if reference else self.next_reference(uow, day.year)
        if uow.session.scalar(select(Case.id).where(Case.reference == ref)):
            raise ValidationError(f"Zaaknummer {ref} bestaat al.", field="reference")
        row = Case(reference=ref, parent_id=parent_id, handler_id=handler_id or uow.actor.user_id,
                   team_id=team_id, phase="aangemeld", phase_since=day, opened_on=day)
        uow.session.add(row)
        uow.session.flush()
        uow.session.add(PhaseChange(case_id=row.id, from_phase=None, to_phase="aangemeld", on_date=day,
                                    reason="Zaak geopend"))
        uow.session.flush()
        return self._detail(uow, row)

    def get(self, uow: UnitOfWork, case_id: str) -> CaseDetail:
        row = self._load(uow, case_id)
        uow.audit(AuditEntry("view", "case", case_id, case_id))
        return self._detail(uow, row)

    def id_for_reference(self, uow: UnitOfWork, reference: str) -> str:
        ref = valid_reference(reference)
        case_id = uow.session.scalar(select(Case.id).where(Case.reference == ref, Case.deleted_at.is_(None)))
        if case_id is None:  # a number central replaced still names its case
            case_id = uow.session.scalar(select(Case.id).where(
                Case.former_references.like(f"%{ref}%"),
                Case.deleted_at.is_(None)).order_by(Case.reference).limit(1))
        if case_id is None:
            raise NotFound(f"Zaak {ref} staat niet op dit apparaat.")
        return case_id

    def change_phase(self, uow: UnitOfWork, case_id: str, *, to_phase: str,
                     on_date: str | dt.date | None = None, reason: str = "") -> CaseDetail:
        row = self._load(uow, case_id)
        check_transition(row.phase, to_phase)
        day = parse_date(on_date, field="on_date", label="Datum", required=False) or today(uow.clock)
        if day < row.phase_since:
            raise ValidationError("De datum van een fasewissel kan niet vóór de vorige fasewissel liggen.",
                                  field="on_date")
        if len(reason) > 500:
            raise ValidationError("Toelichting is te lang (maximaal 500 tekens).", field="reason")
        uow.session.add(PhaseChange(case_id=case_id, from_phase=row.phase, to_phase=to_phase, on_date=day,
                                    reason=reason.strip()))
        row.phase, row.phase_since = to_phase, day
        row.closed_on = day if to_phase == "afgesloten" else None
        uow.session.flush()
        return self._detail(uow, row)

    def set_urgency(self, uow: UnitOfWork, case_id: str, **flags: bool) -> CaseDetail:
        row = self._load(uow, case_id)
        for key, value in flags.items():
            if key not in URGENCY_FLAGS:
                raise ValidationError(f"Onbekende urgentie: {key}.", field=key)
            setattr(row, key, bool(value))
        uow.session.flush()
        return self._detail(uow, row)

    def set_deadlines(self, uow: UnitOfWork, case_id: str, *, decision_due_on: str | dt.date | None,
                      objection_due_on: str | dt.date | None) -> CaseDetail:
        row = self._load(uow, case_id)
        row.decision_due_on = parse_date(decision_due_on, field="decision_due_on", label="Beslistermijn",
                                         required=False)
        row.objection_due_on = parse_date(objection_due_on, field="objection_due_on", label="Bezwaartermijn",
                                          required=False)
        uow.session.flush()
        return self._detail(uow, row)

    def start_track(self, uow: UnitOfWork, case_id: str, *, track: str,
                    started_on: str | dt.date | None = None) -> CaseDetail:
        row = self._load(uow, case_id)
        check_track(track)
        running = uow.session.scalar(select(CaseTrack.id).where(
            CaseTrack.case_id == case_id, CaseTrack.track == track, CaseTrack.ended_on.is_(None),
            CaseTrack.deleted_at.is_(None)))
        if running:
            raise NotAllowed("Dit spoor loopt al voor deze zaak.")
        day = parse_date(started_on, field="started_on", label="Startdatum", required=False) or today(uow.clock)
        uow.session.add(CaseTrack(case_id=case_id, track=track, started_on=day))
        uow.session.flush()
        return self._detail(uow, row)

    def end_track(self, uow: UnitOfWork, track_id: str, *, ended_on: str | dt.date | None = None) -> CaseDetail:
        track = uow.session.get(CaseTrack, track_id)
        if track is None or track.ended_on is not None:
            raise NotFound("Dit spoor loopt niet (meer).")
        day = parse_date(ended_on, field="ended_on", label="Einddatum", required=False) or today(uow.clock)
        if day < track.started_on:
            raise ValidationError("Einddatum ligt vóór de startdatum.", field="ended_on")
        track.ended_on = day
        uow.session.flush()
        return self._detail(uow, self._load(uow, track.case_id))

    def _detail(self, uow: UnitOfWork, row: Case) -> CaseDetail:
        tracks = uow.session.scalars(select(CaseTrack).where(
            CaseTrack.case_id == row.id, CaseTrack.deleted_at.is_(None)).order_by(CaseTrack.started_on))
        steps = uow.session.scalars(select(PhaseChange).where(PhaseChange.case_id == row.id)
                                    .order_by(PhaseChange.on_date, PhaseChange.updated_at))
        check_phase(row.phase)
        return CaseDetail(
            id=row.id, reference=row.reference, parent_id=row.parent_id, handler_id=row.handler_id,
            team_id=row.team_id, phase=row.phase, phase_label=PHASES[row.phase], phase_since=row.phase_since,
            urgency=tuple(k for k in URGENCY_FLAGS if getattr(row, k)), opened_on=row.opened_on,
            closed_on=row.closed_on, decision_due_on=row.decision_due_on, objection_due_on=row.objection_due_on,
            tracks=tuple(TrackInfo(t.id, t.track, t.started_on, t.ended_on) for t in tracks),
            history=tuple(PhaseStep(s.from_phase, s.to_phase, s.on_date, s.reason) for s in steps),
        )
