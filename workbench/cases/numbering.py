"""Case numbers: final from the moment they are made, from blocks central reserved for this device.

An enrolled device holds blocks of numbers reserved for it alone (received at enrollment, topped up at each
sync), so two devices offline never make the same number and central never has to change one. The number
part runs on across years: UHT-2026-000412 and UHT-2027-000413 may follow each other.

Running out offline: a block holds 100 numbers and sync tops the device up whenever fewer than 50 are left,
so a handler has 50 or more new cases of room between two syncs. With `LOW` or fewer left, `workbench sync`
says so; when none are left, opening a case is refused with a Dutch message to sync first (a case never
gets a number that might have to change). A profile that never enrolled numbers its own cases; enrolling
reconciles them (central renumbers any that clash and keeps the old number as a former number).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.cases.models import Case, CaseNumberBlock
from workbench.errors import UserError

LOW = 10
OUT_OF_NUMBERS = ("Er zijn geen zaaknummers meer over op dit apparaat. Synchroniseer met de centrale om nieuwe "
                  "zaaknummers te krijgen, en open dan de zaak.")


def reference(year: int, number: int) -> str:
    return f"UHT-{year}-{number:06d}"


def has_blocks(session: Session) -> bool:
    return session.scalar(select(CaseNumberBlock.first).limit(1)) is not None


def numbers_left(session: Session) -> int | None:
    """How many reserved numbers this device has left; None when it numbers on its own (never enrolled)."""
    if not has_blocks(session):
        return None
    left = session.scalar(select(func.sum(CaseNumberBlock.last - CaseNumberBlock.next + 1))
                          .where(CaseNumberBlock.next <= CaseNumberBlock.last))
    return int(left or 0)


def wants_more(session: Session) -> bool:
    """Fewer than half a block left (central's block size, as the largest block held shows it)."""
    left = numbers_left(session)
    size = session.scalar(select(func.max(CaseNumberBlock.last - CaseNumberBlock.first + 1)))
    return left is not None and size is not None and left < (int(size) + 1) // 2


def known_blocks(session: Session) -> list[int]:
    return list(session.scalars(select(CaseNumberBlock.first).order_by(CaseNumberBlock.first)))


def add_blocks(session: Session, blocks: Iterable[tuple[int, int]]) -> int:
    """Keep newly reserved blocks (a block already held keeps how far it was used); returns how many were new."""
    added = 0
    for first, last in blocks:
        if first > last or session.get(CaseNumberBlock, first) is not None:
            continue
        session.add(CaseNumberBlock(first=first, last=last, next=first))
        added += 1
    session.flush()
    return added


def take(session: Session, year: int) -> str:
    """The next reserved number, used up at once (the caller's transaction keeps it, or gives it back)."""
    while True:
        block = session.scalar(select(CaseNumberBlock).where(CaseNumberBlock.next <= CaseNumberBlock.last)
                               .order_by(CaseNumberBlock.first).limit(1))
        if block is None:
            raise UserError(OUT_OF_NUMBERS, field="reference")
        ref = reference(year, block.next)
        block.next += 1
        session.flush()
        # A case this profile numbered itself before it enrolled may hold this number already.
        if session.scalar(select(Case.id).where(Case.reference == ref)) is None:
            return ref


def own_next(session: Session, year: int) -> str:
    """A never-enrolled profile's next number: one past its highest of the year."""
    prefix = f"UHT-{year}-"
    last = session.scalar(select(func.max(Case.reference)).where(Case.reference.like(prefix + "%")))
    number = int(last[len(prefix):len(prefix) + 6]) + 1 if last else 1
    return reference(year, number)


def next_reference(session: Session, year: int) -> str:
    return take(session, year) if has_blocks(session) else own_next(session, year)


def renumbered(session: Session) -> list[tuple[str, str]]:
    """(number, former numbers) of every case central gave a new number, by number."""
    return [(ref, former) for ref, former in session.execute(
        select(Case.reference, Case.former_references).where(Case.former_references != "", Case.deleted_at.is_(None))
        .order_by(Case.reference))]
