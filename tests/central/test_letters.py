"""Four eyes through central: what a reviewer sees and may do, and who may approve or issue a letter."""

from __future__ import annotations

from tests.central.wire import change, insert, new_id, new_letter, new_story, open_case, today
from tests.helpers.central import CentralServer, Crew, DeviceSession

OWN_LETTER = "U kunt een brief die u zelf hebt geschreven niet goedkeuren (vier-ogenprincipe)."


def _letter_change(letter: dict, base_rev: int, **fields: tuple[object, object]) -> dict:
    return change("letter", letter["row_id"], dict(fields), base_rev=base_rev,
                  case_id=letter["scope"]["case_id"])


def _submitted(author: DeviceSession, case_id: str, author_id: str | None = None) -> dict:
    letter = new_letter(case_id, author_id or author.user_id)
    author.push_ok(letter)
    [r] = author.push_ok(_letter_change(letter, 1, status=("draft", "in_review")))
    assert r["status"] == "applied"
    return letter


def test_a_reviewer_sees_letters_in_review_with_their_case_and_parent_only(server: CentralServer,
                                                                           crew: Crew) -> None:
    anna, rita = crew.device(), crew.device("reviewer")
    case_id, parent_id = open_case(anna)
    story = new_story(case_id, "Niet voor de beslisser.", anna.user_id)
    draft = new_letter(case_id, anna.user_id)
    child = insert("child", new_id(), {"parent_id": parent_id, "achternaam": "Kind"}, parent_id=parent_id)
    anna.push_ok(story, draft, child)
    assert not {case_id, parent_id, draft["row_id"]} & {c["row_id"] for c in rita.pull_all()[0]}
    letter = _submitted(anna, case_id)
    changes, _, _ = rita.pull_all()
    mine = {c["row_id"]: c for c in changes if c["entity"] not in ("user", "team")}
    assert set(mine) == {letter["row_id"], case_id, parent_id}
    assert mine[letter["row_id"]]["fields"]["status"] == "in_review"
    assert mine[case_id]["fields"]["reference"].startswith("UHT-")
    assert mine[parent_id]["fields"]["achternaam"] == "Testouder"
    counts = rita.http.get("/v1/sync/summary").json()["counts"]
    assert (counts.get("letter"), counts.get("case"), counts.get("parent")) == (1, 1, 1)
    assert "story_entry" not in counts and "child" not in counts


def test_a_reviewer_approves_and_the_author_receives_it(server: CentralServer, crew: Crew) -> None:
    anna, rita = crew.device(), crew.device("reviewer")
    case_id, _ = open_case(anna)
    letter = _submitted(anna, case_id)
    _, _, cursor = anna.pull_all()
    approve = _letter_change(letter, 2, status=("in_review", "approved"), reviewer_id=(None, rita.user_id))
    [r] = rita.push_ok(approve)
    assert (r["status"], r["rev"]) == ("applied", 3)
    [event] = [c for c in anna.pull_all(cursor)[0] if c["row_id"] == letter["row_id"]]
    assert event["fields"] == {"status": "approved", "reviewer_id": rita.user_id}
    assert event["origin_change_id"] == approve["change_id"]
    issue = _letter_change(letter, 3, status=("approved", "issued"), pdf_sha256=(None, "ab" * 32),
                           dated_on=(None, today().isoformat()))
    assert anna.push_ok(issue)[0]["status"] == "applied"
    [r] = anna.push_ok(_letter_change(letter, 4, field_values=(None, {"amount": 1})))
    assert r["status"] == "refused" and "verzonden brief" in r["reason"]


def test_a_reviewer_cannot_approve_a_letter_they_wrote(server: CentralServer, crew: Crew) -> None:
    anna, rita = crew.device(), crew.device("reviewer")
    case_id, _ = open_case(anna)
    letter = _submitted(anna, case_id, author_id=rita.user_id)
    [r] = rita.push_ok(_letter_change(letter, 2, status=("in_review", "approved"), reviewer_id=(None, rita.user_id)))
    assert (r["status"], r["reason"]) == ("refused", OWN_LETTER)


def test_an_author_cannot_approve_their_own_letter_and_a_handler_cannot_approve_at_all(server: CentralServer,
                                                                                      crew: Crew) -> None:
    anna = crew.device()
    case_id, _ = open_case(anna)
    own = _submitted(anna, case_id)
    [r] = anna.push_ok(_letter_change(own, 2, status=("in_review", "approved"), reviewer_id=(None, anna.user_id)))
    assert (r["status"], r["reason"]) == ("refused", OWN_LETTER)
    someone_elses = _submitted(anna, case_id, author_id=new_id())
    [r] = anna.push_ok(_letter_change(someone_elses, 2, status=("in_review", "approved")))
    assert r["status"] == "refused" and "beslisser" in r["reason"]
    [r] = anna.push_ok(new_letter(case_id, new_id(), status="approved"))
    assert r["status"] == "refused"


def test_a_letter_is_issued_only_after_approval(server: CentralServer, crew: Crew) -> None:
    anna = crew.device()
    case_id, _ = open_case(anna)
    letter = new_letter(case_id, anna.user_id)
    anna.push_ok(letter)
    [r] = anna.push_ok(_letter_change(letter, 1, status=("draft", "issued")))
    assert r["status"] == "refused" and "goedgekeurd" in r["reason"]


def test_a_reviewer_may_only_touch_review_fields_of_letters_in_review(server: CentralServer, crew: Crew) -> None:
    anna, rita = crew.device(), crew.device("reviewer")
    case_id, _ = open_case(anna)
    draft = new_letter(case_id, anna.user_id)
    anna.push_ok(draft)
    [r] = rita.push_ok(_letter_change(draft, 1, status=("in_review", "approved"), reviewer_id=(None, rita.user_id)))
    assert r["status"] == "refused" and "ter beoordeling" in r["reason"]
    letter = _submitted(anna, case_id)
    attempts = [
        _letter_change(letter, 2, field_values=(None, {"amount": 1})),
        _letter_change(letter, 2, status=("in_review", "approved"), reviewer_id=(None, anna.user_id)),
        _letter_change(letter, 2, status=("in_review", "approved")),
        _letter_change(letter, 2, status=("in_review", "issued"), reviewer_id=(None, rita.user_id)),
        new_story(case_id, "Beslisser schrijft mee.", rita.user_id),
        change("case", case_id, {"phase": ("aangemeld", "besluit")}, base_rev=1, case_id=case_id),
    ]
    for attempt in attempts:
        [r] = rita.push_ok(attempt)
        assert r["status"] == "refused", attempt
        assert r["reason"]


def test_a_reviewer_sends_a_letter_back_to_draft_with_a_comment(server: CentralServer, crew: Crew) -> None:
    anna, rita = crew.device(), crew.device("reviewer")
    case_id, _ = open_case(anna)
    letter = _submitted(anna, case_id)
    back = _letter_change(letter, 2, status=("in_review", "draft"), review_comment=("", "Bedrag onderbouwen."))
    [r] = rita.push_ok(back)
    assert r["status"] == "applied"
    changes, _, _ = anna.pull_all()
    latest = [c for c in changes if c["row_id"] == letter["row_id"]][-1]
    assert latest["fields"]["review_comment"] == "Bedrag onderbouwen."
