"""Policy tables: the shipped files load, look-up at the boundaries, and malformed tables are refused clearly."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from workbench.errors import BugError
from workbench.policy.schema import RULES
from workbench.policy.versions import NotInForce, default_book, load_book, parse_tables
from workbench.resources import load_json

D = dt.date


def version(vid: str, start: str, end: str | None, immaterial: int = 50_000) -> dict[str, Any]:
    return {
        "id": vid, "valid_from": start, "valid_until": end, "title": "Test", "legal_basis": "Testwet",
        "sources": ["https://example.org/"], "note": "synthetic, tests only",
        "parameters": {"material_damage_percent": "25", "immaterial_per_half_year_cents": immaterial,
                       "extra_percent": "1"},
    }


def table(*versions: dict[str, Any]) -> dict[str, Any]:
    return {"compensatie.json": {"rule": "compensatie", "versions": list(versions)}}


def refused(tables: dict[str, Any]) -> str:
    with pytest.raises(BugError) as err:
        parse_tables(tables)
    return str(err.value)


# --- the shipped tables -------------------------------------------------------------------------------------

def test_shipped_tables_load_with_every_rule() -> None:
    book = load_book()
    assert set(book.rules()) == set(RULES)
    ids = [v.id for v in book.versions()]
    assert len(ids) == len(set(ids)) and all(len(i) <= 40 for i in ids)
    assert all(v.sources and v.legal_basis and v.note for v in book.versions())
    assert book.by_id("wht-2022-11-05").rule == "compensatie"


def test_shipped_rules_with_unverified_items_say_so() -> None:
    # DOMAIN.md marks some facts [I]; every table that rests on one must say which in its note.
    for v in default_book().versions():
        assert "[V]" in v.note or "[I]" in v.note, v.id


def test_in_force_at_the_boundaries() -> None:
    book = default_book()
    assert book.in_force("bezwaartermijn", D(2023, 12, 31)).id == "uht-bezwaar-overgang-voor-2024"
    assert book.in_force("bezwaartermijn", D(2024, 1, 1)).id == "uht-bezwaar-overgang-2024"
    assert book.in_force("bezwaartermijn", D(2024, 7, 9)).id == "uht-bezwaar-overgang-2024"
    assert book.in_force("bezwaartermijn", D(2024, 7, 10)).id == "uht-bezwaar-16-weken-2024-07-10"
    assert book.in_force("compensatie", D(2022, 11, 5)).id == "wht-2022-11-05"
    assert book.in_force("compensatie", D(2099, 1, 1)).id == "wht-2022-11-05"
    with pytest.raises(NotInForce):
        book.in_force("compensatie", D(2022, 11, 4))
    with pytest.raises(BugError, match="no table for rule 'hardheid'"):
        book.in_force("hardheid", D(2024, 1, 1))


def test_synthetic_versions_follow_on() -> None:
    book = parse_tables(table(version("b", "2026-01-01", None, 60_000), version("a", "2022-11-05", "2025-12-31")))
    assert [v.id for v in book.versions("compensatie")] == ["a", "b"]
    assert book.in_force("compensatie", D(2025, 12, 31)).cents("immaterial_per_half_year_cents") == 50_000
    assert book.in_force("compensatie", D(2026, 1, 1)).cents("immaterial_per_half_year_cents") == 60_000


# --- overlaps and gaps --------------------------------------------------------------------------------------

def test_overlap_is_refused_naming_both_versions() -> None:
    message = refused(table(version("a", "2022-11-05", "2025-12-31"), version("b", "2025-06-01", None)))
    assert "compensatie.json" in message and "'a'" in message and "'b'" in message and "overlap" in message


def test_open_ended_version_before_another_is_an_overlap() -> None:
    assert "overlap" in refused(table(version("a", "2022-11-05", None), version("b", "2026-01-01", None)))


def test_same_start_is_an_overlap() -> None:
    assert "overlap" in refused(table(version("a", "2022-11-05", "2023-01-01"), version("b", "2022-11-05", None)))


def test_gap_is_refused_naming_the_missing_days() -> None:
    message = refused(table(version("a", "2022-11-05", "2025-12-31"), version("b", "2026-02-01", None)))
    assert "gap" in message and "2026-01-01 to 2026-01-31" in message


# --- malformed tables name file and field -------------------------------------------------------------------

def malformed(change: str, value: Any) -> str:
    raw = version("a", "2022-11-05", None)
    target = raw
    *path, last = change.split(".")
    for key in path:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return refused(table(raw))


@pytest.mark.parametrize(("change", "value", "expected"), [
    ("valid_from", "05-11-2022", "versions[0].valid_from"),
    ("valid_from", "2022-02-30", "versions[0].valid_from"),
    ("valid_until", "2020-01-01", "versions[0].valid_until"),
    ("title", "", "versions[0].title"),
    ("sources", [], "versions[0].sources"),
    ("note", KeyError, "versions[0].note: missing"),
    ("id", "a" * 41, "versions[0].id"),
    ("valid_untill", None, "versions[0].valid_untill: unknown key"),
    ("parameters.extra_percent", 0.01, "versions[0].parameters.extra_percent"),
    ("parameters.extra_percent", "1%", "versions[0].parameters.extra_percent"),
    ("parameters.immaterial_per_half_year_cents", 500.0, "versions[0].parameters.immaterial_per_half_year_cents"),
    ("parameters.immaterial_per_half_year_cents", -1, "versions[0].parameters.immaterial_per_half_year_cents"),
    ("parameters.immaterial_per_half_year_cents", KeyError, "parameters.immaterial_per_half_year_cents: missing"),
    ("parameters.cap_cents", 1, "versions[0].parameters.cap_cents: unknown parameter"),
])
def test_malformed_version_names_file_and_field(change: str, value: Any, expected: str) -> None:
    message = malformed(change, value)
    assert message.startswith("compensatie.json: ") and expected in message


def test_rule_and_file_name_must_agree() -> None:
    assert "unknown rule" in refused({"x.json": {"rule": "hardheid", "versions": [version("a", "2022-11-05", None)]}})
    message = refused({"ogs.json": {"rule": "compensatie", "versions": [version("a", "2022-11-05", None)]}})
    assert "must be in compensatie.json" in message


def test_duplicate_ids_across_tables_are_refused() -> None:
    ogs = {"rule": "ogs", "versions": [{**version("a", "2022-11-05", None), "parameters": {"percent": "30"}}]}
    assert "used twice" in refused({**table(version("a", "2022-11-05", None)), "ogs.json": ogs})


def kind_table(bands: list[dict[str, Any]]) -> dict[str, Any]:
    raw = copy.deepcopy(load_json("policy", "kindregeling.json"))
    raw["versions"][0]["parameters"]["age_bands"] = bands
    return {"kindregeling.json": raw}


@pytest.mark.parametrize(("bands", "expected"), [
    ([{"min_age": 0, "max_age": 5, "amount_cents": 1}, {"min_age": 7, "max_age": None, "amount_cents": 2}],
     "age_bands[1].min_age"),
    ([{"min_age": 0, "max_age": None, "amount_cents": 1}, {"min_age": 1, "max_age": None, "amount_cents": 2}],
     "age_bands[0].max_age"),
    ([{"min_age": 0, "max_age": 5, "amount_cents": 1}], "age_bands[0].max_age"),
    ([{"min_age": 1, "max_age": None, "amount_cents": 1}], "age_bands[0].min_age"),
])
def test_age_bands_must_cover_every_age_once(bands: list[dict[str, Any]], expected: str) -> None:
    message = refused(kind_table(bands))
    assert message.startswith("kindregeling.json: ") and expected in message


def test_term_needs_exactly_one_kind() -> None:
    raw = {"rule": "bezwaartermijn_awb", "versions": [{
        **version("t", "1994-01-01", None), "parameters": {"term": {"weeks": 6, "years": 1}}}]}
    assert "parameters.term: expected exactly one of" in refused({"bezwaartermijn_awb.json": raw})


def test_load_book_names_an_unreadable_file_and_missing_rules(tmp_path: Path) -> None:
    (tmp_path / "ogs.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(BugError, match=r"^ogs\.json: cannot be read as JSON"):
        load_book(tmp_path)
    (tmp_path / "ogs.json").unlink()
    (tmp_path / "compensatie.json").write_text(json.dumps(table(version("a", "2022-11-05", None))["compensatie.json"]),
                                               encoding="utf-8")
    with pytest.raises(BugError, match="no table for rule"):
        load_book(tmp_path)
