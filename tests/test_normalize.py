"""Table-driven cases for every normalizer, and properties of the amount parser."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filingkit.errors import NormalizationError
from filingkit.normalize import (
    FILE_NUMBER_RE,
    NORMALIZERS,
    clean_text,
    name_key,
    normalize,
    parse_amount,
)

CASES: list[Any] = [
    # dates
    pytest.param("date", "March 15, 2005", "2005-03-15", id="date-mdy"),
    pytest.param("date", "MARCH 15,2005", "2005-03-15", id="date-upper-nospace"),
    pytest.param("date", "Sept. 30, 2004", "2004-09-30", id="date-sept-abbrev"),
    pytest.param("date", "September 30th, 2004", "2004-09-30", id="date-ordinal"),
    pytest.param("date", "15 March 2005", "2005-03-15", id="date-dmy"),
    pytest.param("date", "2005-03-15", "2005-03-15", id="date-iso"),
    pytest.param("date", "on this 8th day of January, 2025", "2025-01-08", id="date-day-of"),
    pytest.param("date", "the 1st day of March 1999", "1999-03-01", id="date-day-of-no-comma"),
    pytest.param("date", "03/15/2005", "2005-03-15", id="date-us-slash"),
    pytest.param("date", "3/5/05", "2005-03-05", id="date-two-digit-year"),
    pytest.param("date", "**March 15, 2005**", "2005-03-15", id="date-markdown"),
    # states
    pytest.param("state_code", "Massachusetts", "MA", id="state-name"),
    pytest.param("state_code", "MASSACHUSETTS", "MA", id="state-upper"),
    pytest.param("state_code", "Mass.", "MA", id="state-abbrev"),
    pytest.param("state_code", "State of Delaware", "DE", id="state-of"),
    pytest.param("state_code", "DE", "DE", id="state-code"),
    pytest.param("state_code", "New York", "NY", id="state-two-words"),
    pytest.param("state_code", "Cayman Islands", "E9", id="state-foreign"),
    pytest.param("state_code", "Commonwealth of Pennsylvania", "PA", id="state-commonwealth"),
    # codes
    # file numbers: EDGAR's normal form (catalogue v2): prefix 3 digits, serial >= 5, sub >= 2
    pytest.param("file_number", "0-17999", "000-17999", id="fileno-0-padded"),
    pytest.param("file_number", "000-17999", "000-17999", id="fileno-000-kept"),
    pytest.param("file_number", "001-32395", "001-32395", id="fileno-001-kept"),
    pytest.param("file_number", "1-32395", "001-32395", id="fileno-1-padded"),
    pytest.param("file_number", "01-36056", "001-36056", id="fileno-two-digit-prefix"),
    pytest.param("file_number", "1-6468", "001-06468", id="fileno-short-serial"),
    pytest.param("file_number", "1-768", "001-00768", id="fileno-three-digit-serial"),
    pytest.param("file_number", "333-123456", "333-123456", id="fileno-333-long-serial"),
    pytest.param("file_number", "333-46893-01", "333-46893-01", id="fileno-sub-number"),
    pytest.param("file_number", "333-46893-1", "333-46893-01", id="fileno-sub-number-padded"),
    pytest.param("file_number", "33-70636", "033-70636", id="fileno-033"),
    pytest.param("file_number", "2-26720", "002-26720", id="fileno-002"),
    pytest.param("file_number", "811-02699", "811-02699", id="fileno-811-investment-company"),
    pytest.param("file_number", "814-01074", "814-01074", id="fileno-814-bdc"),
    pytest.param("file_number", "814-1074", "814-01074", id="fileno-814-padded"),
    pytest.param("file_number", "0001-12345", "001-12345", id="fileno-four-digit-zeros"),
    pytest.param("file_number", "1–35551", "001-35551", id="fileno-en-dash"),
    pytest.param("file_number", "1 - 35551", "001-35551", id="fileno-spaced-dash"),
    pytest.param("file_number", "Commission File Number: 0-29913", "000-29913",
                 id="fileno-with-label"),
    pytest.param("file_number", "File No. 001-14704", "001-14704", id="fileno-file-no"),
    pytest.param("ein", "04-2726691", "04-2726691", id="ein"),
    pytest.param("ein", "**04-2726691**", "04-2726691", id="ein-markdown"),
    pytest.param("ein", "042726691", "04-2726691", id="ein-digits"),
    pytest.param("zip", "02139", "02139", id="zip5"),
    pytest.param("zip", "02139-4512", "02139-4512", id="zip9"),
    pytest.param("zip", "021394512", "02139-4512", id="zip9-nodash"),
    pytest.param("phone", "(617) 995-2500", "617-995-2500", id="phone-paren"),
    pytest.param("phone", "617.995.2500", "617-995-2500", id="phone-dots"),
    pytest.param("phone", "+1 617 995 2500", "617-995-2500", id="phone-intl"),
    pytest.param("area_code", "(617)", "617", id="area-paren"),
    pytest.param("area_code", "(617) 995-2500", "617", id="area-from-full"),
    pytest.param("local_phone", "995-2500", "995-2500", id="local"),
    pytest.param("local_phone", "(617) 995-2500", "995-2500", id="local-from-full"),
    pytest.param("ticker", "imgn", "IMGN", id="ticker-lower"),
    pytest.param("ticker", "Nasdaq: IMGN", "IMGN", id="ticker-prefixed"),
    pytest.param("ticker", "BRK.B", "BRK.B", id="ticker-class"),
    pytest.param("exchange", "The Nasdaq Stock Market LLC", "NASDAQ", id="exch-nasdaq"),
    pytest.param("exchange", "NASDAQ Global Select Market", "NASDAQ", id="exch-nasdaq-gs"),
    pytest.param("exchange", "New York Stock Exchange", "NYSE", id="exch-nyse"),
    pytest.param("exchange", "NYSE American LLC", "NYSEAMER", id="exch-nyse-american"),
    pytest.param("exchange", "NYSE Arca, Inc.", "NYSEArca", id="exch-arca"),
    pytest.param("exchange", "American Stock Exchange", "NYSEAMER", id="exch-amex"),
    pytest.param("bool", "☒", True, id="bool-ballot-x"),
    pytest.param("bool", "☐", False, id="bool-ballot-empty"),
    pytest.param("bool", "o", False, id="bool-o"),
    pytest.param("bool", "x", True, id="bool-x"),
    pytest.param("bool", True, True, id="bool-true"),
    pytest.param("bool", "false", False, id="bool-false-word"),
    pytest.param("bool", "¨", False, id="bool-diaeresis-wingdings-box"),
    pytest.param("bool", "|_|", False, id="bool-ascii-box"),
    pytest.param("bool", "þ", True, id="bool-wingdings-checked"),
    pytest.param("document_type", "FORM 8-K", "8-K", id="doctype"),
    pytest.param("document_type", "Form 8-K/A", "8-K/A", id="doctype-amend"),
    pytest.param("document_type", "8K", "8-K", id="doctype-nodash"),
    pytest.param("item", "Item 8.01", "8.01", id="item-new"),
    pytest.param("item", "ITEM 9.01.", "9.01", id="item-trailing-dot"),
    pytest.param("item", "2.2", "2.02", id="item-pad"),
    pytest.param("item", "Item 5", "legacy:5", id="item-legacy"),
    pytest.param("item", "legacy:12", "legacy:12", id="item-legacy-kept"),
    pytest.param("exhibit", "Exhibit 99.1", "99.1", id="exhibit"),
    pytest.param("exhibit", "EX-99.1", "99.1", id="exhibit-ex"),
    pytest.param("exhibit", "104", "104", id="exhibit-104"),
    pytest.param("exhibit", "99(a)", "99(a)", id="exhibit-letter"),
    pytest.param("exhibit", "10.16a", "10.16a", id="exhibit-letter-suffix"),
    pytest.param("exhibit", "Exhibit 10.16B", "10.16b", id="exhibit-letter-suffix-upper"),
    pytest.param("name", "  ImmunoGen,   Inc. ", "ImmunoGen, Inc.", id="name-spaces"),
    pytest.param("name", "**ImmunoGen, Inc.**", "ImmunoGen, Inc.", id="name-markdown"),
    # money
    pytest.param("money", "$2 million", {"value": 2000000, "unit": "USD", "decimals": -6},
                 id="money-million"),
    pytest.param("money", r"\$9.0 million", {"value": 9000000, "unit": "USD", "decimals": -5},
                 id="money-escaped-decimal"),
    pytest.param("money", "$50.7 million", {"value": 50700000, "unit": "USD", "decimals": -5},
                 id="money-50.7m"),
    pytest.param("money", "$0.12", {"value": 0.12, "unit": "USD", "decimals": 2},
                 id="money-cents"),
    pytest.param("money", "($2,471)", {"value": -2471, "unit": "USD", "decimals": 0},
                 id="money-parentheses"),
    pytest.param("money", "$1.5 billion", {"value": 1500000000, "unit": "USD", "decimals": -8},
                 id="money-billion"),
    pytest.param("money", "2,000,000 dollars", {"value": 2000000, "unit": "USD", "decimals": 0},
                 id="money-word"),
    pytest.param("money", {"value": 2000000, "unit": "usd", "decimals": -6},
                 {"value": 2000000, "unit": "USD", "decimals": -6}, id="money-object"),
    pytest.param("number", "9,006", 9006, id="number-commas"),
    pytest.param("number", "(2,471)", -2471, id="number-parens"),
    pytest.param(
        "financial_fact",
        {"concept": "Revenues", "period": {"start": "July 1, 2004", "end": "2004-09-30"},
         "unit": "iso4217:USD", "value": 9006000, "decimals": "-3"},
        {"concept": "us-gaap:Revenues", "period": {"start": "2004-07-01", "end": "2004-09-30"},
         "unit": "USD", "value": 9006000, "decimals": -3},
        id="financial-fact",
    ),
    pytest.param(
        "event",
        {"amount": "$2 million", "payer": " sanofi-aventis ", "product": "huMy9-6-DM4"},
        {"amount": {"value": 2000000, "unit": "USD", "decimals": -6}, "payer": "sanofi-aventis",
         "product": "huMy9-6-DM4"},
        id="event-milestone",
    ),
    pytest.param("event", {"product": "huC242-DM4", "phase": "Phase I/II"},
                 {"product": "huC242-DM4", "phase": "I/II"}, id="event-phase"),
]


@pytest.mark.parametrize(("normalizer", "raw", "expected"), CASES)
def test_normalizer(normalizer: str, raw: Any, expected: Any) -> None:
    assert normalize(normalizer, raw) == expected


@pytest.mark.parametrize(("normalizer", "raw", "expected"), CASES)
def test_normalizers_are_idempotent(normalizer: str, raw: Any, expected: Any) -> None:
    """A stored (normalized) value normalizes to itself: gold validation relies on it."""
    assert normalize(normalizer, expected) == expected


BAD: list[Any] = [
    pytest.param("date", "last year", id="date-relative"),
    pytest.param("date", "February 30, 2005", id="date-impossible"),
    pytest.param("state_code", "Atlantis", id="state-unknown"),
    pytest.param("ein", "04-27266", id="ein-short"),
    pytest.param("file_number", "17999", id="fileno-no-dash"),
    pytest.param("file_number", "1234-56789", id="fileno-prefix-too-large"),
    pytest.param("file_number", "1-2-3-4", id="fileno-four-parts"),
    pytest.param("file_number", "001-123456789", id="fileno-serial-too-long"),
    pytest.param("file_number", "0-17999A", id="fileno-letter"),
    pytest.param("exchange", "Moon Exchange", id="exchange-unknown"),
    pytest.param("bool", "maybe", id="bool-unknown"),
    pytest.param("document_type", "10-K", id="doctype-10k"),
    pytest.param("item", "Item five", id="item-words"),
    pytest.param("exhibit", "10.16ab", id="exhibit-two-letters"),
    pytest.param("date", "8th day of Smarch, 2025", id="date-day-of-bad-month"),
    pytest.param("money", "2 million", id="money-no-currency"),
    pytest.param("money", "($2,471", id="money-unbalanced"),
    pytest.param("financial_fact", {"concept": "Revenues", "colour": "red"}, id="record-unknown-arg"),
    pytest.param("financial_fact", {"period": {"start": "2005-01-01", "end": "2004-01-01"}},
                 id="period-reversed"),
    pytest.param("name", "   ", id="name-empty"),
]


@pytest.mark.parametrize(("normalizer", "raw"), BAD)
def test_bad_values_raise_with_reason(normalizer: str, raw: Any) -> None:
    with pytest.raises(NormalizationError) as info:
        normalize(normalizer, raw)
    assert info.value.reason


def test_unknown_normalizer() -> None:
    with pytest.raises(NormalizationError, match="unknown normalizer"):
        normalize("nope", "x")


@pytest.mark.parametrize(
    ("raw", "scale", "value", "decimals"),
    [
        pytest.param("9,006", 3, Decimal(9006000), -3, id="thousands-table"),
        pytest.param("(2,471)", 3, Decimal(-2471000), -3, id="thousands-negative"),
        pytest.param("$9.0 million", 0, Decimal(9000000), -5, id="prose-million"),
        pytest.param("(0.12)", 0, Decimal("-0.12"), 2, id="eps-negative"),
        pytest.param("1.2", 6, Decimal(1200000), -5, id="millions-table"),
    ],
)
def test_parse_amount_scale_and_precision(raw: str, scale: int, value: Decimal,
                                          decimals: int) -> None:
    got_value, got_decimals, _ = parse_amount(raw, scale=scale)
    assert got_value == value
    assert got_decimals == decimals


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ImmunoGen, Inc.", "IMMUNOGEN INC"),
        ("AT&T Inc.", "AT and T Inc"),
        ("Société Générale", "Societe Generale"),
    ],
)
def test_name_key_ignores_case_punctuation_accents(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_every_catalogue_normalizer_exists() -> None:
    from filingkit.catalogue import load_catalogue

    for spec in load_catalogue().fields:
        assert spec.normalizer in NORMALIZERS


@given(st.integers(min_value=0, max_value=10**12), st.booleans())
def test_parse_amount_roundtrips_formatted_integers(n: int, negative: bool) -> None:
    printed = f"{n:,}"
    if negative:
        printed = f"({printed})"
    value, decimals, currency = parse_amount(printed)
    assert value == (-n if negative else n)
    assert decimals == 0
    assert currency is None


@given(st.text())
def test_clean_text_is_idempotent(s: str) -> None:
    once = clean_text(s)
    assert clean_text(once) == once


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=99_999_999),
       st.one_of(st.none(), st.integers(min_value=1, max_value=999)), st.booleans())
def test_file_number_is_edgar_form_and_keeps_the_number(prefix: int, serial: int,
                                                        sub: int | None, pad: bool) -> None:
    """Any printing (zeros dropped or kept) gives EDGAR's form, with the same numbers in it."""
    parts = [f"{prefix:03d}" if pad else str(prefix), f"{serial:05d}" if pad else str(serial)]
    if sub is not None:
        parts.append(f"{sub:02d}" if pad else str(sub))
    got = normalize("file_number", "-".join(parts))
    assert FILE_NUMBER_RE.fullmatch(got)
    assert [int(p) for p in got.split("-")] == [int(p) for p in parts]
    assert normalize("file_number", got) == got
