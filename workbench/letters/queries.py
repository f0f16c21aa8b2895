"""Read side of letters for the window: a case's letters, the review queue, who may approve, and draft previews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case
from workbench.clock import today
from workbench.errors import NotFound, ValidationError
from workbench.letters.case_defaults import case_defaults as case_defaults  # the wizard's first values
from workbench.letters.child_addressee import (
    CHILD_FIELDS,
    ChildChoice,
    child_inputs,
    child_recipient_lines,
    children_of_case,
)
from workbench.letters.consent_gate import CONSENT_DATE, CONSENT_SCOPE
from workbench.letters.letter_check import Finding, check_letter
from workbench.letters.models import Letter
from workbench.letters.pause_dates import PAUSE_FIELDS
from workbench.letters.render import render_pdf
from workbench.letters.service import LetterService, letter_reference
from workbench.letters.templates import Template, load_template, to_json
from workbench.letters.third_party import third_party_warnings
from workbench.parties.models import Parent
from workbench.policy.facts import CaseFacts
from workbench.policy.stored_facts import facts_from_json
from workbench.staff.models import Role, User
from workbench.store.unit_of_work import UnitOfWork

# Fields the core fills from the records (consent_gate, pause_dates); the window never asks for them.
CONSENT_FIELDS = frozenset({CONSENT_DATE, CONSENT_SCOPE}) | PAUSE_FIELDS
__all__ = ["CHILD_FIELDS", "CONSENT_FIELDS", "ChildChoice", "case_children", "draft_preview"]


def derived_fields(template: Template) -> frozenset[str]:
    """Fields computed for the letter date by the dating rules (terms, deadlines, amounts); never typed."""
    return frozenset(f.name for f in template.fields if f.derived is not None)


@dataclass(frozen=True)
class LetterRow:
    """One line of a case's Brieven tab.

    Attributes:
        status: draft, in_review, approved or issued; `review_comment` says why a draft came back.
        reviewer_name: who approved it ("" while nobody has).
        updated_at: the last change (UTC); issued_at: when it was sent (UTC), else None.
    """

    id: str
    case_id: str
    template_id: str
    template_title: str
    kind: str
    status: str
    author_id: str
    author_name: str
    reviewer_name: str
    review_comment: str
    updated_at: dt.datetime
    issued_at: dt.datetime | None
    reference: str


@dataclass(frozen=True)
class ReviewRow:
    """One letter waiting for this user's review.

    Attributes:
        submitted_at: when it was offered for review (UTC); nothing but its status can change meanwhile.
    """

    id: str
    case_id: str
    case_reference: str
    parent_name: str
    template_title: str
    kind: str
    author_name: str
    submitted_at: dt.datetime
    reference: str


@dataclass(frozen=True)
class DraftValues:
    """What a letter holds now, to edit it again: its template and the stored values (JSON: ISO dates, cents)."""

    id: str
    case_id: str
    template_id: str
    status: str
    values: dict[str, Any]
    facts: CaseFacts | None = None
    child_id: str | None = None


def _title(template_id: str) -> str:
    try:
        return load_template(template_id).title
    except NotFound:
        return template_id  # a template withdrawn since: the letter itself stays readable


def _person(voorletters: str, tussenvoegsel: str, achternaam: str) -> str:
    return " ".join(p for p in (voorletters, tussenvoegsel, achternaam) if p)


def letters_for_case(uow: UnitOfWork, case_id: str) -> list[LetterRow]:
    """The case's letters, newest change first; reading them is audited as one view of the case's letters."""
    reference = uow.session.scalar(select(Case.reference).where(Case.id == case_id, Case.deleted_at.is_(None)))
    if reference is None:
        raise NotFound("Deze zaak bestaat niet (meer) op dit apparaat.")
    author, reviewer = aliased(User), aliased(User)
    stmt = (select(Letter.id, Letter.template_id, Letter.kind, Letter.status, Letter.author_id,
                   author.display_name, reviewer.display_name, Letter.review_comment, Letter.updated_at,
                   Letter.issued_at)
            .outerjoin(author, author.id == Letter.author_id)
            .outerjoin(reviewer, reviewer.id == Letter.reviewer_id)
            .where(Letter.case_id == case_id, Letter.deleted_at.is_(None))
            .order_by(Letter.updated_at.desc(), Letter.id))
    rows = [LetterRow(id=lid, case_id=case_id, template_id=tid, template_title=_title(tid), kind=kind, status=status,
                      author_id=author_id, author_name=author_name or "", reviewer_name=reviewer_name or "",
                      review_comment=comment or "", updated_at=updated, issued_at=issued,
                      reference=letter_reference(reference, lid))
            for lid, tid, kind, status, author_id, author_name, reviewer_name, comment, updated, issued
            in uow.session.execute(stmt)]
    uow.audit(AuditEntry("view", "letters", case_id, case_id))
    return rows


def review_queue(uow: UnitOfWork) -> list[ReviewRow]:
    """Letters offered for review by someone else, oldest first; audited as one view with their number."""
    author = aliased(User)
    stmt = (select(Letter.id, Letter.case_id, Case.reference, Parent.voorletters, Parent.tussenvoegsel,
                   Parent.achternaam, Letter.template_id, Letter.kind, author.display_name, Letter.updated_at)
            .join(Case, Case.id == Letter.case_id)
            .join(Parent, Parent.id == Case.parent_id)
            .outerjoin(author, author.id == Letter.author_id)
            .where(Letter.status == "in_review", Letter.deleted_at.is_(None), Case.deleted_at.is_(None),
                   Letter.author_id != uow.actor.user_id)
            .order_by(Letter.updated_at, Letter.id))
    rows = [ReviewRow(id=lid, case_id=case_id, case_reference=ref, parent_name=_person(vl, tv, an),
                      template_title=_title(tid), kind=kind, author_name=author_name or "", submitted_at=at,
                      reference=letter_reference(ref, lid))
            for lid, case_id, ref, vl, tv, an, tid, kind, author_name, at in uow.session.execute(stmt)]
    uow.audit(AuditEntry("view", "review_queue", detail=f"{len(rows)} brieven"))
    return rows


def draft_values(uow: UnitOfWork, letter_id: str) -> DraftValues:
    """The stored values of one letter (audited as a view of that letter)."""
    row = uow.session.get(Letter, letter_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("Deze brief bestaat niet (meer) op dit apparaat.")
    uow.audit(AuditEntry("view", "letter", row.id, row.case_id))
    facts = None if row.facts is None else facts_from_json(row.facts, decision_date=today(uow.clock))
    return DraftValues(id=row.id, case_id=row.case_id, template_id=row.template_id, status=row.status,
                       values=dict(row.field_values), facts=facts, child_id=row.child_id)


def approval_refusal(uow: UnitOfWork, letter_id: str) -> str | None:
    """Why the current user may not approve this letter (Dutch, for a disabled button), or None if they may.

    The same rules as `LetterService.approve`, which refuses anyway: this only lets the window say so first.
    """
    row = uow.session.execute(select(Letter.status, Letter.author_id)
                              .where(Letter.id == letter_id, Letter.deleted_at.is_(None))).first()
    if row is None:
        raise NotFound("Deze brief bestaat niet (meer) op dit apparaat.")
    status, author_id = row
    if status != "in_review":
        return "Alleen een brief die ter controle ligt kan worden goedgekeurd."
    if author_id == uow.actor.user_id:
        return "U heeft deze brief zelf geschreven. Een andere controleur moet hem goedkeuren."
    role = uow.session.scalar(select(User.role).where(User.id == uow.actor.user_id, User.deleted_at.is_(None)))
    if role != Role.REVIEWER:
        return "Alleen een controleur kan een brief goedkeuren."
    return None


def _parent(uow: UnitOfWork, case_id: str) -> tuple[Case, Parent | None]:
    case = uow.session.get(Case, case_id)
    if case is None or case.deleted_at is not None:
        raise NotFound("Deze zaak bestaat niet (meer) op dit apparaat.")
    return case, uow.session.get(Parent, case.parent_id)


def draft_findings(uow: UnitOfWork, case_id: str, *, template_id: str, values: dict[str, Any],
                   facts: CaseFacts | None = None, child_id: str | None = None) -> list[Finding]:
    """What the letter check says about these (unsaved) values today: shown in the wizard while typing.

    A value the template refuses (a wrong date, a missing field) is one error finding naming the field.
    """
    case, _parent_row = _parent(uow, case_id)
    template = load_template(template_id)
    day = today(uow.clock)
    try:
        values, facts = child_inputs(uow, case_id, template=template, child_id=child_id, values=values, facts=facts,
                                     day=day)
        merged, dated = LetterService().prepare_values(uow, case_id, template=template, values=values, facts=facts)
    except ValidationError as exc:
        return [Finding("error", exc.text(), exc.field)]
    context = {"reference": f"{case.reference}/BR-CONCEPT", "case_reference": case.reference, "letter_date": day}
    findings = check_letter(template, merged, letter_date=day, derived=to_json(dated.values), context=context,
                            addressed_to_belanghebbende=template.addressee_role != "child" or child_id is not None)
    return findings + [Finding("warning", warning, template.consent_for)
                       for warning in third_party_warnings(uow, case_id, template, merged)]


def draft_preview(uow: UnitOfWork, case_id: str, *, template_id: str, values: dict[str, Any],
                  facts: CaseFacts | None = None, child_id: str | None = None) -> bytes:
    """The letter as it would look with these (unsaved) values: CONCEPT watermark, today's date.

    Raises ValidationError naming the field, or NotAllowed when a consent is missing, as saving would. Writes
    nothing, so it is not audited beyond the case view that opened the wizard.
    """
    case, parent = _parent(uow, case_id)
    template = load_template(template_id)
    values, facts = child_inputs(uow, case_id, template=template, child_id=child_id, values=values, facts=facts,
                                 day=today(uow.clock))
    merged, _dated = LetterService().prepare_values(uow, case_id, template=template, values=values, facts=facts)
    lines: list[str] = []
    if template.addressee_role == "child":
        lines = child_recipient_lines(uow, case_id, child_id, adult=bool(merged.get("child_adult")))
    elif template.addressee:
        for name in template.addressee:
            value = merged.get(name)
            if isinstance(value, list):
                lines.extend(str(v) for v in value)
            else:
                lines.append(str(value or ""))
    elif parent is not None:
        lines = [_person(parent.voorletters, parent.tussenvoegsel, parent.achternaam),
                 f"{parent.street} {parent.house_number}".strip(), f"{parent.postcode}  {parent.city}".strip()]
    return render_pdf(template, merged, reference=f"{case.reference}/BR-CONCEPT", case_reference=case.reference,
                      letter_date=today(uow.clock), recipient_lines=[x for x in lines if x], draft=True)


def case_children(uow: UnitOfWork, case_id: str) -> list[ChildChoice]:
    """The children a kindregeling letter can be for: those of the case's parent, oldest first."""
    return children_of_case(uow, case_id)
