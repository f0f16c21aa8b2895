"""The payments register: recording with checked input, listing, withdrawing, and the payment that starts the pause."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.helpers.factories import make_case
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.parties.service import ParentService
from workbench.payments.models import Payment
from workbench.payments.service import PaymentService
from workbench.policy.debt_pause import add_months, debt_pause
from workbench.policy.versions import NotInForce
from workbench.store.unit_of_work import Actor, Store
from workbench.sync.models import OutboxEntry

payments = PaymentService()


def _case(store: Store, actor: Actor, n: int = 0) -> str:
    with store.unit_of_work(actor) as uow:
        return make_case(uow, n)[1]


def test_a_payment_is_recorded_listed_and_queued_for_sync(store: Store, actor: Actor) -> None:
    case_id = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        later = payments.record(uow, case_id, kind="voorschot", amount_cents=500_000, paid_on="15-11-2026",
                                note="  Voorschot na gesprek  ")
        first = payments.record(uow, case_id, kind="catshuis", amount_cents=3_000_000, paid_on="2026-11-01")
    with store.unit_of_work(actor) as uow:
        listed = payments.list_for_case(uow, case_id)
        ops = list(uow.session.scalars(select(OutboxEntry.entity).where(OutboxEntry.row_id == first.id)))
    assert [p.id for p in listed] == [first.id, later.id]  # by payment date, not by recording order
    assert listed[1].note == "Voorschot na gesprek" and listed[1].recipient == "ouder"
    assert listed[0].describe() == "Catshuisbetaling van € 30.000,00 op 1 november 2026"
    assert ops == ["payment"]


@pytest.mark.parametrize(("values", "field", "fragment"), [
    ({"amount_cents": 0}, "amount_cents", "groter zijn dan € 0,00"),
    ({"amount_cents": -100}, "amount_cents", "groter zijn dan € 0,00"),
    ({"amount_cents": 30000.5}, "amount_cents", "heel aantal centen"),
    ({"amount_cents": "30000"}, "amount_cents", "heel aantal centen"),
    ({"amount_cents": True}, "amount_cents", "heel aantal centen"),
    ({"paid_on": "2026-11-30"}, "paid_on", "in de toekomst"),
    ({"paid_on": "31-02-2026"}, "paid_on", "geen geldige datum"),
    ({"paid_on": ""}, "paid_on", "verplicht"),
    ({"kind": "cadeau"}, "kind", "Soort betaling is onbekend"),
    ({"recipient": "buurvrouw"}, "recipient", "Ontvanger moet de ouder zijn"),
    ({"note": "x" * 501}, "note", "te lang"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
        store: Store, actor: Actor, values: dict[str, object], field: str, fragment: str) -> None:
    case_id = _case(store, actor)
    good: dict[str, object] = {"kind": "catshuis", "amount_cents": 3_000_000, "paid_on": "2026-11-29"}
    with store.unit_of_work(actor) as uow, pytest.raises(ValidationError) as err:
        payments.record(uow, case_id, **{**good, **values})  # type: ignore[arg-type]
    assert err.value.field == field and fragment in err.value.text()
    with store.unit_of_work(actor) as uow:
        assert payments.list_for_case(uow, case_id) == []


def test_a_child_of_this_parent_can_be_paid_but_not_a_child_of_another(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, case_id = make_case(uow)
        other_parent, _other_case = make_case(uow, 1)
        own = ParentService().add_child(uow, parent_id, achternaam="Jansen", voornamen="Sem")
        stranger = ParentService().add_child(uow, other_parent, achternaam="Bakker", voornamen="Noor")
        paid = payments.record(uow, case_id, kind="kindregeling", amount_cents=1_000_000, paid_on="2026-11-20",
                               recipient=own.id)
        with pytest.raises(ValidationError) as err:
            payments.record(uow, case_id, kind="kindregeling", amount_cents=1_000_000, paid_on="2026-11-20",
                            recipient=stranger.id)
    assert paid.recipient == own.id and err.value.field == "recipient"


def test_the_pause_starts_with_the_payment_that_brings_the_parent_to_the_catshuis_amount(
        store: Store, actor: Actor) -> None:
    case_id = _case(store, actor)
    with store.unit_of_work(actor) as uow:
        assert payments.catshuis_payment(uow, case_id) is None
        payments.record(uow, case_id, kind="voorschot", amount_cents=2_000_000, paid_on="2026-10-01")
        assert payments.catshuis_payment(uow, case_id) is None  # EUR 20,000 is not enough
        reaching = payments.record(uow, case_id, kind="compensatie", amount_cents=1_000_000, paid_on="2026-10-20")
        payments.record(uow, case_id, kind="catshuis", amount_cents=3_000_000, paid_on="2026-11-01")
        found = payments.catshuis_payment(uow, case_id)
    assert found is not None and found.id == reaching.id and found.paid_on == dt.date(2026, 10, 20)


def test_a_childs_own_payment_does_not_count_and_a_withdrawn_payment_is_gone(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        parent_id, case_id = make_case(uow)
        child = ParentService().add_child(uow, parent_id, achternaam="Jansen", voornamen="Sem")
        payments.record(uow, case_id, kind="kindregeling", amount_cents=5_000_000, paid_on="2026-09-01",
                        recipient=child.id)
        assert payments.catshuis_payment(uow, case_id) is None
        wrong = payments.record(uow, case_id, kind="catshuis", amount_cents=3_000_000, paid_on="2026-10-01")
        right = payments.record(uow, case_id, kind="catshuis", amount_cents=3_000_000, paid_on="2026-10-08")
        found = payments.catshuis_payment(uow, case_id)
        assert found is not None and found.id == wrong.id
        payments.withdraw(uow, wrong.id)
        found = payments.catshuis_payment(uow, case_id)
        assert found is not None and found.id == right.id
        with pytest.raises(NotFound):
            payments.withdraw(uow, wrong.id)
    with pytest.raises(NotAllowed), store.unit_of_work(actor) as uow:
        row = uow.session.get(Payment, right.id)
        assert row is not None
        row.amount_cents = 1  # a recorded payment is never edited


def test_the_pause_lasts_twelve_months_from_the_policy_table() -> None:
    pause = debt_pause(dt.date(2026, 11, 1))
    assert (pause.start, pause.end) == (dt.date(2026, 11, 1), dt.date(2027, 11, 1))
    assert pause.debts_arisen_before == dt.date(2021, 6, 1) and pause.threshold_cents == 3_000_000
    assert pause.version_ids == ("uht-pauzeknop-2022-11-05", "wht-catshuis-2022-11-05")
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 3, 1)
    assert add_months(dt.date(2026, 12, 31), 2) == dt.date(2027, 3, 1)
    with pytest.raises(NotInForce) as err:
        debt_pause(dt.date(2021, 3, 1))
    assert "1 maart 2021" in err.value.text()
