"""Letters: templates, PDF content and fonts, the content check, and the four-eyes lifecycle."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from tests.helpers.factories import make_case, seed_local_user
from workbench.errors import NotAllowed, ValidationError
from workbench.letters.content_check import check_decision
from workbench.letters.render import render_pdf
from workbench.letters.service import LetterService, assessment_values
from workbench.letters.templates import Block, list_templates, load_template, validate_fields
from workbench.policy.engine import Assessment, compute
from workbench.policy.facts import CaseFacts, ToeslagYear
from workbench.policy.objection import objection_term
from workbench.staff.models import Role
from workbench.store.unit_of_work import Actor, Store

DAY = dt.date(2026, 11, 29)
ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "letters"
SIGN = {"signatory_name": "Sanne de Vries", "signatory_function": "Persoonlijk zaakbehandelaar",
        "contact_phone": "0800 - 2 35 83 58", "aanhef": "Beste mevrouw Jansen"}


def assessment() -> Assessment:
    facts = CaseFacts(decision_date=DAY, scheme="integrale_beoordeling", years=(
        ToeslagYear(2012, startbedrag_cents=800000, hardship_half_years=2),
        ToeslagYear(2013, startbedrag_cents=300000, legal_aid_cents=50000)))
    return compute(facts)


def beschikking_values() -> dict[str, Any]:
    return {**SIGN,
            "decision": "U bent gedupeerd. Daarom krijgt u een compensatie voor de jaren 2012 en 2013.",
            "facts": "In 2012 en 2013 moest u kinderopvangtoeslag terugbetalen. Dat was niet terecht.",
            "motivation": "Wij hebben gezien dat u recht had op de toeslag. U krijgt het minimumbedrag.",
            "payment": "Wij betalen het bedrag binnen 6 weken op het rekeningnummer dat bij ons bekend is.",
            "objection_address": "Uitvoeringsorganisatie Herstel Toeslagen, t.a.v. Bezwaar, Postbus 99999, "
                                  "9999 ZZ Voorbeeldstad"}


VALUES: dict[str, dict[str, Any]] = {
    "uitnodiging_huisbezoek": {**SIGN, "visit_date": "10-12-2026", "visit_time": "10.00 uur",
                               "visit_address": "Lindelaan 12, Zaandam"},
    "bevestiging_toezeggingen": {**SIGN, "conversation_date": "2026-11-20", "promises": [
        {"text": "Wij vragen uw dossier op bij Toeslagen.", "date": "2026-12-15"},
        {"text": "Wij bellen met de gemeente over uw schulden & betalingsregeling.", "date": "2027-01-10"}]},
    "uitslag_eerste_toets_positief": {**SIGN, "amount": 3000000, "payment_date": "2027-01-15",
                                      "registration_date": "2026-09-01"},
    "uitslag_eerste_toets_vooralsnog_niet": {
        **SIGN, "reason": "Wij hebben in onze gegevens niet kunnen vinden dat u kinderopvangtoeslag heeft gehad "
                          "in de jaren 2005 tot en met 2019.",
        # The term comes from the policy version in force on the letter's date (16 weeks since 10 July 2024).
        "objection_term": objection_term(DAY).text, "objection_deadline": objection_term(DAY).deadline,
        "objection_address": "Uitvoeringsorganisatie Herstel Toeslagen, t.a.v. Bezwaar, Postbus 99999, "
                             "9999 ZZ Voorbeeldstad"},
    "vooraankondiging_integrale_beoordeling": {
        **SIGN, "provisional_outcome": "Wij zijn van plan te besluiten dat u gedupeerd bent in de jaren 2012 en 2013.",
        "motivation": "U moest in die jaren kinderopvangtoeslag terugbetalen. Dat was niet terecht.",
        "provisional_amount": "€ 38.000,00", "response_deadline": "2026-12-20"},
    "brief_aan_schuldeiser_moratorium": {
        **SIGN, "aanhef": "Geachte heer, mevrouw", "parent_name": "M. Jansen", "parent_birth_date": "1985-03-14",
        "creditor_reference": "INC-778812 & co", "moratorium_start": "2026-11-01", "moratorium_end": "2027-10-31"},
    "gespreksverslag_ter_bevestiging": {
        **SIGN, "conversation_date": "2026-11-20", "conversation_place": "bij u thuis",
        "present": ["Mevrouw M. Jansen", "Haar zus, mevrouw E. Jansen", "Sanne de Vries, persoonlijk zaakbehandelaar"],
        "account": "In 2012 kreeg u een brief dat u alle kinderopvangtoeslag moest terugbetalen. Daarna kwam u in "
                   "de schulden. U moest verhuizen naar een kleinere woning. Uw kinderen merkten veel van de stress.",
        "response_deadline": "2026-12-18"},
}


ALL = [*sorted(VALUES), "beschikking_integrale_beoordeling"]


def values_for(template_id: str) -> dict[str, Any]:
    if template_id == "beschikking_integrale_beoordeling":
        return {**beschikking_values(), **assessment_values(assessment())}
    return VALUES[template_id]


def render(template_id: str, *, draft: bool = False) -> bytes:
    return render_pdf(load_template(template_id), values_for(template_id), reference="UHT-2026-000001/BR-1A2B3C4D",
                      case_reference="UHT-2026-000001", letter_date=DAY,
                      recipient_lines=["M. Jansen", "Lindelaan 12", "1234 AB  Zaandam"], draft=draft)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_at_least_three_templates() -> None:
    ids = {t.id for t in list_templates()}
    assert {"uitnodiging_huisbezoek", "bevestiging_toezeggingen", "beschikking_integrale_beoordeling"} <= ids


@pytest.mark.parametrize("template_id", ALL)
def test_pdf_has_mandatory_parts_on_every_page(template_id: str) -> None:
    pdf = render(template_id)
    reader = PdfReader(io.BytesIO(pdf))
    body = pdf_text(pdf)
    for part in ("UHT-2026-000001/BR-1A2B3C4D", "29 november 2026", "pagina 1 van", "Uitvoeringsorganisatie"):
        assert part in body
    for number, page in enumerate(reader.pages, start=1):
        assert "UHT-2026-000001" in page.extract_text()
        assert f"pagina {number} van {len(reader.pages)}" in page.extract_text()
    meta = reader.metadata
    assert meta is not None and meta.title and meta.author and meta.subject
    assert "CONCEPT" not in body


def test_beschikking_shows_amounts_and_objection_clause() -> None:
    body = pdf_text(render("beschikking_integrale_beoordeling")).replace("\n", " ")
    a = assessment()
    assert "€ 30.000,00" in body
    assert "€ 8.000,00" in body and "2012" in body and "2013" in body
    assert a.objection.text in body
    assert "21 maart 2027" in body and "Postbus 99999" in body
    assert "Wet hersteloperatie toeslagen" in body


def test_draft_has_watermark() -> None:
    assert "CONCEPT" in pdf_text(render("uitnodiging_huisbezoek", draft=True))


def test_values_are_escaped_not_markup() -> None:
    values = {**VALUES["uitnodiging_huisbezoek"], "visit_address": "<b>Straat</b> 1 & 2 | x"}
    pdf = render_pdf(load_template("uitnodiging_huisbezoek"), values, reference="K", case_reference="UHT-2026-000001",
                     letter_date=DAY, recipient_lines=["A"], draft=False)
    assert "<b>Straat</b> 1 & 2 | x" in pdf_text(pdf)


def test_sandbox_refuses_unsafe_template_code() -> None:
    from jinja2.exceptions import SecurityError

    from workbench.letters.templates import environment
    with pytest.raises(SecurityError):
        environment().from_string("{{ ''.__class__.__mro__ }}").render()


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("template_id", ALL)
def test_every_font_is_embedded(template_id: str, tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(render(template_id, draft=True))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        assert "DejaVu" in row
        assert row.split()[-5] == "yes", row  # the emb column


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("template_id", ALL)
def test_first_page_png(template_id: str, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "letter.pdf"
    path.write_bytes(render(template_id, draft=template_id == "uitnodiging_huisbezoek"))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(ARTIFACTS / template_id)], check=True)
    assert (ARTIFACTS / f"{template_id}.png").stat().st_size > 0


@pytest.mark.parametrize(("field", "value"), [("visit_date", None), ("visit_date", "31-02-2026"),
                                              ("visit_time", 10), ("topics", "geen lijst")])
def test_validate_fields_names_the_field(field: str, value: Any) -> None:
    values = {**VALUES["uitnodiging_huisbezoek"], field: value}
    with pytest.raises(ValidationError) as err:
        validate_fields(load_template("uitnodiging_huisbezoek"), values)
    assert err.value.field == field


def test_validate_fields_names_list_item_field() -> None:
    values = {**VALUES["bevestiging_toezeggingen"], "promises": [{"text": "Bellen", "date": "morgen"}]}
    with pytest.raises(ValidationError) as err:
        validate_fields(load_template("bevestiging_toezeggingen"), values)
    assert err.value.field == "promises[0].date"


def test_content_check_refuses_beschikking_without_objection_clause() -> None:
    template = load_template("beschikking_integrale_beoordeling")
    values = values_for(template.id)
    check_decision(template, values)
    for missing in ("objection_term", "objection_address", "signatory_name", "motivation", "breakdown"):
        with pytest.raises(ValidationError) as err:
            check_decision(template, {**values, missing: ""})
        assert err.value.field == missing
    no_clause = type(template)(**{**template.__dict__, "body": tuple(b for b in template.body if b.style != "clause")})
    with pytest.raises(ValidationError) as err:
        check_decision(no_clause, values)
    assert err.value.field == "objection_term"
    assert Block("clause", "") not in no_clause.body


# --- lifecycle -------------------------------------------------------------------------------------------------

def _draft(store: Store, actor: Actor) -> tuple[str, str]:
    service = LetterService()
    with store.unit_of_work(actor) as uow:
        _parent, case_id = make_case(uow)
        letter = service.create_draft(uow, case_id, template_id="beschikking_integrale_beoordeling",
                                      values=beschikking_values(), assessment=assessment())
        service.submit(uow, letter.id)
    return case_id, letter.id


def test_author_cannot_approve_own_letter_even_as_reviewer(store: Store) -> None:
    author = seed_local_user(store, role=Role.REVIEWER, username="rev-author")
    _case, letter_id = _draft(store, author)
    with store.unit_of_work(author) as uow, pytest.raises(NotAllowed):
        LetterService().approve(uow, letter_id, reviewer_id=author.user_id)


def test_non_reviewer_cannot_approve(store: Store, actor: Actor) -> None:
    _case, letter_id = _draft(store, actor)
    other = seed_local_user(store, role=Role.HANDLER, username="collega")
    with store.unit_of_work(other) as uow, pytest.raises(NotAllowed):
        LetterService().approve(uow, letter_id, reviewer_id=other.user_id)


def test_reject_returns_to_draft_with_comment(store: Store, actor: Actor) -> None:
    _case, letter_id = _draft(store, actor)
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        with pytest.raises(ValidationError):
            LetterService().reject(uow, letter_id, comment=" ")
        info = LetterService().reject(uow, letter_id, comment="Feiten aanvullen a.u.b.")
    assert info.status == "draft" and info.review_comment == "Feiten aanvullen a.u.b."


def test_issue_and_issued_letter_is_immutable(store: Store, actor: Actor) -> None:
    service = LetterService()
    _case, letter_id = _draft(store, actor)
    with store.unit_of_work(actor) as uow, pytest.raises(NotAllowed):
        service.issue(uow, letter_id)  # not approved yet
    reviewer = seed_local_user(store, role=Role.REVIEWER, username="controleur")
    with store.unit_of_work(reviewer) as uow:
        service.approve(uow, letter_id, reviewer_id=reviewer.user_id)
    with store.unit_of_work(actor) as uow:
        info = service.issue(uow, letter_id)
        pdf = service.preview(uow, letter_id)
    assert info.status == "issued" and info.pdf_sha256 and info.issued_at
    import hashlib
    assert hashlib.sha256(pdf).hexdigest() == info.pdf_sha256
    assert "CONCEPT" not in pdf_text(pdf)
    with store.unit_of_work(actor) as uow:
        with pytest.raises(NotAllowed):
            service.update_draft(uow, letter_id, values=beschikking_values(), assessment=assessment())
        with pytest.raises(NotAllowed):
            service.delete_draft(uow, letter_id)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE letter SET rev = 7 WHERE id = :id"), {"id": letter_id})  # sync bookkeeping
    for sql in ("UPDATE letter SET review_comment = 'x' WHERE id = :id", "DELETE FROM letter WHERE id = :id"):
        with pytest.raises(Exception, match="immutable"), store.engine.begin() as conn:
            conn.execute(text(sql), {"id": letter_id})


# --- the first-toets, vooraankondiging, creditor and gespreksverslag letters -----------------------------------

@pytest.mark.parametrize(("template_id", "sentence"), [
    ("uitslag_eerste_toets_positief", "U krijgt € 30.000,00 van ons."),
    ("uitslag_eerste_toets_vooralsnog_niet", "U komt vooralsnog niet in aanmerking voor € 30.000."),
    ("vooraankondiging_integrale_beoordeling", "Reageer vóór 20 december 2026."),
    ("brief_aan_schuldeiser_moratorium", "Stop met het invorderen van uw vordering op deze ouder"),
    ("gespreksverslag_ter_bevestiging", "Klopt dit? Laat het ons weten vóór 18 december 2026."),
])
def test_key_sentence_is_printed(template_id: str, sentence: str) -> None:
    assert sentence in " ".join(pdf_text(render(template_id)).split())


def test_first_toets_negative_has_objection_paragraph() -> None:
    body = " ".join(pdf_text(render("uitslag_eerste_toets_vooralsnog_niet")).split())
    assert "Dan kunt u bezwaar maken" in body and "21 maart 2027" in body and "16 weken" in body
    assert "Postbus 99999" in body
    assert "integrale beoordeling" in body


def test_creditor_letter_escapes_reference_and_names_moratorium_period() -> None:
    body = " ".join(pdf_text(render("brief_aan_schuldeiser_moratorium")).split())
    assert "INC-778812 & co" in body and "1 november 2026" in body and "31 oktober 2027" in body
