"""What a beschikking must contain before it can go to review (Awb 3:45-3:47, DOMAIN.md section 3)."""

from __future__ import annotations

from typing import Any

from workbench.errors import ValidationError
from workbench.letters.templates import Template, validate_fields

# field -> what the reviewer is told is missing
REQUIRED = (
    ("decision", "het besluit"),
    ("motivation", "de motivering"),
    ("legal_basis", "de wettelijke grondslag in de motivering"),
    ("breakdown", "de opbouw van het bedrag"),
    ("total", "het totaalbedrag"),
    ("payable", "het bedrag dat wordt betaald"),
    ("signatory_name", "de naam van de ondertekenaar"),
    ("signatory_function", "de functie van de ondertekenaar"),
    ("objection_term", "de bezwaarclausule met de termijn"),
    ("objection_deadline", "de laatste dag voor bezwaar"),
    ("objection_address", "waar het bezwaar naartoe moet"),
)
# body text that must be present: the objection clause must actually be printed, not only filled in
CLAUSE_FIELDS = ("objection_term", "objection_deadline", "objection_address")
# A beslissing op bezwaar ends with a beroep clause instead (DOMAIN 7) and names no amounts of its own.
APPEAL_CLAUSE_FIELDS = ("appeal_term", "appeal_deadline")
AMOUNT_PARTS = frozenset({"breakdown", "total", "payable"})


def check_decision(template: Template, values: dict[str, Any]) -> None:
    """Raise ValidationError naming the first missing part; letters that are no beschikking pass."""
    if template.kind != "beschikking":
        return
    appeal = template.field("appeal_deadline") is not None
    with_amounts = not appeal or template.field("breakdown") is not None
    for name, what in REQUIRED:
        if (name in AMOUNT_PARTS and not with_amounts) or (appeal and name in CLAUSE_FIELDS):
            continue
        value = values.get(name)
        if template.field(name) is None or value is None or value == "" or value == []:
            raise ValidationError(f"In deze beschikking ontbreekt {what}.", field=name)
    clause = APPEAL_CLAUSE_FIELDS if appeal else CLAUSE_FIELDS
    if not any(b.style == "clause" and all(f in b.text for f in clause) for b in template.body):
        what = "beroepsclausule" if appeal else "bezwaarclausule"
        raise ValidationError(f"In deze beschikking ontbreekt de {what}.", field=clause[0])
    if not with_amounts:
        return
    clean = validate_fields(template, values)
    if sum(item["amount"] for item in clean["breakdown"]) != clean["total"]:
        raise ValidationError("De opbouw van het bedrag telt niet op tot het totaalbedrag.", field="breakdown")
