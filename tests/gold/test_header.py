"""SGML header facts: classic 1990s headers, .nc tag headers, items, and cross-checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from filingkit.gold.header import (
    SOURCE,
    cross_check,
    header_facts,
    item_code,
    loose_name_key,
    parse_sgml_header,
)
from filingkit.records import Fact

GOLD_FILINGS = Path(__file__).resolve().parents[2] / "gold" / "filings"


def corpus_path(rel: str) -> Path:
    """A corpus path ``curated/<id>/<file>`` as the bundled gold's byte-for-byte copy."""
    _, doc_id, name = rel.split("/")
    return GOLD_FILINGS / doc_id / "source" / name

OLD = """-----BEGIN PRIVACY-ENHANCED MESSAGE-----
Proc-Type: 2001,MIC-CLEAR

<IMS-DOCUMENT>0000109446-94-000005.txt : 19940323
<IMS-HEADER>0000109446-94-000005.hdr.sgml : 19940323
ACCESSION NUMBER:\t\t0000109446-94-000005
CONFORMED SUBMISSION TYPE:\t8-K
PUBLIC DOCUMENT COUNT:\t\t1
CONFORMED PERIOD OF REPORT:\t19940322
ITEM INFORMATION:\t\t5
FILED AS OF DATE:\t\t19940322

FILER:

\tCOMPANY DATA:\t
\t\tCOMPANY CONFORMED NAME:\t\t\tZURN INDUSTRIES INC
\t\tCENTRAL INDEX KEY:\t\t\t0000109446
\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\t4991
\t\tIRS NUMBER:\t\t\t\t251040754
\t\tSTATE OF INCORPORATION:\t\t\tPA
\t\tFISCAL YEAR END:\t\t\t0331

\tFILING VALUES:
\t\tFORM TYPE:\t\t8-K
\t\tSEC ACT:\t\t34
\t\tSEC FILE NUMBER:\t001-05502
\t\tFILM NUMBER:\t\t94517273

\tBUSINESS ADDRESS:\t
\t\tSTREET 1:\t\tONE ZURN PL
\t\tCITY:\t\t\tERIE
\t\tSTATE:\t\t\tPA
\t\tZIP:\t\t\t16505
\t\tBUSINESS PHONE:\t\t8144522111

\tMAIL ADDRESS:\t
\t\tSTREET 1:\t\tPO BOX 2000
\t\tCITY:\t\t\tERIE
</IMS-HEADER>
<DOCUMENT>
<TYPE>8-K
<TEXT>
FORM 8-K
</TEXT>
</DOCUMENT>
"""

NC = (
    "<SUBMISSION>\n<ACCESSION-NUMBER>0001493152-25-001317<TYPE>8-K<PUBLIC-DOCUMENT-COUNT>14"
    "<PERIOD>20250106<ITEMS>5.02<ITEMS>9.01<FILING-DATE>20250108"
    "<FILER><COMPANY-DATA><CONFORMED-NAME>ACORN ENERGY, INC.<CIK>0000880984"
    "<IRS-NUMBER>222786081<STATE-OF-INCORPORATION>DE<FISCAL-YEAR-END>1231</COMPANY-DATA>"
    "<FILING-VALUES><FORM-TYPE>8-K<ACT>34<FILE-NUMBER>001-33886<FILM-NUMBER>25516699"
    "</FILING-VALUES><BUSINESS-ADDRESS><STREET1>1000 N WEST STREET, SUITE 1200"
    "<CITY>WILMINGTON<STATE>DE<ZIP>19801<PHONE>302-656-1708</BUSINESS-ADDRESS>"
    "<MAIL-ADDRESS><STREET1>PO BOX 1<CITY>DOVER<STATE>DE<ZIP>19901</MAIL-ADDRESS></FILER>"
    "<DOCUMENT><TYPE>8-K<SEQUENCE>1<FILENAME>form8-k.htm<TEXT>hi</TEXT></DOCUMENT>"
    "</SUBMISSION>"
)


def values(data: str) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for f in header_facts(parse_sgml_header(data)).facts:
        assert f.source == SOURCE and not f.evidence
        out.setdefault(f.field, []).append(f.value)
    return out


def test_classic_1994_header() -> None:
    assert values(OLD) == {
        "dei:DocumentType": ["8-K"],
        "dei:DocumentPeriodEndDate": ["1994-03-22"],
        "filing:Items": ["legacy:5"],
        "dei:EntityRegistrantName": ["ZURN INDUSTRIES INC"],
        "dei:EntityIncorporationStateCountryCode": ["PA"],
        "dei:EntityTaxIdentificationNumber": ["25-1040754"],
        "dei:EntityFileNumber": ["001-05502"],
        "dei:EntityAddressAddressLine1": ["ONE ZURN PL"],
        "dei:EntityAddressCityOrTown": ["ERIE"],
        "dei:EntityAddressStateOrProvince": ["PA"],
        "dei:EntityAddressPostalZipCode": ["16505"],
        "dei:CityAreaCode": ["814"],
        "dei:LocalPhoneNumber": ["452-2111"],
    }


def test_nc_tag_header() -> None:
    got = values(NC)
    assert got["dei:DocumentPeriodEndDate"] == ["2025-01-06"]
    assert got["filing:Items"] == ["5.02", "9.01"]
    assert got["dei:EntityRegistrantName"] == ["ACORN ENERGY, INC."]
    assert got["dei:EntityAddressCityOrTown"] == ["WILMINGTON"]  # business, not mail address
    assert got["dei:CityAreaCode"] == ["302"]
    assert got["dei:LocalPhoneNumber"] == ["656-1708"]


@pytest.mark.parametrize(
    ("raw", "filed", "code"),
    [
        ("Other events", "1999-01-01", "legacy:5"),
        ("Other Events", "2019-12-17", "8.01"),
        ("Financial statements and exhibits", "2003-05-01", "legacy:7"),
        ("Financial Statements and Exhibits", "2004-08-23", "9.01"),
        ("Results of Operations and Financial Condition", "2004-01-08", "legacy:12"),
        ("Results of Operations and Financial Condition", "2011-01-18", "2.02"),
        ("Regulation FD Disclosure", "2002-02-19", "legacy:9"),
        ("Regulation FD Disclosure", "2015-12-22", "7.01"),
        ("Acquisition or disposition of assets", "1998-12-31", "legacy:2"),
        ("Changes in registrant\u2019s certifying accountant", "2000-01-01", "legacy:4"),
        ("Departure of Directors or Certain Officers; Election of Directors; Appointment of "
         "Certain Officers: Compensatory Arrangements of Certain Officers", "2016-04-26",
         "5.02"),
        ("5", "1994-03-22", "legacy:5"),
        ("5.02", "2025-01-08", "5.02"),
    ],
)
def test_item_codes(raw: str, filed: str, code: str) -> None:
    assert item_code(raw, filed) == code


def test_loose_name_key() -> None:
    assert loose_name_key("SOUTHERN CO") == loose_name_key("The Southern Company")
    assert loose_name_key("SPACEHAB INC \\WA\\") == loose_name_key("Spacehab, Inc.")
    assert loose_name_key("30 IVAN ALLEN JR. BLVD., N.W.") == loose_name_key(
        "30 Ivan Allen Jr. Boulevard, N.W.")
    assert loose_name_key("APPLE INC") != loose_name_key("Oracle Corp")
    assert loose_name_key("1 Infinite Loop", address=True) == loose_name_key(
        "ONE INFINITE LOOP", address=True)
    assert loose_name_key("270 Peachtree Street, N.W.", address=True) == loose_name_key(
        "270 PEACHTREE ST", address=True)
    assert loose_name_key("1000 N WEST STREET", address=True) != loose_name_key(
        "1000 N STREET", address=True)


def test_cross_check_keeps_the_cover() -> None:
    gold = [
        Fact("dei:DocumentPeriodEndDate", "2005-01-20", source="manual"),
        Fact("dei:EntityRegistrantName", "The Southern Company", source="ixbrl"),
        Fact("filing:Items", "8.01", source="manual"),
        Fact("filing:Items", "9.01", source="manual"),
        Fact("dei:EntityAddressPostalZipCode", "30308", source="ixbrl"),
        Fact("dei:CityAreaCode", "404", source="sgml-header"),  # weak: not compared
    ]
    head = [
        Fact("dei:DocumentPeriodEndDate", "2005-01-25", source=SOURCE),
        Fact("dei:EntityRegistrantName", "SOUTHERN CO", source=SOURCE),
        Fact("filing:Items", "8.01", source=SOURCE),
        Fact("dei:EntityAddressPostalZipCode", "30308-3374", source=SOURCE),
        Fact("dei:CityAreaCode", "205", source=SOURCE),
    ]
    dis = cross_check(gold, head)
    assert [(d.field, d.kept, d.kept_source, d.other) for d in dis] == [
        ("dei:DocumentPeriodEndDate", "2005-01-20", "manual", "2005-01-25"),
        ("filing:Items", ["8.01", "9.01"], "manual", ["8.01"]),
    ]
    assert dis[1].note == "header omits 9.01"




@pytest.mark.parametrize(
    ("path", "period", "items"),
    [
        ("curated/0000891618-95-000727/0000891618-95-000727.txt", None, None),
        ("curated/0001493152-25-001317/0001493152-25-001317.nc", "2025-01-06",
         ["5.02", "9.01"]),
        ("curated/0000092122-19-000063/0000092122-19-000063.txt", "2019-12-17", ["8.01"]),
    ],
)
def test_real_headers(path: str, period: str | None, items: list[str] | None) -> None:
    from filingkit.gold.header import read_header_file

    res = read_header_file(corpus_path(path))
    got: dict[str, list[object]] = {}
    for f in res.facts:
        got.setdefault(f.field, []).append(f.value)
    assert got["dei:DocumentType"] == ["8-K"]
    assert got["dei:EntityRegistrantName"]
    if period:
        assert got["dei:DocumentPeriodEndDate"] == [period]
    if items:
        assert got["filing:Items"] == items


def _combined(first: str, second: str) -> str:
    def filer(name: str, irs: str, fileno: str) -> str:
        return (f"FILER:\n\n\tCOMPANY DATA:\t\n\t\tCOMPANY CONFORMED NAME:\t\t\t{name}\n"
                f"\t\tIRS NUMBER:\t\t\t\t{irs}\n\n\tFILING VALUES:\n"
                f"\t\tSEC FILE NUMBER:\t{fileno}\n\n")
    filers = {"ALABAMA POWER CO": filer("ALABAMA POWER CO", "630004250", "001-03164"),
              "SOUTHERN CO": filer("SOUTHERN CO", "580690070", "001-03526")}
    return ("<SEC-DOCUMENT>x.txt : 20050125\n<SEC-HEADER>x.hdr.sgml : 20050125\n"
            "ACCESSION NUMBER:\t\t0000092122-05-000042\nCONFORMED SUBMISSION TYPE:\t8-K\n"
            "FILED AS OF DATE:\t\t20050125\n\n" + filers[first] + filers[second]
            + "</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nhi\n</TEXT>\n</DOCUMENT>\n")


def test_combined_filing_filer_is_the_cover_registrant() -> None:
    from filingkit.gold.header import choose_filer

    header = parse_sgml_header(_combined("ALABAMA POWER CO", "SOUTHERN CO"))
    assert choose_filer(header) == 0  # nothing to go by: the first filer
    cover = "The Southern Company\nDelaware 1-3526 58-0690070\nAlabama Power Company 1-3164"
    assert choose_filer(header, text=cover) == 1  # printed first on the cover
    gold = [Fact("dei:EntityTaxIdentificationNumber", "58-0690070", source="manual")]
    assert choose_filer(header, gold) == 1
    res = header_facts(header, filer=1)
    names = [f.value for f in res.facts if f.field == "dei:EntityRegistrantName"]
    assert names == ["SOUTHERN CO"]
    assert any("ALABAMA POWER CO not used" in n for n in res.notes)


def test_address_suites_go_to_line_two() -> None:
    from filingkit.gold.header import split_suite

    assert split_suite("Two Jericho Plaza, Suite 200") == ("Two Jericho Plaza", "Suite 200")
    assert split_suite("350 SOUTH GRAND AVE 52ND FLOOR") == ("350 SOUTH GRAND AVE",
                                                             "52ND FLOOR")
    assert split_suite("24843 DEL PRADO SUITE 326") == ("24843 DEL PRADO", "SUITE 326")
    assert split_suite("10 Floral Avenue") == ("10 Floral Avenue", None)
    head = [Fact("dei:EntityAddressAddressLine1", "1000 N WEST STREET", source=SOURCE)]
    gold = [Fact("dei:EntityAddressAddressLine1", "1000 N West St.", source="ixbrl")]
    assert cross_check(gold, head) == []
