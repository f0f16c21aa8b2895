"""Dossier test data: a case with something in every section, bulk story entries, counting every table."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import uuid
from typing import Any

from sqlalchemy import select, text

from tests.helpers.factories import FixedClock, make_case
from workbench.cases.service import CaseService
from workbench.models import (
    Action,
    Case,
    Child,
    Commitment,
    CommitmentStatusChange,
    Consent,
    Disclosure,
    Letter,
    Need,
    Payment,
    StoryEntry,
    User,
)
from workbench.parties.service import ParentService
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store
from workbench.story.service import StoryService

PDF = b"%PDF-1.7\n% synthetic test letter\n" + bytes(range(256)) + b"\n%%EOF\n"
# Fixed ids so the correcting letter sorts (by id) before the letter it corrects: the importer must
# still write the corrected one first.
ORIGINAL_LETTER = "ffffffff-0000-4000-8000-000000000001"
CORRECTION_LETTER = "00000000-0000-4000-8000-000000000002"


def rich_case(store: Store, actor: Actor, clock: FixedClock) -> str:
    """A case with rows in every section, a tombstone, a synced row (rev > 0) and a second user."""
    parents, cases, story = ParentService(), CaseService(), StoryService()
    with store.unit_of_work(actor) as uow:
        pid, cid = make_case(uow)
        team_id = uow.session.scalars(select(User.team_id).where(User.id == actor.user_id)).one()
        case = uow.session.get(Case, cid)
        assert case is not None
        case.team_id = team_id
        reviewer = User(username="beslisser", display_name="Bram Beslisser", role=Role.REVIEWER, team_id=team_id)
        uow.session.add(reviewer)
        uow.session.flush()
        reviewer_id = reviewer.id
        sem = parents.add_child(uow, pid, achternaam="Jansen", voornamen="Sem", birth_date="2015-04-02",
                                bsn="999990044")
        gone = parents.add_child(uow, pid, achternaam="Jansen", voornamen="Lotte", birth_date="2017-09-30")
        parents.add_ex_partner(uow, pid, achternaam="Berg", tussenvoegsel="van den", voorletters="P.",
                               was_toeslagpartner=True, separated_on="2019-06-01", bsn="999990056")
    clock.advance(days=3)
    with store.unit_of_work(actor) as uow:
        cases.change_phase(uow, cid, to_phase="eerste_toets", on_date="2026-12-01", reason="Intake gedaan")
        cases.change_phase(uow, cid, to_phase="integrale_beoordeling", on_date="2026-12-01")
        detail = cases.start_track(uow, cid, track="brede_ondersteuning", started_on="2026-12-01")
        cases.end_track(uow, detail.tracks[0].id, ended_on="2026-12-20")
        cases.start_track(uow, cid, track="publieke_schulden", started_on="2026-12-02")
        cases.set_urgency(uow, cid, urgent_energy=True)
        cases.set_deadlines(uow, cid, decision_due_on="2027-03-01", objection_due_on=None)
        base = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
        first = story.add(uow, cid, kind="huisbezoek", text="Eerste bezoek. Moeder vertelt over de schulden.",
                          occurred_at=base, location="Thuis, Zaandam", present="Moeder, tolk Arabisch")
        story.add(uow, cid, kind="telefoon", text="Nagebeld: afspraak met de gemeente staat.\nTweede regel — ë.",
                  occurred_at=base + dt.timedelta(days=2))
        story.add(uow, cid, kind="notitie", text="Overdracht voorbereid.", occurred_at=base + dt.timedelta(days=3))
        story.confirm(uow, first.id, on_date="2026-12-05")
        need = Need(case_id=cid, life_domain="financien", description="Schulden bij energieleverancier")
        uow.session.add_all([need, Need(case_id=cid, life_domain="wonen", description="Huurachterstand",
                                        status="met")])
        uow.session.flush()
        uow.session.add_all([
            Action(case_id=cid, need_id=need.id, description="Betalingsregeling aanvragen", owner="gemeente",
                   owner_name="Gemeente Zaanstad", due_on=dt.date(2026, 12, 15)),
            Action(case_id=cid, need_id=None, description="Kopie beschikking sturen", owner="pzb",
                   status="done", done_on=dt.date(2026, 12, 3)),
        ])
        promise = Commitment(case_id=cid, description="Terugbellen over de uitkomst", promised_by="Sanne Pzb",
                             promised_on=dt.date(2026, 12, 1), due_on=dt.date(2026, 12, 8))
        uow.session.add(promise)
        uow.session.flush()
        uow.session.add(CommitmentStatusChange(commitment_id=promise.id, from_status=None, to_status="open",
                                               on_date=dt.date(2026, 12, 1)))
        consent = Consent(case_id=cid, partner="Gemeente Zaanstad", scope="Schuldhulpverlening",
                          given_on=dt.date(2026, 12, 1))
        uow.session.add_all([consent, Consent(case_id=cid, partner="Woningcorporatie", scope="Huurachterstand",
                                              given_on=dt.date(2026, 12, 1), withdrawn_on=dt.date(2026, 12, 4))])
        uow.session.flush()
        uow.session.add(Disclosure(case_id=cid, consent_id=consent.id, partner="Gemeente Zaanstad",
                                   what="Overzicht schulden", basis="Toestemming", disclosed_on=dt.date(2026, 12, 2)))
        uow.session.add(Letter(id=ORIGINAL_LETTER, case_id=cid, template_id="vooraankondiging", template_version=2,
                               kind="beschikking", field_values={"bedrag_cent": 3_000_000, "regels": ["a", "b"]},
                               policy_version="2026.1", status="issued", author_id=actor.user_id,
                               reviewer_id=reviewer_id, pdf=PDF, pdf_sha256=hashlib.sha256(PDF).hexdigest(),
                               issued_at=base + dt.timedelta(days=4)))
        uow.session.flush()
        uow.session.add(Letter(id=CORRECTION_LETTER, case_id=cid, template_id="vooraankondiging",
                               template_version=2, kind="beschikking", field_values={}, status="draft",
                               author_id=actor.user_id, corrects_letter_id=ORIGINAL_LETTER))
        uow.session.add_all([
            Payment(case_id=cid, kind="catshuis", amount_cents=3_000_000, paid_on=dt.date(2026, 12, 2),
                    letter_id=ORIGINAL_LETTER),
            Payment(case_id=cid, kind="kindregeling", amount_cents=1_000_000, paid_on=dt.date(2026, 12, 3),
                    recipient=sem.id, note="Op de eigen rekening van Sem")])
    clock.advance(hours=5)
    with store.unit_of_work(actor) as uow:
        child = uow.session.get(Child, gone.id)
        assert child is not None
        child.deleted_at = clock.now()
        synced = uow.session.get(StoryEntry, first.id)
        assert synced is not None
        synced.rev = 7  # as if central had handed out revision 7
    return cid


def with_story(data: dict[str, Any], count: int, *, text_size: int = 300) -> dict[str, Any]:
    """A copy of an exported dossier with `count` more story entries (fresh ids, well-formed)."""
    out = copy.deepcopy(data)
    template = out["story"][0]
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    body = ("Gesprek over de voortgang van de schuldenregeling en de afspraken met de gemeente. " * 50)[:text_size]
    for i in range(count):
        when = (start + dt.timedelta(minutes=i)).isoformat(timespec="microseconds")
        out["story"].append({**template, "id": str(uuid.uuid4()), "occurred_at": when, "updated_at": when,
                             "text": f"{i}: {body}", "confirmed_by_parent": False, "confirmed_on": None, "rev": 0})
    return out


def table_counts(store: Store) -> dict[str, int]:
    """Rows in every real table of the store (search-index shadow tables included)."""
    with store.engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table' "
                                  "AND sql NOT LIKE 'CREATE VIRTUAL%'")).scalars().all()
        return {name: int(conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()) for name in names}
