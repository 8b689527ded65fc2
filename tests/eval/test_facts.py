"""Fact matching: every rule of the catalogue, multisets, records and their arguments."""

from __future__ import annotations

from typing import Any

import pytest

from filingkit.catalogue import load_catalogue
from filingkit.eval.facts import (
    match_field,
    money_match,
    normalized,
    numbers_match,
    record_agreement,
)

CAT = load_catalogue()


def tp(field: str, gold: list[Any], pred: list[Any], *, strict_names: bool = False) -> int:
    spec = CAT[field]
    fm = match_field(spec, [normalized(spec, v) for v in gold],
                     [normalized(spec, v) for v in pred], strict_names=strict_names)
    return fm.tp


@pytest.mark.parametrize(
    "field, gold, pred, expected",
    [
        pytest.param("dei:DocumentPeriodEndDate", "2005-03-15", "March 15, 2005", 1,
                     id="date-as-printed"),
        pytest.param("dei:DocumentPeriodEndDate", "2005-03-15", "03/15/2005", 1, id="date-us"),
        pytest.param("dei:DocumentPeriodEndDate", "2005-03-15", "2005-03-16", 0,
                     id="date-other-day"),
        pytest.param("dei:EntityIncorporationStateCountryCode", "MA", "Massachusetts", 1,
                     id="state-name"),
        pytest.param("dei:EntityIncorporationStateCountryCode", "MA", "ME", 0, id="state-other"),
        pytest.param("dei:EntityFileNumber", "0-17999", "000-17999", 1, id="file-number-zeros"),
        pytest.param("dei:EntityTaxIdentificationNumber", "04-2726691", "042726691", 1,
                     id="ein-digits"),
        pytest.param("dei:EntityTaxIdentificationNumber", "04-2726691", "04-2726692", 0,
                     id="ein-other"),
        pytest.param("dei:SecurityExchangeName", "NASDAQ", "The Nasdaq Stock Market LLC", 1,
                     id="exchange-name"),
        pytest.param("dei:SecurityExchangeName", "NASDAQ", "NYSE", 0, id="exchange-other"),
        pytest.param("dei:LocalPhoneNumber", "995-2500", "(617) 995-2500", 1, id="local-phone"),
        pytest.param("dei:CityAreaCode", "617", "(617)", 1, id="area-code"),
        pytest.param("dei:EntityRegistrantName", "ImmunoGen, Inc.", "IMMUNOGEN INC", 1,
                     id="name-lenient"),
        pytest.param("dei:EntityRegistrantName", "AT&T Inc.", "AT and T Inc", 1,
                     id="name-ampersand"),
        pytest.param("dei:EntityRegistrantName", "ImmunoGen, Inc.", "ImmunoGene Inc", 0,
                     id="name-other"),
        pytest.param("dei:WrittenCommunications", False, False, 1, id="bool-equal"),
        pytest.param("dei:WrittenCommunications", False, True, 0, id="bool-differs"),
        pytest.param("dei:WrittenCommunications", True, "☒", 1, id="bool-check-mark"),
        pytest.param("filing:Items", "8.01", "Item 8.01", 1, id="item-code"),
        pytest.param("filing:Items", "legacy:5", "Item 5", 1, id="item-legacy"),
        pytest.param("filing:Exhibits", "99.1", "EX-99.1", 1, id="exhibit"),
        pytest.param("dei:EntityAddressPostalZipCode", "02139-1234", "021391234", 1,
                     id="zip-plus-four"),
        pytest.param("dei:EntityAddressPostalZipCode", "02139", "02138", 0, id="zip-other"),
        pytest.param("dei:TradingSymbol", "IMGN", "Nasdaq: IMGN", 1, id="ticker-prefix"),
        pytest.param("dei:DocumentType", "8-K", "FORM 8-K", 1, id="form-type"),
        pytest.param("dei:DocumentType", "8-K", "8-K/A", 0, id="form-amendment"),
        pytest.param("dei:EntityAddressCityOrTown", "Cambridge", "CAMBRIDGE,", 1,
                     id="city-name"),
        pytest.param("filing:SignatoryName", "Karleen M. Oberton", "KARLEEN M OBERTON", 1,
                     id="signatory-name"),
    ],
)
def test_scalar_rules(field: str, gold: Any, pred: Any, expected: int) -> None:
    assert tp(field, [gold], [pred]) == expected


def test_booleans_are_not_numbers() -> None:
    spec = CAT["dei:WrittenCommunications"]
    assert match_field(spec, [True], [1]).tp == 0


@pytest.mark.parametrize(
    "gold, pred, strict, expected",
    [
        pytest.param("ImmunoGen, Inc.", "IMMUNOGEN INC", False, 1, id="lenient"),
        pytest.param("ImmunoGen, Inc.", "IMMUNOGEN INC", True, 0, id="strict-case"),
        pytest.param("ImmunoGen, Inc.", "ImmunoGen, Inc.", True, 1, id="strict-same"),
        pytest.param("ImmunoGen, Inc.", "**ImmunoGen, Inc.**", True, 1,
                     id="strict-after-normalizer"),
    ],
)
def test_strict_name_variant(gold: str, pred: str, strict: bool, expected: int) -> None:
    assert tp("dei:EntityRegistrantName", [gold], [pred], strict_names=strict) == expected


@pytest.mark.parametrize(
    "a, da, b, db, expected",
    [
        pytest.param(9000000, -5, 9012000, -3, True, id="coarser-precision-wins"),
        pytest.param(9000000, -5, 9062000, -3, False, id="beyond-coarser"),
        pytest.param(9000000, "INF", 9000000, "INF", True, id="inf-equal"),
        pytest.param(9000000, "INF", 9000001, "INF", False, id="inf-exact"),
        pytest.param(9000000, "INF", 9012000, -3, False, id="inf-and-thousands"),
        pytest.param(0.12, 2, 0.12, 2, True, id="cents"),
        pytest.param(0.125, 2, 0.12, 2, True, id="half-even"),
        pytest.param(-9000000, -5, -9040000, -4, True, id="negative"),
    ],
)
def test_numbers_within_precision(a: Any, da: Any, b: Any, db: Any, expected: bool) -> None:
    assert numbers_match(a, b, decimals_a=da, decimals_b=db) is expected
    assert numbers_match(b, a, decimals_a=db, decimals_b=da) is expected


def test_money_needs_same_unit() -> None:
    usd = {"value": 2000000, "unit": "USD", "decimals": -6}
    assert money_match(usd, {"value": 2000000, "unit": "USD", "decimals": "INF"})
    assert not money_match(usd, {"value": 2000000, "unit": "EUR", "decimals": -6})
    assert money_match(usd, normalized(CAT["MONEY"], "$2 million"))


@pytest.mark.parametrize(
    "gold, pred, expected",
    [
        pytest.param(["8.01", "9.01"], ["9.01", "8.01"], 2, id="set-any-order"),
        pytest.param(["8.01", "9.01"], ["8.01", "8.01"], 1, id="duplicate-counts-once"),
        pytest.param(["8.01", "8.01"], ["8.01", "8.01"], 2, id="multiset-both-twice"),
        pytest.param(["8.01"], [], 0, id="nothing-predicted"),
        pytest.param([], ["8.01"], 0, id="nothing-in-gold"),
    ],
)
def test_multivalued_fields_are_multisets(gold: list[str], pred: list[str],
                                          expected: int) -> None:
    spec = CAT["filing:Items"]
    fm = match_field(spec, gold, pred)
    assert fm.tp == expected
    assert fm.fp == len(pred) - expected and fm.fn == len(gold) - expected


REV = {"concept": "us-gaap:Revenues", "period": {"start": "2004-07-01", "end": "2004-09-30"},
       "unit": "USD", "value": 9000000, "decimals": -5}


def _with(base: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {**base, **kw}


@pytest.mark.parametrize(
    "pred, identified, agree",
    [
        pytest.param(_with(REV, value=9012000, decimals=-3), True,
                     {"concept": True, "period": True, "unit": True, "value": True},
                     id="table-and-prose"),
        pytest.param(_with(REV, value=8000000), True,
                     {"concept": True, "period": True, "unit": True, "value": False},
                     id="wrong-value"),
        pytest.param(_with(REV, period={"instant": "2004-09-30"}), False,
                     {"concept": True, "period": False, "unit": True, "value": True},
                     id="other-period"),
        pytest.param(_with(REV, concept="Revenues"), True,
                     {"concept": True, "period": True, "unit": True, "value": True},
                     id="bare-concept-normalized"),
    ],
)
def test_financial_fact_records(pred: dict[str, Any], identified: bool,
                                agree: dict[str, bool]) -> None:
    spec = CAT["xbrl:Fact"]
    ident, got = record_agreement(spec, normalized(spec, REV), normalized(spec, pred))
    assert ident is identified
    assert got == agree


def test_record_matching_prefers_fuller_agreement() -> None:
    spec = CAT["event:MilestonePayment"]
    amount = {"value": 2000000, "unit": "USD", "decimals": -6}
    gold = [{"amount": amount, "payer": "sanofi-aventis", "product": "huMy9-6-DM4"},
            {"amount": amount, "payer": "Biogen Idec"}]
    pred = [{"amount": amount, "payer": "Biogen Idec"},
            {"amount": amount, "payer": "Sanofi-Aventis", "product": "huMy9-6-DM4"}]
    fm = match_field(spec, gold, pred)
    assert sorted(fm.pairs) == [(0, 1), (1, 0)]


def test_record_arguments_absent_on_one_side_disagree() -> None:
    spec = CAT["event:ClinicalTrialStart"]
    ident, agree = record_agreement(spec, {"product": "DM1", "phase": "I"}, {"product": "dm1"})
    assert ident is True
    assert agree == {"product": True, "indication": None, "phase": False, "sponsor": None}


def test_unnormalizable_prediction_is_kept_and_does_not_match() -> None:
    assert tp("dei:DocumentPeriodEndDate", ["2005-03-15"], ["sometime in March"]) == 0
