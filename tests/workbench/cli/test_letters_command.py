"""`workbench letters`: templates, list, draft, preview, submit, approve/reject, issue, run as `main([...])` in
this process against a small demo profile: stdout, exit codes, file modes, the CONCEPT watermark, four eyes,
and bad input as one Dutch line with exit 1."""

from __future__ import annotations

import dataclasses
import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.helpers.factories import days_from_today, dutch_day
from tests.workbench.cli.letters_profile import PASS, Profile, make_profile
from workbench.cli import letters_command
from workbench.cli.letters_input import parse_sets
from workbench.errors import ValidationError
from workbench.letters import queries
from workbench.letters.models import Letter
from workbench.letters.templates import FieldSpec, list_templates, load_template
from workbench.policy.engine import compute
from workbench.policy.facts import CaseFacts, ToeslagYear
from workbench.staff.models import Role
from workbench.store.unit_of_work import UnitOfWork
from workbench.workspace import Workspace

INVITE = "uitnodiging_huisbezoek"
VISIT_DAY = days_from_today(30)  # after the letter date, whichever day the suite runs
VISIT = ("--set", f"visit_date={dutch_day(VISIT_DAY)}", "--set", "visit_time=10.00 uur")
NOT_ENCRYPTED = "Let op: dit bestand is niet versleuteld."
Capsys = pytest.CaptureFixture[str]


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Profile:
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", PASS)
    monkeypatch.setenv("WORKBENCH_ARGON2", "1,8,1")
    return make_profile(tmp_path / "profiel")


def text_of(path: Path | bytes) -> str:
    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)
    return " ".join(page.extract_text() for page in reader.pages)


def one_dutch_line(err: str) -> str:
    """The error output minus the demo banner: exactly one `workbench: ...` line, no traceback."""
    lines = [line for line in err.splitlines() if line.strip() and "DEMO" not in line]
    assert len(lines) == 1 and lines[0].startswith("workbench: ") and "Traceback" not in err, err
    return lines[0]


def stored(profile: Profile, letter_id: str) -> dict[str, Any]:
    return profile.as_colleague(lambda _ws, uow: queries.draft_values(uow, letter_id).values)  # type: ignore[no-any-return]


def colleague_letter(profile: Profile, *, submit: bool = True) -> str:
    """A letter the colleague wrote for Amira's case (and offered for review)."""
    def work(ws: Workspace, uow: UnitOfWork) -> str:
        case_id = ws.cases.id_for_reference(uow, profile.cases["amira"])
        info = ws.letters.create_draft(uow, case_id, template_id=INVITE,
                                       values={"visit_date": dutch_day(VISIT_DAY), "visit_time": "10.00 uur"})
        if submit:
            ws.letters.submit(uow, info.id)
        return info.id
    return profile.as_colleague(work)  # type: ignore[no-any-return]


def test_templates_one_line_each_with_its_kind(profile: Profile, capsys: Capsys,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_PASSPHRASE")  # nothing is opened, so no passphrase is asked
    code, out, _err = profile.run(capsys, "letters", "templates")
    rows = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and len(rows) == len(list_templates()) and all(len(r) == 3 for r in rows)
    kinds = {tid: kind for tid, kind, _title in rows}
    assert kinds["beschikking_integrale_beoordeling"] == "besluit" and kinds[INVITE] == "brief"
    assert set(kinds.values()) == {"besluit", "brief"}
    expected = sorted([t.id, "brief" if t.kind == "letter" else "besluit", t.title] for t in list_templates())
    assert rows == expected


def test_draft_takes_its_fields_from_the_case_and_prints_the_id(profile: Profile, capsys: Capsys) -> None:
    code, out, err = profile.run(capsys, "letters", "draft", "--case", profile.cases["amira"], "--template", INVITE,
                                 *VISIT, "--set", 'topics=["Uw verhaal", "Uw kinderen"]')
    assert code == 0, err
    letter_id = out.strip()
    assert str(uuid.UUID(letter_id)) == letter_id
    values = stored(profile, letter_id)
    assert values["aanhef"] == "Beste mevrouw Van Nus"
    assert (values["signatory_name"], values["signatory_function"]) == ("Sanne Pzb", "Persoonlijk zaakbehandelaar")
    assert values["visit_address"] == "Lindelaan 1, Zaandam" and values["topics"] == ["Uw verhaal", "Uw kinderen"]
    assert values["visit_date"] == VISIT_DAY.isoformat()


def test_money_and_numbers_are_typed_the_dutch_way() -> None:
    # No shipped template has a typed amount any more (they are all computed); a future one takes "30.000,00".
    base = load_template(INVITE)
    template = dataclasses.replace(base, fields=(*base.fields, FieldSpec("deposit", "money", "Voorschot", False),
                                                 FieldSpec("weeks", "int", "Aantal weken", False)))
    assert parse_sets(template, ["deposit=30.000,00", "weeks=6"]) == {"deposit": 3_000_000, "weeks": 6}
    for pair, label in (("deposit=dertig", "Bedrag is ongeldig"), ("weeks=zes", "Aantal weken moet een heel getal")):
        with pytest.raises(ValidationError, match=label):
            parse_sets(template, [pair])


def test_a_letter_that_shows_amounts_takes_them_from_facts(profile: Profile, capsys: Capsys, tmp_path: Path) -> None:
    facts = facts_file(tmp_path, {"years": [{"year": 2012, "startbedrag_cents": 800_000}]})
    code, out, err = profile.run(capsys, "letters", "draft", "--case", profile.cases["piet"], "--template",
                                 "vooraankondiging_integrale_beoordeling", "--facts", str(facts),
                                 "--set", "provisional_outcome=U krijgt waarschijnlijk een vergoeding.",
                                 "--set", "motivation=De regels zijn te streng toegepast.")
    assert code == 0, err
    values = stored(profile, out.strip())
    expected = compute(CaseFacts(decision_date=letters_command._today(), scheme="integrale_beoordeling",
                                 years=(ToeslagYear(2012, startbedrag_cents=800_000),)))
    assert values["total"] == expected.total_cents and values["aanhef"] == "Beste meneer Jansen"


def test_preview_of_a_draft_is_owner_only_marked_concept_and_warned_about(profile: Profile, capsys: Capsys,
                                                                           tmp_path: Path) -> None:
    _code, out, _err = profile.run(capsys, "letters", "draft", "--case", profile.cases["amira"], "--template",
                                   INVITE, *VISIT)
    target = tmp_path / "voorbeeld.pdf"
    code, _out, err = profile.run(capsys, "letters", "preview", out.strip(), "--out", str(target))
    assert code == 0 and NOT_ENCRYPTED in err
    assert target.stat().st_mode & 0o777 == 0o600
    text = text_of(target)
    assert "CONCEPT" in text and "Beste mevrouw Van Nus," in text

    unsaved = tmp_path / "zonder-opslaan.pdf"
    code, _out, err = profile.run(capsys, "letters", "preview", "--case", profile.cases["noor"], "--template",
                                  INVITE, *VISIT, "--out", str(unsaved))
    assert code == 0 and NOT_ENCRYPTED in err and unsaved.stat().st_mode & 0o777 == 0o600
    assert "CONCEPT" in text_of(unsaved) and "Beste Noor de Vries," in text_of(unsaved)


def test_list_filters_by_case_and_status_word(profile: Profile, capsys: Capsys) -> None:
    rejected = colleague_letter(profile)
    profile.as_colleague(lambda ws, uow: ws.letters.reject(uow, rejected, comment="Tijd klopt niet"))
    in_review = colleague_letter(profile)
    _code, out, _err = profile.run(capsys, "letters", "draft", "--case", profile.cases["piet"], "--template",
                                   INVITE, *VISIT)
    draft = out.strip()
    code, out, _err = profile.run(capsys, "letters", "list")
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert code == 0 and set(rows) == {rejected, in_review, draft}
    assert rows[rejected][1:4] == [profile.cases["amira"], INVITE, "rejected"]
    assert rows[in_review][3] == "in_review" and rows[draft][1:4] == [profile.cases["piet"], INVITE, "draft"]
    assert all(len(r) == 5 and len(r[4]) == 10 for r in rows.values())  # the date as jjjj-mm-dd
    for status, expected in (("rejected", {rejected}), ("draft", {draft}), ("in_review", {in_review}),
                             ("issued", set())):
        _code, out, _err = profile.run(capsys, "letters", "list", "--status", status)
        assert {line.split("\t")[0] for line in out.splitlines()} == expected, status
    _code, out, _err = profile.run(capsys, "letters", "list", "--case", profile.cases["piet"])
    assert [line.split("\t")[0] for line in out.splitlines()] == [draft]


def test_review_and_issue_with_four_eyes_and_the_passphrase_again(profile: Profile, capsys: Capsys,
                                                                  tmp_path: Path) -> None:
    theirs = colleague_letter(profile)
    code, _out, err = profile.run(capsys, "letters", "approve", theirs)
    assert code == 1 and "Alleen een controleur" in one_dutch_line(err)  # a handler may not approve

    profile.set_my_role(Role.REVIEWER)
    _code, out, _err = profile.run(capsys, "letters", "draft", "--case", profile.cases["piet"], "--template",
                                   INVITE, *VISIT)
    mine = out.strip()
    assert profile.run(capsys, "letters", "submit", mine)[0] == 0
    code, _out, err = profile.run(capsys, "letters", "approve", mine)
    assert code == 1 and "eigen brief niet goedkeuren" in one_dutch_line(err)
    code, out, _err = profile.run(capsys, "letters", "list", "--status", "in_review")
    assert {line.split("\t")[0] for line in out.splitlines()} == {theirs, mine}  # nothing changed

    code, out, err = profile.run(capsys, "letters", "approve", theirs)
    assert code == 0 and "goedgekeurd" in out, err
    code, _out, err = profile.run(capsys, "letters", "submit", theirs)
    assert code == 1 and one_dutch_line(err) == "workbench: Alleen een concept kan worden gewijzigd."

    sent = tmp_path / "verstuurd.pdf"
    code, out, err = profile.run(capsys, "letters", "issue", theirs, "--out", str(sent))
    assert code == 0 and "verstuurd" in out and NOT_ENCRYPTED in err
    assert sent.stat().st_mode & 0o777 == 0o600
    text = text_of(sent)
    assert "CONCEPT" not in text and "Beste mevrouw Van Nus," in text
    _code, out, _err = profile.run(capsys, "letters", "list", "--status", "issued")
    assert [line.split("\t")[0] for line in out.splitlines()] == [theirs]

    code, _out, err = profile.run(capsys, "letters", "reject", mine, "--comment", "De tijd ontbreekt")
    assert code == 0, err
    _code, out, _err = profile.run(capsys, "letters", "list", "--status", "rejected")
    assert [line.split("\t")[0] for line in out.splitlines()] == [mine]


def test_a_wrong_passphrase_the_second_time_approves_nothing(profile: Profile, capsys: Capsys,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = colleague_letter(profile)
    profile.set_my_role(Role.REVIEWER)
    asked: list[str] = []

    def current() -> str:
        asked.append("x")
        return PASS if len(asked) == 1 else "niet mijn wachtwoord"

    monkeypatch.setattr(letters_command.passphrase, "current", current)
    code, _out, err = profile.run(capsys, "letters", "approve", theirs)
    assert code == 1 and len(asked) == 2 and "wachtwoord" in one_dutch_line(err)
    monkeypatch.undo()
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", PASS)
    monkeypatch.setenv("WORKBENCH_ARGON2", "1,8,1")
    assert profile.as_colleague(lambda ws, uow: ws.letters.get(uow, theirs).status) == "in_review"


def test_issuing_a_draft_is_refused(profile: Profile, capsys: Capsys) -> None:
    draft = colleague_letter(profile, submit=False)
    code, _out, err = profile.run(capsys, "letters", "issue", draft)
    assert code == 1 and one_dutch_line(err) == "workbench: Alleen een goedgekeurde brief kan worden verstuurd."


def facts_file(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "feiten.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


DECISION_TEXT = ("--set", "decision=U krijgt een vergoeding.", "--set", "facts=Uw toeslag werd stopgezet.",
                 "--set", "motivation=De regels zijn te streng toegepast.", "--set", "payment=Binnen zes weken.")


def test_a_besluit_is_computed_from_its_facts(profile: Profile, capsys: Capsys, tmp_path: Path) -> None:
    facts = {"years": [{"year": 2012, "startbedrag_cents": 800_000, "hardship_half_years": 2}],
             "catshuis_paid_cents": 3_000_000}
    code, out, err = profile.run(capsys, "letters", "draft", "--case", profile.cases["amira"], "--template",
                                 "beschikking_integrale_beoordeling", *DECISION_TEXT,
                                 "--facts", str(facts_file(tmp_path, facts)))
    assert code == 0, err
    values = stored(profile, out.strip())
    expected = compute(CaseFacts(decision_date=letters_command._today(), scheme="integrale_beoordeling",
                                 years=(ToeslagYear(2012, startbedrag_cents=800_000, hardship_half_years=2),),
                                 catshuis_paid_cents=3_000_000))
    assert (values["total"], values["payable"]) == (expected.total_cents, expected.payable_cents)
    assert values["aanhef"] == "Beste mevrouw Van Nus"


@pytest.mark.parametrize(("argv", "expected"), [
    (["draft", "--case", "{amira}", "--template", "geen_sjabloon"],
     "workbench: Sjabloon 'geen_sjabloon' bestaat niet. Zie `workbench letters templates`. [--template]"),
    (["draft", "--case", "UHT-2026-999999", "--template", INVITE, *VISIT],
     "workbench: Zaak UHT-2026-999999 staat niet op dit apparaat."),
    (["draft", "--case", "zaak-12", "--template", INVITE, *VISIT],
     "workbench: Zaaknummer is ongeldig: gebruik UHT-JJJJ-NNNNNN. [--case]"),
    (["draft", "--case", "{amira}", "--template", INVITE, *VISIT, "--set", "kleur=rood"],
     "workbench: Sjabloon uitnodiging_huisbezoek kent het veld 'kleur' niet."),
    (["draft", "--case", "{amira}", "--template", INVITE, "--set", "visit_date"],
     "workbench: --set verwacht VELD=WAARDE, niet 'visit_date'."),
    (["draft", "--case", "{amira}", "--template", INVITE, "--set", "visit_time=10 uur"],
     "workbench: Datum van het bezoek is verplicht."),
    (["draft", "--case", "{amira}", "--template", INVITE, "--set", "visit_date=31-02-2027", "--set", "visit_time=9"],
     "workbench: Datum van het bezoek is geen geldige datum: februari 2027 heeft geen dag 31."),
    (["draft", "--case", "{amira}", "--template", INVITE, *VISIT, "--set", "topics=Uw verhaal"],
     'workbench: Onderwerpen is een lijst: geef JSON, zoals ["eerste", "tweede"].'),
    (["draft", "--case", "{piet}", "--template", "vooraankondiging_integrale_beoordeling", "--set", "total=1,00"],
     "workbench: Voorlopig totaalbedrag berekent de Zaakwerkbank uit de feiten; geef die met --facts."),
    (["draft", "--case", "{amira}", "--template", "beschikking_integrale_beoordeling", *DECISION_TEXT],
     "workbench: Sjabloon beschikking_integrale_beoordeling is een besluit: geef de feiten met --facts"),
    (["draft", "--case", "{amira}", "--template", "beschikking_integrale_beoordeling", *DECISION_TEXT,
      "--set", "payable=1,00", "--facts", "{facts}"],
     "workbench: Bedrag dat wij nu betalen berekent de Zaakwerkbank uit de feiten; geef die met --facts."),
    (["draft", "--case", "{amira}", "--template", "vooraankondiging_integrale_beoordeling",
      "--set", "response_deadline=01-01-2027"],
     "workbench: Reageren vóór berekent de Zaakwerkbank voor de datum van de brief; geef het niet met --set."),
    (["draft", "--case", "{amira}", "--template", "brief_aan_schuldeiser_moratorium",
      "--set", "pause_start=01-01-2027"],
     "workbench: Begin van de pauze komt uit wat is vastgelegd (toestemming of betaling); geef het niet met"),
    (["draft", "--case", "{amira}", "--template", INVITE, *VISIT, "--facts", "{facts}"],
     "workbench: Sjabloon uitnodiging_huisbezoek rekent niets uit: --facts hoort er niet bij."),
    (["list", "--status", "verzonden"],
     "workbench: Status 'verzonden' bestaat niet; kies uit draft, in_review, approved, issued, rejected."),
    (["submit", "00000000-0000-0000-0000-000000000000"],
     "workbench: Deze brief bestaat niet (meer) op dit apparaat."),
    (["preview", "--case", "{amira}", "--out", "{tmp}/x.pdf"],
     "workbench: Geef LETTER_ID, of --case en --template samen."),
    (["preview", "--case", "{amira}", "--template", INVITE, "--out", "{tmp}/x.txt"],
     "workbench: Het bestand voor --out moet eindigen op .pdf"),
    (["batch", "--template", INVITE, "--phase", "fase9", "--out", "{tmp}/map"],
     "workbench: Fase 'fase9' bestaat niet; kies uit aangemeld, eerste_toets"),
    (["batch", "--template", "beschikking_kindregeling", "--phase", "eerste_toets", "--out", "{tmp}/map"],
     "workbench: Een besluit maakt u per zaak, met de feiten van die zaak: batch maakt alleen brieven."),
])
def test_bad_input_is_one_dutch_line_and_exit_1(profile: Profile, capsys: Capsys, tmp_path: Path, argv: list[str],
                                                expected: str) -> None:
    facts = facts_file(tmp_path, {"years": [{"year": 2012, "startbedrag_cents": 100_000}]})
    fill = {"{amira}": profile.cases["amira"], "{piet}": profile.cases["piet"], "{facts}": str(facts),
            "{tmp}": str(tmp_path)}
    args = [fill.get(a, a.replace("{tmp}", str(tmp_path))) for a in argv]
    code, out, err = profile.run(capsys, "letters", *args)
    line = one_dutch_line(err)
    assert code == 1 and out == "" and line.startswith(expected), line
    assert "_" not in line.rsplit("[", 1)[-1] if "[" in line else True  # a label or an option, never a key


def test_a_bad_facts_file_names_the_place_in_it(profile: Profile, capsys: Capsys, tmp_path: Path) -> None:
    facts = facts_file(tmp_path, {"years": [{"year": 2012, "kleur": "rood"}]})
    code, _out, err = profile.run(capsys, "letters", "draft", "--case", profile.cases["amira"], "--template",
                                  "beschikking_integrale_beoordeling", *DECISION_TEXT, "--facts", str(facts))
    assert code == 1 and one_dutch_line(err) == (
        "workbench: Onbekend gegeven in het feitenbestand: years[0].kleur.")
    facts = facts_file(tmp_path, {"years": [{"year": 1999, "startbedrag_cents": 100}]})
    code, _out, err = profile.run(capsys, "letters", "draft", "--case", profile.cases["amira"], "--template",
                                  "beschikking_integrale_beoordeling", *DECISION_TEXT, "--facts", str(facts))
    assert code == 1 and one_dutch_line(err) == (
        "workbench: Het toeslagjaar moet tussen 2005 en 2019 liggen. [--facts years[0].year]")


@pytest.mark.parametrize(("data", "expected"), [
    ({"years": {"year": 2012}}, "workbench: Het feitenbestand klopt niet: controleer de soort van elk gegeven"),
    ({"years": [{"year": 2012}], "decision_date": 20261204}, "workbench: decision_date is geen geldige datum"),
    ({"years": [{"year": 2012}], "kleur": "rood"}, "workbench: Onbekend gegeven in het feitenbestand: kleur."),
    ([1, 2], "workbench: Het feitenbestand moet één JSON-object zijn."),
])
def test_facts_of_the_wrong_kind_are_one_dutch_line(profile: Profile, capsys: Capsys, tmp_path: Path, data: Any,
                                                    expected: str) -> None:
    path = tmp_path / "feiten.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _out, err = profile.run(capsys, "letters", "draft", "--case", profile.cases["amira"], "--template",
                                  "beschikking_integrale_beoordeling", *DECISION_TEXT, "--facts", str(path))
    assert code == 1 and one_dutch_line(err).startswith(expected)


CHILD_TEXT = ("--set", "parent_decision_date=12-06-2025", "--set", "payment=Binnen zes weken.",
              "--set", "motivation=De ouder is gedupeerd.", "--set", "payee=de wettelijk vertegenwoordiger")


def test_a_letter_to_a_child_names_the_child_with_child(profile: Profile, capsys: Capsys) -> None:
    def add_child(ws: Workspace, uow: UnitOfWork) -> str:
        case_id = ws.cases.id_for_reference(uow, profile.cases["amira"])
        parent_id = ws.cases.get(uow, case_id).parent_id
        return ws.parents.add_child(uow, parent_id, voornamen="Daan", tussenvoegsel="van", achternaam="Nus",
                                    birth_date="30-09-2010").id  # type: ignore[no-any-return]

    child_id = profile.as_colleague(add_child)
    code, out, err = profile.run(capsys, "letters", "draft", "--case", profile.cases["amira"], "--template",
                                 "beschikking_kindregeling", "--child", "daan", *CHILD_TEXT)
    assert code == 0, err
    row = profile.as_colleague(lambda _ws, uow: queries.draft_values(uow, out.strip()))
    assert row.child_id == child_id and row.values["aanhef"] == "Beste mevrouw Van Nus"  # the parent, for a minor
    code, _out, err = profile.run(capsys, "letters", "draft", "--case", profile.cases["amira"], "--template",
                                  "beschikking_kindregeling", "--child", "Mila", *CHILD_TEXT)
    assert code == 1 and one_dutch_line(err) == (
        "workbench: Deze zaak heeft geen kind 'Mila'. Kinderen: Daan van Nus. [--child]")


def test_issue_says_when_a_letter_went_back_to_review_and_exits_1(profile: Profile, capsys: Capsys) -> None:
    theirs = colleague_letter(profile)
    profile.set_my_role(Role.REVIEWER)
    assert profile.run(capsys, "letters", "approve", theirs)[0] == 0

    def approved_under_other_rules(_ws: Workspace, uow: UnitOfWork) -> None:
        # as if it was approved before a policy change: the versions in force today differ from the stored ones
        uow.session.get(Letter, theirs).policy_versions = ["een-oudere-versie"]

    profile.as_colleague(approved_under_other_rules)
    code, out, err = profile.run(capsys, "letters", "issue", theirs)
    assert code == 1 and "verstuurd en vastgelegd" not in out
    assert "is niet verstuurd" in one_dutch_line(err) and "Terug ter controle" in err
    _code, out, _err = profile.run(capsys, "letters", "list", "--status", "in_review")
    assert theirs in out
