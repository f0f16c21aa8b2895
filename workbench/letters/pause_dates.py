"""The pauzeknop dates a letter prints, taken from the payments register and the policy table, never typed."""

from __future__ import annotations

from typing import Any

from workbench.clock import today
from workbench.errors import NotAllowed
from workbench.letters.templates import Template
from workbench.money import format_euro
from workbench.payments.service import PaymentService
from workbench.policy.debt_pause import DebtPause, debt_pause, pause_threshold
from workbench.store.unit_of_work import UnitOfWork

# Template fields filled here: a template that has any of them is a letter about the pause for private debts.
PAUSE_START, PAUSE_END, PAUSE_DEBTS_BEFORE = "pause_start", "pause_end", "pause_debts_before"
PAUSE_FIELDS = frozenset({PAUSE_START, PAUSE_END, PAUSE_DEBTS_BEFORE})


def _about_pause(template: Template) -> bool:
    return any(template.field(name) is not None for name in PAUSE_FIELDS)


def case_pause(uow: UnitOfWork, case_id: str) -> DebtPause:
    """The pause that started with the case's recorded payments; NotAllowed naming the payment when none did."""
    payment = PaymentService().catshuis_payment(uow, case_id)
    if payment is None:
        amount, _version = pause_threshold(today(uow.clock))
        raise NotAllowed(f"De pauze voor private schulden begint op de dag dat de ouder {format_euro(amount)} "
                         "heeft ontvangen. In het betalingsregister van deze zaak staat nog geen betaling "
                         f"waarmee de ouder {format_euro(amount)} (de Catshuisbetaling) heeft ontvangen. Leg eerst "
                         "die betaling vast; de brief neemt de datum daarvan over.", field=PAUSE_START)
    return debt_pause(payment.paid_on)


def pause_values(uow: UnitOfWork, template: Template, case_id: str) -> dict[str, Any]:
    """The pause fields of the letter from the records; {} for a template without them. Typed values lose."""
    if not _about_pause(template):
        return {}
    pause = case_pause(uow, case_id)
    values: dict[str, Any] = {PAUSE_START: pause.start, PAUSE_END: pause.end,
                              PAUSE_DEBTS_BEFORE: pause.debts_arisen_before}
    return {name: value for name, value in values.items() if template.field(name) is not None}


def check_pause_unchanged(uow: UnitOfWork, template: Template, case_id: str, values: dict[str, Any]) -> None:
    """Before review and before sending: the printed pause must still be the one the register gives."""
    current = pause_values(uow, template, case_id)
    if any(str(value) != str(values.get(name)) for name, value in current.items()):
        raise NotAllowed("De betalingen in het betalingsregister zijn veranderd sinds deze brief is gemaakt, en "
                         "daarmee de datums van de pauze. Pas het concept opnieuw aan, zodat de brief de datums "
                         "noemt die bij de vastgelegde betaling horen.", field=PAUSE_START)


def pause_policy_versions(uow: UnitOfWork, template: Template, case_id: str) -> tuple[str, ...]:
    """The policy versions a letter's pause dates come from (pause table, Catshuis table); () for other letters.

    For the letter record's `policy_versions`, next to those of the letter date (dating.py).
    """
    if not _about_pause(template):
        return ()
    return case_pause(uow, case_id).version_ids
