"""The handover summary of a reassigned case: the whole story, open work, letters, and an audited view."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.workbench.caseload.conftest import TeamData
from workbench.audit.models import AuditEvent
from workbench.caseload.service import CaseloadService
from workbench.store.unit_of_work import Store


def test_the_new_handler_reads_the_story_open_promises_and_the_previous_handler(store: Store,
                                                                                 team: TeamData) -> None:
    with store.unit_of_work(team.anna) as uow:
        summary = CaseloadService().handover(uow, team.cases["a5"])
    assert (summary.reference, summary.parent_name, summary.phase) == ("UHT-2026-000004", "Ouder4 Achternaam4",
                                                                        "Eerste toets")
    assert summary.handler_name == "Anna Bakker"
    assert summary.previous_handler == "Bram de Vries"
    assert summary.story == ((dt.date(2026, 10, 20), "Huisbezoek", "huisbezoek met de ouder"),)
    assert summary.commitments == ()  # its one promise was broken: history, not open work


def test_open_work_and_letters_newest_first(store: Store, team: TeamData) -> None:
    with store.unit_of_work(team.anna) as uow:
        summary = CaseloadService().handover(uow, team.cases["a1"])
    assert [d for d, _k, _t in summary.story] == [dt.date(2026, 11, 28), dt.date(2026, 11, 19)]
    assert summary.previous_handler is None  # Anna wrote all of it
    assert [(a.description, a.due_on, a.overdue) for a in summary.actions] == [
        ("Schuldenlijst opvragen", dt.date(2026, 11, 20), True), ("Later", dt.date(2026, 12, 20), False)]
    assert [(c.description, c.overdue) for c in summary.commitments] == [
        ("Terugbellen", True), ("Brief sturen", False), ("Nieuwe datum", False)]
    assert [(s, d) for _t, s, d in summary.letters] == [("Ter controle", dt.date(2026, 11, 20)),
                                                         ("Concept", dt.date(2026, 11, 1))]
    with store.unit_of_work(team.anna) as uow:
        views = uow.session.execute(select(AuditEvent.verb, AuditEvent.case_id, AuditEvent.detail)
                                    .where(AuditEvent.detail == "handover")).all()
    assert views == [("view", team.cases["a1"], "handover")]
