"""Before each sync: prove to central that this device's audit chain extends the tip central holds.

Central answers which sequence it holds (never the hash); the device sends its current tip, its keyring
anchor counter and its own hash of the event at the held sequence. A store rolled back, replaced, or
rewritten and rehashed together with its keyring anchor has another hash there (or no such event): central
refuses the sync with a reason and flags the device (central.anchors).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.audit import chain
from workbench.audit.journal import anchor_of
from workbench.sync.protocol import AnchorClaim
from workbench.sync.transport import CentralRefused

if TYPE_CHECKING:
    from workbench.sync.engine import SyncEngine

MISSING = "0" * 64  # sent as our hash when our chain has no event at central's sequence: it cannot match


def exchange(engine: SyncEngine) -> None:
    """Claim the current tip; raises CentralRefused (with central's Dutch reason) when it is not accepted.

    A sync of this same device that anchored in between makes central ask again; that is retried once.
    """
    keeper = anchor_of(engine.store)
    if keeper is None:
        return
    for attempt in (1, 2):
        held = engine.transport.anchor_held()
        with engine.store.unit_of_work(engine.actor) as uow:
            seq, tip_hash = chain.tip(uow.session)
            base = chain.hash_at(uow.session, held.seq) if held.seq <= seq else None
        keeper.flush()
        anchored = keeper.read()
        counter = anchored.counter if anchored is not None else 0
        claim = AnchorClaim(device_id=engine.actor.device_id, seq=seq, hash=tip_hash, counter=counter,
                            base_seq=held.seq, base_hash=base or MISSING)
        try:
            engine.transport.claim_anchor(claim)
            return
        except CentralRefused as exc:
            if attempt == 2 or exc.status != 409 or "Synchroniseer opnieuw" not in exc.message:
                raise
