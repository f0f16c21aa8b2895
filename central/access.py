"""Who may write which row: the authorization rules of a push, answered as a Dutch refusal or None."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from central.accounts import Principal
from central.ledger import RowState, load_rows
from central.models import CaseAccess, ChangeLog, ReviewAccess
from central.review_pool import reviews_team
from workbench.sync.protocol import PARENT_SCOPED, Change

REVIEW_FIELDS = frozenset({"status", "reviewer_id", "review_comment"})
# Case fields only an assignment (central) changes.
ASSIGNMENT_FIELDS = ("handler_id", "team_id")

NOT_YOURS = "Deze zaak is niet aan u toegewezen; u kunt er niets in wijzigen."
OTHER_PARENT = "Deze ouder hoort niet bij een zaak van u; u kunt de gegevens niet wijzigen."
REVIEW_ENDED = "Deze brief is verzonden; uw beoordeling is afgerond en u kunt niets meer aan de zaak wijzigen."
PAST_GRACE = ("Deze zaak is{on} aan een andere behandelaar toegewezen. Wijzigingen die u daarvoor zonder "
              "verbinding maakte, neemt de centrale tot {days} dagen na de toewijzing over; die termijn is "
              "voorbij. Geef uw wijziging door aan de nieuwe behandelaar of uw teamleider.")
AFTER_REASSIGNMENT = ("Deze zaak is aan een andere behandelaar toegewezen; u kunt er na de toewijzing niets "
                      "meer in wijzigen. Geef uw wijziging door aan de nieuwe behandelaar of uw teamleider.")
# How long after a reassignment central still takes the former handler's offline edits. A pzb'er works
# at kitchen tables without a connection, sometimes for days (home visits, a week of leave): what they typed
# before hearing of the reassignment must not be lost. A week covers that; after it the new handler has
# worked the case for a week and a former handler's edit would come as a surprise, so central refuses it
# with a reason the device shows, and the device keeps the text on its Conflicten page.
REASSIGN_GRACE = dt.timedelta(days=7)
OWN_LETTER = "U kunt een brief die u zelf hebt geschreven niet goedkeuren (vier-ogenprincipe)."
OTHER_TEAM = ("Deze brief hoort bij een team waarvan u de brieven niet beoordeelt (niet uw eigen team en niet "
              "in uw beoordelingspool).")


class RowCache:
    """The rows of one push batch, loaded once and kept current as the batch writes them."""

    def __init__(self, session: Session, keys: Iterable[tuple[str, str]]) -> None:
        self._session = session
        wanted = set(keys)
        self._known: dict[tuple[str, str], RowState | None] = dict.fromkeys(wanted)
        self._known.update(load_rows(session, wanted))

    def get(self, entity: str, row_id: str) -> RowState | None:
        key = (entity, row_id)
        if key not in self._known:
            self._known[key] = load_rows(self._session, [key]).get(key)
        return self._known[key]

    def put(self, state: RowState) -> None:
        self._known[(state.entity, state.row_id)] = state


@dataclass(frozen=True)
class Standing:
    """The user's hold on a case, or on a parent through the parent's cases.

    Attributes:
        current: the user holds it now.
        ended_seq: when not current, the sequence of the reassignment that ended the user's latest period
            (None: the user never held it).
        ended_at: when that reassignment happened (central's clock).
    """

    current: bool = False
    ended_seq: int | None = None
    ended_at: dt.datetime | None = None


NEVER, HOLDS = Standing(), Standing(current=True)


_PERIODS = select(CaseAccess.case_id, CaseAccess.parent_id, CaseAccess.handler_id, CaseAccess.team_id,
                  CaseAccess.from_seq, CaseAccess.to_seq, CaseAccess.assigned_at)
# A batch's preload, built once: the periods of its cases and of its parents (each an expanding parameter).
_PERIODS_OF = _PERIODS.where(or_(
    CaseAccess.case_id.in_(bindparam("cases", expanding=True)),
    CaseAccess.parent_id.in_(bindparam("parents", expanding=True)),
)).order_by(CaseAccess.id)


def standing_of(user_id: str, periods: Sequence[Any]) -> Standing:
    """The user's standing from assignment periods (of one case, or of every case of one parent)."""
    mine = [p for p in periods if p.handler_id == user_id]
    if not mine:
        return NEVER
    if any(p.to_seq is None for p in mine):
        return HOLDS
    last = max(mine, key=lambda p: p.to_seq)
    started = {(p.case_id, p.from_seq): p.assigned_at for p in periods}
    return Standing(ended_seq=last.to_seq, ended_at=started.get((last.case_id, last.to_seq)))


@dataclass
class Review:
    """A letter's review access as a batch sees it.

    Attributes:
        open: not ended by an issue yet; in_scope: of this reviewer's team or pool.
        written: known to be in the database; otherwise ``params`` are its queued insert.
    """

    open: bool
    in_scope: bool
    written: bool = True
    params: dict[str, Any] | None = None


class AccessFacts:
    """What the rules need to know about one user's cases and parents, asked once per batch.

    ``preload`` reads the assignment periods and reviews of the batch's cases, parents and letters in one go;
    whatever it did not read is asked when needed. ``flush`` writes the batch, before a read that could see it.
    """

    def __init__(self, session: Session, user: Principal, rows: RowCache, now: dt.datetime | None = None,
                 flush: Callable[[], None] | None = None) -> None:
        self._session, self._user, self.rows = session, user, rows
        self.now = now or dt.datetime.now(dt.UTC)
        self._flush = flush or (lambda: None)
        self._case: dict[str, Standing] = {}
        self._parent: dict[str, Standing] = {}
        self._case_periods: dict[str, list[Any]] = {}
        self._parent_periods: dict[str, list[Any]] = {}
        self._opened_team: dict[str, str | None] = {}
        self._reviews: dict[str, Review | None] = {}  # None: never in review

    def preload(self, case_ids: Iterable[str], parent_ids: Iterable[str], letter_ids: Iterable[str]) -> None:
        """Read the assignment periods of these cases and parents, and the reviews of these letters."""
        cases, parents, letters = sorted(set(case_ids)), sorted(set(parent_ids)), sorted(set(letter_ids))
        if cases or parents:
            for period in self._session.connection().execute(_PERIODS_OF, {"cases": cases, "parents": parents}):
                self._case_periods.setdefault(period.case_id, []).append(period)
                self._parent_periods.setdefault(period.parent_id, []).append(period)
            for key in cases:
                self._case_periods.setdefault(key, [])
            for key in parents:
                self._parent_periods.setdefault(key, [])
        if letters:
            columns: list[Any] = [ReviewAccess.letter_id, ReviewAccess.to_seq]
            if self._user.role == "reviewer":
                columns.append(reviews_team(self._user))
            self._reviews.update(dict.fromkeys(letters))
            for row in self._session.execute(select(*columns).where(ReviewAccess.letter_id.in_(letters))):
                self._reviews[row[0]] = Review(open=row[1] is None, in_scope=len(row) > 2 and bool(row[2]))

    def case_exists(self, case_id: str) -> bool:
        return self.rows.get("case", case_id) is not None

    def case_standing(self, case_id: str) -> Standing:
        """Whether the user holds the case now, held it earlier (and until when), or never did."""
        if case_id not in self._case:
            periods = self._case_periods.get(case_id)
            if periods is None:
                periods = self._periods(CaseAccess.case_id == case_id)
            self._case[case_id] = standing_of(self._user.user_id, periods)
        return self._case[case_id]

    def parent_standing(self, parent_id: str) -> Standing:
        """The user's hold on a parent: through a case of that parent, or as the creator of a parent without one."""
        if parent_id not in self._parent:
            periods = self._parent_periods.get(parent_id)
            if periods is None:
                periods = self._periods(CaseAccess.parent_id == parent_id)
            if periods:
                self._parent[parent_id] = standing_of(self._user.user_id, periods)
            else:
                parent = self.rows.get("parent", parent_id)
                mine = parent is None or parent.created_by == self._user.user_id
                self._parent[parent_id] = HOLDS if mine else NEVER
        return self._parent[parent_id]

    def _periods(self, condition: Any) -> list[Any]:
        return list(self._session.execute(_PERIODS.where(condition).order_by(CaseAccess.id)))

    def current_team(self, case_id: str) -> str | None:
        """The team of the case's current assignment (None without one)."""
        if case_id in self._opened_team:
            return self._opened_team[case_id]
        periods = self._case_periods.get(case_id)
        if periods is None:
            periods = self._case_periods[case_id] = self._periods(CaseAccess.case_id == case_id)
        return next((p.team_id for p in periods if p.to_seq is None), None)

    def rev_before(self, change: Change, seq: int, case_id: str | None, parent_id: str | None) -> int:
        """The row's revision just before central's sequence ``seq`` (0 when it did not exist yet)."""
        scope = ChangeLog.case_id == case_id if case_id is not None else ChangeLog.parent_id == parent_id
        found = self._session.scalar(select(func.max(ChangeLog.rev)).where(
            scope, ChangeLog.entity == change.entity, ChangeLog.row_id == change.row_id, ChangeLog.seq < seq))
        return int(found or 0)

    def _review(self, letter_id: str) -> Review | None:
        if letter_id not in self._reviews:
            self.preload((), (), (letter_id,))
        return self._reviews[letter_id]

    def outside_review_scope(self, letter_id: str) -> bool:
        """Whether the letter went into review for a team that is neither this reviewer's own nor in their pool."""
        review = self._review(letter_id)
        if review is None:
            return False  # never in review: the review rules answer that
        if not review.written:  # went into review in this batch: ask the database once it holds it
            self._flush()
            del self._reviews[letter_id]
            review = self._review(letter_id)
            assert review is not None
        return not review.in_scope

    def has_review(self, letter_id: str) -> bool:
        """Whether the letter was ever in review (central keeps its review access)."""
        return self._review(letter_id) is not None

    def reviews_from(self, letter_id: str, params: dict[str, Any]) -> None:
        """The batch just put the letter in review for the first time; ``params`` are its queued review access."""
        self._reviews[letter_id] = Review(open=True, in_scope=False, written=False, params=params)

    def review_ends(self, letter_id: str) -> Review | None:
        """The letter is issued: the review this ends (reviewers then see nothing more of it), if one was open."""
        review = self._review(letter_id)
        if review is None or not review.open:
            return None
        review.open = False
        return review

    def case_opened(self, case_id: str, parent_id: str, team_id: str | None = None) -> None:
        """The user just opened this case (in this batch), for ``team_id``."""
        self._case[case_id] = HOLDS
        self._parent[parent_id] = HOLDS
        self._opened_team[case_id] = team_id


def former_refusal(facts: AccessFacts, standing: Standing, change: Change, record: RowState | None, *,
                   case_id: str | None, parent_id: str | None) -> str | None:
    """Why a former holder's change is too late (Dutch), or None for an offline edit made before the loss.

    Within REASSIGN_GRACE of the reassignment, central takes a former handler's change unless it builds on
    a version of the row from after the reassignment (which their device never received).
    """
    assert standing.ended_seq is not None
    if standing.ended_at is None or facts.now - standing.ended_at > REASSIGN_GRACE:
        on = f" op {standing.ended_at:%d-%m-%Y}" if standing.ended_at is not None else ""
        return PAST_GRACE.format(on=on, days=REASSIGN_GRACE.days)
    if record is not None and change.base_rev > facts.rev_before(change, standing.ended_seq, case_id, parent_id):
        return AFTER_REASSIGNMENT
    return None


def refusal(
    facts: AccessFacts, user: Principal, change: Change, record: RowState | None, *, case_id: str | None,
    parent_id: str | None, values: dict[str, Any],
) -> str | None:
    """Why this change may not be written (Dutch), or None when it may."""
    if user.role == "reviewer":
        if change.entity == "letter" and record is not None and facts.outside_review_scope(change.row_id):
            return OTHER_TEAM
        return _review_refusal(user, change, record, values)
    entity = change.entity
    if entity == "case" and record is None:
        if values.get("handler_id") != user.user_id:
            return "Een nieuwe zaak moet aan uzelf zijn toegewezen (handler_id)."
        if values.get("team_id") not in (None, user.team_id):
            return "Een nieuwe zaak hoort bij uw eigen team (team_id)."
        if parent_id is None or facts.parent_standing(parent_id) != HOLDS:
            return "U kunt geen zaak openen voor een ouder die bij een andere behandelaar hoort."
        return None
    if entity == "case" and record is not None:
        for key in ASSIGNMENT_FIELDS:
            if key in values and values[key] != record.data.get(key):
                return "Alleen de teamleider kan een zaak aan een andere behandelaar of team toewijzen."
    if entity in PARENT_SCOPED:
        if parent_id is None:
            return OTHER_PARENT
        standing = facts.parent_standing(parent_id)
        if standing.current:
            return None
        if standing.ended_seq is None:
            return OTHER_PARENT
        return former_refusal(facts, standing, change, record, case_id=None, parent_id=parent_id)
    if case_id is None or not facts.case_exists(case_id):
        return "Deze wijziging hoort bij een zaak die central niet kent."
    standing = facts.case_standing(case_id)
    if standing.ended_seq is None and not standing.current:
        return NOT_YOURS
    if not standing.current:
        late = former_refusal(facts, standing, change, record, case_id=case_id, parent_id=None)
        if late:
            return late
    if entity == "letter":
        return _letter_refusal(user, record, values)
    return None


def _letter_refusal(user: Principal, record: RowState | None, values: dict[str, Any]) -> str | None:
    current = record.data if record is not None else {}
    status = values.get("status", current.get("status"))
    author = values.get("author_id", current.get("author_id"))
    if current.get("status") == "issued" and any(values[k] != current.get(k) for k in values):
        return "Een verzonden brief kan niet meer worden gewijzigd; maak een correctiebrief."
    if status == "approved" and current.get("status") != "approved":
        if author == user.user_id:
            return OWN_LETTER
        return "Alleen een beslisser kan een brief goedkeuren."
    if status == "issued" and current.get("status") not in ("approved", "issued"):
        return "Een brief kan pas worden verzonden als een beslisser hem heeft goedgekeurd."
    return None


def _review_refusal(user: Principal, change: Change, record: RowState | None, values: dict[str, Any]) -> str | None:
    if change.entity != "letter":
        return "Een beslisser kan alleen brieven beoordelen, geen andere gegevens wijzigen."
    if record is not None and record.data.get("status") == "issued":
        return REVIEW_ENDED
    if record is None or record.data.get("status") != "in_review":
        return "Deze brief staat niet (meer) ter beoordeling."
    extra = sorted(set(values) - REVIEW_FIELDS)
    if extra:
        return ("Een beslisser kan alleen status, beoordelaar en toelichting van een brief wijzigen, niet: "
                + ", ".join(extra) + ".")
    status = values.get("status", "in_review")
    if status not in ("approved", "draft", "in_review"):
        return "Een beslisser kan een brief alleen goedkeuren of terugzetten naar concept."
    if status == "approved" and record.data.get("author_id") == user.user_id:
        return OWN_LETTER
    reviewer = values.get("reviewer_id", record.data.get("reviewer_id"))
    if "reviewer_id" in values and values["reviewer_id"] not in (None, user.user_id):
        return "U kunt alleen uzelf als beoordelaar van een brief opgeven."
    if status == "approved" and reviewer != user.user_id:
        return "Bij goedkeuren moet u zelf als beoordelaar (reviewer_id) staan."
    return None
