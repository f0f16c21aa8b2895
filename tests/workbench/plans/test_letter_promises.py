"""Promises in letters: who does what, no promise with a passed date, register items, dates of an issued letter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers.factories import FixedClock, make_case, seed_local_user
from tests.workbench.letters.samples import SIGN, flat_text, typed_values
from workbench.errors import BugError, ValidationError
from workbench.letters.models import Letter
from workbench.letters.service import LetterService
from workbench.letters.templates import _parse, load_template
from workbench.plans.letter_promises import check_promise_dates, letter_promises, on_issued
from workbench.plans.models import Commitment
from workbench.plans.service import PlanService
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store

TEMPLATE = "bevestiging_toezeggingen"
plans, letters = PlanService(), LetterService()


def _values(promises: list[dict[str, Any]]) -> dict[str, Any]:
    return {**SIGN, "conversation_date": "2026-11-20", "promises": promises}


def _case(store: Store, actor: Actor) -> str:
    with store.unit_of_work(actor) as uow:
        return make_case(uow)[1]


def _approve(store: Store, letter_id: str) -> Actor:
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        letters.approve(uow, letter_id, reviewer_id=reviewer.user_id)
    return reviewer


# --- Finding: the gemeente's promises under "Wat doen wij?" ----------------------------------------------------

def test_the_letter_puts_the_gemeentes_promise_under_the_gemeente_not_under_us(store: Store, actor: Actor) -> None:
    case_id = _case(store, actor)
    promises = [{"text": "Wij vragen uw dossier op bij Toeslagen.", "date": "2026-12-15", "owner": "pzb"},
                {"text": "De gemeente regelt een afspraak met de schuldhulp.", "date": "2026-12-20",
                 "owner": "gemeente"},
                {"text": "De backoffice controleert uw rekeningnummer.", "date": "2026-12-18", "owner": "backoffice"},
                {"text": "De woningcorporatie stopt de huisuitzetting.", "date": "2027-01-05", "owner": "other"}]
    with store.unit_of_work(actor) as uow:
        letter = letters.create_draft(uow, case_id, template_id=TEMPLATE, values=_values(promises))
        text = flat_text(letters.preview(uow, letter.id))
    ours, gemeente, others = (text.index("Wat doen wij?"), text.index("Wat doet de gemeente?"),
                              text.index("Wat doen anderen?"))
    assert ours < text.index("Wij vragen uw dossier op") < gemeente
    assert ours < text.index("De backoffice controleert") < gemeente
    assert gemeente < text.index("De gemeente regelt een afspraak") < others
    assert others < text.index("De woningcorporatie stopt")
    assert load_template(TEMPLATE).version == 3


def test_a_letter_with_only_our_promises_has_no_empty_gemeente_section(store: Store, actor: Actor) -> None:
    case_id = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        letter = letters.create_draft(uow, case_id, template_id=TEMPLATE, values=_values(
            [{"text": "Wij bellen u terug.", "date": "2026-12-01", "owner": "pzb"}]))
        text = flat_text(letters.preview(uow, letter.id))
    assert "Wat doen wij?" in text and "Wij bellen u terug." in text
    assert "Wat doet de gemeente?" not in text and "Wat doen anderen?" not in text


def test_every_promise_line_needs_a_known_owner(store: Store, actor: Actor) -> None:
    case_id = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        with pytest.raises(ValidationError) as missing:
            letters.create_draft(uow, case_id, template_id=TEMPLATE,
                                 values=_values([{"text": "Bellen", "date": "2026-12-01"}]))
        with pytest.raises(ValidationError) as unknown:
            letters.create_draft(uow, case_id, template_id=TEMPLATE,
                                 values=_values([{"text": "Bellen", "date": "2026-12-01", "owner": "buurman"}]))
    assert missing.value.field == "promises[0].owner"
    assert unknown.value.field == "promises[0].owner" and "Bellen" in str(unknown.value)


def test_the_letters_promises_come_from_the_register_with_their_owner(store: Store, actor: Actor) -> None:
    case_id = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        plans.add_commitment(uow, case_id, description="Gemeente plant de intake.", promised_by="Wijkteam",
                             due_on="2026-12-20", owner="gemeente")
        plans.add_commitment(uow, case_id, description="Wij sturen de beschikking.", promised_by="Sanne",
                             due_on="2026-12-10")
        kept = plans.add_commitment(uow, case_id, description="Al gedaan.", promised_by="Sanne",
                                    due_on="2026-12-05")
        plans.keep(uow, kept.id)
        items = letter_promises(uow, case_id)
        letter = letters.create_draft(uow, case_id, template_id=TEMPLATE, values=_values(items))
        text = flat_text(letters.preview(uow, letter.id))
    assert items == [{"text": "Wij sturen de beschikking.", "date": dt.date(2026, 12, 10), "owner": "pzb"},
                     {"text": "Gemeente plant de intake.", "date": dt.date(2026, 12, 20), "owner": "gemeente"}]
    assert text.index("Wij sturen de beschikking.") < text.index("Wat doet de gemeente?") \
        < text.index("Gemeente plant de intake.")
    assert "Al gedaan." not in text


# --- Finding: promises whose date has passed go into the letter ----------------------------------------------

def test_a_promise_whose_date_passed_cannot_go_into_a_draft(store: Store, actor: Actor) -> None:
    case_id = _case(store, actor)  # the clock says 29 November 2026
    late = [{"text": "Wij bellen u terug.", "date": "2026-12-01", "owner": "pzb"},
            {"text": "Wij vragen uw dossier op.", "date": "2026-09-03", "owner": "pzb"}]
    with store.unit_of_work(actor) as uow:
        with pytest.raises(ValidationError) as err:
            letters.create_draft(uow, case_id, template_id=TEMPLATE, values=_values(late))
        assert uow.session.scalars(select(Letter)).first() is None
        draft = letters.create_draft(uow, case_id, template_id=TEMPLATE, values=_values(late[:1]))
        with pytest.raises(ValidationError) as update:
            letters.update_draft(uow, draft.id, values=_values(late))
    assert err.value.field == "promises[1].date" and update.value.field == "promises[1].date"
    assert "Wij vragen uw dossier op." in str(err.value) and "3 september 2026" in str(err.value)


def test_a_promise_that_passes_while_the_letter_waits_stops_submit_and_issue(store: Store, actor: Actor,
                                                                            clock: FixedClock) -> None:
    case_id = _case(store, actor)
    promise = [{"text": "Wij bellen u terug.", "date": "2026-12-01", "owner": "pzb"}]
    with store.unit_of_work(actor) as uow:
        waits = letters.create_draft(uow, case_id, template_id=TEMPLATE, values=_values(promise))
        approved = letters.create_draft(uow, case_id, template_id=TEMPLATE, values=_values(promise))
        letters.submit(uow, approved.id)
    _approve(store, approved.id)
    clock.advance(days=3)  # 2 December: the promised 1 December has passed
    with store.unit_of_work(actor) as uow:
        with pytest.raises(ValidationError) as at_submit:
            letters.submit(uow, waits.id)
        with pytest.raises(ValidationError) as at_issue:
            letters.issue(uow, approved.id)
    assert "1 december 2026" in str(at_submit.value) and at_issue.value.field == "promises[0].date"
    with store.unit_of_work(actor) as uow:
        assert letters.get(uow, approved.id).status == "approved"


def test_check_promise_dates_allows_the_letter_date_itself_and_ignores_other_letters() -> None:
    day = dt.date(2026, 12, 4)
    check_promise_dates({"promises": [{"text": "Vandaag", "date": "2026-12-04", "owner": "pzb"}]}, day)
    check_promise_dates({"payment_date": "2026-01-01"}, day)
    with pytest.raises(ValidationError) as err:
        check_promise_dates({"promises": [{"text": "Bellen", "date": dt.date(2026, 12, 3), "owner": "gemeente"}]},
                            day)
    assert err.value.field == "promises[0].date" and "4 december 2026" in str(err.value)


# --- Dates promised in an issued letter become commitments ----------------------------------------------------

def test_the_commitment_key_is_parsed_and_only_allowed_on_a_date_field() -> None:
    data: dict[str, Any] = {"id": "t", "version": 1, "title": "T", "kind": "letter", "body": [
        {"style": "para", "text": "x"}], "fields": {
        "reply_by": {"type": "date", "label": "Reageer voor", "commitment": "Reactie van de ouder"},
        "note": {"type": "text", "label": "Notitie"}}}
    tpl = _parse(data, "t")
    assert tpl.field("reply_by").commitment == "Reactie van de ouder"  # type: ignore[union-attr]
    assert tpl.field("note").commitment is None  # type: ignore[union-attr]
    data["fields"]["note"]["commitment"] = "Iets"
    with pytest.raises(BugError):
        _parse(data, "t")


def test_issuing_a_letter_puts_its_promised_payment_date_in_the_register_once(
        store: Store, actor: Actor) -> None:
    case_id = _case(store, actor)
    values = typed_values("uitslag_eerste_toets_positief")
    with store.unit_of_work(actor) as uow:
        letter = letters.create_draft(uow, case_id, template_id="uitslag_eerste_toets_positief", values=values)
        letters.submit(uow, letter.id)
        assert uow.session.scalars(select(Commitment)).first() is None
    _approve(store, letter.id)
    with store.unit_of_work(actor) as uow:
        letters.issue(uow, letter.id)
        row = uow.session.get(Letter, letter.id)
        assert row is not None
        on_issued(uow, row, load_template("uitslag_eerste_toets_positief"))  # a retried effect adds nothing
        made = list(uow.session.scalars(select(Commitment)))
        plan = plans.plan_for_case(uow, case_id)
    assert len(made) == 1
    c = made[0]
    assert (c.description, c.owner, c.source_letter_id) == (
        "Wij betalen u € 30.000,00 uit (Catshuisregeling).", "pzb", letter.id)
    assert (c.promised_on, c.due_on, c.first_due_on) == (dt.date(2026, 11, 29), dt.date(2027, 1, 15),
                                                         dt.date(2027, 1, 15))
    assert plan.commitments[0].history[0].to_status == "open"


def test_a_letter_without_marked_dates_makes_no_commitment(store: Store, actor: Actor) -> None:
    case_id = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        letter = letters.create_draft(uow, case_id, template_id=TEMPLATE, values=_values(
            [{"text": "Wij bellen u terug.", "date": "2026-12-01", "owner": "pzb"}]))
        row = uow.session.get(Letter, letter.id)
        assert row is not None
        on_issued(uow, row, load_template(TEMPLATE))
        assert uow.session.scalars(select(Commitment)).first() is None


def test_an_issued_gespreksverslag_puts_its_reply_by_date_in_the_register_from_the_letter_date(
        store: Store, actor: Actor, clock: FixedClock) -> None:
    case_id = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        letter = letters.create_draft(uow, case_id, template_id="gespreksverslag_ter_bevestiging",
                                      values=typed_values("gespreksverslag_ter_bevestiging"))
        letters.submit(uow, letter.id)
    _approve(store, letter.id)
    clock.advance(days=10)  # issued on 9 December: the reply-by date is counted from then
    with store.unit_of_work(actor) as uow:
        info = letters.issue(uow, letter.id)
        made = list(uow.session.scalars(select(Commitment).where(Commitment.case_id == case_id)))
    assert info.dated_on == dt.date(2026, 12, 9) and len(made) == 1
    reply = made[0]
    assert reply.description.startswith("Wij bellen u als wij uw reactie")
    assert (reply.promised_on, reply.due_on, reply.first_due_on, reply.owner, reply.source_letter_id) == (
        dt.date(2026, 12, 9), dt.date(2026, 12, 23), dt.date(2026, 12, 23), "pzb", letter.id)
