"""At sync: top up this device's reserved case numbers, and give cases held under a local stand-in their number.

Before central numbered cases, a device holding two cases with one number kept the second as
``UHT-2026-000002/3F2A`` (adopt.local_reference). Central has since renumbered such duplicates and every
device pulls the new numbers; a case still held under a stand-in then gets its own number back, which
central already holds for it (nothing is pushed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.cases import numbering
from workbench.cases.models import Case
from workbench.store.hooks import Origin
from workbench.sync.protocol import NumbersRequest

if TYPE_CHECKING:
    from workbench.sync.engine import SyncEngine


def exchange(engine: SyncEngine) -> int | None:
    """When this device runs low, ask central for a new block (and any whose answer was lost); returns numbers left.

    Only a device that holds blocks and has fewer than half a block left asks (one request, not one per
    sync); central answers a repeated question the same way, so a cut answer loses no block.
    """
    with engine.store.unit_of_work(engine.actor, Origin.SYNC) as uow:
        restore_stand_ins(uow.session)
        left = numbering.numbers_left(uow.session)
        known = numbering.known_blocks(uow.session)
        low = numbering.wants_more(uow.session)
    if left is None or not low:
        return left
    answer = engine.transport.reserve_numbers(NumbersRequest(device_id=engine.actor.device_id, known=known,
                                                             left=left))
    if not answer.blocks:
        return left
    with engine.store.unit_of_work(engine.actor, Origin.SYNC) as uow:
        numbering.add_blocks(uow.session, [(b.first, b.last) for b in answer.blocks])
        return numbering.numbers_left(uow.session)


def restore_stand_ins(session: Session) -> int:
    """Cases held as ``NUMBER/XXXX`` take NUMBER back once no other case here holds it; returns how many."""
    restored = 0
    for case in session.scalars(select(Case).where(Case.reference.like("%/%"))):
        number = case.reference.split("/", 1)[0]
        if session.scalar(select(Case.id).where(Case.reference == number)) is None:
            case.reference = number
            session.flush()
            restored += 1
    return restored
