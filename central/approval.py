"""Four eyes held by central: an approval fixes a letter's content; only the issue of exactly that content follows.

At approval central stores the digest of the approved content (workbench.letters.approval, the same function the
device uses). While a letter is approved, a change is one of three things:
- the issue: only the issue fields change, the content has the approved digest, and every date and term issuing
  computes again is what central itself computes for the letter's dagtekening (the same dating rules);
- a withdrawal to draft or back to review without a reviewer: the approval is gone;
- anything else: taken, but the letter goes back to draft without reviewer, and the device adopts that.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.accounts import Principal
from central.ledger import RowState
from central.models import ChangeLog, LetterApproval
from workbench.errors import WorkbenchError
from workbench.letters.approval import CONTENT_FIELDS, ISSUE_FIELDS, content_digest, redated_at_issue
from workbench.letters.dating import derive
from workbench.letters.templates import Template, load_template, to_json
from workbench.policy.stored_facts import facts_from_json
from workbench.sync.protocol import Change

log = logging.getLogger(__name__)

BACK_TO_DRAFT = ("Deze brief is gewijzigd nadat hij was goedgekeurd. Hij is teruggezet naar concept en moet "
                 "opnieuw worden beoordeeld.")
NOT_APPROVED_CONTENT = ("De brief wijkt af van wat de beslisser heeft goedgekeurd; central verstuurt alleen de "
                        "goedgekeurde inhoud.")
CHANGED_SINCE_SEEN = ("De brief is gewijzigd nadat u hem opende ter beoordeling. Haal de nieuwe versie op en "
                      "beoordeel hem opnieuw.")
_CONTENT = frozenset((*CONTENT_FIELDS, "field_values"))


class ApprovalBook:
    """The approvals of one push's letters, read once; changes go to the session, written with the batch.

    ``flush`` writes the push's batch, before a read of the change log that must see it.
    """

    def __init__(self, session: Session, letter_ids: Iterable[str], flush: Callable[[], None]) -> None:
        self.session, self.flush = session, flush
        wanted = sorted(set(letter_ids))
        self._known: dict[str, LetterApproval | None] = dict.fromkeys(wanted)
        if wanted:
            for row in session.scalars(select(LetterApproval).where(LetterApproval.letter_id.in_(wanted))):
                self._known[row.letter_id] = row

    def get(self, letter_id: str) -> LetterApproval | None:
        if letter_id not in self._known:
            self._known[letter_id] = self.session.get(LetterApproval, letter_id)
        return self._known[letter_id]

    def put(self, letter_id: str, digest: str, reviewer_id: str, now: dt.datetime) -> None:
        stored = self.get(letter_id)
        if stored is None:
            self._known[letter_id] = LetterApproval(letter_id=letter_id, digest=digest, reviewer_id=reviewer_id,
                                                    approved_at=now)
            self.session.add(self._known[letter_id])
        else:
            stored.digest, stored.reviewer_id, stored.approved_at = digest, reviewer_id, now

    def drop(self, letter_id: str) -> None:
        stored = self.get(letter_id)
        if stored is not None:
            self.session.delete(stored)
            self._known[letter_id] = None


def verdict(book: ApprovalBook, user: Principal, change: Change, record: RowState | None, fields: dict[str, Any],
            now: dt.datetime) -> str | dict[str, Any] | None:
    """For a letter change that may be written: a Dutch refusal, fields central adds (back to draft), or None.

    Records or drops the approval as a side effect, in the caller's transaction.
    """
    before = record.data if record is not None else {}
    after = {**before, **fields}
    changed = {name for name, value in fields.items() if before.get(name) != value}
    if not changed:
        return None
    was, becomes = before.get("status"), after.get("status")
    if was == "approved":
        if becomes == "issued":
            return _issue_refusal(book, change.row_id, before, after, changed)
        book.drop(change.row_id)
        if becomes in ("draft", "in_review") and after.get("reviewer_id") is None:
            return None
        return {"status": "draft", "reviewer_id": None, "review_comment": BACK_TO_DRAFT}
    if becomes == "approved":
        return _approve(book, user, change, record, after, now)
    return None


def _approve(book: ApprovalBook, user: Principal, change: Change, record: RowState | None, after: dict[str, Any],
             now: dt.datetime) -> str | None:
    """Store the digest of what the reviewer approves; refused when the content changed after the reviewer's view."""
    template = _template(after)
    if isinstance(template, str):
        return template
    if record is not None and change.base_rev < record.rev:
        book.flush()  # the batch's own entries count too
        later = book.session.scalars(select(ChangeLog.fields).where(
            ChangeLog.entity == "letter", ChangeLog.row_id == change.row_id, ChangeLog.rev > change.base_rev))
        if any(_CONTENT & set(fields) for fields in later):
            return CHANGED_SINCE_SEEN
    book.put(change.row_id, content_digest(after, redated_at_issue(template)), user.user_id, now)
    return None


def _template(data: dict[str, Any]) -> Template | str:
    template_id = data.get("template_id")
    try:
        if not isinstance(template_id, str):
            raise WorkbenchError("geen sjabloon")
        return load_template(template_id)
    except WorkbenchError:
        return f"Central kent het sjabloon van deze brief niet ({str(template_id)[:100]}); de brief kan niet verder."


def _issue_refusal(book: ApprovalBook, letter_id: str, before: dict[str, Any], after: dict[str, Any],
                   changed: set[str]) -> str | None:
    """Why this issue may not be taken, or None when it is exactly the approved letter, dated correctly.

    The dagtekening itself is the device's (it may issue offline, and its clock is not central's); every date and
    term printed must be the one the dating rules give for it.
    """
    extra = sorted(changed - ISSUE_FIELDS)
    if extra:
        return "Bij het verzenden van een brief kan alleen de verzending worden vastgelegd, niet: " + \
            ", ".join(extra) + "."
    template = _template(after)
    if isinstance(template, str):
        return template
    redated = redated_at_issue(template)
    approval = book.get(letter_id)
    if approval is not None:
        approved = approval.digest
    else:
        # Approved before central kept digests (migration 0003): since then no change to it was taken, so the
        # approved content is what central holds now.
        log.info("issue of letter %s approved before digests were kept", letter_id)
        approved = content_digest(before, redated)
    if content_digest(after, redated) != approved or content_digest(before, redated) != approved:
        return NOT_APPROVED_CONTENT
    day = _dated_on(after.get("dated_on"))
    if day is None:
        return "Een verzonden brief heeft een dagtekening nodig (dated_on, een datum als JJJJ-MM-DD)."
    return _redated_refusal(template, after, redated, day) or _pdf_refusal(after)


def _dated_on(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _redated_refusal(template: Template, after: dict[str, Any], redated: frozenset[str],
                     day: dt.date) -> str | None:
    """Compute the dates and terms for the dagtekening as the device must have; any difference refuses."""
    values = after.get("field_values")
    if not isinstance(values, dict):
        return NOT_APPROVED_CONTENT
    try:
        facts = facts_from_json(after["facts"], decision_date=day) if after.get("facts") is not None else None
        dated = derive(template, dict(values), letter_date=day, facts=facts)
    except (WorkbenchError, KeyError, TypeError, ValueError):
        return "Central kan de data en termijnen van deze brief niet berekenen; laat hem opnieuw beoordelen."
    expected = to_json(dated.values)
    wrong = sorted(name for name in redated if name in expected and values.get(name) != expected[name])
    if wrong:
        return ("De data en termijnen van de brief passen niet bij de dagtekening "
                f"{day.isoformat()}: {', '.join(wrong)}.")
    used = after.get("policy_versions") or []
    if not isinstance(used, list) or not set(dated.policy_versions) <= set(map(str, used)):
        return ("Op de dagtekening gelden andere regels dan bij de goedkeuring; de brief moet opnieuw worden "
                "beoordeeld.")
    return None


def _pdf_refusal(after: dict[str, Any]) -> str | None:
    """The PDF sent along must be the one its hash names."""
    digest, pdf = after.get("pdf_sha256"), after.get("pdf")
    if not isinstance(digest, str) or len(digest) != 64:
        return "Een verzonden brief heeft de hash van zijn PDF nodig (pdf_sha256)."
    if pdf is None:
        return None
    try:
        raw = base64.b64decode(pdf["$b64"], validate=True) if isinstance(pdf, dict) else None
    except (binascii.Error, TypeError, ValueError):
        raw = None
    if raw is None or hashlib.sha256(raw).hexdigest() != digest.lower():
        return "De PDF van de brief past niet bij pdf_sha256."
    return None
