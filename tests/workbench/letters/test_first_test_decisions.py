"""The two first-test outcomes are besluiten: clause, legal basis, mandate, stored versions, amounts from policy."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from tests.helpers.factories import make_case, seed_local_user
from tests.workbench.letters.samples import DAY, flat_text, render, typed_values, values_for
from workbench.errors import ValidationError
from workbench.letters.content_check import check_decision
from workbench.letters.dating import derive
from workbench.letters.letter_check import check_letter
from workbench.letters.models import Letter
from workbench.letters.organisation import organisation, with_defaults
from workbench.letters.service import LetterService
from workbench.letters.templates import NOT_TEMPLATES, load_template, to_json
from workbench.policy.versions import default_book, parse_tables
from workbench.resources import load_json, resource_path
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store

POSITIVE, NEGATIVE = "uitslag_eerste_toets_positief", "uitslag_eerste_toets_vooralsnog_niet"
FIRST_TEST = (POSITIVE, NEGATIVE)
CONTEXT = {"reference": "UHT-2026-000001/BR-1", "case_reference": "UHT-2026-000001", "letter_date": DAY}
CATSHUIS = default_book().in_force("catshuis", DAY)
# € followed by digits, or a Dutch thousands amount such as 30.000 (with or without cents)
AMOUNT_LITERAL = re.compile(r"€\s*\d|(?<![\d.])\d{1,3}(?:\.\d{3})+(?:,\d{2})?(?![\d.])|\bEUR\s*\d")


def _errors(template_id: str, values: dict[str, Any], derived: dict[str, Any] | None = None) -> list[tuple[Any, str]]:
    template = load_template(template_id)
    found = check_letter(template, to_json(values), letter_date=DAY,
                         derived=to_json(values_for(template_id) if derived is None else derived), context=CONTEXT)
    return [(f.field, f.message) for f in found if f.severity == "error"]


@pytest.mark.parametrize("template_id", FIRST_TEST)
def test_a_first_test_outcome_is_a_besluit_with_clause_basis_and_mandate(template_id: str) -> None:
    template = load_template(template_id)
    assert template.is_decision and template.addressee_role == "parent"
    assert _errors(template_id, values_for(template_id)) == []
    check_decision(template, values_for(template_id))
    body = flat_text(render(template_id))
    assert f"Wij baseren dit besluit op: {CATSHUIS.legal_basis}." in body
    assert organisation().mandate in body
    assert "U kunt bezwaar maken tegen dit besluit" in body and "16 weken" in body and "uiterlijk 21 maart 2027" in body
    for name in ("legal_basis", "mandate", "objection_term"):
        missing = {**values_for(template_id), name: ""}
        assert name in [f for f, _m in _errors(template_id, missing)]


@pytest.mark.parametrize("template_id", FIRST_TEST)
def test_the_catshuis_amount_and_legal_basis_come_from_the_policy_version_in_force(template_id: str) -> None:
    tables = {p.name: copy.deepcopy(load_json("policy", p.name)) for p in resource_path("policy").glob("*.json")}
    tables["catshuis.json"]["versions"][0]["parameters"]["amount_cents"] = 3_100_000
    tables["catshuis.json"]["versions"][0]["legal_basis"] = "Een andere grondslag"
    template = load_template(template_id)
    dated = derive(template, typed_values(template_id), letter_date=DAY, facts=None,
                   book=parse_tables(tables))
    assert dated.values["amount"] == 3_100_000 and dated.values["legal_basis"] == "Een andere grondslag"
    assert CATSHUIS.id in dated.policy_versions
    shipped = derive(template, typed_values(template_id), letter_date=DAY, facts=None)
    assert shipped.values["amount"] == CATSHUIS.cents("amount_cents")
    assert template.field("amount") is not None and template.field("amount").derived == "catshuis"


def test_the_promised_payment_date_is_marked_as_a_commitment_without_an_amount_literal() -> None:
    spec = load_json("letters", f"{POSITIVE}.json")["fields"]["payment_date"]
    # the amount is the letter's own derived amount, filled in when the commitment is made; never a literal
    assert "{{ amount|euro }}" in spec["commitment"] and "€" not in spec["commitment"]
    assert spec["min_days_after_letter"] >= 1


def test_the_positive_letter_names_the_policy_amount_and_no_tax_claim() -> None:
    body = flat_text(render(POSITIVE))
    assert "U krijgt € 30.000,00 van ons." in body
    assert "belasting" not in body and "uitkering" not in body  # not in DOMAIN.md: removed
    negative = flat_text(render(NEGATIVE))
    assert "U komt vooralsnog niet in aanmerking voor € 30.000,00 uit de Catshuisregeling." in negative


def test_no_template_writes_an_amount_literal() -> None:
    """Every amount comes from a value ({{ }}), never from the template's own wording: body, subject and title."""
    found: list[str] = []
    for path in sorted(resource_path("letters").glob("*.json")):
        if path.stem in NOT_TEMPLATES:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        texts = [("title", data["title"]), ("subject", data.get("subject", ""))]
        texts += [(f"body[{i}]", block["text"]) for i, block in enumerate(data["body"])]
        texts += [(f"fields.{name}.commitment", spec["commitment"]) for name, spec in data["fields"].items()
                  if "commitment" in spec]
        for where, text in texts:
            fixed = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", text)  # only the template's own wording
            found += [f"{path.stem} {where}: {m.group(0)!r}" for m in AMOUNT_LITERAL.finditer(fixed)]
    assert found == []


def test_the_literal_scan_catches_the_old_wording() -> None:
    for text in ("U krijgt € 30.000 van ons", "voor €30.000.", "EUR 30000", "een bedrag van 30.000,00"):
        assert AMOUNT_LITERAL.search(text), text
    for text in ("{{ amount|euro }}", "1 juli 2023", "16 weken", "0800 - 099 99 99", "Postbus 99999"):
        assert not AMOUNT_LITERAL.search(re.sub(r"\{\{.*?\}\}", " ", text)), text


def test_a_typed_amount_in_the_text_is_refused_by_the_letter_check() -> None:
    """The old letter: subject "U krijgt € 30.000" above a body saying € 25.000,00. Now any amount the rules did
    not give is an error, wherever it is typed."""
    values = {**values_for(POSITIVE), "motivation": "U krijgt € 25.000,00 omdat uw toeslag is gestopt."}
    errors = _errors(POSITIVE, values)
    assert any("€ 25.000,00" in message and "niet uit de berekening" in message for _f, message in errors)


def test_a_stored_amount_that_differs_from_the_policy_is_refused() -> None:
    values = {**values_for(POSITIVE), "amount": 2_500_000}
    errors = _errors(POSITIVE, values)
    assert ("amount" in [f for f, _m in errors]
            and any("niet gelijk aan wat de regels nu geven" in m for _f, m in errors))


def test_a_typed_amount_never_reaches_a_draft_and_a_changed_stored_amount_stops_issue(
        store: Store, actor: Actor) -> None:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        info = service.create_draft(uow, case_id, template_id=POSITIVE,
                                    values={**typed_values(POSITIVE), "amount": 2_500_000})
        row = uow.session.get(Letter, info.id)
        assert row.field_values["amount"] == CATSHUIS.cents("amount_cents")  # the typed € 25.000 is overwritten
        assert set(row.policy_versions) >= {CATSHUIS.id, "uht-bezwaar-16-weken-2024-07-10"}
        service.submit(uow, info.id)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, info.id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        row = uow.session.get(Letter, info.id)
        row.field_values = {**row.field_values, "amount": 2_500_000}
        uow.session.flush()
        with pytest.raises(ValidationError) as err:
            service.issue(uow, info.id)
    assert err.value.field == "amount"


def test_a_first_test_besluit_goes_through_review_and_is_issued_with_its_versions(
        store: Store, actor: Actor) -> None:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        with pytest.raises(ValidationError) as err:
            service.create_draft(uow, case_id, template_id=NEGATIVE,
                                 values={k: v for k, v in typed_values(NEGATIVE).items() if k != "motivation"})
        assert err.value.field == "motivation"
        info = service.create_draft(uow, case_id, template_id=NEGATIVE, values=typed_values(NEGATIVE))
        service.submit(uow, info.id)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, info.id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        issued = service.issue(uow, info.id)
        body = flat_text(service.preview(uow, info.id))
    assert issued.status == "issued" and CATSHUIS.id in issued.policy_versions
    assert "vooralsnog niet in aanmerking voor € 30.000,00" in body and CATSHUIS.legal_basis in body


def test_content_check_asks_amounts_only_of_a_besluit_with_amount_fields() -> None:
    negative = load_template(NEGATIVE)
    values = with_defaults(negative, values_for(NEGATIVE))
    check_decision(negative, values)  # no breakdown, total or payable: none asked
    for missing in ("motivation", "legal_basis", "objection_deadline", "objection_address"):
        with pytest.raises(ValidationError) as err:
            check_decision(negative, {**values, missing: ""})
        assert err.value.field == missing
    no_decision = type(negative)(**{**negative.__dict__, "body": tuple(
        b for b in negative.body if b.text != "Ons besluit")})
    with pytest.raises(ValidationError) as err:
        check_decision(no_decision, values)
    assert err.value.field == "decision"


def test_each_first_test_template_says_what_its_statements_rest_on() -> None:
    for template_id in FIRST_TEST:
        note = load_template(template_id).policy_note
        assert "DOMAIN" in note and "[V]" in note and "[I]" in note


def test_a_fixed_paragraph_moved_whole_to_the_next_page_is_still_drawn() -> None:
    """split() drops a paragraph's lines when it moves it whole to the next page; the wrap cache must not keep the
    paragraph without lines (the positive letter's last paragraph before the clause hit this)."""
    from workbench.letters.flowables import Para, styles
    from workbench.letters.render import register_fonts
    register_fonts()
    para = Para("Uw gemeente kan u helpen bij schulden, werk of wonen. " * 3, styles()["para"], fixed=True)
    para.wrap(400, 1000)
    assert para.split(400, 5) == [] and "blPara" not in para.__dict__
    para.wrap(400, 1000)
    assert para.blPara.lines


@pytest.mark.parametrize("template_id", (*FIRST_TEST, "beschikking_kindregeling"))
def test_the_decisions_read_plainly(template_id: str) -> None:
    """No long sentence and every hard word explained at first use (the letter check's warnings)."""
    template = load_template(template_id)
    values = to_json(with_defaults(template, values_for(template_id)))
    found = check_letter(template, values, letter_date=DAY, derived=values, context=CONTEXT)
    assert [f.message for f in found] == []
