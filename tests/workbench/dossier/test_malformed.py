"""Every kind of bad dossier is refused with a Dutch message naming where, and writes nothing at all."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.dossiers import rich_case, table_counts
from tests.helpers.factories import FixedClock
from workbench.dossier import importer
from workbench.dossier.export import dumps, export_case
from workbench.dossier.importer import import_dossier, load_file
from workbench.errors import UserError
from workbench.progress import CancelToken, NoProgress
from workbench.store.unit_of_work import Actor, Store


@pytest.fixture
def dossier(store: Store, actor: Actor, clock: FixedClock) -> dict[str, Any]:
    case_id = rich_case(store, actor, clock)
    with store.unit_of_work(actor) as uow:
        return export_case(uow, case_id)


def _write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "dossier.json"
    path.write_bytes(content)
    return path


def _refused(store: Store, actor: Actor, path: Path) -> UserError:
    """Load and import the file; it must fail and leave every table exactly as it was."""
    before = table_counts(store)
    with pytest.raises(UserError) as info, store.unit_of_work(actor) as uow:
        import_dossier(uow, load_file(path), progress=NoProgress(), cancel=CancelToken())
    assert table_counts(store) == before
    return info.value


def test_bytes_that_are_not_utf8(tmp_path: Path, other_store: Store, other_actor: Actor,
                                 dossier: dict[str, Any]) -> None:
    raw = dumps(dossier).encode("utf-8").replace(b"Zaandam", b"Zaand\xe4m")
    err = _refused(other_store, other_actor, _write(tmp_path, raw))
    assert err.text() == "Het importbestand is geen geldige UTF-8-tekst."


def test_truncated_json_names_line_and_column(tmp_path: Path, other_store: Store, other_actor: Actor,
                                              dossier: dict[str, Any]) -> None:
    text = dumps(dossier)
    cut = text[: len(text) // 2]
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(cut)
    err = _refused(other_store, other_actor, _write(tmp_path, cut.encode()))
    where = f"regel {expected.value.lineno}, kolom {expected.value.colno}"
    assert where in err.text() and err.field == where


@pytest.mark.parametrize(("change", "field", "fragment"), [
    (lambda d: d.update(format="iets-anders"), "format", "geen Zaakwerkbank-dossier"),
    (lambda d: d.pop("format"), "format", "geen Zaakwerkbank-dossier"),
    (lambda d: d.update(version=2), "version", "Dossierversie 2 wordt niet ondersteund"),
    (lambda d: d.update(version="1"), "version", "wordt niet ondersteund"),
])
def test_wrong_marker_or_version(tmp_path: Path, other_store: Store, other_actor: Actor, dossier: dict[str, Any],
                                 change: Callable[[dict[str, Any]], Any], field: str, fragment: str) -> None:
    change(dossier)
    err = _refused(other_store, other_actor, _write(tmp_path, dumps(dossier).encode()))
    assert err.field == field and fragment in err.text()


def test_file_too_large(tmp_path: Path, other_store: Store, other_actor: Actor, dossier: dict[str, Any],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 1024)
    err = _refused(other_store, other_actor, _write(tmp_path, dumps(dossier).encode()))
    assert "te groot" in err.text()


def test_a_key_twice_or_nan(tmp_path: Path, other_store: Store, other_actor: Actor) -> None:
    err = _refused(other_store, other_actor, _write(tmp_path, b'{"format": "a", "format": "b"}'))
    assert "twee keer" in err.text()
    err = _refused(other_store, other_actor, _write(tmp_path, b'{"format": NaN}'))
    assert "NaN" in err.text()


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="kan niet worden gelezen"):
        load_file(tmp_path / "bestaat-niet.json")


def _story(d: dict[str, Any], i: int) -> dict[str, Any]:
    return d["story"][i]  # type: ignore[no-any-return]


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


BAD: list[tuple[str, Callable[[dict[str, Any]], Any], str, str]] = [
    ("bad bsn", lambda d: d["parent"].update(bsn="123456789"), "parent.bsn", "BSN is ongeldig"),
    ("bad postcode", lambda d: d["parent"].update(postcode="12345"), "parent.postcode", "Postcode is ongeldig"),
    ("bad child bsn", lambda d: d["children"][0].update(bsn="999990045"), "children[0].bsn", "BSN is ongeldig"),
    ("bad date", lambda d: d["phase_changes"][1].update(on_date="2026-02-30"), "phase_changes[1].on_date",
     "Geen geldige datum"),
    ("dutch date", lambda d: d["case"].update(opened_on="29-11-2026"), "case.opened_on", "jjjj-mm-dd"),
    ("naive timestamp", lambda d: _story(d, 1).update(occurred_at="2026-12-01T09:00:00"), "story[1].occurred_at",
     "tijdzone"),
    ("10 MB story", lambda d: _story(d, 2).update(text="x" * 10_000_000), "story[2].text", "Verslag is te lang"),
    ("empty story", lambda d: _story(d, 0).update(text="   "), "story[0].text", "Verslag is leeg"),
    ("unknown kind", lambda d: _story(d, 0).update(kind="sms"), "story[0].kind", "Soort contact is onbekend"),
    ("unknown phase", lambda d: d["case"].update(phase="wachten"), "case.phase", "Fase is onbekend"),
    ("unknown history phase", lambda d: d["phase_changes"][0].update(to_phase="x"), "phase_changes[0].to_phase",
     "Fase is onbekend"),
    ("bad reference", lambda d: d["case"].update(reference="UHT-26-1"), "case.reference", "Zaaknummer is ongeldig"),
    ("unknown track", lambda d: d["tracks"][0].update(track="x"), "tracks[0].track", "Spoor is onbekend"),
    ("unknown life domain", lambda d: d["needs"][0].update(life_domain="hobby"), "needs[0].life_domain",
     "Leefgebied is onbekend"),
    ("unknown status", lambda d: d["commitments"][0].update(status="vergeten"), "commitments[0].status",
     "Status is onbekend"),
    ("missing key", lambda d: d["needs"][1].pop("description"), "needs[1].description", "ontbreekt"),
    ("missing section", lambda d: d.pop("consents"), "consents", "ontbreekt"),
    ("unknown key", lambda d: _story(d, 0).update(mood="blij"), "story[0].mood", "Onbekend veld"),
    ("unknown section", lambda d: d.update(extra=[]), "extra", "Onbekend onderdeel"),
    ("wrong type bool", lambda d: d["case"].update(urgent_energy="ja"), "case.urgent_energy", "true of false"),
    ("wrong type int", lambda d: _story(d, 0).update(rev="7"), "story[0].rev", "geheel getal"),
    ("bool as int", lambda d: _story(d, 0).update(rev=True), "story[0].rev", "geheel getal"),
    ("wrong type text", lambda d: _story(d, 0).update(text=42), "story[0].text", "Verwacht tekst"),
    ("section not a list", lambda d: d.update(story={}), "story", "Verwacht een lijst"),
    ("row not an object", lambda d: d["needs"].append("x"), "needs[2]", "Verwacht een object"),
    ("null id", lambda d: d["actions"][0].update(id=None), "actions[0].id", "niet leeg"),
    ("id not a uuid", lambda d: d["actions"][0].update(id="actie-1"), "actions[0].id", "Geen geldig id"),
    ("duplicate id", lambda d: d["needs"][1].update(id=d["needs"][0]["id"]), "needs[1].id", "vaker"),
    ("other case", lambda d: _story(d, 0).update(case_id=d["parent"]["id"]), "story[0].case_id",
     "Hoort niet bij de zaak"),
    ("dangling need", lambda d: next(a for a in d["actions"] if a["need_id"]).update(need_id=d["case"]["id"]),
     "need_id", "niet in dit dossier"),
    ("pdf tampered", lambda d: next(x for x in d["letters"] if x["pdf"]).update(pdf="AAAA"), "pdf",
     "past niet bij pdf_sha256"),
    ("pdf not base64", lambda d: next(x for x in d["letters"] if x["pdf"]).update(pdf="!!"), "pdf",
     "base64"),
    ("payment of nothing", lambda d: d["payments"][0].update(amount_cents=0), "payments[0].amount_cents",
     "groter zijn dan"),
    ("unknown payment kind", lambda d: d["payments"][0].update(kind="cadeau"), "payments[0].kind",
     "Soort betaling is onbekend"),
    ("payment to a stranger", lambda d: d["payments"][1].update(recipient=d["parent"]["id"]),
     "payments[1].recipient", "niet in dit dossier"),
    ("payment for another letter", lambda d: d["payments"][0].update(letter_id=d["case"]["id"]),
     "payments[0].letter_id", "niet in dit dossier"),
    ("access log", lambda d: d["access_log"][0].update(verb="hack"), "access_log[0].verb", "Onbekende handeling"),
    ("exported_at", lambda d: d.update(exported_at="gisteren"), "exported_at", "Geen geldig tijdstip"),
    ("deep letter values", lambda d: d["letters"][0].update(field_values=_nested(30)), "letters[0].field_values",
     "Te diep genest"),
    ("letter facts a list", lambda d: d["letters"][0].update(facts=[1]), "letters[0].facts", "Verwacht een object"),
]


@pytest.mark.parametrize(("change", "field", "fragment"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_content_is_refused_naming_the_field(
        tmp_path: Path, other_store: Store, other_actor: Actor, dossier: dict[str, Any],
        change: Callable[[dict[str, Any]], Any], field: str, fragment: str) -> None:
    bad = copy.deepcopy(dossier)
    change(bad)
    err = _refused(other_store, other_actor, _write(tmp_path, dumps(bad).encode()))
    assert err.field is not None and err.field.endswith(field), err.text()
    assert fragment in err.text(), err.text()
    # The person reads the case and the place in words; the file's keys and paths stay out of the message.
    assert err.text().startswith((f"Zaak {bad['case']['reference']}, ", "Dossier, ")), err.text()
    assert f"{err.field}:" not in err.text() and "[" not in err.text().split(":")[0], err.text()


def test_the_good_dossier_imports(tmp_path: Path, other_store: Store, other_actor: Actor,
                                  dossier: dict[str, Any]) -> None:
    """The fixture itself is fine: each refusal above is down to its one change."""
    with other_store.unit_of_work(other_actor) as uow:
        summary = import_dossier(uow, load_file(_write(tmp_path, dumps(dossier).encode())),
                                 progress=NoProgress(), cancel=CancelToken())
    assert summary.written > 20


WORDED: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("bad bsn", lambda d: d["parent"].update(bsn="123456789"), "ouder: BSN is ongeldig"),
    ("empty story", lambda d: _story(d, 0).update(text="   "), "verslag 1, tekst: Verslag is leeg"),
    ("text as a number", lambda d: _story(d, 2).update(text=42),
     "verslag 3, tekst: Verwacht tekst, gevonden: een getal."),
    ("unknown key", lambda d: _story(d, 0).update(mood="blij"), "verslag 1, veld ‘mood’: Onbekend veld."),
    ("missing key", lambda d: d["parent"].pop("postcode"), "ouder, postcode: Dit veld ontbreekt."),
    ("dangling need", lambda d: next(a for a in d["actions"] if a["need_id"]).update(need_id=d["case"]["id"]),
     ", behoefte: Verwijst naar een behoefte die niet in dit dossier staat."),
    ("access log", lambda d: d["access_log"][0].update(verb="hack"),
     "regel van het toegangslog 1, handeling: Onbekende handeling: 'hack'."),
]


@pytest.mark.parametrize(("change", "words"), [w[1:] for w in WORDED], ids=[w[0] for w in WORDED])
def test_the_message_names_the_case_section_item_and_field_in_words(
        tmp_path: Path, other_store: Store, other_actor: Actor, dossier: dict[str, Any],
        change: Callable[[dict[str, Any]], Any], words: str) -> None:
    bad = copy.deepcopy(dossier)
    change(bad)
    err = _refused(other_store, other_actor, _write(tmp_path, dumps(bad).encode()))
    assert err.text().startswith(f"Zaak {dossier['case']['reference']}, "), err.text()
    assert words in err.text(), err.text()


def test_a_dossier_without_a_usable_reference_still_says_where() -> None:
    from workbench.dossier.places import located, place

    assert place("commitment_status_changes[0].to_status") == "wijziging van een toezegging 1, nieuwe status"
    assert located("exported_at", "Geen geldig tijdstip.", None) == "Dossier, moment van export: Geen geldig tijdstip."
    assert located("parent.bsn", "BSN voldoet niet aan de 11-proef.", "UHT-2026-000001") == (
        "Zaak UHT-2026-000001, ouder: BSN voldoet niet aan de 11-proef.")
