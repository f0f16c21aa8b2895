"""A payment recorded on one laptop reaches the handler's other laptop through central, and so does its withdrawal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.devices import make_device
from tests.helpers.factories import make_case
from workbench.payments.service import PaymentService

pytestmark = pytest.mark.sync


def test_a_payment_and_its_withdrawal_travel_to_the_other_device(central: Any, tmp_path: Path,
                                                                  unique: Callable[[str], str]) -> None:
    user = unique("pzb-betaling")
    central.add_user(user, role="handler", team=unique("Team West"), password="pw")
    laptop = make_device(tmp_path, name="laptop", url=central.url, username=user, password="pw")
    tablet = make_device(tmp_path, name="tablet", url=central.url, username=user, password="pw")
    payments = PaymentService()
    try:
        with laptop.ws.unit_of_work() as uow:
            _parent, case_id = make_case(uow)
            wrong = payments.record(uow, case_id, kind="catshuis", amount_cents=3_000_000, paid_on="2026-11-02")
            right = payments.record(uow, case_id, kind="catshuis", amount_cents=3_000_000, paid_on="2026-11-05",
                                    note="Uitbetaald op de bekende rekening")
        report = laptop.sync()
        assert report.refused == 0
        tablet.sync()
        with tablet.ws.unit_of_work() as uow:
            seen = tablet.ws.payments.list_for_case(uow, case_id)
            started = tablet.ws.payments.catshuis_payment(uow, case_id)
        assert [(p.id, p.amount_cents, p.paid_on, p.note) for p in seen] == [
            (wrong.id, 3_000_000, dt.date(2026, 11, 2), ""),
            (right.id, 3_000_000, dt.date(2026, 11, 5), "Uitbetaald op de bekende rekening")]
        assert started is not None and started.id == wrong.id
        with laptop.ws.unit_of_work() as uow:
            payments.withdraw(uow, wrong.id)
        assert laptop.sync().refused == 0
        tablet.sync()
        with tablet.ws.unit_of_work() as uow:
            started = tablet.ws.payments.catshuis_payment(uow, case_id)
        assert started is not None and started.id == right.id
        assert not laptop.open_conflicts() and not tablet.open_conflicts()
    finally:
        laptop.close()
        tablet.close()
