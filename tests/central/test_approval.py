"""Four eyes held by central: after approval only the issue of exactly the approved letter, dated correctly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from central.approval import BACK_TO_DRAFT, CHANGED_SINCE_SEEN, NOT_APPROVED_CONTENT
from tests.central.wire import change, issue_change, letter_values, new_letter, open_case, today
from tests.helpers.central import Crew, DeviceSession


def _change(letter: dict[str, Any], base_rev: int, **fields: tuple[object, object]) -> dict[str, Any]:
    return change("letter", letter["row_id"], dict(fields), base_rev=base_rev, case_id=letter["scope"]["case_id"])


def _approved(crew: Crew, *, drafted: dt.date | None = None) -> tuple[DeviceSession, DeviceSession, dict[str, Any]]:
    """A letter by anna (rev 3) approved by rita; values derived for `drafted` (default today)."""
    anna, rita = crew.device(), crew.device("reviewer")
    case_id, _ = open_case(anna)
    letter = new_letter(case_id, anna.user_id, day=drafted)
    anna.push_ok(letter)
    assert anna.push_ok(_change(letter, 1, status=("draft", "in_review")))[0]["status"] == "applied"
    [r] = rita.push_ok(_change(letter, 2, status=("in_review", "approved"), reviewer_id=(None, rita.user_id)))
    assert (r["status"], r["rev"]) == ("applied", 3), r
    return anna, rita, letter


def _values(letter: dict[str, Any]) -> dict[str, Any]:
    return dict(letter["fields"]["field_values"][1])


def _issue(letter: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return issue_change(letter, **kwargs)


def _status(device: DeviceSession, letter: dict[str, Any]) -> dict[str, Any]:
    changes, _, _ = device.pull_all()
    row: dict[str, Any] = {}
    for c in changes:
        if c["row_id"] == letter["row_id"]:
            row.update(c["fields"])
    return row


def test_an_approved_letter_the_author_changes_goes_back_to_draft_without_approval(crew: Crew) -> None:
    anna, _rita, letter = _approved(crew)
    forged = {**_values(letter), "motivation": "U krijgt € 999.000.", "amount": 99_900_000}
    [r] = anna.push_ok(_change(letter, 3, field_values=(_values(letter), forged)))
    assert r["status"] == "merged", r
    assert (r["row"]["status"], r["row"]["reviewer_id"], r["row"]["review_comment"]) == ("draft", None, BACK_TO_DRAFT)
    seen = _status(anna, letter)
    assert (seen["status"], seen["reviewer_id"]) == ("draft", None)
    [r] = anna.push_ok(_issue(letter, values=forged))
    assert r["status"] == "refused"


def test_any_other_change_to_an_approved_letter_sends_it_back_to_draft(crew: Crew) -> None:
    for name in ("reviewer_id", "review_comment", "facts", "story_entry_ids", "deleted_at"):
        anna, rita, letter = _approved(crew)
        new_value: object = {"reviewer_id": anna.user_id,  # the author names themselves as reviewer
                             "review_comment": "klaar", "facts": {"years": []}, "story_entry_ids": [],
                             "deleted_at": "2026-01-01T09:00:00+00:00"}[name]
        old = rita.user_id if name == "reviewer_id" else letter["fields"].get(name, (None, None))[1]
        [r] = anna.push_ok(_change(letter, 3, **{name: (old, new_value)}))
        assert r["status"] == "merged", (name, r)
        assert (r["row"]["status"], r["row"]["reviewer_id"]) == ("draft", None), name
        assert anna.push_ok(_issue(letter))[0]["status"] == "refused", name


def test_an_issue_with_other_content_than_approved_is_refused_and_changes_nothing(crew: Crew) -> None:
    anna, rita, letter = _approved(crew)
    attempts = [
        _issue(letter, values={**_values(letter), "amount": 99_900_000}),
        _issue(letter, values={**_values(letter), "motivation": "Toch wel."}),
        _issue(letter, values={**_values(letter), "legal_basis": "Artikel 1"}),
        _issue(letter, template_id=("uitslag_eerste_toets_vooralsnog_niet", "uitslag_eerste_toets_positief")),
        _issue(letter, reviewer_id=(rita.user_id, anna.user_id)),
    ]
    for attempt in attempts:
        [r] = anna.push_ok(attempt)
        assert r["status"] == "refused", attempt["fields"]
        assert r["reason"] == NOT_APPROVED_CONTENT or "niet:" in r["reason"], r
    seen = _status(rita, letter)
    assert (seen["status"], seen["reviewer_id"], seen["field_values"]) == ("approved", rita.user_id, _values(letter))


def test_an_issue_with_forged_dates_or_pdf_is_refused(crew: Crew) -> None:
    anna, _rita, letter = _approved(crew)
    late = (today() + dt.timedelta(days=400)).isoformat()
    for attempt, words in [
        (_issue(letter, values={**_values(letter), "objection_deadline": late}), "objection_deadline"),
        (_issue(letter, values={**_values(letter), "objection_term": "U kunt bezwaar maken binnen 1 jaar."}),
         "objection_term"),
        (_issue(letter, day=today() + dt.timedelta(days=10)), "objection_deadline"),
        (_issue(letter, dated_on=(None, "morgen")), "dated_on"),  # not a date: the value check names the field
        (_issue(letter, dated_on=(None, None)), "dagtekening"),
        (_issue(letter, sha="ab" * 32), "PDF"),
    ]:
        [r] = anna.push_ok(attempt)
        assert r["status"] == "refused", attempt["fields"]
        assert words in r["reason"], r["reason"]


def test_a_letter_drafted_earlier_is_issued_with_the_dates_of_its_dagtekening(crew: Crew) -> None:
    drafted = today() - dt.timedelta(days=9)
    anna, _rita, letter = _approved(crew, drafted=drafted)
    stale = _issue(letter)  # the dates still those of the draft day: the parent would lose nine days
    [r] = anna.push_ok(stale)
    assert r["status"] == "refused" and "objection_deadline" in r["reason"], r
    fresh, _ = letter_values(today())
    redated = {**_values(letter), **{k: fresh[k] for k in ("objection_deadline", "objection_term", "mandate")}}
    [r] = anna.push_ok(_issue(letter, values=redated))
    assert r["status"] == "applied", r
    seen = _status(anna, letter)  # the reviewer's access ends at issue; the handler sees the issued letter
    assert (seen["status"], seen["field_values"]["objection_deadline"]) == ("issued", fresh["objection_deadline"])


def test_a_withdrawn_approval_is_gone(crew: Crew) -> None:
    anna, _rita, letter = _approved(crew)
    [r] = anna.push_ok(_change(letter, 3, status=("approved", "draft"), reviewer_id=("x", None)))
    assert r["status"] in ("applied", "merged"), r
    assert anna.push_ok(_change(letter, 4, status=("in_review", "approved")))[0]["status"] == "refused"
    assert anna.push_ok(_change(letter, 4, status=("draft", "issued"), dated_on=(None, today().isoformat())))[0][
        "status"] == "refused"


def test_an_approval_of_content_changed_after_the_reviewer_saw_it_is_refused(crew: Crew) -> None:
    anna, rita = crew.device(), crew.device("reviewer")
    case_id, _ = open_case(anna)
    letter = new_letter(case_id, anna.user_id)
    anna.push_ok(letter)
    anna.push_ok(_change(letter, 1, status=("draft", "in_review")))
    # the author changes the amount while the letter is in review, after the reviewer pulled rev 2
    changed = {**_values(letter), "amount": 99_900_000}
    assert anna.push_ok(_change(letter, 2, field_values=(_values(letter), changed)))[0]["status"] == "applied"
    [r] = rita.push_ok(_change(letter, 2, status=("in_review", "approved"), reviewer_id=(None, rita.user_id)))
    assert (r["status"], r["reason"]) == ("refused", CHANGED_SINCE_SEEN)
    [r] = rita.push_ok(_change(letter, 3, status=("in_review", "approved"), reviewer_id=(None, rita.user_id)))
    assert r["status"] == "applied", r


def test_status_jumps_past_review_are_refused(crew: Crew) -> None:
    anna = crew.device()
    case_id, _ = open_case(anna)
    for status in ("approved", "issued"):
        [r] = anna.push_ok(new_letter(case_id, anna.user_id, status=status))
        assert r["status"] == "refused", status
    letter = new_letter(case_id, anna.user_id)
    anna.push_ok(letter)
    anna.push_ok(_change(letter, 1, status=("draft", "in_review")))
    for fields in ({"status": ("in_review", "issued")}, {"status": ("in_review", "approved")},
                   {"status": ("in_review", "approved"), "reviewer_id": (None, anna.user_id)}):
        [r] = anna.push_ok(_change(letter, 2, dated_on=(None, today().isoformat()), **fields))
        assert r["status"] == "refused", fields
