"""Inline XBRL cover facts: transformations, hidden facts, check boxes, combined filings,
and the proof of issue 7: every ixbrl fact in the bundled gold equals a fresh parse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filingkit.gold import ixbrl
from filingkit.gold.ixbrl import (
    TransformError,
    apply_scale_sign,
    catalogue_facts,
    facts_by_field,
    parse_ixbrl,
    transform,
)

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "gold" / "filings"
GOLD_FILINGS = Path(__file__).resolve().parents[2] / "gold" / "filings"


def corpus_path(rel: str) -> Path:
    """A corpus path ``curated/<id>/<file>`` as the bundled gold's byte-for-byte copy."""
    _, doc_id, name = rel.split("/")
    return GOLD_FILINGS / doc_id / "source" / name


# ------------------------------------------------------------------ transformations

@pytest.mark.parametrize(
    ("fmt", "raw", "expected"),
    [
        # dates with month names, both registries' names
        ("ixt:datemonthdayyearen", "June 10, 2020", "2020-06-10"),
        ("ixt:date-monthname-day-year-en", "December\xa017,\n2019", "2019-12-17"),
        ("ixt:datemonthdayyearen", "Sept. 3, 2021", "2021-09-03"),
        ("ixt:datedaymonthyearen", "10 June 2020", "2020-06-10"),
        ("ixt:date-day-monthname-year-en", "1st March 2024", "2024-03-01"),
        # numeric dates
        ("ixt:datemonthdayyear", "06/10/2020", "2020-06-10"),
        ("ixt:date-month-day-year", "6.10.20", "2020-06-10"),
        ("ixt:dateslashus", "12/31/99", "1999-12-31"),
        ("ixt:datedaymonthyear", "10/06/2020", "2020-06-10"),
        ("ixt:dateyearmonthday", "2020-06-10", "2020-06-10"),
        ("ixt:datemonthday", "12/31", "--12-31"),
        ("ixt:date-monthname-day-en", "December 31", "--12-31"),
        # booleans and check boxes
        ("ixt:fixed-true", "anything", "true"),
        ("ixt:fixed-false", "", "false"),
        ("ixt:booleantrue", "Yes", "true"),
        ("ixt:booleanfalse", "No", "false"),
        ("ixt-sec:boolballotbox", "☐", "false"),
        ("ixt-sec:boolballotbox", "☒", "true"),
        ("ixt-sec:boolballotbox", "☑", "true"),
        ("ixt-sec:boolballotbox", " ☐ Written communications pursuant to Rule 425", "false"),
        # states, provinces, countries
        ("ixt-sec:stateprovnameen", "Delaware", "DE"),
        ("ixt-sec:stateprovnameen", "New\xa0York", "NY"),
        ("ixt-sec:stateprovnameen", "Ontario", "A6"),
        ("ixt-sec:countrynameen", "Cayman Islands", "E9"),
        # exchanges
        ("ixt-sec:exchnameen", "New York Stock Exchange", "NYSE"),
        ("ixt-sec:exchnameen", "The Nasdaq Stock Market LLC", "NASDAQ"),
        ("ixt-sec:exchnameen", "The NASDAQ Global Select Market", "NASDAQ"),
        ("ixt-sec:exchnameen", "NYSE American LLC", "NYSEAMER"),
        ("ixt-sec:exchnameen", "NYSE Arca, Inc.", "NYSEArca"),
        ("ixt-sec:exchnameen", "Nasdaq PHLX LLC", "PHLX"),
        ("ixt-sec:exchnameen", "Cboe BZX Exchange, Inc.", "CboeBZX"),
        ("ixt-sec:exchnameen", "Chicago Stock Exchange, Inc.", "CHX"),
        # numbers
        ("ixt:num-dot-decimal", "1,234,567.89", "1234567.89"),
        ("ixt:numdotdecimal", "0.10", "0.10"),
        ("ixt:num-comma-decimal", "1.234,5", "1234.5"),
        ("ixt:fixed-zero", "—", "0"),
        ("ixt:zerodash", "-", "0"),
        ("ixt:fixed-empty", "n/a", ""),
        # no format: the displayed text, white space folded
        (None, "  TYSON\xa0FOODS,\n INC. ", "TYSON FOODS, INC."),
    ],
)
def test_transform_table(fmt: str | None, raw: str, expected: str) -> None:
    assert transform(fmt, raw) == expected


@pytest.mark.parametrize(
    ("fmt", "raw"),
    [
        ("ixt:datemonthdayyearen", "Junetember 10, 2020"),
        ("ixt:datemonthdayyear", "13/45/2020"),
        ("ixt-sec:boolballotbox", "Yes"),
        ("ixt-sec:stateprovnameen", "Atlantis"),
        ("ixt-sec:exchnameen", "Moon Exchange"),
        ("ixt:numdotdecimal", "12abc"),
        ("ixt:no-such-format", "x"),
    ],
)
def test_transform_rejects(fmt: str, raw: str) -> None:
    with pytest.raises(TransformError):
        transform(fmt, raw)


def test_every_registered_format_is_callable() -> None:
    assert len(ixbrl.TRANSFORMS) > 40
    for name in ixbrl.TRANSFORMS:
        assert name == name.lower()


@pytest.mark.parametrize(
    ("value", "scale", "sign", "expected"),
    [("1234.5", "3", None, "1234500"), ("2.5", "6", "-", "-2500000"), ("0.12", None, None,
                                                                          "0.12"),
     ("15", "-2", None, "0.15")],
)
def test_scale_and_sign(value: str, scale: str | None, sign: str | None, expected: str) -> None:
    assert apply_scale_sign(value, scale, sign) == apply_scale_sign(expected, None, None)


# ------------------------------------------------------------------ parsing

_ENTITY = ('<xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">1'
           "</xbrli:identifier>{segment}</xbrli:entity>")
_PERIOD = ("<xbrli:period><xbrli:startDate>2024-01-02</xbrli:startDate>"
           "<xbrli:endDate>2024-01-02</xbrli:endDate></xbrli:period>")


def _ctx(cid: str, axis: str = "", member: str = "") -> str:
    seg = (f'<xbrli:segment><xbrldi:explicitMember dimension="{axis}">{member}'
           "</xbrldi:explicitMember></xbrli:segment>") if axis else ""
    return f'<xbrli:context id="{cid}">{_ENTITY.format(segment=seg)}{_PERIOD}</xbrli:context>'


CTX = (_ctx("c1") + _ctx("c_sub", "dei:LegalEntityAxis", "x:SubMember")
       + _ctx("c_pref", "us-gaap:StatementClassOfStockAxis", "x:PreferredMember")
       + _ctx("c_old", "dei:EntityAddressesAddressTypeAxis", "dei:FormerAddressMember"))


def page(body: str, hidden: str = "") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
 xmlns:ixt="http://www.xbrl.org/inlineXBRL/transformation/2020-02-12"
 xmlns:ixt-sec="http://www.sec.gov/inlineXBRL/transformation/2015-08-31"
 xmlns:dei="http://xbrl.sec.gov/dei/2023"><head><title>t</title></head><body>
<div style="display:none"><ix:header><ix:hidden>{hidden}</ix:hidden>
<ix:resources>{CTX}</ix:resources></ix:header></div>
{body}</body></html>"""


def nn(name: str, text: str, ctx: str = "c1", fmt: str | None = None, extra: str = "") -> str:
    f = f' format="{fmt}"' if fmt else ""
    return f'<ix:nonNumeric name="{name}" contextRef="{ctx}"{f}{extra}>{text}</ix:nonNumeric>'


COVER = page(
    "<p>FORM " + nn("dei:DocumentType", "8-K") + "</p>"
    "<p>Date of Report: " + nn("dei:DocumentPeriodEndDate", "January 2, 2024",
                               fmt="ixt:date-monthname-day-year-en") + "</p>"
    "<p>" + nn("dei:EntityRegistrantName", "Acme&#160;Widgets, Inc.") + "</p>"
    "<p>" + nn("dei:EntityIncorporationStateCountryCode", "Delaware",
               fmt="ixt-sec:stateprovnameen") + "</p>"
    "<p>" + nn("dei:EntityFileNumber", "001-01234") + " "
    + nn("dei:EntityTaxIdentificationNumber", "12-3456789") + "</p>"
    "<p>" + nn("dei:EntityAddressAddressLine1", "1 Main Street,") + " "
    + nn("dei:EntityAddressCityOrTown", "Springfield,") + " "
    + nn("dei:EntityAddressStateOrProvince", "Illinois", fmt="ixt-sec:stateprovnameen") + " "
    + nn("dei:EntityAddressPostalZipCode", "62701") + "</p>"
    "<p>" + nn("dei:EntityAddressAddressLine1", "9 Old Road", ctx="c_old") + "</p>"
    "<p>(" + nn("dei:CityAreaCode", "217") + ") " + nn("dei:LocalPhoneNumber", "555-0100") + "</p>"
    "<p>" + nn("dei:WrittenCommunications", "☒", fmt="ixt-sec:boolballotbox")
    + " Written communications</p>"
    "<p>" + nn("dei:SolicitingMaterial", "☐", fmt="ixt-sec:boolballotbox") + " Soliciting</p>"
    "<p>" + nn("dei:PreCommencementTenderOffer", "", fmt="ixt:fixed-false") + "</p>"
    "<table><tr><td>" + nn("dei:TradingSymbol", "ACME") + "</td><td>"
    + nn("dei:SecurityExchangeName", "The Nasdaq Stock Market LLC", fmt="ixt-sec:exchnameen")
    + "</td></tr><tr><td>" + nn("dei:TradingSymbol", "ACMEP", ctx="c_pref") + "</td><td>"
    + nn("dei:SecurityExchangeName", "New York Stock Exchange", ctx="c_pref",
         fmt="ixt-sec:exchnameen") + "</td></tr>"
    "<tr><td>" + nn("dei:TradingSymbol", "&#8212;", ctx="c_pref") + "</td></tr></table>"
    "<p>" + nn("dei:EntityRegistrantName", "Acme Sub LLC", ctx="c_sub") + "</p>"
    "<p>Emerging growth company "
    + nn("dei:EntityEmergingGrowthCompany", "☐", fmt="ixt-sec:boolballotbox") + "</p>",
    hidden=nn("dei:PreCommencementIssuerTenderOffer", "false", fmt="ixt:booleanfalse")
    + nn("dei:AmendmentFlag", "false"),
)


def test_cover_facts_from_a_page() -> None:
    res = catalogue_facts(parse_ixbrl(COVER))
    got = facts_by_field(res)
    assert got == {
        "dei:DocumentType": ["8-K"],
        "dei:DocumentPeriodEndDate": ["2024-01-02"],
        "dei:EntityRegistrantName": ["Acme Widgets, Inc."],
        "dei:EntityIncorporationStateCountryCode": ["DE"],
        "dei:EntityFileNumber": ["001-01234"],
        "dei:EntityTaxIdentificationNumber": ["12-3456789"],
        "dei:EntityAddressAddressLine1": ["1 Main Street"],
        "dei:EntityAddressCityOrTown": ["Springfield"],
        "dei:EntityAddressStateOrProvince": ["IL"],
        "dei:EntityAddressPostalZipCode": ["62701"],
        "dei:CityAreaCode": ["217"],
        "dei:LocalPhoneNumber": ["555-0100"],
        "dei:WrittenCommunications": [True],
        "dei:SolicitingMaterial": [False],
        "dei:PreCommencementTenderOffer": [False],
        "dei:PreCommencementIssuerTenderOffer": [False],
        "dei:TradingSymbol": ["ACME", "ACMEP"],
        "dei:SecurityExchangeName": ["NASDAQ", "NYSE"],
        "dei:EntityEmergingGrowthCompany": [False],
    }
    assert not res.failed
    assert res.combined
    assert any("x:SubMember" in n and "Acme Sub LLC" in n for n in res.notes)
    assert any("9 Old Road" in n and "not kept" in n for n in res.notes)
    assert any("row without a symbol" in n for n in res.notes)


def test_hidden_facts_are_flagged() -> None:
    doc = parse_ixbrl(COVER)
    hidden = {f.name for f in doc.facts if f.hidden}
    assert hidden == {"dei:PreCommencementIssuerTenderOffer", "dei:AmendmentFlag"}
    display_none = page('<div style="display: none">'
                        + nn("dei:EntityRegistrantName", "ACME INC") + "</div>")
    (fact,) = parse_ixbrl(display_none).facts
    assert fact.hidden


def test_continuation_and_exclude() -> None:
    html = page(
        nn("dei:EntityRegistrantName", "Acme <ix:exclude>[footnote]</ix:exclude>Widgets",
           extra=' id="f1" continuedAt="k1"')
        + '<p>other text</p><ix:continuation id="k1">Holdings, Inc.</ix:continuation>'
    )
    (fact,) = parse_ixbrl(html).facts
    assert fact.continuation_ids == ("k1",)
    assert fact.value == "Acme Widgets Holdings, Inc."


def test_non_fraction_scale_and_sign() -> None:
    html = page('<ix:nonFraction name="us-gaap:Revenues" contextRef="c1" unitRef="usd" '
                'decimals="-5" scale="6" sign="-" format="ixt:num-dot-decimal">9.0'
                "</ix:nonFraction>")
    (fact,) = parse_ixbrl(html).facts
    assert fact.numeric
    assert apply_scale_sign(fact.value or "", None, None) == apply_scale_sign("-9000000",
                                                                               None, None)


def test_a_bad_format_is_a_note_not_a_crash() -> None:
    html = page(nn("dei:DocumentPeriodEndDate", "someday", fmt="ixt:date-monthname-day-year-en"))
    res = catalogue_facts(parse_ixbrl(html))
    assert res.facts == ()
    assert res.failed == {"dei:DocumentPeriodEndDate"}
    assert "not a date" in res.notes[0]


def test_evidence_spans_in_rendered_text() -> None:
    from filingkit.ingest import html_to_text

    text = html_to_text(COVER)
    doc = parse_ixbrl(COVER)
    spans = ixbrl.evidence_spans(text, COVER, doc.facts)
    by_name = {f.name: spans.get(f.order) for f in doc.facts if f.context == "c1"}
    (name_span,) = by_name["dei:EntityRegistrantName"] or ()
    assert text[name_span[0]:name_span[1]] == "Acme Widgets, Inc."
    assert by_name["dei:PreCommencementIssuerTenderOffer"] is None  # hidden: no evidence


# ------------------------------------------------------------------ real filings



def test_combined_filing_southern_company_2019() -> None:
    path = corpus_path("curated/0000092122-19-000063/0000092122-19-000063.txt")
    res = ixbrl.read_ixbrl_file(path)
    got = facts_by_field(res)
    assert res.combined
    assert got["dei:EntityRegistrantName"] == ["The Southern Company"]
    assert got["dei:TradingSymbol"] == ["SO", "SOJA", "SOJB", "SOJC", "SOLN"]
    assert "GPJA" not in got["dei:TradingSymbol"]  # Georgia Power's row: co-registrant
    assert any("GeorgiaPowerMember" in n and "Georgia Power Company" in n for n in res.notes)


def test_former_address_context_is_not_the_cover_address() -> None:
    res = ixbrl.read_ixbrl_file(corpus_path("curated/0001140361-25-017716/"
                                            "0001140361-25-017716.txt"))
    got = facts_by_field(res)
    assert got["dei:EntityAddressCityOrTown"] == ["New York"]
    assert got["dei:EntityAddressStateOrProvince"] == ["NY"]


def _gold_files_with_ixbrl() -> list[Path]:
    out = []
    for g in sorted(GOLD.glob("*/gold.json")):
        if any(f.get("source") == "ixbrl" for f in json.loads(g.read_text())["facts"]):
            out.append(g)
    return out


@pytest.mark.parametrize("gold_json", _gold_files_with_ixbrl(), ids=lambda p: p.parent.name)
def test_bundled_ixbrl_facts_equal_a_fresh_parse(gold_json: Path) -> None:
    """Issue 7's proof: every ixbrl-sourced gold fact is what the filing's tags say now,
    and its evidence is the tag's text in the canonical text."""
    from filingkit.gold.curated import ixbrl_source_facts, source_main_file
    from filingkit.serialize import gold_from_json

    record = gold_from_json(json.loads(gold_json.read_text()))
    folder = gold_json.parent
    text = (folder / "text.txt").read_bytes().decode("utf-8")
    fresh = ixbrl_source_facts(source_main_file(folder, record), text)
    assert fresh is not None
    fresh_set = {(f.field, json.dumps(f.value), tuple((e.start, e.end) for e in f.evidence))
                 for f in fresh.facts}
    stored = [f for f in record.facts if f.source == "ixbrl"]
    assert stored
    for f in stored:
        key = (f.field, json.dumps(f.value), tuple((e.start, e.end) for e in f.evidence))
        assert key in fresh_set, f"{f.field}={f.value!r} not in a fresh parse"
        for e in f.evidence:
            assert text[e.start:e.end] == e.text
    # nothing the tags give was lost (unless a person's reading replaced it)
    human = {f.field for f in record.facts if f.source != "ixbrl" and f.source != "sgml-header"}
    for field, value, _ in fresh_set:
        if field not in human:
            assert any(f.field == field and json.dumps(f.value) == value for f in stored)


def _ixbrl_filings_read_by_people() -> list[Path]:
    out = []
    for g in sorted(GOLD.glob("*/gold.json")):
        obj = json.loads(g.read_text())
        if obj["provenance"].get("format") in ("ixbrl", "sgml") and any(
                f["source"] in ("manual", "adjudicated") and f["field"].startswith("dei:")
                for f in obj["facts"]):
            out.append(g)
    return out


@pytest.mark.parametrize("gold_json", _ixbrl_filings_read_by_people(), ids=lambda p: p.parent.name)
def test_manual_cover_facts_agree_with_xbrl_or_the_difference_is_recorded(gold_json: Path) -> None:
    """Issue 7's second proof: where a person read the cover of an inline XBRL filing, each
    value they read equals the filing's XBRL fact under the field's matching rule, or the
    gold records the disagreement (and follows the printed cover)."""
    from filingkit.catalogue import load_catalogue
    from filingkit.gold.curated import _differs, ixbrl_source_facts, source_main_file
    from filingkit.serialize import gold_from_json

    cat = load_catalogue()
    record = gold_from_json(json.loads(gold_json.read_text()))
    folder = gold_json.parent
    fresh = ixbrl_source_facts(source_main_file(folder, record),
                               (folder / "text.txt").read_bytes().decode("utf-8"))
    if fresh is None:  # an SGML filing without inline XBRL: nothing to compare
        return
    xbrl: dict[str, list[object]] = {}
    for f in fresh.facts:
        xbrl.setdefault(f.field, []).append(f.value)
    recorded = {d.field for d in record.disagreements if "ixbrl" in (d.kept_source, d.other_source)}
    human: dict[str, list[object]] = {}
    for f in record.facts:
        if f.source in ("manual", "adjudicated") and cat[f.field].group == "cover":
            human.setdefault(f.field, []).append(f.value)
    assert human
    for field, values in human.items():
        if field in xbrl and _differs(cat, field, values, xbrl[field]):
            assert field in recorded, f"{field}: read {values}, XBRL {xbrl[field]}, no disagreement"
