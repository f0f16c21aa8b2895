"""Letters: every template rendered with its mandatory parts and embedded fonts, escaping, the content check."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.workbench.letters.samples import (
    ALL,
    BESCHIKKINGEN,
    CASE_REFERENCE,
    DAY,
    REFERENCE,
    VALUES,
    assessment_for,
    flat_text,
    pdf_text,
    render,
    values_for,
)
from workbench.dates import dutch_date
from workbench.errors import ValidationError
from workbench.letters import organisation as org_module
from workbench.letters.content_check import check_decision
from workbench.letters.dating import assessment_values
from workbench.letters.render import render_pdf
from workbench.letters.templates import Block, addressee_lines, list_templates, load_template, validate_fields
from workbench.money import format_euro
from workbench.policy.engine import compute
from workbench.policy.facts import CaseFacts, ToeslagYear

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "letters"


def test_every_shipped_template_has_sample_values() -> None:
    assert {t.id for t in list_templates()} == set(ALL)
    assert len(ALL) == 16


@pytest.mark.parametrize("template_id", ALL)
def test_pdf_has_mandatory_parts_on_every_page(template_id: str) -> None:
    template = load_template(template_id)
    pdf = render(template_id)
    reader = PdfReader(io.BytesIO(pdf))
    body = flat_text(pdf)
    for part in (REFERENCE, dutch_date(DAY), f"Onderwerp: {template.subject}", "pagina 1 van",
                 org_module.organisation().name):
        assert part in body, part
    for number, page in enumerate(reader.pages, start=1):
        assert CASE_REFERENCE in page.extract_text()
        assert f"pagina {number} van {len(reader.pages)}" in page.extract_text()
    meta = reader.metadata
    assert meta is not None and meta.title == template.title and meta.author and CASE_REFERENCE in meta.subject
    assert "CONCEPT" not in body
    values = values_for(template_id)
    assert values["signatory_name"] in body and values["signatory_function"] in body


@pytest.mark.parametrize("template_id", BESCHIKKINGEN)
def test_beschikking_shows_every_amount_and_the_objection_clause(template_id: str) -> None:
    body = flat_text(render(template_id))
    a = assessment_for(template_id)
    for line in a.lines:  # rows of zero are left out; the total is still the sum of every line
        assert (f"{line.label} {format_euro(line.amount_cents)}" in body) == (line.amount_cents > 0), line.label
    assert "€ 0,00" not in body
    assert f"Totaal {format_euro(a.total_cents)}" in body
    assert a.objection.text in body and "16 weken" in body
    assert f"uiterlijk {dutch_date(a.objection.deadline)}" in body and "21 maart 2027" in body
    assert f"Stuur uw bezwaar naar: {org_module.organisation().defaults['objection_address']}" in body
    assert a.legal_basis in body
    template = load_template(template_id)
    check_decision(template, org_module.with_defaults(template, values_for(template_id)))


def test_kindregeling_beschikking_names_the_child_its_age_band_and_who_is_paid() -> None:
    body = flat_text(render("beschikking_kindregeling"))
    assert "Daan Jansen, geboren op 30 september 2010, krijgt € 6.000,00 uit de kindregeling." in body
    assert ("Kind geboren op 30 september 2010: 12 jaar op 1 juli 2023 (leeftijdsgroep 12 tot en met 14 jaar) "
            "€ 6.000,00") in body
    assert "Op 12 juni 2025 hebben wij besloten dat de ouder van Daan Jansen gedupeerd is" in body
    assert "Wij betalen het geld aan: de wettelijk vertegenwoordiger" in body
    assert "Als wettelijk vertegenwoordiger kunt u namens Daan Jansen bezwaar maken." in body
    assert "Wet hersteloperatie toeslagen (Wht), kindregeling" in body
    assert "wht-kindregeling" not in body  # policy ids stay in the record and the PDF metadata


def test_organisation_file_gives_defaults_and_a_letter_may_override_them() -> None:
    org = org_module.organisation()
    assert "Postbus" in org.defaults["objection_address"] and "9999" in org.defaults["objection_address"]
    assert org.defaults["contact_phone"] in flat_text(render("uitnodiging_huisbezoek"))
    own = {**VALUES["uitnodiging_huisbezoek"], "contact_phone": "06 99999999"}
    body = flat_text(render("uitnodiging_huisbezoek", values=own))
    assert "06 99999999" in body and org.defaults["contact_phone"] not in body
    assert f"Retouradres: {org.name}, {org.postal_address}" in body


def test_a_missing_default_still_stops_the_letter_naming_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    empty = org_module.Organisation(name="Bureau", postal_address="Postbus 1, 9999 ZZ Voorbeeldstad",
                                    defaults=org_module.MappingProxyType({"objection_address": ""}))
    monkeypatch.setattr(org_module, "organisation", lambda: empty)
    for template_id, missing in (("uitnodiging_huisbezoek", "contact_phone"),
                                 ("beschikking_kindregeling", "objection_address")):
        with pytest.raises(ValidationError) as err:
            render(template_id)
        assert err.value.field == missing


def test_letters_to_others_use_their_address_block() -> None:
    creditor = load_template("brief_aan_schuldeiser_moratorium")
    assert addressee_lines(creditor, VALUES[creditor.id]) == [
        "Incassobureau Voorbeeld B.V.", "t.a.v. afdeling Klantenservice", "Postbus 99997", "9999 ZY  Voorbeeldstad"]
    gemeente = load_template("overdracht_aan_gemeente")
    assert addressee_lines(gemeente, VALUES[gemeente.id])[0] == "Gemeente Zaanstad"
    assert addressee_lines(load_template("uitnodiging_huisbezoek"), VALUES["uitnodiging_huisbezoek"]) == []


def test_draft_has_watermark() -> None:
    assert "CONCEPT" in pdf_text(render("uitnodiging_huisbezoek", draft=True))


def test_values_are_escaped_not_markup() -> None:
    values = {**VALUES["uitnodiging_huisbezoek"], "visit_address": "<b>Straat</b> 1 & 2 | x"}
    assert "<b>Straat</b> 1 & 2 | x" in pdf_text(render("uitnodiging_huisbezoek", values=values))


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
def test_pages_as_png_for_looking_at(template_id: str, tmp_path: Path) -> None:
    """Writes artifacts/letters/<id>-<page>.png at 60 dpi: the pages a person looks at after a layout change."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "letter.pdf"
    pdf = render(template_id, draft=template_id == "uitnodiging_huisbezoek")
    path.write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    for old in ARTIFACTS.glob(f"{template_id}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / template_id)], check=True)
    written = sorted(ARTIFACTS.glob(f"{template_id}-*.png"))
    assert len(written) == pages and all(p.stat().st_size > 0 for p in written)


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


@pytest.mark.parametrize("template_id", BESCHIKKINGEN)
def test_content_check_refuses_beschikking_without_objection_clause(template_id: str) -> None:
    template = load_template(template_id)
    values = org_module.with_defaults(template, values_for(template_id))
    check_decision(template, values)
    for missing in ("objection_term", "objection_address", "signatory_name", "motivation", "breakdown",
                    "legal_basis", "objection_deadline"):
        with pytest.raises(ValidationError) as err:
            check_decision(template, {**values, missing: ""})
        assert err.value.field == missing
    no_clause = type(template)(**{**template.__dict__, "body": tuple(b for b in template.body if b.style != "clause")})
    with pytest.raises(ValidationError) as err:
        check_decision(no_clause, values)
    assert err.value.field == "objection_term"
    assert Block("clause", "") not in no_clause.body
    wrong_total = {**values, "total": values["total"] + 1}
    with pytest.raises(ValidationError) as err:
        check_decision(template, wrong_total)
    assert err.value.field == "breakdown"


def test_render_pdf_refuses_an_unknown_field() -> None:
    with pytest.raises(ValidationError) as err:
        render_pdf(load_template("uitnodiging_huisbezoek"), {**VALUES["uitnodiging_huisbezoek"], "extra": "x"},
                   reference="K", case_reference=CASE_REFERENCE, letter_date=DAY, recipient_lines=["A"], draft=False)
    assert err.value.field == "extra"


# --- the first-toets, vooraankondiging, creditor, gespreksverslag and handover letters ---------------------------

@pytest.mark.parametrize(("template_id", "sentence"), [
    ("uitslag_eerste_toets_positief", "U krijgt € 30.000,00 van ons."),
    ("uitslag_eerste_toets_vooralsnog_niet", "U komt vooralsnog niet in aanmerking voor € 30.000,00 uit de "
                                             "Catshuisregeling."),
    ("vooraankondiging_integrale_beoordeling", "Reageer vóór 13 december 2026."),
    ("brief_aan_schuldeiser_moratorium", "Tijdens de pauze mag u: • de ouder vragen om te betalen; • herinneringen "
                                         "en aanmaningen sturen."),
    ("gespreksverslag_ter_bevestiging", "Klopt dit? Laat het ons weten vóór 13 december 2026."),
    ("overdracht_aan_gemeente", "De ouder heeft op 2 november 2026 toestemming gegeven om gegevens te delen met "
                                "Gemeente Zaanstad. Het doel is: Brede ondersteuning: schulden en wonen."),
])
def test_key_sentence_is_printed(template_id: str, sentence: str) -> None:
    assert sentence in flat_text(render(template_id))


def test_first_toets_negative_has_objection_paragraph() -> None:
    body = flat_text(render("uitslag_eerste_toets_vooralsnog_niet"))
    assert "U kunt bezwaar maken tegen dit besluit" in body and "21 maart 2027" in body and "16 weken" in body
    assert "Postbus 99999" in body
    assert "integrale beoordeling" in body


def test_creditor_letter_escapes_reference_and_names_the_pause() -> None:
    body = flat_text(render("brief_aan_schuldeiser_moratorium"))
    assert "INC-778812 & co" in body and "3 november 2026" in body and "3 november 2027" in body


def test_handover_letter_drops_the_agreements_heading_when_there_are_none() -> None:
    values = {**VALUES["overdracht_aan_gemeente"], "agreements": []}
    assert "Wat is al afgesproken?" not in flat_text(render("overdracht_aan_gemeente", values=values))
    assert "Wat is al afgesproken?" in flat_text(render("overdracht_aan_gemeente"))


def test_a_breakdown_split_over_two_pages_repeats_its_year_as_continued() -> None:
    # a longer motivation pushes the table down so that the 2012 rows (zero rows left out) break over the page
    base = values_for("beschikking_integrale_beoordeling")
    values = {**base, "motivation": base["motivation"] + " Dat leggen wij hieronder per jaar uit." * 13}
    pdf = render("beschikking_integrale_beoordeling", values=values)
    body = flat_text(pdf)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 2
    assert "2012 (toeslagjaar) Startbedrag" in pages[0]
    assert pages[1].count("2012 (toeslagjaar) (vervolg)") == 1 and "(vervolg)" not in pages[0]
    assert body.count("Extra vergoeding (1% van de bedragen hierboven voor 2012) € 110,00") == 1


def test_a_long_breakdown_loses_no_row_over_several_pages() -> None:
    years = tuple(ToeslagYear(y, startbedrag_cents=100_000 * (y - 2004), hardship_half_years=1)
                  for y in range(2005, 2016))
    long = compute(CaseFacts(decision_date=DAY, scheme="integrale_beoordeling", years=years))
    values = {**values_for("beschikking_integrale_beoordeling"), **assessment_values(long)}
    pdf = render("beschikking_integrale_beoordeling", values=values)
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 3
    body = " ".join(pages)
    for year in range(2005, 2016):
        assert body.count(f"{year} (toeslagjaar) Startbedrag") == 1
        assert body.count(f"hierboven voor {year})") == 1
    assert f"Totaal {format_euro(long.total_cents)}" in body
    for text in pages[1:]:  # a continued year is named at the top, never left as the last line of a page
        assert not text.split(" Zaaknummer")[0].rstrip().endswith("(toeslagjaar)")


def test_a_table_cell_with_markup_is_still_drawn_as_a_paragraph() -> None:
    from reportlab.platypus import Table

    from workbench.letters.flowables import Para, flowables
    table = next(f for f in flowables([Block("table", "Naam|<b>vet</b>")], 400) if isinstance(f, Table))
    assert isinstance(table._cellvalues[0][1], Para)


def test_the_render_caches_change_no_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsed and broken paragraphs are reused across letters; the PDFs must be what plain reportlab makes."""
    from reportlab.platypus import Paragraph

    from workbench.letters import flowables
    cached = {t: render(t, draft=True) for t in ALL}
    monkeypatch.setattr(flowables.Para, "_setup", Paragraph._setup)
    monkeypatch.setattr(flowables.Para, "wrap", Paragraph.wrap)
    assert {t: render(t, draft=True) for t in ALL} == cached


def test_no_value_of_a_letter_is_kept_in_the_render_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.letters import flowables
    kept: list[str] = []
    real_parsed, real_broken = flowables._parsed, flowables._broken
    monkeypatch.setattr(flowables, "_parsed", lambda text, *a: kept.append(text) or real_parsed(text, *a))
    monkeypatch.setattr(flowables, "_broken", lambda text, *a: kept.append(text) or real_broken(text, *a))
    values = {**values_for("beschikking_kindregeling"), "aanhef": "Beste mevrouw Zzyzx",
              "motivation": "Zzyzx heeft recht op de kindregeling."}
    body = flat_text(render("beschikking_kindregeling", values=values))
    assert "Zzyzx heeft recht op de kindregeling." in body
    assert kept and "Hoe hoog is het bedrag?" in kept  # the template's own wording is reused
    assert not [text for text in kept if "Zzyzx" in text or "Sanne de Vries" in text]
