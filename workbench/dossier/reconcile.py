"""Comparing a checked dossier with the store: which rows are new, already there, or in conflict."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from workbench.audit.chain import AuditEntry
from workbench.dossier.places import in_case
from workbench.dossier.sections import LABELS, LISTS, SINGLE, columns, table_of
from workbench.dossier.validation import Dossier, fail, path_of
from workbench.models import Case, Parent, Team, User
from workbench.staff.models import Role
from workbench.store.schema import Base
from workbench.store.unit_of_work import UnitOfWork

# Well below SQLite's limit on bound parameters per statement.
ID_BATCH = 500
MODELS: dict[str, type[Base]] = {**SINGLE, **LISTS}
PLACEHOLDER_NAME = "Onbekende medewerker"
PLACEHOLDER_TEAM = "Onbekend team"


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


@dataclass
class Plan:
    """What writing the dossier will do.

    Attributes:
        new: section -> rows not yet in the store, in write order.
        skipped: rows already in the store with exactly the same values.
        missing_users: user ids the new rows refer to that this store does not know.
        missing_teams: likewise for teams.
    """

    new: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    skipped: int = 0
    missing_users: set[str] = field(default_factory=set)
    missing_teams: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.new.values())


def _stored(session: Session, model: type[Base], ids: list[str]) -> dict[str, dict[str, Any]]:
    table = table_of(model)
    out: dict[str, dict[str, Any]] = {}
    for chunk in batched(ids, ID_BATCH):
        for row in session.execute(select(table).where(table.c.id.in_(chunk))).mappings():
            out[row["id"]] = dict(row)
    return out


def _missing(session: Session, model: type[Base], ids: set[str]) -> set[str]:
    table = table_of(model)
    found: set[str] = set()
    for chunk in batched(sorted(ids), ID_BATCH):
        found.update(session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
    return ids - found


def _same_identity(session: Session, dossier: Dossier) -> None:
    """BSN and case reference are unique: the same parent or case under another id is refused."""
    parent, case = dossier.rows["parent"][0], dossier.rows["case"][0]
    other = session.scalar(select(Parent.id).where(Parent.bsn == parent["bsn"], Parent.id != parent["id"]))
    if other is not None:
        fail("parent.bsn", "Op dit apparaat staat al een ouder met dit BSN onder een ander id; inlezen "
                           "zou deze ouder dubbel opnemen. Er is niets ingelezen.")
    other = session.scalar(select(Case.id).where(Case.reference == case["reference"], Case.id != case["id"]))
    if other is not None:
        fail("case.reference", f"Zaaknummer {case['reference']} hoort op dit apparaat al bij een andere "
                               "zaak. Er is niets ingelezen.")


def _references(model: type[Base], rows: list[dict[str, Any]], table: str) -> set[str]:
    keys = [c.name for c in columns(model) if any(fk.column.table.name == table for fk in c.foreign_keys)]
    return {row[k] for row in rows for k in keys if row[k] is not None}


def plan_import(session: Session, dossier: Dossier) -> Plan:
    """Sort every row into new or already present; one present with other values refuses the dossier."""
    with in_case(str(dossier.rows["case"][0]["reference"])):
        return _plan(session, dossier)


def _plan(session: Session, dossier: Dossier) -> Plan:
    _same_identity(session, dossier)
    plan = Plan()
    for section, rows in dossier.rows.items():
        model = MODELS[section]
        stored = _stored(session, model, [row["id"] for row in rows])
        new = []
        for i, row in enumerate(rows):
            have = stored.get(row["id"])
            if have is None:
                new.append(row)
                continue
            diff = next((c.name for c in columns(model) if have[c.name] != row[c.name]), None)
            if diff is not None:
                fail(f"{path_of(section, i)}.{diff}", f"{LABELS[section]} staat op dit apparaat al, met andere "
                                                     "gegevens. Er is niets ingelezen.")
            plan.skipped += 1
        plan.new[section] = _write_order(new) if section == "letters" else new
        plan.missing_users |= _references(model, new, User.__tablename__)
        plan.missing_teams |= _references(model, new, Team.__tablename__)
    plan.missing_users = _missing(session, User, plan.missing_users)
    plan.missing_teams = _missing(session, Team, plan.missing_teams)
    return plan


def _write_order(letters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A corrected letter before its correction (the foreign key is checked per row)."""
    by_id = {row["id"]: row for row in letters}
    done: set[str] = set()
    out: list[dict[str, Any]] = []
    for row in letters:
        chain = []
        current: dict[str, Any] | None = row
        while current is not None and current["id"] not in done:
            chain.append(current)
            done.add(current["id"])
            current = by_id.get(current["corrects_letter_id"] or "")
        out.extend(reversed(chain))
    return out


def add_placeholders(uow: UnitOfWork, plan: Plan) -> int:
    """Stand-ins for the users and teams the dossier names but this device does not know yet.

    They are written past the outbox on purpose: they are not changes to share, only local stand-ins
    until sync brings the real rows (same id) from central. Each one is audited.
    """
    now, actor = uow.clock.now(), uow.actor.user_id
    book = {"rev": 0, "updated_at": now, "updated_by": actor, "deleted_at": None}
    for team_id in sorted(plan.missing_teams):
        uow.session.execute(insert(table_of(Team)).values(id=team_id, name=PLACEHOLDER_TEAM, **book))
        uow.audit(AuditEntry("create", "team", team_id, detail="plaatsvervanger bij import"))
    for user_id in sorted(plan.missing_users):
        username = f"onbekend-{user_id[:8]}"
        if uow.session.scalar(select(User.id).where(User.username == username)) is not None:
            username = f"onbekend-{user_id}"
        uow.session.execute(insert(table_of(User)).values(
            id=user_id, username=username, display_name=PLACEHOLDER_NAME, role=Role.HANDLER, team_id=None,
            **book))
        uow.audit(AuditEntry("create", "user", user_id, detail="plaatsvervanger bij import"))
    return len(plan.missing_teams) + len(plan.missing_users)
