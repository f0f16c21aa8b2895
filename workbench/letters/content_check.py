"""What a beschikking must contain before it can go to review (Awb 3:45-3:47, DOMAIN.md section 3).

Every besluit needs the decision, its motivation and legal basis, a signatory and the bezwaar clause. The parts
about amounts (the breakdown, the total, what is paid) are asked only of a besluit whose template has those fields:
a "vooralsnog niet" decides that nothing is paid now and has no breakdown. A beslissing op bezwaar has a beroep
clause instead of the bezwaar clause.
"""

from __future__ import annotations

import itertools
from typing import Any

from workbench.errors import ValidationError
from workbench.letters.templates import Template, validate_fields

# field -> what the reviewer is told is missing
REQUIRED = (
    ("decision", "het besluit"),
    ("motivation", "de motivering"),
    ("legal_basis", "de wettelijke grondslag in de motivering"),
    ("signatory_name", "de naam van de ondertekenaar"),
    ("signatory_function", "de functie van de ondertekenaar"),
    ("objection_term", "de bezwaarclausule met de termijn"),
    ("objection_deadline", "de laatste dag voor bezwaar"),
    ("objection_address", "waar het bezwaar naartoe moet"),
)
# asked only of a template that has at least one of these fields
AMOUNT_PARTS = (
    ("breakdown", "de opbouw van het bedrag"),
    ("total", "het totaalbedrag"),
    ("payable", "het bedrag dat wordt betaald"),
)
# body text that must be present: the objection clause must actually be printed, not only filled in
CLAUSE_FIELDS = ("objection_term", "objection_deadline", "objection_address")
# A beslissing op bezwaar ends with a beroep clause instead (DOMAIN 7) and names no amounts of its own.
APPEAL_CLAUSE_FIELDS = ("appeal_term", "appeal_deadline")
# A template whose outcome is fixed (the template is the decision) states it in its own wording, in the block right
# after this heading, instead of a typed "decision" field.
DECISION_HEADING = "Ons besluit"


def _states_decision(template: Template) -> bool:
    return any(a.style == "heading" and a.text.strip() == DECISION_HEADING and b.style == "para" and b.text.strip()
               for a, b in itertools.pairwise(template.body))


def _required(template: Template) -> tuple[tuple[str, str], ...]:
    amounts = AMOUNT_PARTS if any(template.field(name) is not None for name, _what in AMOUNT_PARTS) else ()
    return REQUIRED[:3] + amounts + REQUIRED[3:]


def check_decision(template: Template, values: dict[str, Any]) -> None:
    """Raise ValidationError naming the first missing part; letters that are no beschikking pass."""
    if template.kind != "beschikking":
        return
    appeal = template.field("appeal_deadline") is not None
    for name, what in _required(template):
        if name == "decision" and template.field(name) is None and _states_decision(template):
            continue
        if appeal and name in CLAUSE_FIELDS:
            continue
        value = values.get(name)
        if template.field(name) is None or value is None or value == "" or value == []:
            raise ValidationError(f"In deze beschikking ontbreekt {what}.", field=name)
    clause = APPEAL_CLAUSE_FIELDS if appeal else CLAUSE_FIELDS
    if not any(b.style == "clause" and all(f in b.text for f in clause) for b in template.body):
        what = "beroepsclausule" if appeal else "bezwaarclausule"
        raise ValidationError(f"In deze beschikking ontbreekt de {what}.", field=clause[0])
    if template.field("breakdown") is None:
        return
    clean = validate_fields(template, values)
    if sum(item["amount"] for item in clean["breakdown"]) != clean["total"]:
        raise ValidationError("De opbouw van het bedrag telt niet op tot het totaalbedrag.", field="breakdown")
