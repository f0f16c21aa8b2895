"""Case numbers on the device: from reserved blocks once enrolled, a clear refusal when out, former numbers found."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tests.helpers.factories import make_case
from workbench.cases import numbering
from workbench.cases.models import Case
from workbench.cases.service import CaseService
from workbench.errors import UserError
from workbench.search.service import SearchService
from workbench.store.hooks import Origin
from workbench.store.unit_of_work import Actor, Store

cases = CaseService()


def _reference(store: Store, actor: Actor, n: int) -> str:
    with store.unit_of_work(actor) as uow:
        _, case_id = make_case(uow, n)
        return cases.get(uow, case_id).reference


def test_a_profile_without_blocks_numbers_its_own_cases(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        assert numbering.numbers_left(uow.session) is None
    assert [_reference(store, actor, n) for n in range(2)] == ["UHT-2026-000001", "UHT-2026-000002"]


def test_an_enrolled_device_numbers_from_its_blocks_in_order_and_skips_a_number_it_holds(
        store: Store, actor: Actor) -> None:
    first = _reference(store, actor, 0)  # made before enrolling: UHT-2026-000001
    with store.unit_of_work(actor) as uow:
        assert numbering.add_blocks(uow.session, [(500, 501), (1, 2)]) == 2
        assert numbering.add_blocks(uow.session, [(1, 2)]) == 0  # a block it holds keeps how far it got
        assert numbering.numbers_left(uow.session) == 4
    made = [_reference(store, actor, n) for n in range(1, 4)]
    assert first == "UHT-2026-000001"
    assert made == ["UHT-2026-000002", "UHT-2026-000500", "UHT-2026-000501"]
    with store.unit_of_work(actor) as uow:
        assert numbering.numbers_left(uow.session) == 0


def test_out_of_numbers_refuses_in_dutch_and_writes_nothing(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        numbering.add_blocks(uow.session, [(7, 7)])
    _reference(store, actor, 0)
    with pytest.raises(UserError, match="Synchroniseer met de centrale") as refused:
        _reference(store, actor, 1)
    assert refused.value.field == "reference"
    with store.unit_of_work(actor) as uow:
        assert uow.session.query(Case).count() == 1


def test_a_case_is_found_by_a_former_number(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        _, case_id = make_case(uow, 0)
        _, other_id = make_case(uow, 1)
    with store.unit_of_work(actor, Origin.SYNC) as uow:  # as central renumbered it
        uow.session.execute(update(Case).where(Case.id == case_id).values(
            reference="UHT-2026-000301", former_references="UHT-2026-000001"))
    with store.unit_of_work(actor) as uow:
        assert cases.id_for_reference(uow, "UHT-2026-000301") == case_id
        assert cases.id_for_reference(uow, "uht-2026-000001") == case_id
        assert cases.id_for_reference(uow, "UHT-2026-000002") == other_id
        hits = SearchService().cases(uow, "UHT-2026-000001")
    assert [hit.case_id for hit in hits] == [case_id]
