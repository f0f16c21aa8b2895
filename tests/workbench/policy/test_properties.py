"""Properties of the calculation over generated facts, on the shipped tables and on synthetic version tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.policy.engine import Assessment, compute
from workbench.policy.facts import CaseFacts, ToeslagYear
from workbench.policy.versions import PolicyBook, default_book, parse_tables

D = dt.date
# Local settings only: the machine running the suite is shared, and timing must not fail a property.
relaxed = settings(deadline=None, max_examples=100)

cents = st.integers(0, 10_000_000)
decision_dates = st.dates(D(2023, 7, 12), D(2035, 12, 31))
catshuis_paid = st.sampled_from([0, 3_000_000]) | st.integers(0, 5_000_000)


def toeslag_year(year: int) -> st.SearchStrategy[ToeslagYear]:
    return st.builds(ToeslagYear, year=st.just(year), startbedrag_cents=cents, interest_on_startbedrag_cents=cents,
                     interest_and_costs_paid_cents=cents, legal_aid_cents=cents,
                     hardship_half_years=st.integers(0, 40), interest_entitled_cents=cents, reclaimed_cents=cents)


years = st.lists(st.integers(2005, 2019), min_size=1, max_size=6, unique=True).flatmap(
    lambda ys: st.tuples(*(toeslag_year(y) for y in ys)))
integral_facts = st.builds(CaseFacts, decision_date=decision_dates, scheme=st.just("integrale_beoordeling"),
                           years=years, catshuis_paid_cents=catshuis_paid)
ogs_facts = st.builds(CaseFacts, decision_date=decision_dates, scheme=st.just("ogs"), years=years,
                      catshuis_paid_cents=catshuis_paid)
any_facts = st.one_of(
    integral_facts,
    ogs_facts,
    st.builds(CaseFacts, decision_date=decision_dates, scheme=st.just("catshuis"), catshuis_paid_cents=catshuis_paid),
    st.builds(CaseFacts, decision_date=decision_dates, scheme=st.just("ex_partner")),
    st.builds(CaseFacts, decision_date=decision_dates, scheme=st.just("kindregeling"),
              child_birth_dates=st.lists(st.dates(D(1984, 1, 2), D(2022, 11, 5)), min_size=1, max_size=5)
              .map(tuple)),
)


def grow(facts: CaseFacts, index: int, field: str, delta: int) -> CaseFacts:
    """The same facts with `delta` cents more wrongly reclaimed in one year."""
    ys = list(facts.years)
    i = index % len(ys)
    ys[i] = ToeslagYear(**{**vars(ys[i]), field: getattr(ys[i], field) + delta})
    return CaseFacts(facts.decision_date, facts.scheme, tuple(ys), facts.catshuis_paid_cents)


# --- on the shipped tables ------------------------------------------------------------------------------------

@relaxed
@given(any_facts)
def test_nothing_is_ever_negative(facts: CaseFacts) -> None:
    a = compute(facts)
    assert a.payable_cents >= 0 and a.total_cents >= 0 and all(line.amount_cents >= 0 for line in a.lines)


@relaxed
@given(any_facts)
def test_every_line_is_whole_cents_and_the_total_is_their_sum(facts: CaseFacts) -> None:
    a = compute(facts)
    assert all(type(line.amount_cents) is int for line in a.lines)
    assert a.total_cents == sum(line.amount_cents for line in a.lines)
    assert a.payable_cents == max(0, a.total_cents - a.already_paid_cents)


@relaxed
@given(integral_facts)
def test_a_gedupeerde_keeps_at_least_the_floor(facts: CaseFacts) -> None:
    a = compute(facts)
    floor = default_book().in_force("catshuis", facts.decision_date).cents("amount_cents")
    harmed = any(y.startbedrag_cents or y.interest_on_startbedrag_cents or y.interest_and_costs_paid_cents
                 or y.legal_aid_cents or y.hardship_half_years or y.interest_entitled_cents for y in facts.years)
    if harmed or facts.catshuis_paid_cents:
        assert a.payable_cents + a.already_paid_cents >= floor
    else:
        assert a.total_cents == 0


@relaxed
@given(integral_facts, st.integers(0, 10), st.integers(1, 5_000_000),
       st.sampled_from(["startbedrag_cents", "interest_on_startbedrag_cents"]))
def test_more_wrongly_reclaimed_never_gives_less(facts: CaseFacts, index: int, delta: int, field: str) -> None:
    before, after = compute(facts), compute(grow(facts, index, field, delta))
    assert after.total_cents >= before.total_cents and after.payable_cents >= before.payable_cents
    per_year = [(b.year, b.component, a.amount_cents >= b.amount_cents)
                for b, a in zip(before.lines, after.lines, strict=False) if b.year is not None]
    assert all(ok for _, _, ok in per_year)


@relaxed
@given(ogs_facts, st.integers(0, 10), st.integers(1, 5_000_000))
def test_more_reclaimed_never_gives_less_under_ogs(facts: CaseFacts, index: int, delta: int) -> None:
    before, after = compute(facts), compute(grow(facts, index, "reclaimed_cents", delta))
    assert after.total_cents >= before.total_cents and after.payable_cents >= before.payable_cents


# --- on synthetic version tables (never on invented production data) -------------------------------------------

def synthetic_tables(compensatie: list[dict[str, Any]]) -> dict[str, Any]:
    """All tables compute() needs, with made-up meta data; only `compensatie` varies between books."""
    def one(rule: str, vid: str, parameters: dict[str, Any], start: str = "2022-11-05") -> dict[str, Any]:
        return {rule + ".json": {"rule": rule, "versions": [synthetic(vid, start, None, parameters)]}}
    return {
        "compensatie.json": {"rule": "compensatie", "versions": compensatie},
        **one("catshuis", "syn-catshuis", {"amount_cents": 3_000_000}),
        **one("ogs", "syn-ogs", {"percent": "30"}),
        **one("ex_partner", "syn-ex", {"amount_cents": 1_000_000}),
        **one("bezwaartermijn", "syn-bezwaar", {"term": {"weeks": 16}}, start="2000-01-01"),
    }


def synthetic(vid: str, start: str, end: str | None, parameters: dict[str, Any]) -> dict[str, Any]:
    return {"id": vid, "valid_from": start, "valid_until": end, "title": "Synthetisch", "legal_basis": "Testwet",
            "sources": ["https://example.org/"], "note": "synthetic, tests only", "parameters": parameters}


def compensatie(immaterial: int = 50_000, material: str = "25") -> dict[str, Any]:
    return {"material_damage_percent": material, "immaterial_per_half_year_cents": immaterial, "extra_percent": "1"}


def book(**parameters: Any) -> PolicyBook:
    return parse_tables(synthetic_tables([synthetic("syn-comp", "2022-11-05", None, compensatie(**parameters))]))


def moved(a: Assessment, b: Assessment) -> set[str]:
    """The components whose lines differ between two assessments of the same facts."""
    assert [(x.year, x.component) for x in a.lines if x.year] == [(y.year, y.component) for y in b.lines if y.year]
    per_year = {x.component for x, y in zip(a.lines, b.lines, strict=False) if x.year and x != y}
    floor_a = [x for x in a.lines if x.component == "floor_top_up"]
    floor_b = [y for y in b.lines if y.component == "floor_top_up"]
    return per_year | ({"floor_top_up"} if floor_a != floor_b else set())


@relaxed
@given(integral_facts, st.integers(0, 200_000), st.integers(0, 200_000))
def test_a_new_immaterial_amount_moves_only_immaterial_and_derived_lines(facts: CaseFacts, old: int,
                                                                         new: int) -> None:
    a, b = compute(facts, book(immaterial=old)), compute(facts, book(immaterial=new))
    # The 1% line and the floor top-up are computed from the other lines, so they may follow.
    assert moved(a, b) <= {"immaterial_damage", "extra", "floor_top_up"}
    for x, y in zip(a.lines, b.lines, strict=False):
        if x.component == "immaterial_damage":
            assert y.amount_cents * old == x.amount_cents * new  # both are half-years x the amount


@relaxed
@given(integral_facts, st.sampled_from(["20", "25", "30", "12.5"]))
def test_a_new_material_percentage_moves_only_material_and_derived_lines(facts: CaseFacts, percent: str) -> None:
    a, b = compute(facts, book(material="25")), compute(facts, book(material=percent))
    assert moved(a, b) <= {"material_damage", "extra", "floor_top_up"}


@relaxed
@given(integral_facts.filter(lambda f: any(y.hardship_half_years for y in f.years)))
def test_a_dated_version_change_applies_from_its_first_day(facts: CaseFacts) -> None:
    two = parse_tables(synthetic_tables([
        synthetic("syn-comp-1", "2022-11-05", "2025-12-31", compensatie(immaterial=50_000)),
        synthetic("syn-comp-2", "2026-01-01", None, compensatie(immaterial=75_000)),
    ]))
    last_old = compute(CaseFacts(D(2025, 12, 31), facts.scheme, facts.years, facts.catshuis_paid_cents), two)
    first_new = compute(CaseFacts(D(2026, 1, 1), facts.scheme, facts.years, facts.catshuis_paid_cents), two)
    assert last_old.policy_versions[0] == "syn-comp-1" and first_new.policy_versions[0] == "syn-comp-2"
    assert moved(last_old, first_new) <= {"immaterial_damage", "extra", "floor_top_up"}
    assert "immaterial_damage" in moved(last_old, first_new)
    assert first_new.total_cents >= last_old.total_cents
