"""Final case numbers: blocks reserved per device (as Open Zaak's zaaknummer_reserveren) and one case per number.

A device numbers its new cases from blocks central reserved for it, so a number is final the moment the
device makes it, offline too. Central still checks every new case: a number that is taken, belongs to another
device's block, or is not a case number at all (a profile that numbered cases before it enrolled) is replaced
by a fresh one, and the number the device sent is kept in ``former_references`` so search still finds it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Select, Table, and_, bindparam, func, insert, or_, select
from sqlalchemy.orm import Session

from central.database import Database
from central.errors import OTHER_DEVICE, ApiError
from central.ledger import LedgerBatch
from central.models import CaseNumber, NumberBlock
from workbench.sync.protocol import MAX_CASE_NUMBER, NumberRange, NumbersRequest, NumbersResponse

if TYPE_CHECKING:
    from central.accounts import Principal

REFERENCE = re.compile(r"^UHT-(\d{4})-(\d{6})$")
# Numbers per block; a device asks for the next block at sync once it has fewer than half a block left.
BLOCK_ENV = "CENTRAL_NUMBER_BLOCK"
DEFAULT_BLOCK = 100
FIXED = "Een zaaknummer ligt vast zodra het is gemaakt; het kan niet worden gewijzigd (reference)."
EXHAUSTED = "De centrale heeft geen vrije zaaknummers meer. Meld dit bij functioneel beheer."
# RETURNING: a batch's numbers go as one INSERT with many VALUES (see central.push._INSERT_APPLIED).
_INSERT_NUMBER = insert(cast(Table, CaseNumber.__table__)).returning(CaseNumber.reference)
_TAKEN = select(CaseNumber.reference).where(CaseNumber.reference.in_(bindparam("refs", expanding=True)))
_BLOCK = cast(Table, NumberBlock.__table__)


@lru_cache(maxsize=64)
def _blocks_holding(count: int) -> Select[Any]:
    """The blocks holding any of ``count`` numbers (number_0 ..), built once per count."""
    return select(_BLOCK.c.first, _BLOCK.c.last, _BLOCK.c.device_id).where(or_(*(
        and_(_BLOCK.c.first <= bindparam(f"number_{i}"), _BLOCK.c.last >= bindparam(f"number_{i}"))
        for i in range(count))))


def block_size() -> int:
    try:
        size = int(os.environ.get(BLOCK_ENV, DEFAULT_BLOCK))
    except ValueError:
        size = DEFAULT_BLOCK
    return max(1, min(size, 10_000))


def _highest(session: Session) -> int:
    blocks = session.scalar(select(func.max(NumberBlock.last))) or 0
    used = session.scalar(select(func.max(CaseNumber.number))) or 0
    return max(int(blocks), int(used))


def _reserve(session: Session, device_id: str, now: dt.datetime) -> NumberBlock:
    """A new block above every number given out so far (the caller holds the write lock)."""
    first = _highest(session) + 1
    last = min(first + block_size() - 1, MAX_CASE_NUMBER)
    if first > MAX_CASE_NUMBER:
        raise ApiError(409, EXHAUSTED)
    block = NumberBlock(first=first, last=last, device_id=device_id, reserved_at=now)
    session.add(block)
    session.flush()
    return block


def _ranges(blocks: list[NumberBlock]) -> list[NumberRange]:
    return [NumberRange(first=b.first, last=b.last) for b in sorted(blocks, key=lambda b: b.first)]


def blocks_at_enrollment(session: Session, device_id: str, now: dt.datetime) -> list[NumberRange]:
    """Every block of the device, reserving its first one when it has none: a retried enroll gets the same."""
    blocks = list(session.scalars(select(NumberBlock).where(NumberBlock.device_id == device_id)))
    if not blocks:
        blocks = [_reserve(session, device_id, now)]
    return _ranges(blocks)


def _unused(session: Session, block: NumberBlock) -> bool:
    found = session.scalar(select(CaseNumber.reference).where(
        CaseNumber.number >= block.first, CaseNumber.number <= block.last).limit(1))
    return found is None


def top_up(db: Database, user: Principal, request: NumbersRequest, now: dt.datetime) -> NumbersResponse:
    """The device's blocks it did not list, plus a new one when it runs low.

    A device that still holds a block of which central has seen no case gets no new one: a device cannot
    drain the numbers by claiming it has none left (a block a day is the most it can waste).
    """
    if request.device_id != user.device_id:
        raise ApiError(403, OTHER_DEVICE)
    known = set(request.known)
    with db.write() as session:
        blocks = list(session.scalars(select(NumberBlock).where(NumberBlock.device_id == user.device_id)))
        missing = [b for b in blocks if b.first not in known]
        left = request.left + sum(b.last - b.first + 1 for b in missing)
        if left < (block_size() + 1) // 2 and not any(_unused(session, b) for b in blocks if b.first in known):
            missing.append(_reserve(session, user.device_id, now))
    return NumbersResponse(blocks=_ranges(missing))


class NumberBook:
    """The case numbers of one push: the sent numbers checked with two reads, new ones written with the batch."""

    def __init__(self, session: Session, batch: LedgerBatch, references: Iterable[object]) -> None:
        self._session, self._batch = session, batch
        sent = {ref: int(m.group(2)) for ref in references
                if isinstance(ref, str) and (m := REFERENCE.match(ref)) is not None}
        self._taken: dict[str, bool] = dict.fromkeys(sent, False)
        self._owners: dict[int, str | None] = dict.fromkeys(sent.values())
        self._highest: int | None = None
        self._added = 0  # the highest number this batch gave out
        if sent:
            refs, numbers = sorted(sent), sorted(set(sent.values()))
            for ref in session.connection().execute(_TAKEN, {"refs": refs}).scalars():
                self._taken[ref] = True
            blocks = session.connection().execute(_blocks_holding(len(numbers)),
                                                  {f"number_{i}": n for i, n in enumerate(numbers)})
            for first, last, device_id in blocks:
                for number in numbers:
                    if first <= number <= last:
                        self._owners[number] = device_id

    def owner(self, number: int) -> str | None:
        """The device whose block holds ``number`` (None: no block does)."""
        if number not in self._owners:
            self._owners[number] = self._session.scalar(select(NumberBlock.device_id).where(
                NumberBlock.first <= number, NumberBlock.last >= number))
        return self._owners[number]

    def taken(self, reference: str) -> bool:
        if reference not in self._taken:
            self._taken[reference] = self._session.get(CaseNumber, reference) is not None
        return self._taken[reference]

    def highest(self) -> int:
        """The highest number given out so far (in a block, to a case, or earlier in this batch)."""
        if self._highest is None:
            self._highest = _highest(self._session)
        return max(self._highest, self._added)

    def add(self, reference: str, case_id: str, number: int) -> None:
        self._batch.later(_INSERT_NUMBER, {"reference": reference, "case_id": case_id, "number": number})
        self._taken[reference] = True
        self._added = max(self._added, number)


def settle(book: NumberBook, user: Principal, case_id: str, taken: dict[str, Any], *, is_new: bool,
           stored: dict[str, Any] | None, now: dt.datetime) -> str | bool:
    """Check the case number of a pushed case; returns a Dutch refusal, or whether central renumbered it.

    ``taken`` is what central is about to write; a renumbered case gets its fresh number there, and the
    number the device sent goes to ``former_references``.
    """
    if not is_new:
        for name in ("reference", "former_references"):
            if name in taken and taken[name] != (stored or {}).get(name, "" if name == "former_references" else None):
                return FIXED
        return False
    sent = taken.get("reference")
    match = REFERENCE.match(sent) if isinstance(sent, str) else None
    if match is not None and isinstance(sent, str):
        number = int(match.group(2))
        if book.owner(number) in (None, user.device_id) and not book.taken(sent):
            book.add(sent, case_id, number)
            taken.setdefault("former_references", "")
            return False
    year = int(match.group(1)) if match is not None else _year(taken.get("opened_on"), now)
    number = book.highest() + 1
    if number > MAX_CASE_NUMBER:
        return EXHAUSTED
    fresh = f"UHT-{year}-{number:06d}"
    book.add(fresh, case_id, number)
    taken["reference"] = fresh
    taken["former_references"] = sent[:200] if isinstance(sent, str) else ""
    return True


def _year(opened_on: Any, now: dt.datetime) -> int:
    if isinstance(opened_on, str) and len(opened_on) >= 4 and opened_on[:4].isdigit():
        return int(opened_on[:4])
    return now.year
