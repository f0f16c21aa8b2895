"""A push runs a fixed handful of SQL statements whatever its size, and keeps the change log in request order.

In process, counting every statement central's write engine sends (SQLAlchemy's before_cursor_execute), on SQLite
and, when WORKBENCH_TEST_PG_URL is set, on PostgreSQL too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, select

from central import push
from central.accounts import Principal
from central.database import Database
from central.models import CaseAccess, CaseNumber, ChangeLog, LetterApproval, Record, ReviewAccess
from tests.central.wire import change, new_case, new_id, new_letter, new_parent, new_story
from workbench.sync.protocol import PushRequest

NOW = dt.datetime.now(dt.UTC)
# BEGIN (or PostgreSQL's advisory lock), the flag check, the replay lookup, the rows, the assignment periods, the
# two case-number checks, and one statement per kind of write (records, change log, case numbers, access, answers).
MOST_FOR_NEW_CASES = 12


class Counter:
    """The statements central's write engine sends while it is on."""

    def __init__(self, db: Database) -> None:
        self.statements: list[str] = []
        self.on = False
        event.listen(db._write, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        if self.on:
            self.statements.append(statement)

    def push(self, db: Database, user: Principal, changes: list[dict[str, Any]],
             **options: bool) -> tuple[int, list[dict[str, Any]]]:
        request = PushRequest.model_validate({"device_id": user.device_id, "changes": changes})
        self.statements.clear()
        self.on = True
        try:
            results = push.push(db, user, request, NOW, **options).results
        finally:
            self.on = False
        return len(self.statements), [r.model_dump() for r in results]


def _handler(team_id: str | None = None) -> Principal:
    return Principal(new_id(), f"h-{new_id()[:8]}", "handler", team_id, new_id())


def _new_cases(user: Principal, count: int) -> tuple[list[dict[str, Any]], list[str]]:
    changes, cases = [], []
    for _ in range(count):
        case_id, parent_id = new_id(), new_id()
        changes += [new_parent(parent_id), new_case(case_id, parent_id, user.user_id, user.team_id),
                    new_story(case_id, author_id=user.user_id)]
        cases.append(case_id)
    return changes, cases


def _statuses(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] for r in results]


def test_a_push_of_ten_new_cases_runs_no_more_statements_than_one_of_two(db: Database) -> None:
    counter = Counter(db)
    small, _ = _new_cases(anna := _handler(new_id()), 2)
    large, _ = _new_cases(anna, 10)
    small_count, small_results = counter.push(db, anna, small)
    large_count, large_results = counter.push(db, anna, large)
    assert set(_statuses(small_results + large_results)) == {"applied"}
    assert small_count <= MOST_FOR_NEW_CASES, counter.statements
    assert large_count == small_count, counter.statements
    with db.read() as session:
        assert session.scalar(select(CaseNumber.reference).where(CaseNumber.case_id == large[-2]["row_id"])) \
            == large[-2]["fields"]["reference"][1]
        assert len(list(session.scalars(select(CaseAccess.id).where(CaseAccess.handler_id == anna.user_id)))) == 12


def test_a_push_after_a_claim_in_the_same_round_does_not_read_the_flag_again(db: Database) -> None:
    counter = Counter(db)
    anna = _handler(new_id())
    alone_count, alone = counter.push(db, anna, _new_cases(anna, 2)[0])
    assert any("device_anchor" in statement for statement in counter.statements)
    round_count, in_round = counter.push(db, anna, _new_cases(anna, 2)[0], unflagged=True)
    assert not any("device_anchor" in statement for statement in counter.statements), counter.statements
    assert round_count == alone_count - 1
    assert set(_statuses(alone + in_round)) == {"applied"}


def _edits(user: Principal, cases: list[str]) -> list[dict[str, Any]]:
    """On each case: a phase change, a new story, a letter written and sent for review."""
    changes = []
    for case_id in cases:
        letter = new_letter(case_id, user.user_id)
        changes += [change("case", case_id, {"phase": ("aangemeld", "eerste_toets")}, base_rev=1, case_id=case_id),
                    new_story(case_id, author_id=user.user_id), letter,
                    change("letter", letter["row_id"], {"status": ("draft", "in_review")}, base_rev=1,
                           case_id=case_id)]
    return changes


def test_edits_and_reviews_of_five_cases_run_no_more_statements_than_of_one(db: Database) -> None:
    counter = Counter(db)
    team = new_id()
    anna = _handler(team)
    opened, cases = _new_cases(anna, 6)
    counter.push(db, anna, opened)
    one_count, one = counter.push(db, anna, _edits(anna, cases[:1]))
    five_count, five = counter.push(db, anna, _edits(anna, cases[1:]))
    assert set(_statuses(one + five)) == {"applied"}, one + five
    assert five_count == one_count, counter.statements
    with db.read() as session:
        reviews = list(session.scalars(select(ReviewAccess).where(ReviewAccess.case_id.in_(cases))))
        assert {r.team_id for r in reviews} == {team} and len(reviews) == 6
        seqs = {row_id: seq for row_id, seq in session.execute(select(ChangeLog.row_id, ChangeLog.seq).where(
            ChangeLog.entity == "letter", ChangeLog.rev == 2))}
        assert {r.letter_id: r.from_seq for r in reviews} == seqs


def _approvals(reviewer: Principal, letters: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [change("letter", letter_id, {"status": ("in_review", "approved"), "reviewer_id": (None, reviewer.user_id)},
                   base_rev=2, case_id=case_id) for letter_id, case_id in letters]


def test_approving_four_letters_runs_no_more_statements_than_approving_one(db: Database) -> None:
    counter = Counter(db)
    team = new_id()
    anna = _handler(team)
    opened, cases = _new_cases(anna, 5)
    counter.push(db, anna, opened)
    edits = _edits(anna, cases)
    assert set(_statuses(counter.push(db, anna, edits)[1])) == {"applied"}
    letters = [(c["row_id"], c["scope"]["case_id"]) for c in edits if c["entity"] == "letter" and c["op"] == "insert"]
    rita = Principal(new_id(), "rita", "reviewer", team, new_id())
    one_count, one = counter.push(db, rita, _approvals(rita, letters[:1]))
    four_count, four = counter.push(db, rita, _approvals(rita, letters[1:]))
    assert set(_statuses(one + four)) == {"applied"}, one + four
    assert four_count == one_count, counter.statements
    with db.read() as session:
        approved = set(session.scalars(select(LetterApproval.letter_id).where(
            LetterApproval.reviewer_id == rita.user_id)))
    assert approved == {letter_id for letter_id, _ in letters}


def test_the_change_log_follows_the_request_and_a_row_written_twice_keeps_its_last_version(db: Database) -> None:
    counter = Counter(db)
    anna = _handler()
    case_id, parent_id = new_id(), new_id()
    story = new_story(case_id, "Eerste versie.", anna.user_id)
    rewrite = change("story_entry", story["row_id"], {"text": ("Eerste versie.", "Tweede versie.")}, base_rev=1,
                     case_id=case_id)
    later = change("story_entry", story["row_id"], {"text": ("Eerste versie.", "Derde versie.")}, base_rev=1,
                   case_id=case_id)
    phase = change("case", case_id, {"phase": ("aangemeld", "eerste_toets")}, base_rev=1, case_id=case_id)
    clash = change("case", case_id, {"phase": ("aangemeld", "afgesloten")}, base_rev=1, case_id=case_id)
    changes = [new_parent(parent_id), new_case(case_id, parent_id, anna.user_id), story, rewrite, phase,
               new_story(case_id, "Een ander verhaal.", anna.user_id), later, clash]
    _, results = counter.push(db, anna, changes)
    assert _statuses(results) == ["applied", "applied", "applied", "applied", "applied", "applied", "merged",
                                  "conflict"], results
    assert [r["rev"] for r in results] == [1, 1, 1, 2, 2, 1, 3, 3]
    assert results[-1]["conflicts"] == {"phase": "eerste_toets"}
    assert results[-1]["row"]["phase"] == "eerste_toets"
    with db.read() as session:
        log = list(session.execute(select(ChangeLog.origin_change_id, ChangeLog.rev).where(
            ChangeLog.origin_change_id.in_([c["change_id"] for c in changes])).order_by(ChangeLog.seq)))
        rows = {(r.entity, r.row_id): r for r in session.scalars(select(Record).where(
            Record.row_id.in_([story["row_id"], case_id])))}
    assert log == [(c["change_id"], r["rev"]) for c, r in zip(changes, results, strict=True)]
    assert (rows[("story_entry", story["row_id"])].rev, rows[("story_entry", story["row_id"])].data["text"]) \
        == (3, "Derde versie.")
    assert (rows[("case", case_id)].rev, rows[("case", case_id)].data["phase"]) == (3, "eerste_toets")


def test_an_approval_that_reads_the_log_sees_the_batchs_own_earlier_entries(db: Database) -> None:
    counter = Counter(db)
    team = new_id()
    anna = _handler(team)
    opened, [case_id] = _new_cases(anna, 1)
    counter.push(db, anna, opened)
    edits = _edits(anna, [case_id])
    counter.push(db, anna, edits)
    letter_id = edits[2]["row_id"]
    rita = Principal(new_id(), "rita", "reviewer", team, new_id())
    take = change("letter", letter_id, {"reviewer_id": (None, rita.user_id)}, base_rev=2, case_id=case_id)
    approve = change("letter", letter_id, {"status": ("in_review", "approved")}, base_rev=2, case_id=case_id)
    _, results = counter.push(db, rita, [take, approve])
    assert [(r["status"], r["rev"]) for r in results] == [("applied", 3), ("merged", 4)], results
    with db.read() as session:
        row = session.scalar(select(Record).where(Record.entity == "letter", Record.row_id == letter_id))
        log = list(session.execute(select(ChangeLog.origin_change_id, ChangeLog.rev).where(
            ChangeLog.row_id == letter_id, ChangeLog.rev > 2).order_by(ChangeLog.seq)))
        approval = session.get(LetterApproval, letter_id)
    assert row is not None and (row.rev, row.data["status"], row.data["reviewer_id"]) == (4, "approved", rita.user_id)
    assert log == [(take["change_id"], 3), (approve["change_id"], 4)]
    assert approval is not None and approval.reviewer_id == rita.user_id
