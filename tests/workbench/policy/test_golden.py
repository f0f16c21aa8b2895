"""Worked examples from DOMAIN.md against the shipped policy tables; refusals and input errors with their fields."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.errors import ValidationError
from workbench.policy.engine import Assessment, NotEligible, compute, objection_term
from workbench.policy.facts import CaseFacts, ToeslagYear
from workbench.policy.objection import decision_term
from workbench.policy.versions import NotInForce

D = dt.date
DECIDED = D(2025, 3, 3)


def amounts(assessment: Assessment, component: str) -> list[int]:
    return [line.amount_cents for line in assessment.lines if line.component == component]


# --- integrale beoordeling (compensatieregeling) ---------------------------------------------------------

def test_nos_december_2019_example() -> None:
    """Debt EUR 30,000 paid back: 25% is EUR 7,500; EUR 500 x 11 half-years is EUR 5,500; plus 1% of lines 1-6."""
    facts = CaseFacts(DECIDED, "integrale_beoordeling",
                      years=(ToeslagYear(2012, startbedrag_cents=3_000_000, hardship_half_years=11),))
    a = compute(facts)
    assert amounts(a, "start_amount") == [3_000_000]
    assert amounts(a, "material_damage") == [750_000]
    assert amounts(a, "immaterial_damage") == [550_000]
    assert amounts(a, "extra") == [43_000]  # 1% of 43,000.00
    assert a.total_cents == 4_343_000 and a.payable_cents == 4_343_000 and a.already_paid_cents == 0
    assert amounts(a, "floor_top_up") == []
    labels = [line.label for line in a.lines]
    assert "Materiële schade (25% van het startbedrag)" in labels
    assert "Immateriële schade (11 halve jaren × € 500,00)" in labels
    assert "Extra vergoeding (1% van de bedragen hierboven voor 2012)" in labels
    assert "afgerond op hele centen" in a.rounding
    # the floor was not applied (the total is above it), so the Catshuisregeling is not cited
    assert a.policy_versions == ("wht-2022-11-05", "uht-bezwaar-16-weken-2024-07-10")
    assert "artikel 2.3" in a.legal_basis


def test_catshuis_payment_is_offset_and_never_reclaimed() -> None:
    small = (ToeslagYear(2010, startbedrag_cents=500_000, hardship_half_years=2),)
    a = compute(CaseFacts(DECIDED, "integrale_beoordeling", years=small, catshuis_paid_cents=3_000_000))
    assert a.total_cents == 3_000_000  # lifted to the floor
    assert amounts(a, "floor_top_up") and a.lines[-1].label == "Aanvulling tot het minimumbedrag van € 30.000,00"
    assert (a.already_paid_cents, a.payable_cents) == (3_000_000, 0)

    big = (ToeslagYear(2010, startbedrag_cents=4_000_000),)
    b = compute(CaseFacts(DECIDED, "integrale_beoordeling", years=big, catshuis_paid_cents=3_000_000))
    assert b.total_cents == 4_000_000 + 1_000_000 + 50_000
    assert b.payable_cents == b.total_cents - 3_000_000


def test_gedupeerd_without_catshuis_gets_at_least_the_floor_and_not_gedupeerd_gets_nothing() -> None:
    a = compute(CaseFacts(DECIDED, "integrale_beoordeling", years=(ToeslagYear(2008, legal_aid_cents=1),)))
    assert a.payable_cents == 3_000_000
    nothing = compute(CaseFacts(DECIDED, "integrale_beoordeling", years=(ToeslagYear(2008),)))
    assert (nothing.total_cents, nothing.payable_cents) == (0, 0)
    assert len(nothing.lines) == 7  # every component is still shown, at zero


def test_half_cents_round_up_per_line() -> None:
    a = compute(CaseFacts(DECIDED, "integrale_beoordeling",
                          years=(ToeslagYear(2009, startbedrag_cents=2, interest_on_startbedrag_cents=0),
                                 ToeslagYear(2011, startbedrag_cents=1, hardship_half_years=40))))
    assert amounts(a, "material_damage") == [1, 0]  # 0.5 cent -> 1; 0.25 cent -> 0
    assert amounts(a, "extra")[1] == 20_000  # 1% of 2,000,001 cents = 20,000.01 -> 20,000


def test_interest_on_startbedrag_is_part_of_component_one() -> None:
    a = compute(CaseFacts(DECIDED, "integrale_beoordeling",
                          years=(ToeslagYear(2010, startbedrag_cents=470_000, interest_on_startbedrag_cents=30_000),)))
    assert amounts(a, "start_amount") == [500_000] and amounts(a, "material_damage") == [125_000]


# --- O/GS, Catshuis, ex-partner ---------------------------------------------------------------------------

def test_ogs_thirty_percent_per_year() -> None:
    years = (ToeslagYear(2014, reclaimed_cents=2_000_000), ToeslagYear(2011, reclaimed_cents=500_000))
    a = compute(CaseFacts(DECIDED, "ogs", years=years))
    assert [(line.year, line.amount_cents) for line in a.lines] == [(2011, 150_000), (2014, 600_000)]
    assert a.payable_cents == 750_000 and a.policy_versions[0] == "wht-ogs-2022-11-05"
    assert a.lines[0].label.startswith("Tegemoetkoming opzet/grove schuld: 30% van de teruggevorderde")


def test_catshuis_flat_amount() -> None:
    a = compute(CaseFacts(DECIDED, "catshuis"))
    assert (a.total_cents, a.payable_cents) == (3_000_000, 3_000_000)
    assert compute(CaseFacts(DECIDED, "catshuis", catshuis_paid_cents=3_000_000)).payable_cents == 0


def test_ex_partner_flat_amount_and_refusal_after_earlier_compensation() -> None:
    a = compute(CaseFacts(DECIDED, "ex_partner"))
    assert a.payable_cents == 1_000_000 and a.policy_versions[0] == "warht-ex-partner-2023-07-12"
    with pytest.raises(NotEligible) as err:
        compute(CaseFacts(DECIDED, "ex_partner", catshuis_paid_cents=3_000_000))
    assert err.value.field == "catshuis_paid_cents"


# --- kindregeling -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("born", "amount"), [
    (D(2022, 11, 5), 200_000),   # last eligible birth date, 0 on 1 Jul 2023
    (D(2017, 7, 2), 200_000),    # 5 on 1 Jul 2023
    (D(2017, 7, 1), 400_000),    # 6 on 1 Jul 2023 (birthday that day)
    (D(2011, 7, 2), 400_000),    # 11
    (D(2011, 7, 1), 600_000),    # 12
    (D(2008, 7, 2), 600_000),    # 14
    (D(2008, 7, 1), 800_000),    # 15
    (D(2005, 7, 2), 800_000),    # 17
    (D(2005, 7, 1), 1_000_000),  # 18
    (D(1984, 1, 2), 1_000_000),  # 20 on 1 Jan 2005: still eligible
])
def test_kindregeling_age_bands_at_the_boundaries(born: dt.date, amount: int) -> None:
    a = compute(CaseFacts(DECIDED, "kindregeling", child_birth_dates=(born,)))
    assert amounts(a, "kindregeling") == [amount]


def test_kindregeling_several_children_and_label() -> None:
    a = compute(CaseFacts(DECIDED, "kindregeling", child_birth_dates=(D(2017, 7, 2), D(2017, 7, 1))))
    assert a.total_cents == 600_000
    assert a.lines[0].label == ("Kind geboren op 2 juli 2017: 5 jaar op 1 juli 2023 "
                                "(leeftijdsgroep 0 tot en met 5 jaar)")
    assert a.lines[1].label == ("Kind geboren op 1 juli 2017: 6 jaar op 1 juli 2023 "
                                "(leeftijdsgroep 6 tot en met 11 jaar)")


def test_kindregeling_family_of_three_for_the_beschikking() -> None:
    """The breakdown of the kindregeling beschikking: one line per child, age band named, amounts from the table."""
    a = compute(CaseFacts(DECIDED, "kindregeling",
                          child_birth_dates=(D(2019, 3, 10), D(2010, 9, 30), D(2003, 1, 15))))
    assert [line.amount_cents for line in a.lines] == [200_000, 600_000, 1_000_000]
    assert a.total_cents == a.payable_cents == 1_800_000 and a.already_paid_cents == 0
    assert a.lines[1].label.endswith("12 jaar op 1 juli 2023 (leeftijdsgroep 12 tot en met 14 jaar)")
    assert a.lines[2].label.endswith("20 jaar op 1 juli 2023 (leeftijdsgroep 18 jaar of ouder)")
    assert all(line.year is None and line.component == "kindregeling" for line in a.lines)
    assert a.policy_versions == ("wht-kindregeling-2022-11-05", "uht-bezwaar-16-weken-2024-07-10")
    assert a.objection.deadline == D(2025, 6, 23)


@pytest.mark.parametrize(("born", "reason"), [
    (D(2022, 11, 6), "na 5 november 2022 geboren"),
    (D(1984, 1, 1), "op 1 januari 2005 ouder dan 20 jaar"),
])
def test_kindregeling_refuses_with_a_reason(born: dt.date, reason: str) -> None:
    facts = CaseFacts(DECIDED, "kindregeling", child_birth_dates=(D(2010, 1, 1), born))
    with pytest.raises(NotEligible) as err:
        compute(facts)
    assert err.value.field == "child_birth_dates[1]" and reason in err.value.text()
    assert err.value.text().startswith("Kind 2 ")


# --- bezwaartermijn and beslistermijn -----------------------------------------------------------------------

@pytest.mark.parametrize(("decided", "weeks", "deadline", "version"), [
    (D(2024, 7, 10), 16, D(2024, 10, 30), "uht-bezwaar-16-weken-2024-07-10"),
    (D(2024, 7, 9), None, D(2025, 7, 9), "uht-bezwaar-overgang-2024"),
    (D(2024, 1, 1), None, D(2025, 1, 1), "uht-bezwaar-overgang-2024"),
    (D(2024, 2, 29), None, D(2025, 2, 28), "uht-bezwaar-overgang-2024"),
    (D(2023, 12, 31), None, D(2024, 12, 31), "uht-bezwaar-overgang-voor-2024"),
    (D(2022, 6, 1), None, D(2024, 12, 31), "uht-bezwaar-overgang-voor-2024"),
    # Reading (see bezwaartermijn.json): the transition has no lower bound, so a 2021 UHT beschikking also
    # runs until 1 Jan 2025, not the Awb 6 weeks.
    (D(2021, 3, 15), None, D(2024, 12, 31), "uht-bezwaar-overgang-voor-2024"),
])
def test_objection_terms(decided: dt.date, weeks: int | None, deadline: dt.date, version: str) -> None:
    term = objection_term(decided)
    assert (term.weeks, term.deadline, term.version_id) == (weeks, deadline, version)


def test_objection_texts() -> None:
    assert objection_term(D(2024, 7, 10)).text == "U kunt bezwaar maken binnen 16 weken na de datum van deze brief."
    assert objection_term(D(2024, 3, 1)).text == "U kunt bezwaar maken binnen 1 jaar na de datum van deze brief."
    assert objection_term(D(2022, 6, 1)).text == ("U kunt tot en met 31 december 2024 bezwaar maken tegen deze "
                                                  "beschikking.")


def test_awb_default_is_six_weeks_from_the_day_after() -> None:
    term = objection_term(D(2021, 3, 15), rule="bezwaartermijn_awb")
    assert (term.weeks, term.deadline, term.version_id) == (6, D(2021, 4, 26), "awb-bezwaar-6-weken-1994-01-01")


def test_beslistermijn_counts_from_the_end_of_the_bezwaartermijn() -> None:
    objection = objection_term(D(2024, 7, 10))  # last day 30 Oct 2024
    assert decision_term(objection, advisory_committee=False).deadline == D(2024, 12, 11)
    with_bac = decision_term(objection, advisory_committee=True)
    assert (with_bac.weeks, with_bac.deadline, with_bac.version_id) == (12, D(2025, 1, 22),
                                                                       "awb-beslistermijn-2009-10-01")


def test_assessment_carries_the_objection_term() -> None:
    a = compute(CaseFacts(D(2024, 7, 9), "catshuis"))
    assert a.objection.version_id == "uht-bezwaar-overgang-2024" and a.policy_versions[-1] == a.objection.version_id


# --- input errors name their field ---------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "field"), [
    ({"scheme": "hardheid"}, "scheme"),
    ({"years": (ToeslagYear(2010), ToeslagYear(2011), ToeslagYear(2012, legal_aid_cents=-1))},
     "years[2].legal_aid_cents"),
    ({"years": (ToeslagYear(2004),)}, "years[0].year"),
    ({"years": (ToeslagYear(2020),)}, "years[0].year"),
    ({"years": (ToeslagYear(2010), ToeslagYear(2010))}, "years[1].year"),
    ({"years": (ToeslagYear(2010, hardship_half_years=41),)}, "years[0].hardship_half_years"),
    ({"years": (ToeslagYear(2010, startbedrag_cents=12.5),)}, "years[0].startbedrag_cents"),  # type: ignore[arg-type]
    ({"years": ()}, "years"),
    ({"catshuis_paid_cents": -1}, "catshuis_paid_cents"),
    ({"child_birth_dates": (D(2010, 1, 1),)}, "child_birth_dates"),
])
def test_invalid_facts_name_the_field(kwargs: dict[str, object], field: str) -> None:
    base: dict[str, object] = {"decision_date": DECIDED, "scheme": "integrale_beoordeling",
                               "years": (ToeslagYear(2010),)}
    with pytest.raises(ValidationError) as err:
        CaseFacts(**{**base, **kwargs})  # type: ignore[arg-type]
    assert err.value.field == field


def test_scheme_specific_facts() -> None:
    with pytest.raises(ValidationError) as err:
        CaseFacts(DECIDED, "kindregeling")
    assert err.value.field == "child_birth_dates"
    with pytest.raises(ValidationError) as err:
        CaseFacts(DECIDED, "kindregeling", child_birth_dates=(D(2030, 1, 1),))
    assert err.value.field == "child_birth_dates[0]"
    with pytest.raises(ValidationError) as err:
        CaseFacts(DECIDED, "ex_partner", years=(ToeslagYear(2010),))
    assert err.value.field == "years"


def test_decision_before_the_first_version_is_refused_on_the_decision_date() -> None:
    with pytest.raises(NotInForce) as err:
        compute(CaseFacts(D(2022, 11, 4), "catshuis"))
    assert err.value.field == "decision_date" and "4 november 2022" in err.value.text()
