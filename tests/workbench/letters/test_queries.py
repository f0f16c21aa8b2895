"""The letters read side: a case's letters, the review queue, who may approve, defaults, previews and copies."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from tests.helpers.factories import FixedClock, make_case, seed_local_user
from workbench.audit.models import AuditEvent
from workbench.errors import BugError, NotAllowed, NotFound, ValidationError
from workbench.letters import copies, queries
from workbench.letters.organisation import organisation
from workbench.letters.service import LetterService
from workbench.letters.templates import load_template
from workbench.plans.service import PlanService
from workbench.policy.facts import CaseFacts, ToeslagYear
from workbench.staff.models import Role, User
from workbench.store.unit_of_work import Actor, Store

INVITE = "uitnodiging_huisbezoek"
DAY = dt.date(2026, 11, 29)


def invitation(uow: Any, case_id: str) -> dict[str, Any]:
    values = queries.case_defaults(uow, case_id, load_template(INVITE))
    return {**values, "visit_date": "10-12-2026", "visit_time": "10.00 uur"}


def named(store: Store, *, role: Role, username: str, name: str) -> Actor:
    actor = seed_local_user(store, role=role, username=username)
    with store.engine.begin() as conn:
        conn.execute(update(User).where(User.id == actor.user_id).values(display_name=name))
    return actor


def events(store: Store, actor: Actor, verb: str, entity: str) -> list[AuditEvent]:
    with store.unit_of_work(actor) as uow:
        return list(uow.session.scalars(select(AuditEvent).where(AuditEvent.verb == verb,
                                                                 AuditEvent.entity == entity)))


@pytest.fixture
def people(store: Store) -> dict[str, Actor]:
    return {"author": named(store, role=Role.HANDLER, username="auteur", name="Anna Auteur"),
            "reviewer": named(store, role=Role.REVIEWER, username="controleur", name="Rik Controleur"),
            "colleague": named(store, role=Role.HANDLER, username="collega", name="Chris Collega")}


def letters_in_every_state(store: Store, clock: FixedClock, people: dict[str, Actor]) -> tuple[str, dict[str, str]]:
    """One case with a draft, a rejected draft, one in review, one approved and one issued letter."""
    service = LetterService()
    author, reviewer = people["author"], people["reviewer"]
    ids: dict[str, str] = {}
    with store.unit_of_work(author) as uow:
        _parent, case_id = make_case(uow, 0, voorletters="M.", tussenvoegsel="de", achternaam="Vries")
        for name in ("draft", "rejected", "in_review", "approved", "issued", "deleted"):
            clock.advance(minutes=1)
            ids[name] = service.create_draft(uow, case_id, template_id=INVITE, values=invitation(uow, case_id)).id
        for name in ("rejected", "in_review", "approved", "issued"):
            service.submit(uow, ids[name])
        service.delete_draft(uow, ids["deleted"])
    with store.unit_of_work(reviewer) as uow:
        service.reject(uow, ids["rejected"], comment="Zet de tijd erbij.")
        for name in ("approved", "issued"):
            service.approve(uow, ids[name], reviewer_id=reviewer.user_id)
    with store.unit_of_work(author) as uow:
        service.issue(uow, ids["issued"])
    return case_id, ids


def test_letters_for_case_lists_every_state_with_names_and_is_audited(
        store: Store, clock: FixedClock, people: dict[str, Actor]) -> None:
    case_id, ids = letters_in_every_state(store, clock, people)
    with store.unit_of_work(people["author"]) as uow:
        _p, other_case = make_case(uow, 1)
        rows = queries.letters_for_case(uow, case_id)
        assert queries.letters_for_case(uow, other_case) == []
    by_id = {row.id: row for row in rows}
    assert set(by_id) == set(ids.values()) - {ids["deleted"]}
    assert {by_id[ids[n]].status for n in ("draft", "rejected")} == {"draft"}
    assert [by_id[ids[n]].status for n in ("in_review", "approved", "issued")] == ["in_review", "approved", "issued"]
    assert by_id[ids["rejected"]].review_comment == "Zet de tijd erbij."
    assert by_id[ids["approved"]].reviewer_name == "Rik Controleur"
    assert by_id[ids["draft"]].reviewer_name == ""
    assert all(r.author_name == "Anna Auteur" and r.template_title == "Uitnodiging voor een huisbezoek" for r in rows)
    assert by_id[ids["issued"]].issued_at is not None and by_id[ids["approved"]].issued_at is None
    assert by_id[ids["draft"]].reference.endswith(f"/BR-{ids['draft'][:8].upper()}")
    assert [r.updated_at for r in rows] == sorted((r.updated_at for r in rows), reverse=True)
    views = events(store, people["author"], "view", "letters")
    assert [(e.entity_id, e.case_id) for e in views] == [(case_id, case_id), (other_case, other_case)]


def test_letters_for_a_missing_case_is_not_found(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow, pytest.raises(NotFound):
        queries.letters_for_case(uow, "geen-zaak")


def test_review_queue_holds_only_others_letters_in_review(
        store: Store, clock: FixedClock, people: dict[str, Actor]) -> None:
    case_id, ids = letters_in_every_state(store, clock, people)
    with store.unit_of_work(people["reviewer"]) as uow:
        queue = queries.review_queue(uow)
    assert [row.id for row in queue] == [ids["in_review"]]
    row = queue[0]
    assert (row.case_id, row.parent_name, row.author_name) == (case_id, "M. de Vries", "Anna Auteur")
    assert row.case_reference.startswith("UHT-") and row.reference.startswith(row.case_reference + "/BR-")
    assert row.submitted_at == clock.now() or row.submitted_at <= clock.now()
    with store.unit_of_work(people["author"]) as uow:
        assert queries.review_queue(uow) == []  # never your own letter
    with store.unit_of_work(people["colleague"]) as uow:
        assert [r.id for r in queries.review_queue(uow)] == [ids["in_review"]]
    details = [e.detail for e in events(store, people["author"], "view", "review_queue")]
    assert details == ["1 brieven", "0 brieven", "1 brieven"]


def test_approval_refusal_names_the_reason_and_matches_the_core(
        store: Store, clock: FixedClock, people: dict[str, Actor]) -> None:
    _case, ids = letters_in_every_state(store, clock, people)
    own_reviewer = named(store, role=Role.REVIEWER, username="zelf", name="Zelf Controleur")
    with store.unit_of_work(own_reviewer) as uow:
        own = LetterService().create_draft(uow, _case, template_id=INVITE, values=invitation(uow, _case)).id
        LetterService().submit(uow, own)
    cases = [(people["reviewer"], ids["in_review"], None),
             (people["colleague"], ids["in_review"], "Alleen een controleur"),
             (own_reviewer, own, "U heeft deze brief zelf geschreven"),
             (people["reviewer"], ids["draft"], "Alleen een brief die ter controle ligt")]
    for who, letter_id, reason in cases:
        with store.unit_of_work(who) as uow:
            refusal = queries.approval_refusal(uow, letter_id)
        if reason is None:
            assert refusal is None
            continue
        assert refusal is not None and refusal.startswith(reason)
        with store.unit_of_work(who) as uow, pytest.raises(NotAllowed):
            LetterService().approve(uow, letter_id, reviewer_id=who.user_id)
    with store.unit_of_work(people["reviewer"]) as uow, pytest.raises(NotFound):
        queries.approval_refusal(uow, ids["deleted"])


def test_case_defaults_fill_only_the_templates_fields(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _p, case_id = make_case(uow, 2, voorletters="J.", achternaam="Bakker", street="Kerkstraat",
                                house_number="3", city="Zaandam")
        PlanService().add_commitment(uow, case_id, description="Wij vragen uw dossier op.", promised_by="Pzb",
                                     due_on="2026-12-15", promised_on="2026-11-20")
        invite = queries.case_defaults(uow, case_id, load_template(INVITE))
        promises = queries.case_defaults(uow, case_id, load_template("bevestiging_toezeggingen"))
        creditor = queries.case_defaults(uow, case_id, load_template("brief_aan_schuldeiser_moratorium"))
        negative = queries.case_defaults(uow, case_id, load_template("uitslag_eerste_toets_vooralsnog_niet"))
    # neutral aanspreekvorm: the first voornaam and the surname
    assert invite == {"aanhef": "Beste Marieke Bakker", "visit_address": "Kerkstraat 3, Zaandam",
                      "signatory_name": "Sanne Pzb", "signatory_function": "Persoonlijk zaakbehandelaar",
                      "contact_phone": organisation().defaults["contact_phone"]}
    assert promises["promises"] == [{"text": "Wij vragen uw dossier op.", "date": dt.date(2026, 12, 15),
                                     "owner": "pzb"}]
    assert creditor["aanhef"] == "Geachte heer, mevrouw" and creditor["parent_name"] == "J. Bakker"
    assert creditor["parent_birth_date"] == dt.date(1984, 3, 12)
    assert "objection_term" not in negative  # derived for the letter date, never a default to type over
    assert negative["objection_address"] == organisation().defaults["objection_address"]


def test_draft_preview_renders_unsaved_values_and_names_a_bad_field(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _p, case_id = make_case(uow)
        values = invitation(uow, case_id)
        pdf = queries.draft_preview(uow, case_id, template_id=INVITE, values=values)
        with pytest.raises(ValidationError) as err:
            queries.draft_preview(uow, case_id, template_id=INVITE, values={**values, "visit_date": "31-02-2026"})
        assert err.value.field == "visit_date"
        with pytest.raises(ValidationError) as err:
            queries.draft_preview(uow, case_id, template_id="beschikking_integrale_beoordeling", values={})
        assert err.value.field == "assessment"
        facts = CaseFacts(decision_date=DAY, scheme="integrale_beoordeling",
                          years=(ToeslagYear(2012, startbedrag_cents=800000),))
        with pytest.raises(ValidationError) as err:  # the calculation fills the amounts, not the typed parts
            queries.draft_preview(uow, case_id, template_id="beschikking_integrale_beoordeling", values={},
                                  facts=facts)
        assert err.value.field == "aanhef"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "CONCEPT" in text and "10 december 2026" in text and "M. Jansen" in text


def test_a_copy_is_audited_as_export_or_print_with_its_hash(
        store: Store, clock: FixedClock, people: dict[str, Actor]) -> None:
    case_id, ids = letters_in_every_state(store, clock, people)
    with store.unit_of_work(people["author"]) as uow:
        issued = copies.copy_of(uow, ids["issued"])
        draft = copies.copy_of(uow, ids["draft"])
        copies.record_copy(uow, issued, how="pdf")
        copies.record_copy(uow, draft, how="print")
        with pytest.raises(BugError):
            copies.record_copy(uow, draft, how="fax")
    assert issued.issued and not draft.issued
    assert issued.file_name.endswith(f"_BR-{ids['issued'][:8].upper()}.pdf") and "/" not in issued.file_name
    assert draft.file_name.endswith("_CONCEPT.pdf")
    exported = events(store, people["author"], "export", "letter")
    assert [(e.entity_id, e.case_id) for e in exported] == [(ids["issued"], case_id)]
    assert hashlib.sha256(issued.pdf).hexdigest() in exported[0].detail
    printed = events(store, people["author"], "print", "letter")
    assert [(e.entity_id, e.detail.endswith("; concept")) for e in printed if e.entity_id == ids["draft"]] == [
        (ids["draft"], True)]
