"""Letters UI fixtures: a case with letters in every state, colleagues who write and review them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import update

from tests.helpers.factories import days_from_today, dutch_day, seed_local_user
from tests.ui.conftest import SCREENSHOTS, first_case_id
from workbench.clock import today
from workbench.letters import queries
from workbench.letters.service import LetterService
from workbench.letters.templates import load_template
from workbench.policy.facts import CaseFacts, ToeslagYear
from workbench.staff.models import Role, User
from workbench.store.unit_of_work import Actor
from workbench.workspace import UnitOfWork, Workspace

INVITE = "uitnodiging_huisbezoek"
VISIT_DAY = days_from_today(30)  # far enough after any letter date the invitation gets


def shot(widget: QWidget, name: str) -> Path:
    """Save a PNG of `widget` as artifacts/ui/letters_<name>.png for a person to look at."""
    folder = SCREENSHOTS / "ui"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"letters_{name}.png"
    assert widget.grab().save(str(path))
    return path


def select_template(wizard: Any, template_id: str) -> None:
    """Make `template_id` the current template in a letter wizard's first step."""
    templates = wizard.chooser.templates
    templates.setCurrentRow(next(n for n in range(templates.count())
                                 if templates.item(n).data(Qt.ItemDataRole.UserRole) == template_id))


def invitation(uow: UnitOfWork, case_id: str) -> dict[str, Any]:
    return {**queries.case_defaults(uow, case_id, load_template(INVITE)), "visit_date": dutch_day(VISIT_DAY),
            "visit_time": "10.00 uur"}


DECISION = "beschikking_integrale_beoordeling"
TYPED = {"decision": "U bent gedupeerd. Daarom krijgt u een compensatie voor het jaar 2012.",
         "facts": "In 2012 moest u kinderopvangtoeslag terugbetalen. Dat was niet terecht.",
         "motivation": "Wij hebben gezien dat u recht had op de toeslag. U krijgt het minimumbedrag.",
         "payment": "Wij betalen het bedrag binnen 6 weken op het rekeningnummer dat bij ons bekend is."}


def decision(uow: UnitOfWork, case_id: str) -> tuple[dict[str, Any], CaseFacts]:
    """The typed parts of a beschikking and the facts for one toeslagjaar (startbedrag € 8.000)."""
    template = load_template(DECISION)
    values = {k: v for k, v in queries.case_defaults(uow, case_id, template).items()
              if k not in queries.derived_fields(template)}
    facts = CaseFacts(decision_date=today(uow.clock), scheme="integrale_beoordeling",
                      years=(ToeslagYear(2012, startbedrag_cents=800000),))
    return {**values, **TYPED}, facts


def set_role(ws: Workspace, user_id: str, role: Role, name: str | None = None) -> None:
    values: dict[str, Any] = {"role": role}
    if name:
        values["display_name"] = name
    with ws.store.engine.begin() as conn:
        conn.execute(update(User).where(User.id == user_id).values(**values))


@dataclass
class LetterCase:
    """A case whose letters are in every state; `me` is the window's user."""

    case_id: str
    reference: str
    ids: dict[str, str]
    me: Actor
    colleague: Actor
    reviewer: Actor


def make_letters(ws: Workspace, *, case_index: int = 0, author_is_me: bool = True) -> LetterCase:
    """Letters on one demo case: draft, rejected, in_review, approved and issued (by `me` unless told)."""
    colleague = seed_local_user(ws.store, username=f"collega{case_index}")
    reviewer = seed_local_user(ws.store, role=Role.REVIEWER, username=f"controleur{case_index}")
    set_role(ws, colleague.user_id, Role.HANDLER, "Chris Collega")
    set_role(ws, reviewer.user_id, Role.REVIEWER, "Rik Controleur")
    me = ws.actor
    author = me if author_is_me else colleague
    service = LetterService()
    with ws.unit_of_work() as uow:
        row = ws.search.cases(uow, "UHT", limit=case_index + 1)[case_index]
        case_id, reference = row.case_id, row.reference
    ids: dict[str, str] = {}
    with ws.store.unit_of_work(author) as uow:
        for name in ("issued", "approved", "in_review", "rejected", "draft"):
            ids[name] = service.create_draft(uow, case_id, template_id=INVITE, values=invitation(uow, case_id)).id
        for name in ("rejected", "in_review", "approved", "issued"):
            service.submit(uow, ids[name])
    with ws.store.unit_of_work(reviewer) as uow:
        service.reject(uow, ids["rejected"], comment="Zet het telefoonnummer van de pzb'er erbij.")
        for name in ("approved", "issued"):
            service.approve(uow, ids[name], reviewer_id=reviewer.user_id)
    with ws.store.unit_of_work(author) as uow:
        service.issue(uow, ids["issued"])
    return LetterCase(case_id, reference, ids, me, colleague, reviewer)


@pytest.fixture
def case_id(window: Any) -> str:
    """The case the letters are written on: the first demo case."""
    return first_case_id(window)


@pytest.fixture
def letters(window: Any) -> LetterCase:
    ws = window.ctx.runner.workspace
    assert ws is not None
    return make_letters(ws)
