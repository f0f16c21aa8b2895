"""Before each sync: prove to central that this device's audit chain extends the tip central holds.

The device claims its current tip, its keyring anchor counter and its own hash of the event at the sequence
central holds (never told the hash). It remembers that sequence from central's last answer, so the claim
needs no request of its own: it travels with the sync's first push (workbench.sync.rounds); when central holds
another one (another sync of this device anchored, an administrator
cleared the flag, central was put back), central says so, the device asks which and claims again. A store
rolled back, replaced, or rewritten and rehashed together with its keyring anchor has another hash at the
held sequence (or no such event), or a lower sequence or counter: central refuses the sync with a reason and
flags the device (central.anchors). What the device remembers only picks the first try; central decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.audit import chain
from workbench.audit.anchor import AnchorKeeper
from workbench.audit.journal import anchor_of
from workbench.store.hooks import Origin
from workbench.sync import state
from workbench.sync.protocol import ANCHOR_MOVED, AnchorClaim, AnchorHeld
from workbench.sync.transport import CentralRefused

if TYPE_CHECKING:
    from workbench.sync.engine import SyncEngine

HELD = "anchor_held"  # the sequence central held at its last answer
MISSING = "0" * 64  # sent as our hash when our chain has no event at central's sequence: it cannot match


def exchange(engine: SyncEngine, *, ask: bool = False) -> None:
    """Claim the current tip; raises CentralRefused (with central's Dutch reason) when it is not accepted.

    The first claim builds on the held sequence central last answered (``ask``: central just said it holds
    another, so the device asks first); when central holds another, the device asks and claims again, and once
    more should a sync of this same device anchor in between.
    """
    keeper = anchor_of(engine.store)
    if keeper is None:
        return
    # On the sequence central held at its last answer, when known.
    claim = None if ask else _claim(engine, keeper, None)
    asked = 0
    while True:
        if claim is None:
            asked += 1
            claim = _claim(engine, keeper, engine.transport.anchor_held().seq)
        assert claim is not None
        try:
            answer = engine.transport.claim_anchor(claim)
            break
        except CentralRefused as exc:
            if asked == 2 or not moved(exc):
                raise
            claim = None
    taken(engine, claim, answer, asked=bool(asked))


def opening_claim(engine: SyncEngine) -> AnchorClaim | None:
    """The claim a sync's round trip carries (engine.push): on the sequence central held at its last answer.

    None when the store keeps no anchor, or remembers no answer yet: then `exchange` claims on its own first.
    """
    keeper = anchor_of(engine.store)
    return _claim(engine, keeper, None) if keeper is not None else None


def taken(engine: SyncEngine, claim: AnchorClaim, answer: AnchorHeld, *, asked: bool = False) -> None:
    """Remember the sequence central holds after it took ``claim`` (``asked``: the claim built on an asked one)."""
    if asked or answer.seq != claim.base_seq:  # a sync with no new event leaves what it remembers as it was
        with engine.store.unit_of_work(engine.actor, Origin.SYNC) as uow:
            state.put(uow.session, HELD, str(answer.seq))


def _claim(engine: SyncEngine, keeper: AnchorKeeper, held: int | None) -> AnchorClaim | None:
    """The claim on ``held`` (None: on the remembered sequence; None back when nothing is remembered)."""
    with engine.store.unit_of_work(engine.actor) as uow:
        if held is None:
            remembered = state.get(uow.session, HELD)
            if remembered is None:
                return None
            held = int(remembered)
        seq, tip_hash = chain.tip(uow.session)
        base = chain.hash_at(uow.session, held) if held <= seq else None
    keeper.flush()
    anchored = keeper.read()
    counter = anchored.counter if anchored is not None else 0
    return AnchorClaim(device_id=engine.actor.device_id, seq=seq, hash=tip_hash, counter=counter,
                       base_seq=held, base_hash=base or MISSING)


def moved(exc: CentralRefused) -> bool:
    """Central holds another tip than the claim built on (a central of an earlier version says it in words)."""
    return exc.status == 409 and (exc.code == ANCHOR_MOVED or "Synchroniseer opnieuw" in exc.message)
