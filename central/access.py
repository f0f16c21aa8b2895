"""Who may write which row: the authorization rules of a push, answered as a Dutch refusal or None."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from central.accounts import Principal
from central.ledger import RowState, load_rows
from central.models import CaseAccess
from workbench.sync.protocol import PARENT_SCOPED, Change

REVIEW_FIELDS = frozenset({"status", "reviewer_id", "review_comment"})
# Case fields only an assignment (central) changes.
ASSIGNMENT_FIELDS = ("handler_id", "team_id")

NOT_YOURS = "Deze zaak is niet aan u toegewezen; u kunt er niets in wijzigen."
OWN_LETTER = "U kunt een brief die u zelf hebt geschreven niet goedkeuren (vier-ogenprincipe)."


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


class AccessFacts:
    """What the rules need to know about one user's cases and parents, asked once per batch."""

    def __init__(self, session: Session, user: Principal, rows: RowCache) -> None:
        self._session, self._user, self.rows = session, user, rows
        self._assigned: dict[str, bool] = {}
        self._parent: dict[str, bool] = {}

    def case_exists(self, case_id: str) -> bool:
        return self.rows.get("case", case_id) is not None

    def ever_assigned(self, case_id: str) -> bool:
        """True when the case is assigned to the user now or was earlier (offline edits stay accepted)."""
        if case_id not in self._assigned:
            self._assigned[case_id] = bool(self._session.scalar(select(exists().where(
                and_(CaseAccess.case_id == case_id, CaseAccess.handler_id == self._user.user_id)))))
        return self._assigned[case_id]

    def parent_writable(self, parent_id: str) -> bool:
        """Writable with a case of that parent that is (or was) theirs, or while the parent is new and theirs."""
        if parent_id not in self._parent:
            handlers = set(self._session.scalars(
                select(CaseAccess.handler_id).where(CaseAccess.parent_id == parent_id).distinct()))
            if handlers:
                self._parent[parent_id] = self._user.user_id in handlers
            else:
                parent = self.rows.get("parent", parent_id)
                self._parent[parent_id] = parent is None or parent.created_by == self._user.user_id
        return self._parent[parent_id]

    def case_opened(self, case_id: str, parent_id: str) -> None:
        """The user just opened this case (in this batch)."""
        self._assigned[case_id] = True
        self._parent[parent_id] = True


def refusal(
    facts: AccessFacts, user: Principal, change: Change, record: RowState | None, *, case_id: str | None,
    parent_id: str | None, values: dict[str, Any],
) -> str | None:
    """Why this change may not be written (Dutch), or None when it may."""
    if user.role == "reviewer":
        return _review_refusal(user, change, record, values)
    entity = change.entity
    if entity == "case" and record is None:
        if values.get("handler_id") != user.user_id:
            return "Een nieuwe zaak moet aan uzelf zijn toegewezen (handler_id)."
        if values.get("team_id") not in (None, user.team_id):
            return "Een nieuwe zaak hoort bij uw eigen team (team_id)."
        if parent_id is None or not facts.parent_writable(parent_id):
            return "U kunt geen zaak openen voor een ouder die bij een andere behandelaar hoort."
        return None
    if entity == "case" and record is not None:
        for key in ASSIGNMENT_FIELDS:
            if key in values and values[key] != record.data.get(key):
                return "Alleen de teamleider kan een zaak aan een andere behandelaar of team toewijzen."
    if entity in PARENT_SCOPED:
        if parent_id is None or not facts.parent_writable(parent_id):
            return "Deze ouder hoort niet bij een zaak van u; u kunt de gegevens niet wijzigen."
        return None
    if case_id is None or not facts.case_exists(case_id):
        return "Deze wijziging hoort bij een zaak die central niet kent."
    if not facts.ever_assigned(case_id):
        return NOT_YOURS
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
