"""Use cases for letters: draft -> in_review -> approved -> issued (or rejected back to draft), four eyes.

An issued letter is read-only: the service refuses changes (NotAllowed) and the store's triggers
(migration 0004) abort any UPDATE or DELETE of its data, which the service reports as NotAllowed too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DBAPIError

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case
from workbench.clock import today
from workbench.consent.service import ConsentService
from workbench.dates import dutch_date
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.letters import consent_gate, story_source
from workbench.letters.approval import redated_at_issue
from workbench.letters.case_defaults import case_defaults
from workbench.letters.child_addressee import child_inputs, child_recipient_lines
from workbench.letters.consent_gate import check_still_covered, consent_values, required_consent
from workbench.letters.dating import Dated, assessment_values, check_dates_ahead, derive
from workbench.letters.letter_check import Finding, check_letter, raise_errors
from workbench.letters.linked import kept_links, linked_values, with_related
from workbench.letters.models import Letter
from workbench.letters.organisation import with_defaults
from workbench.letters.pause_dates import pause_policy_versions, pause_values
from workbench.letters.render import render_pdf
from workbench.letters.templates import Template, addressee_lines, load_template, to_json, validate_fields
from workbench.letters.third_party import third_party_warnings
from workbench.letters.zienswijze import check_zienswijze
from workbench.money import format_euro
from workbench.parties.models import Parent
from workbench.plans import letter_promises
from workbench.policy.facts import CaseFacts
from workbench.policy.stored_facts import facts_from_json, facts_to_json
from workbench.staff.models import Role, User
from workbench.store.unit_of_work import UnitOfWork

STATUSES = ("draft", "in_review", "approved", "issued")
ISSUED_MESSAGE = ("Deze brief is verstuurd en kan niet meer worden gewijzigd. Staat er een fout in een besluit? "
                  "Maak dan een herziening (sjabloon \"Herziening van een besluit\"): die vervangt het besluit. "
                  "Bij een andere brief stuurt u een nieuwe brief.")
__all__ = ["Finding", "LetterInfo", "LetterService", "assessment_values", "letter_reference"]


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
    dated_on: dt.date | None = None
    policy_versions: tuple[str, ...] = ()


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
                          issued_at=row.issued_at, dated_on=row.dated_on,
                          policy_versions=tuple(row.policy_versions or ()))

    def prepare_values(self, uow: UnitOfWork, case_id: str, *, template: Template, values: dict[str, Any],
                       facts: CaseFacts | None = None,
                       letter_date: dt.date | None = None) -> tuple[dict[str, Any], Dated]:
        """The values as a draft would store them, writing nothing: the organisation's defaults, the consent a
        third-party letter rests on, and every derived field (dates, terms, a beschikking's amounts) computed for
        `letter_date` (default today), all checked. Returns the JSON values and what the dating rules gave.

        Raises ValidationError naming the field, or NotAllowed (naming the partner field) without consent.
        """
        merged = with_defaults(template, values)
        consent = required_consent(uow, self._consents, template=template, case_id=case_id, values=merged)
        merged.update(consent_values(template, consent))
        merged.update(pause_values(uow, template, case_id))
        merged.update(linked_values(uow, case_id, template, merged, facts=facts, reference=letter_reference))
        dated = self._with_records(uow, case_id, template,
                                   derive(template, merged, letter_date=letter_date or today(uow.clock), facts=facts))
        merged.update(dated.values)
        return to_json(validate_fields(template, merged)), dated

    def _editable(self, row: Letter) -> None:
        if row.status == "issued":
            raise NotAllowed(ISSUED_MESSAGE)
        if row.status != "draft":
            raise NotAllowed("Alleen een concept kan worden gewijzigd.")

    def _flush(self, uow: UnitOfWork) -> None:
        with _store_guard():
            uow.session.flush()

    def create_draft(self, uow: UnitOfWork, case_id: str, *, template_id: str, values: dict[str, Any],
                     facts: CaseFacts | None = None, story_entry_ids: Sequence[str] | None = None,
                     child_id: str | None = None, related_letter_id: str | None = None) -> LetterInfo:
        """A new concept; a beschikking's `facts` are stored with it so every later step can compute it again.

        A letter to a child (kindregeling) needs `child_id`: its name, birth date and facts come from that record.
        `related_letter_id` names the issued besluit the letter is about (a bezwaar against it, see linked.py).
        """
        self._case(uow, case_id)
        template = load_template(template_id)
        values = {**case_defaults(uow, case_id, template), **values}  # what the caller gives wins
        values, facts = child_inputs(uow, case_id, template=template, child_id=child_id, values=values, facts=facts,
                                     day=today(uow.clock))
        values = with_related(template, values, related_letter_id)
        clean, dated = self.prepare_values(uow, case_id, template=template, values=values, facts=facts)
        letter_promises.check_promise_dates(clean, today(uow.clock))
        row = Letter(case_id=case_id, template_id=template.id, template_version=template.version,
                     kind=template.kind, field_values=clean, status="draft", author_id=uow.actor.user_id,
                     facts=facts_to_json(facts) if facts is not None else None, child_id=child_id,
                     story_entry_ids=story_source.checked_entry_ids(uow, case_id, story_entry_ids))
        self._set_versions(row, dated)
        uow.session.add(row)
        self._flush(uow)
        return self._info(uow, row)

    def update_draft(self, uow: UnitOfWork, letter_id: str, *, values: dict[str, Any],
                     facts: CaseFacts | None = None, story_entry_ids: Sequence[str] | None = None) -> LetterInfo:
        """New values for a concept; without `facts` a beschikking keeps the facts it was computed from."""
        row = self._load(uow, letter_id)
        self._editable(row)
        template = load_template(row.template_id)
        values, facts = child_inputs(uow, row.case_id, template=template, child_id=row.child_id, values=values,
                                     facts=facts, day=today(uow.clock))
        if facts is not None:
            row.facts = facts_to_json(facts)
        values = {**values, **kept_links(template, row.field_values)}
        row.field_values, dated = self.prepare_values(uow, row.case_id, template=template, values=values,
                                                      facts=self._facts(row, today(uow.clock)))
        letter_promises.check_promise_dates(row.field_values, today(uow.clock))
        self._set_versions(row, dated)
        row.template_version = template.version
        if story_entry_ids is not None:
            row.story_entry_ids = story_source.checked_entry_ids(uow, row.case_id, story_entry_ids)
        self._flush(uow)
        return self._info(uow, row)

    @staticmethod
    def _set_versions(row: Letter, dated: Dated) -> None:
        row.policy_versions = list(dated.policy_versions)
        row.policy_version = dated.policy_versions[0] if dated.policy_versions else None

    @staticmethod
    def _facts(row: Letter, letter_date: dt.date) -> CaseFacts | None:
        return None if row.facts is None else facts_from_json(row.facts, decision_date=letter_date)

    def _dated(self, uow: UnitOfWork, row: Letter, template: Template, letter_date: dt.date) -> Dated:
        """What the dating rules give for this letter on `letter_date`, from its stored values and facts."""
        return self._with_records(uow, row.case_id, template,
                                  derive(template, dict(row.field_values), letter_date=letter_date,
                                         facts=self._facts(row, letter_date)))

    @staticmethod
    def _with_records(uow: UnitOfWork, case_id: str, template: Template, dated: Dated) -> Dated:
        """Add the versions behind values taken from the case's records (the pause dates of a payment)."""
        extra = tuple(v for v in pause_policy_versions(uow, template, case_id) if v not in dated.policy_versions)
        return dataclasses.replace(dated, policy_versions=dated.policy_versions + extra) if extra else dated

    def _checked(self, uow: UnitOfWork, row: Letter, template: Template, letter_date: dt.date, *,
                 approved: bool) -> dict[str, Any]:
        """The stored values brought to `letter_date` and checked; ValidationError or NotAllowed on any error.

        Before review every derived field is computed afresh. An approved letter gets only its dates and terms
        for the issue date: its amounts stay as approved, so any difference from the engine is an error.
        """
        dated = self._dated(uow, row, template, letter_date)
        redated = redated_at_issue(template)
        fresh = dated.values if not approved else {
            name: value for name, value in dated.values.items() if name in redated}
        values = to_json(validate_fields(template, {**row.field_values, **fresh}))
        check_dates_ahead(template, values, letter_date=letter_date)
        letter_promises.check_promise_dates(values, letter_date)
        check_zienswijze(uow, row, template, values)
        raise_errors(self._findings(uow, row, template, values, dated, letter_date))
        return values

    def _findings(self, uow: UnitOfWork, row: Letter, template: Template, values: dict[str, Any], dated: Dated,
                  letter_date: dt.date) -> list[Finding]:
        case = self._case(uow, row.case_id)
        context = {"reference": letter_reference(case.reference, row.id), "case_reference": case.reference,
                   "letter_date": letter_date}
        findings = check_letter(template, values, letter_date=letter_date, derived=to_json(dated.values),
                                context=context, addressed_to_belanghebbende=self._to_belanghebbende(row, template))
        return findings + [Finding("warning", warning, template.consent_for)
                           for warning in third_party_warnings(uow, row.case_id, template, values)]

    @staticmethod
    def _to_belanghebbende(row: Letter, template: Template) -> bool:
        if template.addressee_role == "third_party":
            return False
        return template.addressee_role != "child" or row.child_id is not None

    def findings(self, uow: UnitOfWork, letter_id: str) -> list[Finding]:
        """What the letter check says about this letter today (errors for a besluit, warnings for all)."""
        row = self._load(uow, letter_id)
        template = load_template(row.template_id)
        letter_date = row.dated_on or today(uow.clock)
        dated = self._dated(uow, row, template, letter_date)
        values = to_json(validate_fields(template, {**row.field_values, **dated.values}))
        return self._findings(uow, row, template, values, dated, letter_date)

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
        day = today(uow.clock)
        row.field_values = self._checked(uow, row, template, day, approved=False)
        self._set_versions(row, self._dated(uow, row, template, day))
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
        template = load_template(row.template_id)
        if self._changed_rules(uow, row, template, today(uow.clock)):
            raise NotAllowed("De regels voor deze brief zijn veranderd sinds hij ter controle is aangeboden. Keur de "
                             "brief af, zodat de schrijver hem opnieuw laat berekenen.")
        row.status, row.reviewer_id = "approved", reviewer_id
        self._flush(uow)
        return self._info(uow, row)

    def _changed_rules(self, uow: UnitOfWork, row: Letter, template: Template, letter_date: dt.date) -> str | None:
        """The versions in force on `letter_date` that the letter did not use, or None when they are the same."""
        now = self._dated(uow, row, template, letter_date).policy_versions
        stored = tuple(row.policy_versions or ())
        if set(now) == set(stored):
            return None
        return ", ".join(v for v in now if v not in stored) or ", ".join(v for v in stored if v not in now)

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

    def _recipient_lines(self, uow: UnitOfWork, row: Letter, template: Template, values: dict[str, Any]) -> list[str]:
        lines = addressee_lines(template, values)
        if template.addressee_role == "child":
            lines = child_recipient_lines(uow, row.case_id, row.child_id, adult=bool(values.get("child_adult")))
        elif not template.addressee:
            case = self._case(uow, row.case_id)
            parent = uow.session.get(Parent, case.parent_id)
            if parent is not None:
                name = " ".join(p for p in (parent.voorletters, parent.tussenvoegsel, parent.achternaam) if p)
                lines = [name, f"{parent.street} {parent.house_number}".strip(), f"{parent.postcode}  {parent.city}"]
        return [x for x in lines if x.strip()]

    def _render(self, uow: UnitOfWork, row: Letter, values: dict[str, Any], *, letter_date: dt.date,
                draft: bool) -> bytes:
        case = self._case(uow, row.case_id)
        template = load_template(row.template_id)
        return render_pdf(template, values, reference=letter_reference(case.reference, row.id),
                          case_reference=case.reference, letter_date=letter_date,
                          recipient_lines=self._recipient_lines(uow, row, template, values), draft=draft,
                          policy_versions=tuple(row.policy_versions or ()))

    def preview(self, uow: UnitOfWork, letter_id: str) -> bytes:
        """The letter as it would look if sent today (dates and terms for today), with a CONCEPT watermark; an
        issued letter returns its stored PDF."""
        row = self._load(uow, letter_id)
        uow.audit(AuditEntry("view", "letter", row.id, row.case_id))
        if row.status == "issued" and row.pdf is not None:
            return row.pdf
        template = load_template(row.template_id)
        day = today(uow.clock)
        dated = self._dated(uow, row, template, day)
        values = to_json(validate_fields(template, {**row.field_values, **dated.values}))
        return self._render(uow, row, values, letter_date=day, draft=True)

    def issue(self, uow: UnitOfWork, letter_id: str) -> LetterInfo:
        """Send an approved letter, dated today: every date, term and amount is computed again for today.

        When a policy version in force today differs from the one the reviewer approved, nothing is sent: the
        letter goes back to review (status in_review, with the reason in `review_comment`) and that is returned.
        A printed date already past, or any error of the letter check, refuses (nothing changes).
        """
        row = self._load(uow, letter_id)
        if row.status != "approved":
            raise NotAllowed("Alleen een goedgekeurde brief kan worden verstuurd.")
        template = load_template(row.template_id)
        day = today(uow.clock)
        changed = self._changed_rules(uow, row, template, day)
        if changed is not None:
            dated = self._dated(uow, row, template, day)
            row.field_values = to_json(validate_fields(template, {**row.field_values, **dated.values}))
            self._set_versions(row, dated)
            row.status, row.reviewer_id = "in_review", None
            row.review_comment = (f"Terug ter controle: op {dutch_date(day)} gelden andere regels ({changed}) dan "
                                  "bij de goedkeuring. De brief is opnieuw berekend en moet opnieuw worden "
                                  "goedgekeurd.")
            self._flush(uow)
            return self._info(uow, row)
        values = self._checked(uow, row, template, day, approved=True)
        check_still_covered(uow, self._consents, template=template, case_id=row.case_id, values=values)
        pdf = self._render(uow, row, values, letter_date=day, draft=False)
        # Every issue field is set at once, after the last query: one change, so central sees the move to issued
        # with its dagtekening together (an autoflush in between would send a lone change to an approved letter).
        row.field_values, row.dated_on = values, day
        row.pdf, row.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
        row.issued_at, row.status = uow.clock.now(), "issued"
        self._flush(uow)
        total = values.get("payable")
        detail = f"sha256={row.pdf_sha256}" + (f" bedrag={format_euro(total)}" if isinstance(total, int) else "")
        uow.audit(AuditEntry("print", "letter", row.id, row.case_id, detail=detail))
        consent_gate.on_issued(uow, row, template)
        story_source.on_issued(uow, row, template)
        letter_promises.on_issued(uow, row, template)
        return self._info(uow, row)

    def get(self, uow: UnitOfWork, letter_id: str) -> LetterInfo:
        return self._info(uow, self._load(uow, letter_id))
