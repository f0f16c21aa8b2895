"""Use cases for letters: draft -> in_review -> approved -> issued (or rejected back to draft), four eyes.

An issued letter is read-only: the service refuses changes (NotAllowed) and the store's triggers
(migration 0004) abort any UPDATE or DELETE of its data, which the service reports as NotAllowed too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DBAPIError

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case
from workbench.clock import today
from workbench.consent.service import ConsentService
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.letters.consent_gate import check_still_covered, consent_values, required_consent
from workbench.letters.content_check import check_decision
from workbench.letters.models import Letter
from workbench.letters.organisation import with_defaults
from workbench.letters.render import render_pdf
from workbench.letters.templates import Template, addressee_lines, load_template, to_json, validate_fields
from workbench.money import format_euro
from workbench.parties.models import Parent
from workbench.plans import letter_promises
from workbench.policy.engine import Assessment
from workbench.staff.models import Role, User
from workbench.store.unit_of_work import UnitOfWork

STATUSES = ("draft", "in_review", "approved", "issued")
ISSUED_MESSAGE = "Deze brief is verstuurd en kan niet meer worden gewijzigd. Maak zo nodig een correctiebrief."


@dataclass(frozen=True)
class LetterInfo:
    id: str
    case_id: str
    template_id: str
    template_version: int
    kind: str
    status: str
    author_id: str
    reviewer_id: str | None
    review_comment: str
    reference: str
    pdf_sha256: str | None
    issued_at: dt.datetime | None


def assessment_values(assessment: Assessment) -> dict[str, Any]:
    """The fields of a beschikking that come from the policy calculation; they are never typed by hand."""
    return {
        "legal_basis": assessment.legal_basis,
        "breakdown": [{"year": str(line.year) if line.year is not None else "alle jaren", "label": line.label,
                       "amount": line.amount_cents} for line in assessment.lines],
        "total": assessment.total_cents,
        "already_paid": assessment.already_paid_cents,
        "payable": assessment.payable_cents,
        "rounding": assessment.rounding,
        "objection_term": assessment.objection.text,
        "objection_deadline": assessment.objection.deadline,
        "policy_versions": ", ".join(assessment.policy_versions),
    }


def letter_reference(case_reference: str, letter_id: str) -> str:
    """The kenmerk printed on the letter, e.g. `UHT-2026-000001/BR-1A2B3C4D`."""
    return f"{case_reference}/BR-{letter_id[:8].upper()}"


@contextmanager
def _store_guard() -> Iterator[None]:
    try:
        yield
    except DBAPIError as exc:
        if "immutable" in str(exc.orig):
            raise NotAllowed(ISSUED_MESSAGE) from None
        raise


class LetterService:
    """Letters of one case; the methods take the unit of work first and never commit.

    A letter whose template has `consent_for` (the handover to a gemeente) can only be created, changed,
    submitted and issued while the parent's consent for that partner is on record; issuing it records the
    disclosure with the consent it rests on.
    """

    def __init__(self, consents: ConsentService | None = None) -> None:
        self._consents = consents or ConsentService()

    def _load(self, uow: UnitOfWork, letter_id: str) -> Letter:
        row = uow.session.get(Letter, letter_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("Deze brief bestaat niet (meer) op dit apparaat.")
        return row

    def _case(self, uow: UnitOfWork, case_id: str) -> Case:
        case = uow.session.get(Case, case_id)
        if case is None or case.deleted_at is not None:
            raise NotFound("Deze zaak bestaat niet (meer) op dit apparaat.")
        return case

    def _info(self, uow: UnitOfWork, row: Letter) -> LetterInfo:
        case = self._case(uow, row.case_id)
        return LetterInfo(id=row.id, case_id=row.case_id, template_id=row.template_id,
                          template_version=row.template_version, kind=row.kind, status=row.status,
                          author_id=row.author_id, reviewer_id=row.reviewer_id, review_comment=row.review_comment,
                          reference=letter_reference(case.reference, row.id), pdf_sha256=row.pdf_sha256,
                          issued_at=row.issued_at)

    def prepare_values(self, uow: UnitOfWork, case_id: str, *, template: Template, values: dict[str, Any],
                       assessment: Assessment | None = None) -> dict[str, Any]:
        """The values as a draft would store them, writing nothing: the organisation's defaults, the consent a
        handover rests on, and a beschikking's amounts from `assessment` filled in, all checked.

        Raises ValidationError naming the field, or NotAllowed (naming the partner field) without consent.
        """
        merged = with_defaults(template, values)
        consent = required_consent(uow, self._consents, template=template, case_id=case_id, values=merged)
        merged.update(consent_values(template, consent))
        if template.kind == "beschikking":
            if assessment is None:
                raise ValidationError("Een beschikking heeft een berekening nodig.", field="assessment")
            merged.update(assessment_values(assessment))
        return to_json(validate_fields(template, merged))

    def _editable(self, row: Letter) -> None:
        if row.status == "issued":
            raise NotAllowed(ISSUED_MESSAGE)
        if row.status != "draft":
            raise NotAllowed("Alleen een concept kan worden gewijzigd.")

    def _flush(self, uow: UnitOfWork) -> None:
        with _store_guard():
            uow.session.flush()

    def create_draft(self, uow: UnitOfWork, case_id: str, *, template_id: str, values: dict[str, Any],
                     assessment: Assessment | None = None) -> LetterInfo:
        self._case(uow, case_id)
        template = load_template(template_id)
        clean = self.prepare_values(uow, case_id, template=template, values=values, assessment=assessment)
        letter_promises.check_promise_dates(clean, today(uow.clock))
        row = Letter(case_id=case_id, template_id=template.id, template_version=template.version,
                     kind=template.kind, field_values=clean, status="draft", author_id=uow.actor.user_id,
                     policy_version=assessment.policy_versions[0] if assessment else None)
        uow.session.add(row)
        self._flush(uow)
        return self._info(uow, row)

    def update_draft(self, uow: UnitOfWork, letter_id: str, *, values: dict[str, Any],
                     assessment: Assessment | None = None) -> LetterInfo:
        row = self._load(uow, letter_id)
        self._editable(row)
        template = load_template(row.template_id)
        row.field_values = self.prepare_values(uow, row.case_id, template=template, values=values,
                                              assessment=assessment)
        letter_promises.check_promise_dates(row.field_values, today(uow.clock))
        if assessment is not None:
            row.policy_version = assessment.policy_versions[0]
        row.template_version = template.version
        self._flush(uow)
        return self._info(uow, row)

    def delete_draft(self, uow: UnitOfWork, letter_id: str) -> None:
        """Tombstone a letter that was never issued."""
        row = self._load(uow, letter_id)
        if row.status == "issued":
            raise NotAllowed(ISSUED_MESSAGE)
        row.deleted_at = uow.clock.now()
        self._flush(uow)

    def submit(self, uow: UnitOfWork, letter_id: str) -> LetterInfo:
        row = self._load(uow, letter_id)
        self._editable(row)
        template = load_template(row.template_id)
        check_decision(template, row.field_values)
        letter_promises.check_promise_dates(row.field_values, today(uow.clock))
        check_still_covered(uow, self._consents, template=template, case_id=row.case_id, values=row.field_values)
        row.status, row.review_comment = "in_review", ""
        self._flush(uow)
        return self._info(uow, row)

    def approve(self, uow: UnitOfWork, letter_id: str, *, reviewer_id: str) -> LetterInfo:
        row = self._load(uow, letter_id)
        if row.status != "in_review":
            raise NotAllowed("Alleen een brief die ter controle ligt kan worden goedgekeurd.")
        if reviewer_id != uow.actor.user_id:
            raise NotAllowed("U kunt alleen namens uzelf goedkeuren.")
        if reviewer_id == row.author_id:
            raise NotAllowed("U kunt uw eigen brief niet goedkeuren. Een andere controleur moet dit doen.")
        reviewer = uow.session.get(User, reviewer_id)
        if reviewer is None or reviewer.deleted_at is not None or reviewer.role != Role.REVIEWER:
            raise NotAllowed("Alleen een controleur kan een brief goedkeuren.")
        row.status, row.reviewer_id = "approved", reviewer_id
        self._flush(uow)
        return self._info(uow, row)

    def reject(self, uow: UnitOfWork, letter_id: str, *, comment: str) -> LetterInfo:
        row = self._load(uow, letter_id)
        if row.status not in ("in_review", "approved"):
            raise NotAllowed("Alleen een brief die ter controle ligt kan worden afgekeurd.")
        text = (comment or "").strip()
        if not text:
            raise ValidationError("Schrijf op waarom u de brief afkeurt.", field="comment")
        if len(text) > 2000:
            raise ValidationError("De toelichting is te lang (maximaal 2000 tekens).", field="comment")
        row.status, row.review_comment, row.reviewer_id = "draft", text, None
        self._flush(uow)
        return self._info(uow, row)

    def _render(self, uow: UnitOfWork, row: Letter, *, draft: bool) -> bytes:
        case = self._case(uow, row.case_id)
        parent = uow.session.get(Parent, case.parent_id)
        template = load_template(row.template_id)
        lines = addressee_lines(template, row.field_values)
        if not template.addressee and parent is not None:
            name = " ".join(p for p in (parent.voorletters, parent.tussenvoegsel, parent.achternaam) if p)
            lines = [name, f"{parent.street} {parent.house_number}".strip(), f"{parent.postcode}  {parent.city}"]
        return render_pdf(template, row.field_values,
                          reference=letter_reference(case.reference, row.id), case_reference=case.reference,
                          letter_date=today(uow.clock), recipient_lines=[x for x in lines if x.strip()],
                          draft=draft)

    def preview(self, uow: UnitOfWork, letter_id: str) -> bytes:
        """The letter as it would look today, with a CONCEPT watermark; an issued letter returns its stored PDF."""
        row = self._load(uow, letter_id)
        uow.audit(AuditEntry("view", "letter", row.id, row.case_id))
        if row.status == "issued" and row.pdf is not None:
            return row.pdf
        return self._render(uow, row, draft=True)

    def issue(self, uow: UnitOfWork, letter_id: str) -> LetterInfo:
        row = self._load(uow, letter_id)
        if row.status != "approved":
            raise NotAllowed("Alleen een goedgekeurde brief kan worden verstuurd.")
        template = load_template(row.template_id)
        check_still_covered(uow, self._consents, template=template, case_id=row.case_id, values=row.field_values)
        letter_promises.check_promise_dates(row.field_values, row.dated_on or today(uow.clock))
        pdf = self._render(uow, row, draft=False)
        row.pdf, row.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
        row.issued_at, row.status = uow.clock.now(), "issued"
        self._flush(uow)
        total = row.field_values.get("payable")
        detail = f"sha256={row.pdf_sha256}" + (f" bedrag={format_euro(total)}" if isinstance(total, int) else "")
        uow.audit(AuditEntry("print", "letter", row.id, row.case_id, detail=detail))
        if template.consent_for is not None:
            case = self._case(uow, row.case_id)
            self._consents.record_disclosure(
                uow, row.case_id, partner=str(row.field_values[template.consent_for]), basis="toestemming",
                what=f"Brief {letter_reference(case.reference, row.id)}: {template.subject}")
        letter_promises.on_issued(uow, row, template)
        return self._info(uow, row)

    def get(self, uow: UnitOfWork, letter_id: str) -> LetterInfo:
        return self._info(uow, self._load(uow, letter_id))
