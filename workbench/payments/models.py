"""ORM model for payments (betalingen): what was paid, to whom, on which day, and on which decision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workbench.payments.kinds import PAYMENT_KINDS as PAYMENT_KINDS
from workbench.store.schema import AppendOnly, Base, CaseScope, Syncable


class Payment(AppendOnly, Syncable, Base):
    """One payment as it was made; a wrong record is tombstoned and recorded again, never edited."""

    __tablename__ = "payment"
    __entity__ = "payment"
    __case_scope__ = CaseScope(case="case_id")
    # Only the tombstone may be set later: withdrawing a payment recorded by mistake.
    MUTABLE_FIELDS = frozenset({"deleted_at"})

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(Integer())
    paid_on: Mapped[dt.date] = mapped_column(Date())
    # Who received it: "ouder", or a child's id for a kindregeling payment into the child's own account.
    recipient: Mapped[str] = mapped_column(String(40), default="ouder", server_default="ouder")
    letter_id: Mapped[str | None] = mapped_column(ForeignKey("letter.id"), nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")
