"""`workbench letters list`: one tab-separated line per letter (id, case, template, status word, date)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case
from workbench.letters.models import Letter
from workbench.local_time import local_day
from workbench.store.unit_of_work import UnitOfWork

# The status words scripts see; "rejected" is a draft that came back with a reviewer's comment.
STATUS_WORDS = ("draft", "in_review", "approved", "issued", "rejected")


def status_word(status: str, review_comment: str) -> str:
    return "rejected" if status == "draft" and review_comment else status


def _day(moment: dt.datetime) -> dt.date:
    return local_day(moment)


def letter_lines(uow: UnitOfWork, *, case_id: str | None, status: str | None) -> list[str]:
    """The letters, by case and then oldest change first; `status` is a status word ("rejected": a draft with a
    reviewer's comment, which "draft" leaves out). The date is the letter date once issued, else the last change.
    Reading the list is audited as one view (of the case's letters, or of all letters with their number)."""
    stmt = (select(Letter.id, Case.reference, Letter.template_id, Letter.status, Letter.review_comment,
                   Letter.dated_on, Letter.issued_at, Letter.updated_at)
            .join(Case, Case.id == Letter.case_id)
            .where(Letter.deleted_at.is_(None), Case.deleted_at.is_(None))
            .order_by(Case.reference, Letter.updated_at, Letter.id))
    if case_id is not None:
        stmt = stmt.where(Letter.case_id == case_id)
    if status in ("draft", "rejected"):
        stmt = stmt.where(Letter.status == "draft",
                          Letter.review_comment != "" if status == "rejected" else Letter.review_comment == "")
    elif status is not None:
        stmt = stmt.where(Letter.status == status)
    lines = []
    for letter_id, reference, template_id, raw, comment, dated_on, issued_at, updated_at in uow.session.execute(stmt):
        day = dated_on or (_day(issued_at) if issued_at is not None else _day(updated_at))
        lines.append(f"{letter_id}\t{reference}\t{template_id}\t{status_word(raw, comment or '')}\t{day.isoformat()}")
    if case_id is not None:
        uow.audit(AuditEntry("view", "letters", case_id, case_id))
    else:
        uow.audit(AuditEntry("view", "letters", detail=f"{len(lines)} brieven, alle zaken"))
    return lines
