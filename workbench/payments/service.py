"""Use cases for the payments register: record what was paid, list it, and find the payment that started the pause."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import literal_column, select

from workbench.cases.models import Case
from workbench.clock import today
from workbench.dates import dutch_date, parse_date
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.money import format_euro
from workbench.parties.models import Child
from workbench.payments.kinds import PARENT as PARENT
from workbench.payments.models import PAYMENT_KINDS, Payment
from workbench.policy.debt_pause import pause_threshold
from workbench.store.unit_of_work import UnitOfWork

MAX_NOTE = 500
# Dutch names of the kinds, for messages and lists.
KIND_LABELS = {"catshuis": "Catshuisbetaling", "voorschot": "Voorschot", "compensatie": "Compensatie",
               "ogs": "O/GS-tegemoetkoming", "kindregeling": "Kindregeling", "ex_partner": "Ex-partnerregeling",
               "overig": "Overige betaling"}


@dataclass(frozen=True)
class PaymentInfo:
    """One recorded payment; `recipient` is "ouder" or the id of the child paid into their own account."""

    id: str
    case_id: str
    kind: str
    kind_label: str
    amount_cents: int
    paid_on: dt.date
    recipient: str
    note: str
    letter_id: str | None

    def describe(self) -> str:
        """`Catshuisbetaling van € 30.000,00 op 1 november 2026`."""
        return f"{self.kind_label} van {format_euro(self.amount_cents)} op {dutch_date(self.paid_on)}"


def _info(row: Payment) -> PaymentInfo:
    return PaymentInfo(id=row.id, case_id=row.case_id, kind=row.kind, kind_label=KIND_LABELS.get(row.kind, row.kind),
                       amount_cents=row.amount_cents, paid_on=row.paid_on, recipient=row.recipient, note=row.note,
                       letter_id=row.letter_id)


def valid_kind(kind: str) -> str:
    if kind not in PAYMENT_KINDS:
        raise ValidationError(f"Soort betaling is onbekend: kies uit {', '.join(KIND_LABELS.values())}.",
                              field="kind")
    return kind


def valid_amount(amount_cents: object) -> int:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise ValidationError("Bedrag moet een heel aantal centen zijn (bijvoorbeeld 3000000 voor € 30.000,00).",
                              field="amount_cents")
    if amount_cents <= 0:
        raise ValidationError("Bedrag moet groter zijn dan € 0,00.", field="amount_cents")
    return amount_cents


class PaymentService:
    """Payments are recorded as they were made and never edited; a wrong record is withdrawn and recorded again."""

    def _case(self, uow: UnitOfWork, case_id: str) -> Case:
        row = uow.session.get(Case, case_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("Deze zaak bestaat niet (meer) op dit apparaat.")
        return row

    def _recipient(self, uow: UnitOfWork, case: Case, recipient: str) -> str:
        value = (recipient or "").strip()
        if value == PARENT:
            return value
        child = uow.session.get(Child, value) if value else None
        if child is None or child.deleted_at is not None or child.parent_id != case.parent_id:
            raise ValidationError("Ontvanger moet de ouder zijn of een kind van deze ouder.", field="recipient")
        return value

    def record(self, uow: UnitOfWork, case_id: str, *, kind: str, amount_cents: int, paid_on: str | dt.date,
               recipient: str = PARENT, note: str = "") -> PaymentInfo:
        """Record a payment that was made; ValidationError naming the field for bad input, nothing written."""
        case = self._case(uow, case_id)
        day = parse_date(paid_on, field="paid_on", label="Betaaldatum")
        assert day is not None
        if day > today(uow.clock):
            raise ValidationError("Betaaldatum ligt in de toekomst: leg alleen betalingen vast die zijn gedaan.",
                                  field="paid_on")
        text = (note or "").strip()
        if len(text) > MAX_NOTE:
            raise ValidationError(f"Toelichting is te lang (maximaal {MAX_NOTE} tekens).", field="note")
        row = Payment(case_id=case.id, kind=valid_kind(kind), amount_cents=valid_amount(amount_cents), paid_on=day,
                      recipient=self._recipient(uow, case, recipient), note=text)
        uow.session.add(row)
        uow.session.flush()
        return _info(row)

    def withdraw(self, uow: UnitOfWork, payment_id: str) -> None:
        """Tombstone a payment recorded by mistake; the register keeps it as withdrawn."""
        row = uow.session.get(Payment, payment_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("Deze betaling bestaat niet (meer) op dit apparaat.")
        if row.letter_id is not None:
            raise NotAllowed("Deze betaling hoort bij een verstuurde brief en kan niet worden ingetrokken.")
        row.deleted_at = uow.clock.now()
        uow.session.flush()

    def list_for_case(self, uow: UnitOfWork, case_id: str) -> list[PaymentInfo]:
        """The case's payments, oldest first (by payment date, then the order they were recorded in)."""
        self._case(uow, case_id)
        rows = uow.session.scalars(
            select(Payment).where(Payment.case_id == case_id, Payment.deleted_at.is_(None))
            .order_by(Payment.paid_on, literal_column("payment.rowid")))
        return [_info(row) for row in rows]

    def catshuis_payment(self, uow: UnitOfWork, case_id: str) -> PaymentInfo | None:
        """The payment with which the parent had received the Catshuis amount or more; None if not yet.

        That is the first payment to the parent (not a child's own account) at which the running total of
        payments to the parent reaches the Catshuis amount in force on that payment's date; a recorded
        Catshuis payment of that amount is such a payment. The pause for private debts starts on its date.
        """
        total = 0
        for payment in self.list_for_case(uow, case_id):
            if payment.recipient != PARENT:
                continue
            total += payment.amount_cents
            threshold, _version = pause_threshold(payment.paid_on)
            if total >= threshold:
                return payment
        return None
