"""Value types: BSN 11-proef, postcode, names, money in cents, Dutch dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.dates import dutch_date, parse_date
from workbench.errors import ValidationError
from workbench.money import format_euro, parse_euro
from workbench.parties.values import NameParts, mask_bsn, valid_bsn, valid_postcode


@pytest.mark.parametrize("bsn", ["123456782", "249566758", "111222333", "999990019", "12345678 2".replace(" ", "")])
def test_bsn_passing_the_11_proef_is_accepted(bsn: str) -> None:
    assert valid_bsn(bsn) == bsn


@pytest.mark.parametrize("bsn", ["123456789", "000000000", "12345678", "abcdefghi", "", "1234567890"])
def test_bsn_failing_is_refused_with_the_field_named(bsn: str) -> None:
    with pytest.raises(ValidationError) as err:
        valid_bsn(bsn)
    assert err.value.field == "bsn" and "BSN" in err.value.text()


def test_bsn_is_masked_to_the_last_four() -> None:
    assert mask_bsn("999990019") == "•••••0019"


@pytest.mark.parametrize(("raw", "clean"), [("1234ab", "1234 AB"), ("1234 AB", "1234 AB"), (" 9999zz ", "9999 ZZ")])
def test_postcode_is_normalised(raw: str, clean: str) -> None:
    assert valid_postcode(raw) == clean


@pytest.mark.parametrize("raw", ["0123 AB", "1234 SA", "1234 SS", "1234 SD", "12345", "ABCD 12", ""])
def test_postcode_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        valid_postcode(raw)
    assert err.value.field == "postcode"


def test_name_parts_accept_dutch_names_and_refuse_digits() -> None:
    name = NameParts.parse(achternaam="Bergh-'t Hooft", voorletters="J.A.", voornamen="Jan Åke",
                           tussenvoegsel="Van der")
    assert name.display == "Jan van der Bergh-'t Hooft"
    assert name.formal == "J.A. van der Bergh-'t Hooft"
    with pytest.raises(ValidationError) as err:
        NameParts.parse(achternaam="R2D2")
    assert err.value.field == "achternaam"
    with pytest.raises(ValidationError) as err:
        NameParts.parse(achternaam="Jansen", voorletters="jan")
    assert err.value.field == "voorletters"


def test_money_written_the_dutch_way() -> None:
    assert format_euro(3_000_000) == "€ 30.000,00"
    assert format_euro(150_001) == "€ 1.500,01"
    assert format_euro(-5) == "-€ 0,05"
    assert parse_euro("€ 30.000,00", field="amount") == 3_000_000
    assert parse_euro("1500", field="amount") == 150_000
    with pytest.raises(ValidationError):
        parse_euro("12,5", field="amount")


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_money_round_trips(cents: int) -> None:
    assert parse_euro(format_euro(cents).replace("-€", "-"), field="amount") == cents


def test_dates_both_ways_and_errors_name_the_field() -> None:
    assert parse_date("29-11-2026", field="d", label="Datum") == dt.date(2026, 11, 29)
    assert parse_date("2026-11-29", field="d", label="Datum") == dt.date(2026, 11, 29)
    assert parse_date("", field="d", label="Datum", required=False) is None
    assert dutch_date(dt.date(2026, 11, 29)) == "29 november 2026"
    for bad in ("31-02-2026", "gisteren", "2026-13-01"):
        with pytest.raises(ValidationError) as err:
            parse_date(bad, field="geboortedatum", label="Geboortedatum")
        assert err.value.field == "geboortedatum"
