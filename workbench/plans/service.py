"""Use cases for a case's plan: needs per life domain, actions, commitments and the due-items list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnClause, literal_column, select

from workbench.audit.chain import AuditEntry
from workbench.cases.models import Case
from workbench.clock import today
from workbench.dates import parse_date
from workbench.errors import NotAllowed, NotFound, ValidationError
from workbench.plans import vocabulary as vocab
from workbench.plans.models import Action, Commitment, CommitmentStatusChange, Need
from workbench.store.schema import Syncable
from workbench.store.unit_of_work import UnitOfWork

MAX_DESCRIPTION = 2_000
MAX_NAME = 200
MAX_NOTE = 1_000
# Owners outside the UHT organisation must be named ("Gemeente Zaanstad"), or nobody knows whom to chase.
NAMED_OWNERS = frozenset({"gemeente", "partner"})
# SQLite's insertion order; breaks ties when rows share a date and a (test or coarse) timestamp.
_CHANGE_ORDER: ColumnClause[int] = literal_column("commitment_status_change.rowid")
_NEED_ORDER: ColumnClause[int] = literal_column("need.rowid")
_Row = TypeVar("_Row", bound=Syncable)


@dataclass(frozen=True)
class NeedInfo:
    id: str
    case_id: str
    life_domain: str
    life_domain_label: str
    description: str
    status: str
    status_label: str


@dataclass(frozen=True)
class ActionInfo:
    """An action; `overdue` means still open with a due date before today."""

    id: str
    case_id: str
    need_id: str | None
    description: str
    owner: str
    owner_label: str
    owner_name: str
    due_on: dt.date | None
    status: str
    status_label: str
    done_on: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class CommitmentStep:
    """One status change; `previous_due_on` and `due_on` are the dates before and after it (None: not recorded)."""

    from_status: str | None
    to_status: str
    on_date: dt.date
    note: str
    previous_due_on: dt.date | None = None
    due_on: dt.date | None = None


@dataclass(frozen=True)
class CommitmentInfo:
    """A promise to the parent with its status history, oldest step first.

    `first_due_on` is the date first promised (a renegotiation never moves it); `times_moved` counts the
    renegotiations; `owner` says who keeps the promise (COMMITMENT_OWNERS).
    """

    id: str
    case_id: str
    description: str
    promised_by: str
    promised_on: dt.date
    due_on: dt.date
    status: str
    status_label: str
    resolved_on: dt.date | None
    overdue: bool
    history: tuple[CommitmentStep, ...]
    first_due_on: dt.date
    times_moved: int
    owner: str
    owner_label: str
    source_letter_id: str | None


@dataclass(frozen=True)
class NeedPlan:
    """A need with its actions; overdue when one of its actions is."""

    need: NeedInfo
    actions: tuple[ActionInfo, ...]
    overdue: bool


@dataclass(frozen=True)
class LifeDomainPlan:
    code: str
    label: str
    needs: tuple[NeedPlan, ...]


@dataclass(frozen=True)
class CasePlan:
    """The whole plan: every configured life domain (also empty ones), loose actions, commitments."""

    case_id: str
    domains: tuple[LifeDomainPlan, ...]
    loose_actions: tuple[ActionInfo, ...]
    commitments: tuple[CommitmentInfo, ...]


@dataclass(frozen=True)
class DueItem:
    """One line on the "Acties & toezeggingen" page; `who` is the owner or whoever made the promise."""

    kind: str
    kind_label: str
    id: str
    case_id: str
    case_reference: str
    description: str
    who: str
    due_on: dt.date
    status: str
    overdue: bool


def _text(value: str, *, field: str, label: str, max_len: int, required: bool = True,
          one_line: bool = True) -> str:
    text = " ".join((value or "").split()) if one_line else (value or "").strip()
    if required and not text:
        raise ValidationError(f"{label} is verplicht.", field=field)
    if len(text) > max_len:
        raise ValidationError(f"{label} is te lang ({len(text)} tekens; maximaal {max_len}).", field=field)
    return text


def valid_description(text: str, *, label: str = "Omschrijving") -> str:
    return _text(text, field="description", label=label, max_len=MAX_DESCRIPTION, one_line=False)


def _past_or_today(uow: UnitOfWork, value: str | dt.date | None, *, field: str, label: str) -> dt.date:
    """A date on which something happened: defaults to today, never in the future."""
    day = parse_date(value, field=field, label=label, required=False) or today(uow.clock)
    if day > today(uow.clock):
        raise ValidationError(f"{label} ligt in de toekomst.", field=field)
    return day


def _required_date(value: str | dt.date | None, *, field: str, label: str) -> dt.date:
    day = parse_date(value, field=field, label=label, required=False)
    if day is None:
        raise ValidationError(f"{label} is verplicht.", field=field)
    return day


def _load(uow: UnitOfWork, model: type[_Row], row_id: str, message: str) -> _Row:
    row = uow.session.get(model, row_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(message)
    return row


def _action_who(owner: str, owner_name: str) -> str:
    return vocab.owner_text(vocab.ACTION_OWNERS.get(owner, owner), owner_name)


def _action_info(row: Action, day: dt.date) -> ActionInfo:
    overdue = row.status == "open" and row.due_on is not None and row.due_on < day
    return ActionInfo(row.id, row.case_id, row.need_id, row.description, row.owner,
                      vocab.ACTION_OWNERS.get(row.owner, row.owner), row.owner_name, row.due_on, row.status,
                      vocab.ACTION_STATUSES.get(row.status, row.status), row.done_on, overdue)


def _need_info(row: Need) -> NeedInfo:
    domain = vocab.life_domains().get(row.life_domain, row.life_domain)
    return NeedInfo(row.id, row.case_id, row.life_domain, domain, row.description, row.status,
                    vocab.NEED_STATUSES.get(row.status, row.status))


class PlanService:
    """Needs, actions and commitments of a case; every commitment status change is kept as history."""

    def _case(self, uow: UnitOfWork, case_id: str) -> Case:
        return _load(uow, Case, case_id, "Deze zaak bestaat niet (meer) op dit apparaat.")

    def _open_action(self, uow: UnitOfWork, action_id: str) -> Action:
        row = _load(uow, Action, action_id, "Deze actie bestaat niet (meer).")
        if row.status != "open":
            raise NotAllowed(f"Deze actie is al {vocab.ACTION_STATUSES.get(row.status, row.status).lower()}.")
        return row

    def _live_commitment(self, uow: UnitOfWork, commitment_id: str) -> Commitment:
        row = _load(uow, Commitment, commitment_id, "Deze toezegging bestaat niet (meer).")
        if row.status not in vocab.COMMITMENT_LIVE:
            label = vocab.COMMITMENT_STATUSES.get(row.status, row.status).lower()
            raise NotAllowed(f"Deze toezegging is al afgerond ({label}) en kan niet meer veranderen.")
        return row

    def add_need(self, uow: UnitOfWork, case_id: str, *, life_domain: str, description: str) -> NeedInfo:
        self._case(uow, case_id)
        vocab.check_code(life_domain, vocab.life_domains(), field="life_domain", label="Leefgebied")
        row = Need(case_id=case_id, life_domain=life_domain, description=valid_description(description),
                   status="open")
        uow.session.add(row)
        uow.session.flush()
        return _need_info(row)

    def set_need_status(self, uow: UnitOfWork, need_id: str, *, status: str) -> NeedInfo:
        row = _load(uow, Need, need_id, "Deze behoefte bestaat niet (meer).")
        row.status = vocab.check_code(status, vocab.NEED_STATUSES, field="status", label="Status")
        uow.session.flush()
        return _need_info(row)

    def add_action(self, uow: UnitOfWork, case_id: str, *, description: str, owner: str, owner_name: str = "",
                   due_on: str | dt.date | None = None, need_id: str | None = None) -> ActionInfo:
        self._case(uow, case_id)
        body = valid_description(description)
        vocab.check_code(owner, vocab.ACTION_OWNERS, field="owner", label="Eigenaar")
        name = _text(owner_name, field="owner_name", max_len=MAX_NAME, required=owner in NAMED_OWNERS,
                     label=f"Naam van de {vocab.ACTION_OWNERS[owner].lower()}")
        due = parse_date(due_on, field="due_on", label="Uiterste datum", required=False)
        if need_id is not None:
            need = uow.session.get(Need, need_id)
            if need is None or need.deleted_at is not None or need.case_id != case_id:
                raise ValidationError("Behoefte hoort niet bij deze zaak.", field="need_id")
        row = Action(case_id=case_id, need_id=need_id, description=body, owner=owner, owner_name=name,
                     due_on=due, status="open")
        uow.session.add(row)
        uow.session.flush()
        return _action_info(row, today(uow.clock))

    def complete_action(self, uow: UnitOfWork, action_id: str, *,
                        done_on: str | dt.date | None = None) -> ActionInfo:
        row = self._open_action(uow, action_id)
        row.done_on = _past_or_today(uow, done_on, field="done_on", label="Datum gedaan")
        row.status = "done"
        uow.session.flush()
        return _action_info(row, today(uow.clock))

    def cancel_action(self, uow: UnitOfWork, action_id: str) -> ActionInfo:
        row = self._open_action(uow, action_id)
        row.status = "cancelled"
        uow.session.flush()
        return _action_info(row, today(uow.clock))

    def reschedule_action(self, uow: UnitOfWork, action_id: str, *, due_on: str | dt.date) -> ActionInfo:
        row = self._open_action(uow, action_id)
        due = _required_date(due_on, field="due_on", label="Nieuwe uiterste datum")
        if due < today(uow.clock):
            raise ValidationError("Nieuwe uiterste datum ligt in het verleden.", field="due_on")
        row.due_on = due
        uow.session.flush()
        return _action_info(row, today(uow.clock))

    def add_commitment(self, uow: UnitOfWork, case_id: str, *, description: str, promised_by: str,
                       due_on: str | dt.date | None, promised_on: str | dt.date | None = None,
                       owner: str = "pzb", source_letter_id: str | None = None) -> CommitmentInfo:
        """A new promise; `owner` is who keeps it, `source_letter_id` the issued letter that made it."""
        self._case(uow, case_id)
        body = valid_description(description, label="Omschrijving van de toezegging")
        vocab.check_code(owner, vocab.COMMITMENT_OWNERS, field="owner", label="Wie doet het")
        who = _text(promised_by, field="promised_by", label="Toegezegd door", max_len=MAX_NAME, required=True)
        promised = _past_or_today(uow, promised_on, field="promised_on", label="Datum toezegging")
        due = _required_date(due_on, field="due_on", label="Uiterste datum toezegging")
        if due < promised:
            raise ValidationError("Uiterste datum toezegging ligt vóór de datum van de toezegging.",
                                  field="due_on")
        row = Commitment(case_id=case_id, description=body, promised_by=who, promised_on=promised, due_on=due,
                         first_due_on=due, status="open", owner=owner, source_letter_id=source_letter_id)
        uow.session.add(row)
        uow.session.flush()
        uow.session.add(CommitmentStatusChange(commitment_id=row.id, from_status=None, to_status="open",
                                               on_date=promised, note="Toegezegd", due_on=due))
        uow.session.flush()
        return self._commitment_info(uow, row)

    def keep(self, uow: UnitOfWork, commitment_id: str, *,
             on_date: str | dt.date | None = None) -> CommitmentInfo:
        """Record that the promise was kept; kept on the due date itself still counts as on time."""
        row = self._live_commitment(uow, commitment_id)
        day = self._change_date(uow, row, on_date, label="Datum nagekomen")
        return self._change(uow, row, to_status="kept" if day <= row.due_on else "kept_late", on_date=day)

    def break_commitment(self, uow: UnitOfWork, commitment_id: str, *, on_date: str | dt.date | None = None,
                         note: str) -> CommitmentInfo:
        row = self._live_commitment(uow, commitment_id)
        day = self._change_date(uow, row, on_date, label="Datum")
        why = _text(note, field="note", label="Toelichting (waarom niet nagekomen)", max_len=MAX_NOTE,
                    required=True)
        return self._change(uow, row, to_status="broken", on_date=day, note=why)

    def renegotiate(self, uow: UnitOfWork, commitment_id: str, *, new_due_on: str | dt.date,
                    note: str) -> CommitmentInfo:
        """A new date agreed with the parent; the promise stays live under its new date.

        The date first promised stays in `first_due_on`, and the change records the date before and after.
        """
        row = self._live_commitment(uow, commitment_id)
        due = _required_date(new_due_on, field="new_due_on", label="Nieuwe uiterste datum")
        if due < today(uow.clock):
            raise ValidationError("Nieuwe uiterste datum ligt in het verleden.", field="new_due_on")
        if due == row.due_on:
            raise ValidationError("Nieuwe uiterste datum is gelijk aan de huidige.", field="new_due_on")
        why = _text(note, field="note", label="Toelichting (wat is opnieuw afgesproken)", max_len=MAX_NOTE,
                    required=True)
        day = self._change_date(uow, row, None, label="Datum")
        previous, row.due_on = row.due_on, due
        return self._change(uow, row, to_status="renegotiated", on_date=day, note=why, previous_due_on=previous)

    def _change_date(self, uow: UnitOfWork, row: Commitment, value: str | dt.date | None, *,
                     label: str) -> dt.date:
        day = _past_or_today(uow, value, field="on_date", label=label)
        last = uow.session.scalar(select(CommitmentStatusChange.on_date)
                                  .where(CommitmentStatusChange.commitment_id == row.id)
                                  .order_by(CommitmentStatusChange.on_date.desc()).limit(1))
        if day < max(row.promised_on, last or row.promised_on):
            raise ValidationError(f"{label} ligt vóór de toezegging of de vorige statuswijziging.",
                                  field="on_date")
        return day

    def _change(self, uow: UnitOfWork, row: Commitment, *, to_status: str, on_date: dt.date,
                note: str = "", previous_due_on: dt.date | None = None) -> CommitmentInfo:
        uow.session.add(CommitmentStatusChange(commitment_id=row.id, from_status=row.status,
                                               to_status=to_status, on_date=on_date, note=note,
                                               previous_due_on=previous_due_on,
                                               due_on=row.due_on if previous_due_on is not None else None))
        row.status = to_status
        row.resolved_on = on_date if to_status in ("kept", "kept_late", "broken") else None
        uow.session.flush()
        return self._commitment_info(uow, row)

    def _commitment_info(self, uow: UnitOfWork, row: Commitment) -> CommitmentInfo:
        return self._commitment_infos(uow, [row])[0]

    def _commitment_infos(self, uow: UnitOfWork, rows: list[Commitment]) -> list[CommitmentInfo]:
        steps: dict[str, list[CommitmentStep]] = {r.id: [] for r in rows}
        if rows:
            changes = uow.session.execute(
                select(CommitmentStatusChange.commitment_id, CommitmentStatusChange.from_status,
                       CommitmentStatusChange.to_status, CommitmentStatusChange.on_date,
                       CommitmentStatusChange.note, CommitmentStatusChange.previous_due_on,
                       CommitmentStatusChange.due_on)
                .where(CommitmentStatusChange.commitment_id.in_(list(steps)),
                       CommitmentStatusChange.deleted_at.is_(None))
                .order_by(CommitmentStatusChange.on_date, CommitmentStatusChange.updated_at, _CHANGE_ORDER))
            for cid, from_status, to_status, on_date, note, previous, due in changes:
                steps[cid].append(CommitmentStep(from_status, to_status, on_date, note, previous, due))
        day = today(uow.clock)
        return [CommitmentInfo(r.id, r.case_id, r.description, r.promised_by, r.promised_on, r.due_on,
                               r.status, vocab.COMMITMENT_STATUSES.get(r.status, r.status), r.resolved_on,
                               r.status in vocab.COMMITMENT_LIVE and r.due_on < day, tuple(steps[r.id]),
                               r.first_due_on or r.due_on,
                               sum(1 for s in steps[r.id] if s.to_status == "renegotiated"), r.owner,
                               vocab.COMMITMENT_OWNERS.get(r.owner, r.owner), r.source_letter_id)
                for r in rows]

    def plan_for_case(self, uow: UnitOfWork, case_id: str) -> CasePlan:
        """The case's plan as the plan tab shows it; reading it is audited as one view."""
        self._case(uow, case_id)
        day = today(uow.clock)
        needs = list(uow.session.scalars(
            select(Need).where(Need.case_id == case_id, Need.deleted_at.is_(None)).order_by(_NEED_ORDER)))
        actions = uow.session.scalars(
            select(Action).where(Action.case_id == case_id, Action.deleted_at.is_(None))
            .order_by(Action.due_on.is_(None), Action.due_on))
        by_need: dict[str | None, list[ActionInfo]] = {}
        for a in actions:
            by_need.setdefault(a.need_id, []).append(_action_info(a, day))
        codes = dict(vocab.life_domains())
        codes.update({n.life_domain: n.life_domain for n in needs if n.life_domain not in codes})
        plans: dict[str, list[NeedPlan]] = {code: [] for code in codes}
        for n in needs:
            acts = tuple(by_need.get(n.id, ()))
            plans[n.life_domain].append(NeedPlan(_need_info(n), acts, any(a.overdue for a in acts)))
        domains = tuple(LifeDomainPlan(code, label, tuple(plans[code])) for code, label in codes.items())
        commitments = list(uow.session.scalars(
            select(Commitment).where(Commitment.case_id == case_id, Commitment.deleted_at.is_(None))
            .order_by(Commitment.due_on)))
        uow.audit(AuditEntry("view", "plan", case_id, case_id))
        return CasePlan(case_id, domains, tuple(by_need.get(None, ())),
                        tuple(self._commitment_infos(uow, commitments)))

    def due_items(self, uow: UnitOfWork, *, handler_id: str, until: dt.date) -> list[DueItem]:
        """Open actions and live commitments in the handler's open cases due by `until`, or overdue.

        Column selects over the (case_id, status, due_on) indexes: the list must stay fast on 50,000 cases.
        """
        day = today(uow.clock)
        cutoff = max(until, day - dt.timedelta(days=1))
        open_case = (Case.handler_id == handler_id, Case.deleted_at.is_(None), Case.closed_on.is_(None))
        actions = uow.session.execute(
            select(Action.id, Action.case_id, Case.reference, Action.description, Action.owner,
                   Action.owner_name, Action.due_on, Action.status)
            .join(Case, Case.id == Action.case_id)
            .where(*open_case, Action.status == "open", Action.deleted_at.is_(None), Action.due_on <= cutoff))
        commitments = uow.session.execute(
            select(Commitment.id, Commitment.case_id, Case.reference, Commitment.description,
                   Commitment.promised_by, Commitment.due_on, Commitment.status)
            .join(Case, Case.id == Commitment.case_id)
            .where(*open_case, Commitment.status.in_(vocab.COMMITMENT_LIVE), Commitment.deleted_at.is_(None),
                   Commitment.due_on <= cutoff))
        items = [DueItem("action", "Actie", aid, cid, ref, text, _action_who(owner, name), due, status,
                         due < day)
                 for aid, cid, ref, text, owner, name, due, status in actions if due is not None]
        items += [DueItem("commitment", "Toezegging", mid, cid, ref, text, who, due, status, due < day)
                  for mid, cid, ref, text, who, due, status in commitments]
        return sorted(items, key=lambda i: (i.due_on, i.case_reference, i.kind, i.id))
