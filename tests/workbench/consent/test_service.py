"""Consent: giving and withdrawing, the active consent on a date, disclosures and their legal basis."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.helpers.factories import make_case
from workbench.audit.models import AuditEvent
from workbench.consent.models import Disclosure
from workbench.consent.service import ConsentService
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.store.unit_of_work import Actor, Store, UnitOfWork
from workbench.sync.models import OutboxEntry

consent = ConsentService()
TODAY = dt.date(2026, 11, 29)  # the FixedClock's date in Amsterdam
ZAANSTAD = "Gemeente Zaanstad"


def _case(store: Store, actor: Actor, n: int = 0) -> str:
    with store.unit_of_work(actor) as uow:
        return make_case(uow, n)[1]


def _ops(uow: UnitOfWork, row_id: str) -> list[str]:
    return list(uow.session.scalars(select(OutboxEntry.op).where(OutboxEntry.row_id == row_id)
                                    .order_by(OutboxEntry.seq)))


def _verbs(uow: UnitOfWork, row_id: str) -> list[str]:
    return list(uow.session.scalars(select(AuditEvent.verb).where(AuditEvent.entity_id == row_id)
                                    .order_by(AuditEvent.seq)))


def test_give_and_withdraw_consent(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        given = consent.give(uow, cid, partner="  Gemeente   Zaanstad ", scope="Brede ondersteuning",
                             given_on="01-11-2026")
        withdrawn = consent.withdraw(uow, given.id, on_date="20-11-2026")
        with pytest.raises(NotAllowed, match="al ingetrokken op 20-11-2026"):
            consent.withdraw(uow, given.id)
        with pytest.raises(NotFound):
            consent.withdraw(uow, "geen-toestemming")
    assert (given.partner, given.given_on, given.active) == (ZAANSTAD, dt.date(2026, 11, 1), True)
    assert (withdrawn.withdrawn_on, withdrawn.active) == (dt.date(2026, 11, 20), False)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"partner": "  "}, "partner"),
    ({"partner": "x" * 201}, "partner"),
    ({"scope": ""}, "scope"),
    ({"given_on": "30-11-2026"}, "given_on"),
    ({"given_on": "gisteren"}, "given_on"),
])
def test_invalid_consents_are_refused_by_field(store: Store, actor: Actor, kwargs: dict[str, Any],
                                               field: str) -> None:
    cid = _case(store, actor)
    values: dict[str, Any] = {"partner": ZAANSTAD, "scope": "Brede ondersteuning", **kwargs}
    with pytest.raises(ValidationError) as err, store.unit_of_work(actor) as uow:
        consent.give(uow, cid, **values)
    assert err.value.field == field


def test_withdrawal_date_must_lie_between_given_on_and_today(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        given = consent.give(uow, cid, partner=ZAANSTAD, scope="Schulden", given_on="10-11-2026")
    for on_date in ("09-11-2026", "30-11-2026"):
        with pytest.raises(ValidationError) as err, store.unit_of_work(actor) as uow:
            consent.withdraw(uow, given.id, on_date=on_date)
        assert err.value.field == "on_date"
    with store.unit_of_work(actor) as uow:
        same_day = consent.withdraw(uow, given.id, on_date="10-11-2026")
    assert same_day.withdrawn_on == same_day.given_on


def test_active_consent_on_a_date_is_for_exactly_that_partner(store: Store, actor: Actor) -> None:
    cid, other = _case(store, actor, 0), _case(store, actor, 1)
    with store.unit_of_work(actor) as uow:
        given = consent.give(uow, cid, partner=ZAANSTAD, scope="Brede ondersteuning", given_on="01-11-2026")
        consent.withdraw(uow, given.id, on_date="20-11-2026")
        consent.give(uow, other, partner="Gemeente Heerlen", scope="Schulden", given_on="01-11-2026")
        before = consent.active_consent(uow, cid, partner=ZAANSTAD, on_date="31-10-2026")
        during = consent.active_consent(uow, cid, partner=ZAANSTAD, on_date="19-11-2026")
        withdrawal_day = consent.active_consent(uow, cid, partner=ZAANSTAD, on_date="20-11-2026")
        today = consent.active_consent(uow, cid, partner=ZAANSTAD)
        elsewhere = consent.active_consent(uow, cid, partner="Gemeente Heerlen")
        renewed = consent.give(uow, cid, partner=ZAANSTAD, scope="Opnieuw gegeven")
        now = consent.active_consent(uow, cid, partner=ZAANSTAD)
    assert before is None and withdrawal_day is None and today is None and elsewhere is None
    assert during is not None and during.id == given.id and during.active
    assert now is not None and now.id == renewed.id


def test_disclosure_on_consent_stores_the_consent_found_and_audits_a_share(store: Store,
                                                                           actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        given = consent.give(uow, cid, partner=ZAANSTAD, scope="Brede ondersteuning", given_on="01-11-2026")
        shared = consent.record_disclosure(uow, cid, partner=ZAANSTAD, what="Naam, adres en hulpvraag",
                                           basis="toestemming", disclosed_on="05-11-2026")
        named = consent.record_disclosure(uow, cid, partner=ZAANSTAD, what="Schuldenlijst",
                                          basis="toestemming", consent_id=given.id)
    assert shared.consent_id == given.id and named.consent_id == given.id
    assert shared.basis_label == "Toestemming van de ouder" and shared.recorded_by == actor.user_id
    with store.unit_of_work(actor) as uow:
        listed = consent.for_case(uow, cid).disclosures
    assert {d.recorded_by_name for d in listed} == {"Sanne Pzb"}
    with store.unit_of_work(actor) as uow:
        assert _verbs(uow, shared.id) == ["create", "share"] and _ops(uow, shared.id) == ["insert"]
        assert _verbs(uow, given.id) == ["create"] and _ops(uow, given.id) == ["insert"]


def test_withdrawal_writes_an_outbox_row_and_an_audit_event(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        given = consent.give(uow, cid, partner=ZAANSTAD, scope="Brede ondersteuning")
    with store.unit_of_work(actor) as uow:
        consent.withdraw(uow, given.id)
    with store.unit_of_work(actor) as uow:
        assert _ops(uow, given.id) == ["insert", "update"] and _verbs(uow, given.id) == ["create", "update"]


@pytest.mark.parametrize(("setup", "kwargs"), [
    ("no consent", {}),
    ("consent for another partner", {}),
    ("withdrawn before the disclosure", {}),
    ("given after the disclosure", {"disclosed_on": "05-11-2026"}),
    ("named consent of another case", {}),
    ("named consent of another partner", {}),
])
def test_disclosure_on_consent_without_valid_consent_is_refused_and_leaves_nothing(
        store: Store, actor: Actor, setup: str, kwargs: dict[str, Any]) -> None:
    cid, other = _case(store, actor, 0), _case(store, actor, 1)
    named: str | None = None
    with store.unit_of_work(actor) as uow:
        if setup == "consent for another partner":
            consent.give(uow, cid, partner="Gemeente Heerlen", scope="Alles")
        elif setup == "withdrawn before the disclosure":
            c = consent.give(uow, cid, partner=ZAANSTAD, scope="Alles", given_on="01-11-2026")
            consent.withdraw(uow, c.id, on_date="10-11-2026")
        elif setup == "given after the disclosure":
            consent.give(uow, cid, partner=ZAANSTAD, scope="Alles", given_on="10-11-2026")
        elif setup == "named consent of another case":
            named = consent.give(uow, other, partner=ZAANSTAD, scope="Alles").id
        elif setup == "named consent of another partner":
            consent.give(uow, cid, partner=ZAANSTAD, scope="Alles")
            named = consent.give(uow, cid, partner="Gemeente Heerlen", scope="Alles").id
    with pytest.raises(NotAllowed) as err, store.unit_of_work(actor) as uow:
        consent.record_disclosure(uow, cid, partner=ZAANSTAD, what="Adres", basis="toestemming",
                                  consent_id=named, **kwargs)
    assert err.value.text() == "Er is geen geldige toestemming om gegevens te delen met Gemeente Zaanstad."
    with store.unit_of_work(actor) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Disclosure)) == 0
        assert uow.session.scalar(select(func.count()).select_from(OutboxEntry)
                                  .where(OutboxEntry.entity == "disclosure")) == 0
        assert uow.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.verb == "share")) == 0


def test_disclosure_on_another_basis_needs_no_consent(store: Store, actor: Actor) -> None:
    cid = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        legal = consent.record_disclosure(uow, cid, partner="CJIB", what="Pauzering",
                                          basis="wettelijke_plicht")
        vital = consent.record_disclosure(uow, cid, partner="Huisarts", what="Zorgen om veiligheid",
                                          basis="vitaal_belang", disclosed_on="28-11-2026")
    assert legal.consent_id is None and legal.basis_label == "Wettelijke plicht"
    assert vital.basis == "vitaal_belang" and vital.disclosed_on == dt.date(2026, 11, 28)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"basis": "nieuwsgierigheid"}, "basis"),
    ({"what": "   "}, "what"),
    ({"what": "x" * 1_001}, "what"),
    ({"partner": ""}, "partner"),
    ({"disclosed_on": "30-11-2026"}, "disclosed_on"),
    ({"consent_id": "iets"}, "consent_id"),
])
def test_invalid_disclosures_are_refused_by_field(store: Store, actor: Actor, kwargs: dict[str, Any],
                                                  field: str) -> None:
    cid = _case(store, actor)
    values: dict[str, Any] = {"partner": "CJIB", "what": "Pauzering", "basis": "wettelijke_plicht", **kwargs}
    with pytest.raises(ValidationError) as err, store.unit_of_work(actor) as uow:
        consent.record_disclosure(uow, cid, **values)
    assert err.value.field == field


def test_for_case_lists_consents_with_active_flag_and_disclosures_newest_first(store: Store,
                                                                              actor: Actor) -> None:
    cid, other = _case(store, actor, 0), _case(store, actor, 1)
    with store.unit_of_work(actor) as uow:
        old = consent.give(uow, cid, partner=ZAANSTAD, scope="Schulden", given_on="01-10-2026")
        consent.withdraw(uow, old.id, on_date="01-11-2026")
        consent.give(uow, cid, partner=ZAANSTAD, scope="Brede ondersteuning", given_on="15-11-2026")
        consent.give(uow, other, partner=ZAANSTAD, scope="Andere zaak")
        consent.record_disclosure(uow, cid, partner="CJIB", what="Eerste", basis="wettelijke_plicht",
                                  disclosed_on="02-11-2026")
        consent.record_disclosure(uow, cid, partner=ZAANSTAD, what="Derde", basis="toestemming")
        consent.record_disclosure(uow, cid, partner="CJIB", what="Tweede", basis="wettelijke_plicht",
                                  disclosed_on="20-11-2026")
        listed = consent.for_case(uow, cid)
    assert [(c.scope, c.active) for c in listed.consents] == [("Brede ondersteuning", True),
                                                              ("Schulden", False)]
    assert [d.what for d in listed.disclosures] == ["Derde", "Tweede", "Eerste"]
    with pytest.raises(NotFound), store.unit_of_work(actor) as uow:
        consent.for_case(uow, "geen-zaak")
    with pytest.raises(NotFound), store.unit_of_work(actor) as uow:
        consent.give(uow, "geen-zaak", partner=ZAANSTAD, scope="Alles")
