"""``parse_sgml_header`` on real headers of both styles (.txt key/value lines, .nc tags)."""

from __future__ import annotations

from typing import Any

import pytest

from filingkit.ingest import Address, parse_sgml_header
from filingkit.ingest.sgml import split_documents

from .conftest import filing

HEADERS: dict[str, dict[str, Any]] = {
    "0000891618-95-000727/0000891618-95-000727.txt": {
        "accession_number": "0000891618-95-000727",
        "submission_type": "8-K",
        "period_of_report": "1995-09-29",
        "filed_as_of_date": "1995-12-06",
        "items": ("Acquisition or disposition of assets", "Financial statements and exhibits"),
        "company_name": "CISCO SYSTEMS INC",
        "cik": "0000858877",
        "state_of_incorporation": "CA",
        "fiscal_year_end": "0731",
        "business_address": Address("170 W TASMAN DR", None, "SAN JOSE", "CA", "95134",
                                    "4085264000"),
        "phone": "4085264000",
        "irs_number": "770059951",
        "file_number": "000-18225",
        "public_document_count": 2,
    },
    "0000950117-94-000182/100783_8K_1994_0000950117-94-000182.txt": {  # <IMS-HEADER>, 1994
        "accession_number": "0000950117-94-000182",
        "period_of_report": "1994-08-09",
        "filed_as_of_date": "1994-08-17",
        "items": ("Other events", "Financial statements and exhibits"),
        "company_name": "UNION CAMP CORP",
        "cik": "0000100783",
        "state_of_incorporation": "VA",
        "irs_number": "135652423",
        "phone": "2016282000",
    },
    "0001193125-19-191922/0001193125-19-191922.txt": {
        "accession_number": "0001193125-19-191922",
        "period_of_report": "2019-07-03",
        "filed_as_of_date": "2019-07-10",
        "date_as_of_change": "2019-07-10",
        "acceptance_datetime": "20190710165432",
        "items": (
            "Departure of Directors or Certain Officers; Election of Directors; Appointment of "
            "Certain Officers: Compensatory Arrangements of Certain Officers",
            "Financial Statements and Exhibits",
        ),
        "company_name": "ORACLE CORP",
        "cik": "0001341439",
        "state_of_incorporation": None,  # not in this header: nothing is guessed
        "fiscal_year_end": "0531",
        "business_address": Address("500 ORACLE PARKWAY", "MAIL STOP 5 OP 7", "REDWOOD CITY",
                                    "CA", "94065", "6505067000"),
        "file_number": "001-35992",
    },
    "0001493152-25-001317/0001493152-25-001317.nc": {  # tag-only header, CR line ends
        "accession_number": "0001493152-25-001317",
        "submission_type": "8-K",
        "period_of_report": "2025-01-06",
        "filed_as_of_date": "2025-01-08",
        "items": ("5.02", "9.01"),
        "company_name": "ACORN ENERGY, INC.",
        "cik": "0000880984",
        "state_of_incorporation": "DE",
        "fiscal_year_end": "1231",
        "phone": "302-656-1708",
        "irs_number": "222786081",
        "file_number": "001-33886",
        "public_document_count": 14,
    },
}


@pytest.mark.parametrize("rel", sorted(HEADERS), ids=lambda r: r.split("/")[0])
def test_header_fields(rel: str) -> None:
    header = parse_sgml_header(filing(rel).read_text(encoding="utf-8"))
    for name, expected in HEADERS[rel].items():
        assert getattr(header, name) == expected, name


def test_former_names_and_mail_address() -> None:
    header = parse_sgml_header(
        filing("0001493152-25-001317/0001493152-25-001317.nc").read_text(encoding="utf-8"))
    filer = header.filers[0]
    assert filer.role == "FILER"
    assert filer.former_names == ("ACORN FACTOR, INC.", "DATA SYSTEMS & SOFTWARE INC",
                                  "DEFENSE SOFTWARE & SYSTEMS INC")
    assert filer.mail_address is not None and filer.mail_address.city == "WILMINGTON"
    assert filer.form_type == "8-K"


def test_drifting_indentation_and_stray_tags() -> None:
    """A 2000-era header whose indentation drifts and mixes in closing tags."""
    raw = (
        "<SEC-HEADER>0000084581-00-500009.hdr.sgml : 20000929\n"
        "ACCESSION NUMBER:\t\t0000084581-00-500009\n"
        "CONFORMED SUBMISSION TYPE:\t8-K\n"
        "ITEM INFORMATION:\t\t\n"
        "FILER:\n\n\tCOMPANY DATA:\t\n"
        "\t\tCOMPANY CONFORMED NAME:\t\t\tROCK OF AGES CORP\n"
        "\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\t [3281\n"
        "]\t\tIRS NUMBER:\t\t\t\t030153200\n"
        "</COMPANY-DATA>\n\n\t\tFILING VALUES:\n\t\t\tSEC FILE NUMBER:\t000-29464\n"
        "</FILING-VALUES>\n\n\t\t\tBUSINESS ADDRESS:\t\n\t\t\t\tCITY:\t\t\tCONCORD\n"
        "\t\t\t\tBUSINESS PHONE:\t\t6032258397\n</BUSINESS-ADDRESS>\n"
        "\t\t\t\tMAIL ADDRESS:\t\n\t\t\t\t\tCITY:\t\t\tCONCORD NH\n</MAIL-ADDRESS>\n</FILER>\n"
        "</SEC-HEADER>\n"
    )
    h = parse_sgml_header(raw)
    assert h.items == ()
    assert (h.company_name, h.irs_number, h.file_number, h.phone) == (
        "ROCK OF AGES CORP", "030153200", "000-29464", "6032258397")
    assert h.filers[0].mail_address == Address(city="CONCORD NH")


def test_two_filers() -> None:
    raw = (
        "<SEC-HEADER>x\nACCESSION NUMBER:\t0000092122-19-000063\n"
        "FILER:\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\tSOUTHERN CO\n"
        "\t\tCENTRAL INDEX KEY:\t0000092122\n"
        "FILER:\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\tALABAMA POWER CO\n"
        "\t\tCENTRAL INDEX KEY:\t0000003153\n</SEC-HEADER>\n"
    )
    h = parse_sgml_header(raw)
    assert [f.company_name for f in h.filers] == ["SOUTHERN CO", "ALABAMA POWER CO"]
    assert h.company_name == "SOUTHERN CO" and h.cik == "0000092122"


def test_no_header_gives_empty_record() -> None:
    h = parse_sgml_header("just some text\nwith lines\n")
    assert h.accession_number is None and h.filers == () and h.items == ()


def test_split_documents_metadata() -> None:
    text = filing("0001193125-19-191922/0001193125-19-191922.txt").read_text(encoding="utf-8")
    docs = split_documents(text)
    assert [(d.type, d.sequence, d.filename) for d in docs] == [
        ("8-K", "1", "d776427d8k.htm"), ("EX-99.1", "2", "d776427dex991.htm"),
        ("GRAPHIC", "3", "g776427g33t06.jpg")]
    assert docs[2].text.lstrip().startswith("begin 644")


def _doc(type_: str, text: str, filename: str | None = None) -> str:
    name = f"<FILENAME>{filename}\n" if filename else ""
    return f"<DOCUMENT>\n<TYPE>{type_}\n<SEQUENCE>1\n{name}<TEXT>\n{text}\n</TEXT>\n</DOCUMENT>\n"


def test_select_documents_keeps_8k_and_ex99_only() -> None:
    from filingkit.ingest.sgml import select_documents

    raw = (
        _doc("CORRESP", "cover letter")
        + _doc("8-K/A", "<html><body><p>amended</p></body></html>", "a.htm")
        + _doc("EX-99.1", "<PDF>\nbegin 644 x.pdf\nM(&%B8P``\n`\nend\n</PDF>", "x.pdf")
        + _doc("EX-99.2", "press release", "b.txt")
        + _doc("EX-990", "not an EX-99")
        + _doc("EX-10.1", "a contract")
        + _doc("GRAPHIC", "begin 644 logo.jpg\nM(&%B8P``\n`\nend", "logo.jpg")
        + _doc("EX-101.INS", "<XBRL><xbrl/></XBRL>", "x.xml")
    )
    kept = select_documents(split_documents(raw))
    assert [d.type for d in kept] == ["8-K/A", "EX-99.2"]


def test_select_documents_without_8k_keeps_the_first() -> None:
    from filingkit.ingest.sgml import select_documents

    kept = select_documents(split_documents(_doc("10-Q", "report") + _doc("EX-31", "cert")))
    assert [d.type for d in kept] == ["10-Q"]
