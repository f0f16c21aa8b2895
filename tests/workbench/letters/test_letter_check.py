"""The letter check: errors that stop a besluit at submit and issue, warnings shown to author and reviewer."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from tests.helpers.factories import make_case, seed_local_user
from tests.workbench.letters.samples import DAY, beschikking_values, facts, values_for
from workbench.errors import ValidationError
from workbench.letters.dating import derive
from workbench.letters.letter_check import Finding, check_letter, raise_errors
from workbench.letters.models import Letter
from workbench.letters.service import LetterService
from workbench.letters.templates import Block, Template, load_template, to_json
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store

DECISION = "beschikking_integrale_beoordeling"
CONTEXT = {"reference": "UHT-2026-000001/BR-1", "case_reference": "UHT-2026-000001", "letter_date": DAY}


def _check(template: Template, values: dict[str, Any], *, day: dt.date = DAY, to_belanghebbende: bool = True,
           derived: dict[str, Any] | None = None) -> list[Finding]:
    if derived is None:
        dated = derive(template, values, letter_date=day, facts=dataclasses.replace(facts(), decision_date=day))
        derived = dated.values
    return check_letter(template, to_json(values), letter_date=day, derived=to_json(derived), context=CONTEXT,
                        addressed_to_belanghebbende=to_belanghebbende)


def _errors(findings: list[Finding]) -> list[tuple[str | None, str]]:
    return [(f.field, f.message) for f in findings if f.severity == "error"]


def test_the_shipped_beschikking_passes() -> None:
    assert _errors(_check(load_template(DECISION), values_for(DECISION))) == []


def test_a_besluit_without_mandate_line_or_legal_basis_is_an_error() -> None:
    template = load_template(DECISION)
    values = {**values_for(DECISION), "mandate": ""}
    assert [f for f, _m in _errors(_check(template, values))] == ["mandate"]
    no_basis = dataclasses.replace(template, body=tuple(b for b in template.body if "legal_basis" not in b.text))
    assert "legal_basis" in [f for f, _m in _errors(_check(no_basis, values_for(DECISION)))]


def test_a_clause_whose_last_day_is_not_after_the_letter_date_is_an_error() -> None:
    template = load_template(DECISION)
    values = {**values_for(DECISION), "objection_deadline": DAY}
    errors = _errors(_check(template, values, derived={**values_for(DECISION), "objection_deadline": DAY}))
    assert any(f == "objection_deadline" and "29 november 2026" in m for f, m in errors)


def test_an_amount_that_differs_from_the_engine_is_an_error() -> None:
    template = load_template(DECISION)
    values = {**values_for(DECISION), "payable": 2_500_000}
    assert any(f == "payable" for f, _m in _errors(_check(template, values)))


def test_an_amount_written_into_the_template_text_is_an_error() -> None:
    """The first-test letter said "U krijgt € 30.000" above a body saying € 25.000,00."""
    template = load_template(DECISION)
    literal = dataclasses.replace(template, body=(Block("heading", "U krijgt € 31.000"), *template.body))
    errors = _errors(_check(literal, values_for(DECISION)))
    assert any("€ 31.000" in m and "berekening" in m for _f, m in errors)


def test_a_besluit_not_addressed_to_the_belanghebbende_is_an_error() -> None:
    errors = _errors(_check(load_template(DECISION), values_for(DECISION), to_belanghebbende=False))
    assert any("belanghebbende" in m for _f, m in errors)


def test_long_sentences_and_unexplained_jargon_are_warnings_only() -> None:
    template = load_template(DECISION)
    long = " ".join(["woord"] * 30) + "."
    values = {**values_for(DECISION), "motivation": f"{long} Er is beslag gelegd op uw loon."}
    findings = _check(template, values)
    warnings = [f.message for f in findings if f.severity == "warning"]
    assert any("Lange zin (30 woorden)" in w for w in warnings)
    assert any('"beslag"' in w for w in warnings)
    assert _errors(findings) == []
    explained = {**values_for(DECISION), "motivation": "Er is beslag gelegd. Beslag betekent: zij houden geld in."}
    assert not any('"beslag"' in f.message for f in _check(template, explained))
    raise_errors(findings)  # warnings never stop anything


def test_issue_refuses_an_approved_amount_that_is_not_the_engines(store: Store, actor: Actor) -> None:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        letter = service.create_draft(uow, case_id, template_id=DECISION, values=beschikking_values(), facts=facts())
        service.submit(uow, letter.id)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, letter.id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        row = uow.session.get(Letter, letter.id)
        row.field_values = {**row.field_values, "payable": 2_500_000}  # a modified client's edit after approval
        uow.session.flush()
        with pytest.raises(ValidationError) as err:
            service.issue(uow, letter.id)
    assert err.value.field == "payable"


def test_findings_lists_warnings_for_the_wizard(store: Store, actor: Actor) -> None:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        long = " ".join(["woord"] * 30) + "."
        letter = service.create_draft(uow, case_id, template_id=DECISION,
                                      values={**beschikking_values(), "facts": long}, facts=facts())
        findings = service.findings(uow, letter.id)
    assert any(f.severity == "warning" and "Lange zin" in f.message for f in findings)
    assert not any(f.severity == "error" for f in findings)
