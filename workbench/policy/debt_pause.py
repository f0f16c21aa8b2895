"""The pauzeknop for private debts: its start, its end and the debts it covers, from the dated policy tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbench.policy.versions import PolicyBook, default_book

RULE = "pauzeknop_private_schulden"


@dataclass(frozen=True)
class DebtPause:
    """The pause for private debts that started with one payment.

    Attributes:
        start: the first day of the pause: the day the parent's payments reached the Catshuis amount.
        end: the day the pause is over (not included): `months` after the start.
        debts_arisen_before: the pause covers private debts that arose before this day.
        threshold_cents: the amount the parent had to receive for the pause to start (the Catshuis amount).
        version_ids: the policy versions used (the pause table's, then the Catshuis table's).
    """

    start: dt.date
    end: dt.date
    debts_arisen_before: dt.date
    threshold_cents: int
    version_ids: tuple[str, ...]


def pause_threshold(paid_on: dt.date, book: PolicyBook | None = None) -> tuple[int, str]:
    """(amount in cents, version id): what a parent must have received on `paid_on` for the pause to start."""
    version = (book or default_book()).in_force("catshuis", paid_on)
    return version.cents("amount_cents"), version.id


def debt_pause(paid_on: dt.date, book: PolicyBook | None = None) -> DebtPause:
    """The pause that starts on `paid_on`, the day the parent's payments reached the Catshuis amount.

    Raises NotInForce (a UserError naming the date) when no version of either table covers that day.
    """
    chosen = book or default_book()
    version = chosen.in_force(RULE, paid_on)
    threshold, catshuis_id = pause_threshold(paid_on, chosen)
    return DebtPause(start=paid_on, end=add_months(paid_on, version.count("months")),
                     debts_arisen_before=version.day("debts_arisen_before"), threshold_cents=threshold,
                     version_ids=(version.id, catshuis_id))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a day the target month lacks (31 April, 29 February) becomes the 1st after."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    try:
        return dt.date(year, month, day.day)
    except ValueError:
        return dt.date(year + month // 12, month % 12 + 1, 1)
