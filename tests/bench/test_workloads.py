"""The bench's read workloads run on a store as the app opens it (with its hooks), and leave it unchanged."""

from __future__ import annotations

from bench import workloads as w
from tests.helpers.factories import make_case
from workbench.store.unit_of_work import Actor, Store


def test_the_encrypted_versus_plain_workload_runs_and_leaves_the_store_as_it_was(store: Store, actor: Actor) -> None:
    with store.unit_of_work(actor) as uow:
        make_case(uow)
    before = w.counts(store)
    ids = w.case_ids(store)
    assert len(ids) == 1
    assert w.open_cases(store, ids) >= 0  # opening a case records a view: the store's audit hook must be there
    assert w.case_list(store) >= 1 and w.counts(store) == before
