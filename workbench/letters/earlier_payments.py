"""The earlier payments of a case from the payments register, as the facts a beschikking offsets.

Read directly from the `payment` table (workbench/payments/models.py): the kinds that are offset against an integral
assessment (Catshuis, voorschot, earlier compensation); payments to children, ex-partners or for other reasons are
not this parent's compensation and are left out [I].
"""

from __future__ import annotations

from sqlalchemy import select

from workbench.payments.models import Payment
from workbench.policy.facts import EARLIER_PAYMENT_KINDS, EarlierPayment
from workbench.store.unit_of_work import UnitOfWork


def earlier_payments(uow: UnitOfWork, case_id: str) -> tuple[EarlierPayment, ...]:
    """The case's recorded payments that a beschikking offsets, oldest first (tombstoned records left out)."""
    rows = uow.session.execute(
        select(Payment.kind, Payment.amount_cents, Payment.paid_on)
        .where(Payment.case_id == case_id, Payment.deleted_at.is_(None),
               Payment.kind.in_(tuple(EARLIER_PAYMENT_KINDS)), Payment.amount_cents > 0)
        .order_by(Payment.paid_on, Payment.id)).all()
    return tuple(EarlierPayment(kind, amount, paid_on) for kind, amount, paid_on in rows)
