"""Cover layouts of issue 13, on covers written for these tests (no real filing's text).

Three classes of layout that the rules got wrong on filings nobody here had read:
city names opening with an abbreviation and its period ("St. Paul"), address blocks
over several lines followed by "Tel." / "Fax." lines, and covers printing several
numbers for one field. Each cover below is invented to show one layout: company,
street, numbers and zip codes are made up (555 numbers).
"""

from __future__ import annotations

from typing import Any

import pytest

from filingkit.extractors.rules import RulesExtractor
from filingkit.extractors.rules_cover import is_phone_line
from filingkit.records import Document

EX = RulesExtractor()

HEAD = """UNITED STATES
SECURITIES AND EXCHANGE COMMISSION
Washington, D.C. 20549

FORM 8-K

CURRENT REPORT
Pursuant to Section 13 or 15(d) of the Securities Exchange Act of 1934

Date of Report (Date of earliest event reported): May 2, 2022

NORTHWIND SAMPLE HOLDINGS, INC.
(Exact name of registrant as specified in its charter)

Delaware\t001-34567\t12-3456789
(State or other jurisdiction of incorporation)\t(Commission File Number)\t(IRS Employer Identification No.)

"""
TAIL = """
Check the appropriate box below if the Form 8-K filing is intended to simultaneously satisfy
the filing obligation of the registrant under any of the following provisions:
\u2610 Written communications pursuant to Rule 425 under the Securities Act (17 CFR 230.425)

Item 8.01 Other Events.
"""


def cover_facts(address_block: str) -> dict[str, Any]:
    text = HEAD + address_block + TAIL
    out: dict[str, Any] = {}
    for f in EX.extract(Document(doc_id="t", text=text)).facts:
        out.setdefault(f.field.split(":", 1)[1], f.value)
    return out


LABEL = "(Address of principal executive offices) (Zip Code)\n"
PHONE = "Registrant's telephone number, including area code: (651) 555-0199\n"

# class 2: a city opening with an abbreviation and its period
CITY_CASES = [
    pytest.param("100 Cedar Street, St. Paul, Minnesota 55101\n" + LABEL + PHONE,
                 "St. Paul", "MN", "55101", id="st-one-line-commas"),
    pytest.param("100 Cedar Street\tSt. Paul, MN\t55101\n"
                 "(Address of principal executive offices)\t(Zip Code)\n" + PHONE,
                 "St. Paul", "MN", "55101", id="st-tab-cells"),
    pytest.param("700 Orchard St.\tSt. Louis\tMissouri\t63101\n" + LABEL + PHONE,
                 "St. Louis", "MO", "63101", id="st-after-street-abbreviation-cell"),
    pytest.param("100 ORCHARD ST. ST. LOUIS, MO 63101\n" + LABEL + PHONE,
                 "ST. LOUIS", "MO", "63101", id="st-street-runs-into-city-upper"),
    pytest.param("200 E. Harbor Blvd.\nFt. Lauderdale, Florida 33301\n" + LABEL + PHONE,
                 "Ft. Lauderdale", "FL", "33301", id="ft-two-lines"),
    pytest.param("1 Sample Drive, Suite 300, Mt. Laurel, NJ 08054\n" + LABEL + PHONE,
                 "Mt. Laurel", "NJ", "08054", id="mt-after-suite"),
    pytest.param("9 Quay Road\tPt. Pleasant, New Jersey 08742\n" + LABEL + PHONE,
                 "Pt. Pleasant", "NJ", "08742", id="pt-tab"),
    pytest.param("55 Lake Avenue St. Petersburg, Florida 33701\n" + LABEL + PHONE,
                 "St. Petersburg", "FL", "33701", id="st-street-word-before"),
]


@pytest.mark.parametrize(("block", "city", "state", "zip_"), CITY_CASES)
def test_city_with_abbreviation_and_period(block: str, city: str, state: str, zip_: str) -> None:
    got = cover_facts(block)
    assert (got.get("EntityAddressCityOrTown"), got.get("EntityAddressStateOrProvince"),
            got.get("EntityAddressPostalZipCode")) == (city, state, zip_)


# class 3: address blocks over several lines, then Tel. / Fax. lines
COMBINED_LABEL = ("(Address, including zip code, and telephone number, including area code, "
                  "of registrant's principal executive offices)\n")
MULTILINE_CASES = [
    pytest.param("100 Cedar Street\nSuite 400\nSt. Paul, MN 55101\nTel. (651) 555-0199\n"
                 "Fax. (651) 555-0100\n" + COMBINED_LABEL,
                 ("100 Cedar Street", "St. Paul", "MN", "55101", "651", "555-0199"),
                 id="suite-line-tel-fax-above-combined-label"),
    pytest.param("100 Cedar Street\nSuite 400\nBoston, MA 02110\n"
                 "(Address of principal executive offices)\nFax: (617) 555-0100\n"
                 "Tel: (617) 555-0199\n(Registrant's telephone number, including area code)\n",
                 ("100 Cedar Street", "Boston", "MA", "02110", "617", "555-0199"),
                 id="fax-printed-before-tel"),
    pytest.param("100 Cedar Street\nSuite 400\nBoston, MA 02110\n"
                 "(Address of principal executive offices)\nTel: (617) 555-0199   "
                 "Fax: (617) 555-0100\n(Registrant's telephone number, including area code)\n",
                 ("100 Cedar Street", "Boston", "MA", "02110", "617", "555-0199"),
                 id="tel-and-fax-on-one-line"),
    pytest.param("42 Quarry Road\nUnit 7\nMt. Laurel, New Jersey 08054\n"
                 "Telephone: (856) 555-0199\nFacsimile: (856) 555-0100\n" + COMBINED_LABEL,
                 ("42 Quarry Road", "Mt. Laurel", "NJ", "08054", "856", "555-0199"),
                 id="unit-line-telephone-facsimile"),
    pytest.param("42 Quarry Road\nFloor 3\nAustin, Texas 78701\nFax 512-555-0100\n"
                 "Phone 512-555-0199\n" + COMBINED_LABEL,
                 ("42 Quarry Road", "Austin", "TX", "78701", "512", "555-0199"),
                 id="floor-line-fax-first-no-colons"),
    pytest.param("42 Quarry Road\nSuite 12\nDenver, CO 80202-1234\n"
                 "(303) 555-0199\n(303) 555-0100 (fax)\n" + COMBINED_LABEL,
                 ("42 Quarry Road", "Denver", "CO", "80202-1234", "303", "555-0199"),
                 id="fax-marked-after-the-number"),
    pytest.param("Address of principal executive offices: 100 Cedar Street, St. Paul, "
                 "Minnesota 55101\n" + PHONE,
                 ("100 Cedar Street", "St. Paul", "MN", "55101", "651", "555-0199"),
                 id="address-after-its-label-and-colon"),
    pytest.param("Address of Principal Executive Offices: 100 Cedar Street\n"
                 "St. Paul, MN 55101\n" + PHONE,
                 ("100 Cedar Street", "St. Paul", "MN", "55101", "651", "555-0199"),
                 id="address-after-its-label-city-next-line"),
]
FIELDS = ("EntityAddressAddressLine1", "EntityAddressCityOrTown", "EntityAddressStateOrProvince",
          "EntityAddressPostalZipCode", "CityAreaCode", "LocalPhoneNumber")


@pytest.mark.parametrize(("block", "expected"), MULTILINE_CASES)
def test_multiline_address_with_tel_and_fax(block: str, expected: tuple[str, ...]) -> None:
    got = cover_facts(block)
    assert tuple(got.get(f) for f in FIELDS) == expected


# several numbers for one field: the catalogue guideline (the telephone, never the fax)
PHONE_CASES = [
    pytest.param("Registrant's telephone number, including area code: (651) 555-0199; "
                 "fax (651) 555-0100\n", "555-0199", id="after-label-then-fax"),
    pytest.param("Registrant's telephone number, including area code: Tel. (651) 555-0199\n",
                 "555-0199", id="after-label-with-tel-word"),
    pytest.param("(651) 555-0199\n(Registrant's telephone number, including area code)\n",
                 "555-0199", id="above-label-unlabelled"),
    pytest.param("Tel. (651) 555-0199 / Tel. (651) 555-0177\n"
                 "(Registrant's telephone number, including area code)\n",
                 "555-0199", id="two-tel-numbers-first-printed"),
]


@pytest.mark.parametrize(("phone_block", "local"), PHONE_CASES)
def test_registrant_telephone_is_never_the_fax(phone_block: str, local: str) -> None:
    got = cover_facts("100 Cedar Street, St. Paul, Minnesota 55101\n" + LABEL + phone_block)
    assert got.get("LocalPhoneNumber") == local
    assert got.get("CityAreaCode") == "651"


def test_former_name_and_address_are_not_the_registrant() -> None:
    """Old and new values on one cover: the current name and address (catalogue guideline)."""
    got = cover_facts("100 Cedar Street, St. Paul, Minnesota 55101\n" + LABEL + PHONE
                      + "Northwind Old Name Corp., 9 Elm Road, Duluth, Minnesota 55802\n"
                      "(Former name or former address, if changed since last report)\n")
    assert got["EntityRegistrantName"] == "NORTHWIND SAMPLE HOLDINGS, INC."
    assert got["EntityAddressCityOrTown"] == "St. Paul"
    assert got["EntityAddressPostalZipCode"] == "55101"
    assert got["LocalPhoneNumber"] == "555-0199"


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param("Tel. (651) 555-0199", True, id="tel"),
    pytest.param("Fax: 651.555.0100", True, id="fax"),
    pytest.param("T: (651) 555-0199  F: (651) 555-0100", True, id="t-and-f"),
    pytest.param("(651) 555-0199", True, id="bare-number"),
    pytest.param("Toll free 800-555-0199", True, id="toll-free"),
    pytest.param("St. Paul, MN 55101", False, id="city-line"),
    pytest.param("100 Cedar Street, Suite 555", False, id="street-line"),
])
def test_is_phone_line(line: str, expected: bool) -> None:
    assert is_phone_line(line) is expected


@pytest.mark.parametrize(("block", "line1"), [
    pytest.param("401 Sample Ave. Suite 1650, Austin, Texas 78701\n" + LABEL + PHONE,
                 "401 Sample Ave.", id="suite-after-street-no-comma"),
    pytest.param("100 Cedar Street 37th Floor, New York, NY 10001\n" + LABEL + PHONE,
                 "100 Cedar Street", id="ordinal-floor"),
    pytest.param("12 Oak Lane #200\nBoise, Idaho 83702\n" + LABEL + PHONE,
                 "12 Oak Lane", id="hash-unit-own-line"),
    pytest.param("One Sample Center, Suite 100, Dallas, TX 75201\n" + LABEL + PHONE,
                 "One Sample Center", id="building-name-comma-suite"),
])
def test_line1_leaves_the_suite_to_line2(block: str, line1: str) -> None:
    assert cover_facts(block).get("EntityAddressAddressLine1") == line1


def test_earliest_event_date_broken_over_two_lines() -> None:
    """"(August 25,\\n2000)": the date in parentheses continues on the next line."""
    text = HEAD.replace("Date of Report (Date of earliest event reported): May 2, 2022",
                        "Date of Report (Date of earliest event reported):  May 9,2022  (May 6,\n"
                        "2022)")
    assert "(May 6,\n2022)" in text
    facts = {f.field: f.value for f in EX.extract(Document(doc_id="t", text=text + TAIL)).facts}
    assert facts["dei:DocumentPeriodEndDate"] == "2022-05-06"
