"""The keyring anchor: advanced after each commit in the background, never backwards, compared at open."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.helpers.fakes import MemorySecrets
from workbench.audit import anchor, chain
from workbench.audit.journal import AuditJournal
from workbench.store.unit_of_work import Actor, Store

PROFILE = "profiel-1"


def _save(store: Store, actor: Actor, n: int = 1) -> None:
    for _ in range(n):
        with store.unit_of_work(actor) as uow:
            uow.audit(chain.AuditEntry("view", "case", "00000000-0000-4000-8000-000000000001"))


def _tip(store: Store, actor: Actor) -> tuple[int, str]:
    with store.unit_of_work(actor) as uow:
        return chain.tip(uow.session)


def _check(store: Store, actor: Actor, keeper: anchor.AnchorKeeper) -> anchor.AnchorCheck:
    with store.unit_of_work(actor) as uow:
        return anchor.check(uow.session, keeper.read())


@pytest.fixture
def keeper(store: Store) -> anchor.AnchorKeeper:
    made = anchor.AnchorKeeper(MemorySecrets(), PROFILE)
    journal = store.hook(AuditJournal)
    assert journal is not None
    journal.anchor = made
    return made


def test_every_commit_that_appends_events_moves_the_anchor(store: Store, actor: Actor,
                                                           keeper: anchor.AnchorKeeper) -> None:
    _save(store, actor, 3)
    keeper.flush()
    held = keeper.read()
    assert held is not None and (held.seq, held.hash) == _tip(store, actor)
    assert 1 <= held.counter <= 3
    before = held.counter
    with store.unit_of_work(actor):
        pass  # nothing appended: nothing anchored
    keeper.flush()
    assert keeper.read() == held
    _save(store, actor)
    keeper.flush()
    after = keeper.read()
    assert after is not None and after.counter == before + 1 and _check(store, actor, keeper).state == "ok"


def test_the_anchor_never_goes_back(keeper: anchor.AnchorKeeper) -> None:
    keeper.advance(10, "a" * 64)
    assert keeper.advance(7, "b" * 64) == anchor.Anchor(10, "a" * 64, 1)


def test_a_failing_keyring_never_fails_the_save_and_the_next_one_anchors(store: Store, actor: Actor,
                                                                        keeper: anchor.AnchorKeeper) -> None:
    secrets = keeper._secrets
    assert isinstance(secrets, MemorySecrets)
    secrets.fail_next = "set"
    _save(store, actor)
    keeper.flush()
    assert keeper.failed_writes == 1 and keeper.read() is None
    _save(store, actor)
    keeper.flush()
    held = keeper.read()
    assert keeper.failed_writes == 0 and held is not None and held.seq == _tip(store, actor)[0]


def test_store_behind_or_unlike_the_anchor_is_caught(store: Store, actor: Actor,
                                                     keeper: anchor.AnchorKeeper) -> None:
    _save(store, actor, 4)
    keeper.close()
    seq, _ = _tip(store, actor)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE seq = :s"), {"s": seq})
    verdict = _check(store, actor, keeper)
    assert verdict.state == "rolled_back" and not verdict.ok and "teruggezet" in verdict.message
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET hash = :h WHERE seq = :s"), {"h": "c" * 64, "s": seq - 1})
    keeper.advance(seq - 1, "d" * 64)  # ignored: the anchor stays at seq
    assert _check(store, actor, keeper).state == "rolled_back"


@pytest.mark.parametrize("text_", ["{", "[]", '{"v": 1, "seq": -1, "hash": "' + "a" * 64 + '", "counter": 1}',
                                   '{"v": 1, "seq": 3, "hash": "XYZ", "counter": 1}',
                                   '{"v": 1, "seq": true, "hash": "' + "a" * 64 + '", "counter": 1}'])
def test_a_damaged_anchor_entry_is_reported_not_crashed(text_: str) -> None:
    with pytest.raises(anchor.StoreTampered, match="beschadigd"):
        anchor.Anchor.parse(text_)
