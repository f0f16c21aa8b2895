"""Each device's audit-chain tip, held by central: a claim must extend it, or the device is refused and flagged.

A device's store and keyring sit on one laptop; a person with the passphrase can roll both back, or rewrite
and rehash the chain and its keyring anchor together. Central holds the newest tip the device proved
(sequence, hash) and its anchor counter. Every sync the device claims its new tip together with its own hash
of the event at the sequence central holds (``AnchorClaim``); it remembers that sequence from the last answer,
and asks (``GET``) only when central answers that it holds another (409, ``ANCHOR_MOVED``). A claim
with a lower counter or sequence, or whose hash at the held sequence differs, does not extend the tip:
it is refused with a Dutch reason and the device is flagged; a flagged device can no longer push.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, cast

from sqlalchemy import CursorResult, Table, bindparam, select, update
from sqlalchemy.orm import Session

from central.accounts import Principal
from central.database import Database
from central.errors import OTHER_DEVICE, ApiError
from central.models import DeviceAnchor, Stamp
from workbench.sync.protocol import ANCHOR_MOVED, AnchorClaim, AnchorHeld

log = logging.getLogger(__name__)
_ANCHOR = cast(Table, DeviceAnchor.__table__)
# The usual claim's one statement, built once (every sync sends a claim): the held tip is unflagged and the claim's
# base, and the counter did not go down.
_EXTEND = update(_ANCHOR).where(
    _ANCHOR.c.device_id == bindparam("k_device_id"), _ANCHOR.c.flagged_at.is_(None),
    _ANCHOR.c.seq == bindparam("base_seq"), _ANCHOR.c.hash == bindparam("base_hash"),
    _ANCHOR.c.counter <= bindparam("k_counter"),
).values(seq=bindparam("seq"), hash=bindparam("hash"), counter=bindparam("counter"),
         anchored_at=bindparam("anchored_at", type_=Stamp()))

FLAGGED = ("Dit apparaat is gemarkeerd: zijn auditlogboek sloot niet aan op wat de centrale al kende ({reason}). "
           "De centrale neemt geen wijzigingen meer aan van dit apparaat. Neem contact op met de servicedesk.")
ROLLED_BACK = ("het auditlogboek is teruggezet: de centrale kende al gebeurtenis {held}, het apparaat meldt "
               "gebeurtenis {seq}")
COUNTER_BACK = ("het controlepunt in de sleutelbos is teruggezet: de centrale kende teller {held}, het apparaat "
                "meldt teller {counter}")
REWRITTEN = "het auditlogboek is herschreven: gebeurtenis {held} is niet meer dezelfde als bij de vorige synchronisatie"
MOVED = ("De centrale heeft intussen een nieuwer controlepunt van dit apparaat (gebeurtenis {held}). "
         "Synchroniseer opnieuw.")
INCONSISTENT = "De melding van het auditlogboek klopt niet met zichzelf (gebeurtenis {seq}); synchroniseer opnieuw."


def held(db: Database, user: Principal) -> AnchorHeld:
    """The tip central holds for the asking device (0, 0 before its first claim)."""
    with db.read() as session:
        row = session.get(DeviceAnchor, user.device_id)
        if row is not None and row.flagged_at is not None:
            raise ApiError(409, FLAGGED.format(reason=row.flag_reason))
        return AnchorHeld(seq=row.seq, counter=row.counter) if row is not None else AnchorHeld(seq=0, counter=0)


def _break(row: DeviceAnchor, claim: AnchorClaim) -> str | None:
    """Why the claim cannot extend the held tip whatever its proof (Dutch), or None."""
    if claim.counter < row.counter:
        return COUNTER_BACK.format(held=row.counter, counter=claim.counter)
    if claim.seq < row.seq:
        return ROLLED_BACK.format(held=row.seq, seq=claim.seq)
    return None


def _extend(session: Session, body: AnchorClaim, now: dt.datetime) -> bool:
    """The usual claim in one statement: the held tip is unflagged and the claim's base, its counter did not go
    down, and the claim is consistent with itself. False: nothing changed, `claim` looks closer."""
    if body.seq < body.base_seq or (body.seq == body.base_seq and body.hash != body.base_hash):
        return False
    done = session.connection().execute(_EXTEND, {
        "k_device_id": body.device_id, "base_seq": body.base_seq, "base_hash": body.base_hash,
        "k_counter": body.counter, "seq": body.seq, "hash": body.hash, "counter": body.counter,
        "anchored_at": now})
    return bool(cast(CursorResult[Any], done).rowcount == 1)


def claim(db: Database, user: Principal, body: AnchorClaim, now: dt.datetime) -> AnchorHeld:
    """Take the device's new tip if it extends the held one; otherwise flag the device and refuse (409)."""
    if body.device_id != user.device_id:
        raise ApiError(403, OTHER_DEVICE)
    with db.write(device_only=body.device_id) as session:
        if _extend(session, body, now):
            return AnchorHeld(seq=body.seq, counter=body.counter)
        row = session.get(DeviceAnchor, body.device_id)
        if row is not None and row.flagged_at is not None:
            raise ApiError(409, FLAGGED.format(reason=row.flag_reason))
        if row is None:
            if body.base_seq != 0:
                raise ApiError(409, MOVED.format(held=0), code=ANCHOR_MOVED)
            session.add(DeviceAnchor(device_id=body.device_id, seq=body.seq, hash=body.hash, counter=body.counter,
                                     anchored_at=now, flag_reason=""))
            return AnchorHeld(seq=body.seq, counter=body.counter)
        refusal = _break(row, body)
        if refusal is None and (body.seq, body.hash) == (row.seq, row.hash):
            # The very tip central holds, claimed again (the answer to the claim was lost on the way back): the
            # same chain, whatever sequence the claim built on; nothing to prove, nothing to ask.
            row.counter, row.anchored_at = body.counter, now
            return AnchorHeld(seq=row.seq, counter=row.counter)
        if refusal is None and body.base_seq != row.seq:
            # Another sync of the same device anchored in between: not a break, ask again.
            raise ApiError(409, MOVED.format(held=row.seq), code=ANCHOR_MOVED)
        if refusal is None and body.base_hash != row.hash:
            refusal = REWRITTEN.format(held=row.seq)
        if refusal is None:
            if body.seq == body.base_seq and body.hash != body.base_hash:
                raise ApiError(422, INCONSISTENT.format(seq=body.seq))
            row.seq, row.hash, row.counter, row.anchored_at = body.seq, body.hash, body.counter, now
            return AnchorHeld(seq=row.seq, counter=row.counter)
        # The flag is committed with this transaction; the refusal is raised after it.
        row.flagged_at, row.flag_reason = now, refusal[:500]
        held_seq = row.seq
    log.warning("anchor refused device=%s user=%s held_seq=%d claim_seq=%d", body.device_id, user.user_id,
                held_seq, body.seq)
    raise ApiError(409, FLAGGED.format(reason=refusal))


def refuse_flagged(session: Session, device_id: str) -> None:
    """Inside a push: a flagged device's changes are not taken (409 with the reason)."""
    reason = session.scalar(select(DeviceAnchor.flag_reason).where(
        DeviceAnchor.device_id == device_id, DeviceAnchor.flagged_at.is_not(None)))
    if reason is not None:
        raise ApiError(409, FLAGGED.format(reason=reason))


def clear_flag(db: Database, device_id: str) -> bool:
    """An administrator's decision after investigation: forget the held tip, so the next claim starts afresh."""
    with db.write(device_only=device_id) as session:
        row = session.get(DeviceAnchor, device_id)
        if row is None:
            return False
        session.delete(row)
        return True
