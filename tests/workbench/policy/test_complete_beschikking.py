"""The beschikking's calculation cites only applied rules, offsets each earlier payment on its own line, and counts
hardship once over dated periods per case (issue 9, item 5)."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.errors import ValidationError
from workbench.policy.engine import NotEligible, compute
from workbench.policy.facts import CaseFacts, EarlierPayment, HardshipPeriod, ToeslagYear
from workbench.policy.hardship import half_years
from workbench.policy.stored_facts import facts_from_json, facts_to_json

D = dt.date
DECIDED = D(2025, 3, 3)
NOS_YEAR = ToeslagYear(2012, startbedrag_cents=3_000_000)


def integral(**kwargs: object) -> CaseFacts:
    return CaseFacts(DECIDED, "integrale_beoordeling", **{"years": (NOS_YEAR,), **kwargs})  # type: ignore[arg-type]


def test_the_floor_is_cited_only_when_it_tops_the_amount_up() -> None:
    above = compute(integral())
    assert "wht-catshuis-2022-11-05" not in above.policy_versions
    assert "Catshuisregeling" not in above.legal_basis
    below = compute(integral(years=(ToeslagYear(2012, startbedrag_cents=100_000),)))
    assert below.lines[-1].component == "floor_top_up" and "wht-catshuis-2022-11-05" in below.policy_versions
    assert "Catshuisregeling" in below.legal_basis


def test_each_earlier_payment_is_its_own_offset_with_kind_and_date() -> None:
    paid = (EarlierPayment("voorschot", 500_000, D(2023, 5, 1)),
            EarlierPayment("catshuis", 3_000_000, D(2021, 4, 20)))
    a = compute(integral(earlier_payments=paid))
    assert [(o.kind, o.label, o.amount_cents, o.paid_on) for o in a.offsets] == [
        ("catshuis", "Catshuisregeling", 3_000_000, D(2021, 4, 20)),
        ("voorschot", "Voorschot", 500_000, D(2023, 5, 1))]
    assert a.already_paid_cents == 3_500_000 and a.payable_cents == a.total_cents - 3_500_000
    assert "wht-catshuis-2022-11-05" in a.policy_versions  # the Catshuis payment is offset under that scheme
    only_advance = compute(integral(earlier_payments=(EarlierPayment("compensatie", 100_000, D(2024, 1, 2)),)))
    assert "wht-catshuis-2022-11-05" not in only_advance.policy_versions
    assert only_advance.offsets[0].label == "Eerdere compensatie"


def test_the_older_catshuis_amount_still_works_and_cannot_be_given_twice() -> None:
    a = compute(integral(catshuis_paid_cents=3_000_000))
    assert [(o.kind, o.paid_on) for o in a.offsets] == [("catshuis", None)] and a.already_paid_cents == 3_000_000
    with pytest.raises(ValidationError) as err:
        integral(catshuis_paid_cents=3_000_000,
                 earlier_payments=(EarlierPayment("catshuis", 3_000_000, D(2021, 4, 20)),))
    assert err.value.field == "earlier_payments[0].kind"


@pytest.mark.parametrize(("payment", "field"), [
    (EarlierPayment("loterij", 100, D(2021, 1, 1)), "earlier_payments[0].kind"),
    (EarlierPayment("voorschot", 0, D(2021, 1, 1)), "earlier_payments[0].amount_cents"),
    (EarlierPayment("voorschot", -5, D(2021, 1, 1)), "earlier_payments[0].amount_cents"),
    (EarlierPayment("voorschot", 100, D(2026, 1, 1)), "earlier_payments[0].paid_on"),
])
def test_a_wrong_earlier_payment_names_its_field(payment: EarlierPayment, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        integral(earlier_payments=(payment,))
    assert err.value.field == field


def test_earlier_compensation_refuses_the_ex_partner_scheme_and_the_kindregeling_takes_none() -> None:
    with pytest.raises(NotEligible) as err:
        compute(CaseFacts(DECIDED, "ex_partner", earlier_payments=(EarlierPayment("compensatie", 1, D(2024, 1, 1)),)))
    assert err.value.field == "earlier_payments"
    with pytest.raises(ValidationError) as err2:
        CaseFacts(DECIDED, "kindregeling", child_birth_dates=(D(2010, 1, 1),),
                  earlier_payments=(EarlierPayment("voorschot", 1, D(2024, 1, 1)),))
    assert err2.value.field == "earlier_payments"


@pytest.mark.parametrize(("periods", "expected"), [
    ([(D(2012, 1, 1), D(2012, 1, 1))], 1),                      # one day starts a half-year
    ([(D(2012, 1, 1), D(2012, 6, 30))], 1),                     # exactly six months
    ([(D(2012, 1, 1), D(2012, 7, 1))], 2),                      # one day more starts the next
    ([(D(2012, 8, 31), D(2013, 2, 27))], 1),                    # month ends: 31 Aug + 6 months = 28 Feb
    ([(D(2012, 1, 1), D(2012, 3, 31)), (D(2012, 4, 1), D(2012, 6, 30))], 1),  # touching periods join
    ([(D(2012, 1, 1), D(2012, 3, 31)), (D(2012, 5, 1), D(2012, 6, 30))], 2),  # a gap: each stretch counts
    ([(D(2012, 1, 1), D(2017, 6, 30))], 11),                    # 5.5 years, as in the NOS example
])
def test_half_years_are_started_half_years_over_the_union(periods: list[tuple[dt.date, dt.date]],
                                                          expected: int) -> None:
    assert half_years(HardshipPeriod(a, b) for a, b in periods) == expected


def test_overlapping_periods_are_refused_naming_the_period() -> None:
    periods = (HardshipPeriod(D(2012, 1, 1), D(2013, 12, 31)), HardshipPeriod(D(2013, 6, 1), D(2014, 5, 31)))
    with pytest.raises(ValidationError) as err:
        integral(hardship_periods=periods)
    assert err.value.field == "hardship_periods[1]"
    assert "Periode 2 (1 juni 2013 tot en met 31 mei 2014) overlapt met periode 1" in err.value.text()


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"hardship_periods": (HardshipPeriod(D(2013, 1, 2), D(2013, 1, 1)),)}, "hardship_periods[0]"),
    ({"hardship_periods": (HardshipPeriod(D(2004, 12, 31), D(2013, 1, 1)),)}, "hardship_periods[0]"),
    ({"hardship_periods": (HardshipPeriod(D(2024, 1, 1), D(2025, 3, 4)),)}, "hardship_periods[0]"),
    ({"hardship_periods": (HardshipPeriod(D(2012, 1, 1), D(2012, 2, 1)),),
      "years": (ToeslagYear(2012, hardship_half_years=1),)}, "hardship_periods"),
])
def test_wrong_periods_name_their_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        integral(**kwargs)
    assert err.value.field == field


def test_hardship_counted_once_over_the_case_gives_the_nos_total() -> None:
    """Eleven half-years as one period give the same total as the NOS example with 11 half-years in 2012."""
    per_year = compute(integral(years=(ToeslagYear(2012, startbedrag_cents=3_000_000, hardship_half_years=11),)))
    periods = compute(integral(hardship_periods=(HardshipPeriod(D(2012, 1, 1), D(2017, 6, 30)),)))
    assert periods.total_cents == per_year.total_cents == 4_343_000
    case_lines = [(line.label, line.amount_cents) for line in periods.lines if line.year is None]
    assert case_lines == [
        ("Immateriële schade (11 halve jaren × € 500,00, zware tijd van 1 januari 2012 tot en met 30 juni 2017)",
         550_000),
        ("Extra vergoeding (1% van de immateriële schade hierboven)", 5_500)]


def test_two_toeslagjaren_do_not_count_the_same_hardship_twice() -> None:
    years = (ToeslagYear(2012, startbedrag_cents=2_000_000), ToeslagYear(2013, startbedrag_cents=2_000_000))
    a = compute(integral(years=years, hardship_periods=(HardshipPeriod(D(2012, 3, 1), D(2014, 2, 28)),)))
    assert [line.amount_cents for line in a.lines if line.component == "immaterial_damage"] == [0, 0, 200_000]


def test_periods_and_payments_are_stored_with_the_letter_and_read_back() -> None:
    facts = integral(hardship_periods=(HardshipPeriod(D(2012, 1, 1), D(2013, 1, 1)),),
                     earlier_payments=(EarlierPayment("voorschot", 100, D(2024, 1, 2)),))
    data = facts_to_json(facts)
    assert data["hardship_periods"] == [{"start": "2012-01-01", "end": "2013-01-01"}]
    assert facts_from_json(data, decision_date=DECIDED) == facts
