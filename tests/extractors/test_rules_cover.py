# ruff: noqa: E501  (verbatim filing text is kept on its original lines)
"""Cover-page rules of the ``rules`` extractor, on real snippets.

Every snippet is pasted from a seed (``/work/shared/seeds``), from a filing of
the corpus *pool* as canonical text (``filingkit.ingest``), or from a gold filing of
the ``dev`` split (``gold/filings/splits.json``), named in a comment. Filings of the
``test`` split are held out and never used here.
"""

from __future__ import annotations

from typing import Any

import pytest

from filingkit.extractors.rules import RulesExtractor
from filingkit.records import Document

EX = RulesExtractor()


def facts(text: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for f in EX.extract(Document(doc_id="t", text=text)).facts:
        out.setdefault(f.field, []).append(f.value)
    return out


def one(text: str, field: str) -> Any:
    got = facts(text).get(field)
    return got[0] if got else None


# seed 000 (ImmunoGen 2005): tab-separated triple, one-line address, "o" boxes
SEED_000_COVER = """UNITED STATES SECURITIES AND EXCHANGE COMMISSION

Washington, D.C. 20549

FORM 8-K

CURRENT REPORT

PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934

Date of Report (Date of earliest event reported): March 15, 2005

ImmunoGen, Inc.

(Exact name of registrant as specified in its charter)

Massachusetts	0-17999	04-2726691
(State or other	(Commission	(IRS Employer
jurisdiction of	File Number)	Identification No.)
incorporation)\t\t

128 Sidney Street, Cambridge, MA 02139

(Address of principal executive offices) (Zip Code)

Registrant's telephone number, including area code: (617) 995-2500

Check the appropriate box below if the Form 8-K filing is intended to simultaneously satisfy the filing obligation of the registrant under any of the following provisions (see General Instruction A.2. below):

- o Written communications pursuant to Rule 425 under the Securities Act (17 CFR 230.425)
- o Soliciting material pursuant to Rule 14a-12 under the Exchange Act (17 CFR 240.14a-12)
- o Pre-commencement communications pursuant to Rule 14d-2(b) under the Exchange Act (17 CFR 240.14d-2(b))
- o Pre-commencement communications pursuant to Rule 13e-4(c) under the Exchange Act (17 CFR 240.13e-4(c))

ITEM 8.01 — OTHER EVENTS
"""

# seed 001 (ImmunoGen 2005): label after each value, EIN in markdown bold
SEED_001_TRIPLE = """Date of Report (Date of earliest event reported): September 6, 2005

ImmunoGen, Inc.

(Exact name of registrant as specified in its charter)

Massachusetts (State or other jurisdiction of

incorporation)

0-17999 (Commission File Number) **04-2726691** (IRS Employer Identification No.)

128 Sidney Street, Cambridge, MA 02139

(Address of principal executive offices) (Zip Code)
"""

# pool 0000950124-01-000024 (Stockwalk Group 2001, SGML plain text): dashed rules under the
# values, wide columns, phone with dots under the value, no check boxes (pre-2004 cover)
STOCKWALK_2001 = """                       SECURITIES AND EXCHANGE COMMISSION
                              WASHINGTON, DC 20549

                                    FORM 8-K

                                 CURRENT REPORT
                     PURSUANT TO SECTION 13 OR 15(D) OF THE
                         SECURITIES EXCHANGE ACT OF 1934

Date of report (Date of earliest event reported)         January 1, 2001
                                                -------------------------------

                              Stockwalk Group, Inc.
- -------------------------------------------------------------------------------
             (Exact Name of Registrant as Specified in Its Charter)

         Minnesota                       0-22247                 41-1756256
- -----------------------------    ------------------------   --------------------
(State or Other Jurisdiction     (Commission File Number)      (IRS Employer
     of Incorporation)                                       Identification No.)

   5500 Wayzata Boulevard, Suite 800, Minneapolis, Minnesota          55416
- --------------------------------------------------------------    -------------
            (Address of Principal Executive Offices)               (Zip Code)

                                  763.542.6000
- -------------------------------------------------------------------------------
              (Registrant's Telephone Number, Including Area Code)

- -------------------------------------------------------------------------------
          (Former Name or Former Address, if Changed Since Last Report)

ITEM 5.  OTHER EVENTS.

The registrant has announced that on January 1, 2001, it changed its name from
Stockwalk.com Group, Inc. to Stockwalk Group, Inc.
"""

# pool 0001125282-04-002113 (Asta Funding 2004, SGML): stacked lines, date under the label
ASTA_2004 = """                                    FORM 8-K

                                 CURRENT REPORT
     PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934

                DATE OF REPORT (DATE OF EARLIEST EVENT REPORTED)
                                  May 12, 2004


                               ASTA FUNDING, INC.
                               ------------------
             (Exact name of registrant as specified in its charter)


                                    Delaware
                               ------------------
                 (State or other jurisdiction of incorporation)


        0-26906                                           22-3388607
- ------------------------                      ----------------------------------
(Commission File Number)                      (IRS Employer Identification No.)


         210 Sylvan Avenue, Englewood Cliffs, New Jersey          07632
- --------------------------------------------------------------------------------
(Address of principal executive offices)                         (Zip Code)


         Registrant's telephone number, including area code: 201-567-5648
"""

# pool 0001171843-23-000639 (Worthington 2023, inline XBRL): tab-separated cells, two-line
# address, phone above its label, 12(b) table, emerging growth company box
WORTHINGTON_2023 = """FORM 8-K
_________________
CURRENT REPORT
Pursuant to Section 13 or 15(d)
of the Securities Exchange Act of 1934
Date of Report (Date of earliest event reported): February 2, 2023
_______________________________

WORTHINGTON INDUSTRIES INC

(Exact name of registrant as specified in its charter)

_______________________________

Ohio\t1-8399\t31-1189815
(State or Other Jurisdiction of Incorporation)\t(Commission File Number)\t(I.R.S. Employer Identification No.)

200 Old Wilson Bridge Road

Columbus, Ohio 43085

(Address of Principal Executive Offices) (Zip Code)

(614) 438-3210

(Registrant's telephone number, including area code)

Not Applicable

(Former name or former address, if changed since last report)

_______________________________

Check the appropriate box below if the Form 8-K filing is intended to simultaneously satisfy the filing obligation of the registrant under any of the following provisions:

☐\tWritten communications pursuant to Rule 425 under the Securities Act (17 CFR 230.425)
☐\tSoliciting material pursuant to Rule 14a-12 under the Exchange Act (17 CFR 240.14a-12)
☐\tPre-commencement communications pursuant to Rule 14d-2(b) under the Exchange Act (17 CFR 240.14d-2(b))
☐\tPre-commencement communications pursuant to Rule 13e-4(c) under the Exchange Act (17 CFR 240.13e-4(c))

Securities registered pursuant to Section 12(b) of the Act:

Title of each class\tTrading Symbol(s)\tName of each exchange on which registered
Common Shares, without par value\tWOR\tNYSE

Indicate by check mark whether the registrant is an emerging growth company as defined in Rule 405 of the Securities Act of 1933 (§230.405 of this chapter) or Rule 12b-2 of the Securities Exchange Act of 1934 (§240.12b-2 of this chapter).

Emerging growth company ☐

If an emerging growth company, indicate by check mark if the registrant has elected not to use the extended transition period for complying with any new or revised financial accounting standards provided pursuant to Section 13(a) of the Exchange Act. ☐

Item 7.01 Regulation FD Disclosure.
"""

# pool 0001193125-23-253874 (Worthington 2023, inline XBRL): street and city on one line,
# phone after its label
WORTHINGTON_ONE_LINE = """Date of Report (Date of earliest event reported): October 11, 2023

WORTHINGTON INDUSTRIES, INC.

(Exact name of Registrant as Specified in Its Charter)

Ohio\t001-08399\t31-1189815
(State or Other Jurisdiction of Incorporation)\t(Commission File Number)\t(IRS Employer Identification No.)

200 West Old Wilson Bridge Road Columbus, Ohio\t43085
(Address of Principal Executive Offices)\t(Zip Code)

Registrant’s Telephone Number, Including Area Code: (614) 438-3210
"""

# pool 0001002517-21-000010 (Nuance 2021, inline XBRL): state printed as its code "DE"
NUANCE_2021 = """Date of Report (Date of earliest event reported):
February 2, 2021
_________________________________
NUANCE COMMUNICATIONS, INC.
(Exact name of registrant as specified in its charter)
_________________________________

DE\t000-27038\t94-3156479
(State or other jurisdiction of incorporation)\t(Commission File Number)\t(IRS Employer Identification No.)

1 Wayside Road
Burlington, MA 01803
(Address of Principal Executive Offices) (Zip Code)
(781) 565-5000
(Registrant’s telephone number, including area code)
"""

# pool 0000100493-20-000014 (Tyson 2020): the 12(b) row carries a par value before the ticker
TYSON_12B = """Securities Registered Pursuant to Section 12(b) of the Act:
Title of Each Class\tTrading Symbol\tName of Each Exchange on Which Registered
Class A Common Stock, Par Value $0.10\tTSN\tNew York Stock Exchange
Class B stock is not publicly listed for trade on any exchange or market system.
Indicate by check mark whether the registrant is an emerging growth company
"""

COVER_CASES = [
    # (snippet, field, expected)
    (SEED_000_COVER, "dei:DocumentType", "8-K"),
    (SEED_000_COVER, "dei:DocumentPeriodEndDate", "2005-03-15"),
    (SEED_000_COVER, "dei:EntityRegistrantName", "ImmunoGen, Inc."),
    (SEED_000_COVER, "dei:EntityIncorporationStateCountryCode", "MA"),
    (SEED_000_COVER, "dei:EntityFileNumber", "000-17999"),
    (SEED_000_COVER, "dei:EntityTaxIdentificationNumber", "04-2726691"),
    (SEED_000_COVER, "dei:EntityAddressAddressLine1", "128 Sidney Street"),
    (SEED_000_COVER, "dei:EntityAddressCityOrTown", "Cambridge"),
    (SEED_000_COVER, "dei:EntityAddressStateOrProvince", "MA"),
    (SEED_000_COVER, "dei:EntityAddressPostalZipCode", "02139"),
    (SEED_000_COVER, "dei:CityAreaCode", "617"),
    (SEED_000_COVER, "dei:LocalPhoneNumber", "995-2500"),
    (SEED_000_COVER, "dei:WrittenCommunications", False),
    (SEED_000_COVER, "dei:PreCommencementIssuerTenderOffer", False),
    (SEED_001_TRIPLE, "dei:EntityIncorporationStateCountryCode", "MA"),
    (SEED_001_TRIPLE, "dei:EntityFileNumber", "000-17999"),
    (SEED_001_TRIPLE, "dei:EntityTaxIdentificationNumber", "04-2726691"),
    (STOCKWALK_2001, "dei:DocumentPeriodEndDate", "2001-01-01"),
    (STOCKWALK_2001, "dei:EntityRegistrantName", "Stockwalk Group, Inc."),
    (STOCKWALK_2001, "dei:EntityIncorporationStateCountryCode", "MN"),
    (STOCKWALK_2001, "dei:EntityFileNumber", "000-22247"),
    (STOCKWALK_2001, "dei:EntityTaxIdentificationNumber", "41-1756256"),
    (STOCKWALK_2001, "dei:EntityAddressAddressLine1", "5500 Wayzata Boulevard"),
    (STOCKWALK_2001, "dei:EntityAddressCityOrTown", "Minneapolis"),
    (STOCKWALK_2001, "dei:EntityAddressStateOrProvince", "MN"),
    (STOCKWALK_2001, "dei:EntityAddressPostalZipCode", "55416"),
    (STOCKWALK_2001, "dei:CityAreaCode", "763"),
    (STOCKWALK_2001, "dei:LocalPhoneNumber", "542-6000"),
    (ASTA_2004, "dei:DocumentPeriodEndDate", "2004-05-12"),
    (ASTA_2004, "dei:EntityRegistrantName", "ASTA FUNDING, INC."),
    (ASTA_2004, "dei:EntityIncorporationStateCountryCode", "DE"),
    (ASTA_2004, "dei:EntityFileNumber", "000-26906"),
    (ASTA_2004, "dei:EntityTaxIdentificationNumber", "22-3388607"),
    (ASTA_2004, "dei:EntityAddressCityOrTown", "Englewood Cliffs"),
    (ASTA_2004, "dei:EntityAddressStateOrProvince", "NJ"),
    (ASTA_2004, "dei:EntityAddressPostalZipCode", "07632"),
    (ASTA_2004, "dei:CityAreaCode", "201"),
    (ASTA_2004, "dei:LocalPhoneNumber", "567-5648"),
    (WORTHINGTON_2023, "dei:EntityRegistrantName", "WORTHINGTON INDUSTRIES INC"),
    (WORTHINGTON_2023, "dei:EntityFileNumber", "001-08399"),
    (WORTHINGTON_2023, "dei:EntityIncorporationStateCountryCode", "OH"),
    (WORTHINGTON_2023, "dei:EntityAddressAddressLine1", "200 Old Wilson Bridge Road"),
    (WORTHINGTON_2023, "dei:EntityAddressCityOrTown", "Columbus"),
    (WORTHINGTON_2023, "dei:EntityAddressStateOrProvince", "OH"),
    (WORTHINGTON_2023, "dei:CityAreaCode", "614"),
    (WORTHINGTON_2023, "dei:LocalPhoneNumber", "438-3210"),
    (WORTHINGTON_2023, "dei:EntityEmergingGrowthCompany", False),
    (WORTHINGTON_2023, "dei:SolicitingMaterial", False),
    (WORTHINGTON_ONE_LINE, "dei:EntityAddressAddressLine1", "200 West Old Wilson Bridge Road"),
    (WORTHINGTON_ONE_LINE, "dei:EntityAddressCityOrTown", "Columbus"),
    (WORTHINGTON_ONE_LINE, "dei:EntityAddressPostalZipCode", "43085"),
    (WORTHINGTON_ONE_LINE, "dei:EntityFileNumber", "001-08399"),
    (WORTHINGTON_ONE_LINE, "dei:LocalPhoneNumber", "438-3210"),
    (NUANCE_2021, "dei:DocumentPeriodEndDate", "2021-02-02"),
    (NUANCE_2021, "dei:EntityIncorporationStateCountryCode", "DE"),
    (NUANCE_2021, "dei:EntityAddressCityOrTown", "Burlington"),
    (NUANCE_2021, "dei:EntityAddressStateOrProvince", "MA"),
    (NUANCE_2021, "dei:CityAreaCode", "781"),
]


@pytest.mark.parametrize(("text", "field", "expected"), COVER_CASES,
                         ids=[f"{i}-{c[1]}" for i, c in enumerate(COVER_CASES)])
def test_cover_field(text: str, field: str, expected: Any) -> None:
    assert one(text, field) == expected


def test_pre_2004_cover_has_no_check_boxes_and_no_egc() -> None:
    got = facts(STOCKWALK_2001)
    for field in ("dei:WrittenCommunications", "dei:SolicitingMaterial",
                  "dei:PreCommencementTenderOffer", "dei:PreCommencementIssuerTenderOffer",
                  "dei:EntityEmergingGrowthCompany", "dei:TradingSymbol"):
        assert field not in got


def test_no_emerging_growth_box_before_2017() -> None:
    assert "dei:EntityEmergingGrowthCompany" not in facts(SEED_000_COVER)


# the two-date trap: "report date (earliest event date)" -> the earliest event date
TWO_DATES = [
    # pool 0000100493-17-000074 (Tyson 2017)
    ("Date of report (Date of earliest event reported): April 28, 2017 (April 25, 2017)\n",
     "2017-04-25"),
    # pool 0000950123-11-095986 (Nuance 2011): the dates on the line under the label
    ("Date of Report (Date of earliest event reported):\nNovember 7, 2011 (November 1, 2011)\n"
     "NUANCE COMMUNICATIONS, INC.\n", "2011-11-01"),
    # pool 0000914260-00-000030 (Innovative Clinical Solutions 2000)
    ("  Date of Report (Date of earliest event reported): May 23, 2000 (May 22, 2000)\n",
     "2000-05-22"),
    # seed 002: one date
    ("Date of Report (Date of earliest event reported): October 17, 2007\n\nImmunoGen, Inc.\n",
     "2007-10-17"),
]


@pytest.mark.parametrize(("text", "expected"), TWO_DATES)
def test_two_date_trap(text: str, expected: str) -> None:
    assert one(text, "dei:DocumentPeriodEndDate") == expected


BOXES = "Check the appropriate box below:\n{m}Written communications pursuant to Rule 425 under the Securities Act (17 CFR 230.425)\n"
CHECKBOX_CASES = [
    ("- o ", False),   # seed 000 (markdown bullet, "o")
    ("o ", False),     # seed 001
    ("☐\t", False),    # pool 0001171843-23-000639 (Worthington 2023)
    ("☒\t", True),
    ("[ ] ", False),   # pool 0000939057-08-000376 (Horizon Financial 2008)
    ("[X] ", True),
    ("¨ ", False),     # pool 0000100493-17-000064 (Tyson 2017 html, Wingdings "¨")
    ("þ\t", True),     # pool 0000950135-07-003247 (Nuance 2007, Rule 425 box ticked)
    ("|_| ", False),   # pool 0001125282-05-002435 (Asta Funding 2005)
    ("x ", True),
]


@pytest.mark.parametrize(("mark", "expected"), CHECKBOX_CASES)
def test_checkbox_variants(mark: str, expected: bool) -> None:
    assert one(BOXES.format(m=mark), "dei:WrittenCommunications") is expected


def test_checkbox_label_without_a_mark_emits_nothing() -> None:
    text = BOXES.format(m="")
    assert "dei:WrittenCommunications" not in facts(text)


def test_section_12b_table() -> None:
    got = facts(TYSON_12B)
    assert got["dei:TradingSymbol"] == ["TSN"]
    assert got["dei:SecurityExchangeName"] == ["NYSE"]
    got = facts(WORTHINGTON_2023)
    assert got["dei:TradingSymbol"] == ["WOR"]
    assert got["dei:SecurityExchangeName"] == ["NYSE"]


def test_section_12b_two_rows() -> None:
    # the layout of pool 0001002517-19-000033 (Nuance 2019), with a second row added
    text = ("Securities registered pursuant to Section 12(b) of the Act:\n"
            "Title of each class\tTrading Symbol(s)\tName of each exchange on which registered\n"
            "Common stock, $0.001 par value per share\tNUAN\tThe NASDAQ Stock Market LLC\n"
            "Depositary Shares\tNUAN.P\tThe NASDAQ Stock Market LLC\n"
            "Check the appropriate box below\n")
    got = facts(text)
    assert got["dei:TradingSymbol"] == ["NUAN", "NUAN.P"]
    assert got["dei:SecurityExchangeName"] == ["NASDAQ", "NASDAQ"]


def test_amendment_form_type() -> None:
    text = "FORM 8-K/A\n(Amendment No. 1)\n\nCURRENT REPORT\n"
    assert one(text, "dei:DocumentType") == "8-K/A"
    assert one("FORM 8-K\n(Amendment No. 1)\n", "dei:DocumentType") == "8-K/A"


def test_evidence_points_at_the_value() -> None:
    doc = Document(doc_id="t", text=SEED_000_COVER)
    for f in EX.extract(doc).facts:
        for ev in f.evidence:
            assert doc.text[ev.start:ev.end] == ev.text
    ann = EX.extract(doc)
    ein = next(f for f in ann.facts if f.field == "dei:EntityTaxIdentificationNumber")
    assert ein.evidence[0].text == "04-2726691"
    reg = next(f for f in ann.facts if f.field == "dei:EntityRegistrantName")
    assert reg.evidence[0].text == "ImmunoGen, Inc."


# ---------------------------------------------------------------- layouts of the gold dev split

# curated dev 0000109446-94-000005 (Zurn Industries, March 1994): no printed labels under the
# values; the date and the name stand alone, the address under "Address and Telephone Number"
ZURN_1994 = """                                   FORM 8-K
                                CURRENT REPORT

                      SECURITIES AND EXCHANGE COMMISSION
                             Washington, DC 20549

    Pursuant to Section 13 or 15(d) of the Securities Exchange Act of 1934

                                March 22, 1994

                             ZURN INDUSTRIES, INC.

                                                                 IRS Employer
    State of                      Commission                    Identification
  Incorporation                   File Number                       Number
  Pennsylvania                      1-5502                       25-1040754

                                  Address and
                               Telephone Number
                                One Zurn Place
                           Erie, Pennsylvania  16505
                                 814-452-2111
"""


# curated dev 0000092122-19-000063 (Southern Company, 2019): combined filing, one table row per
# registrant; the first registrant's name, "(A Delaware Corporation)", address and phone
SOUTHERN_2019 = """Date of Report (Date of earliest event reported)\tDecember 17, 2019

Commission File Number\tRegistrant, State of Incorporation, Address and Telephone Number\tI.R.S. Employer Identification No.

1-3526\tThe Southern Company\t58-0690070

(A Delaware Corporation)
30 Ivan Allen Jr. Boulevard, N.W.
Atlanta, Georgia 30308
(404) 506-5000

1-6468\tGeorgia Power Company\t58-0257110

(A Georgia Corporation)
241 Ralph McGill Boulevard, N.E.
Atlanta, Georgia 30308
(404) 506-6526
"""


# curated dev 0000891092-04-003383 (Sears, Roebuck, 2004): the zip in a column of its own on the
# street line, the city and state on the next line over "(Zip code)"
SEARS_2004 = """         Date of Report (Date of earliest event reported): July 22, 2004

                             SEARS, ROEBUCK AND CO.
               (Exact name of registrant as specified in charter)

                                    New York
                 (State or Other Jurisdiction of Incorporation)

          1-416                                        36-1750680
 (Commission File Number)                   (IRS Employer Identification No.)

           3333 Beverly Road                             60179
       Hoffman Estates, Illinois                       (Zip code)
(Address of principal executive offices)

       Registrant's telephone number, including area code: (847) 286-2500
"""


# curated dev 0000950124-01-503539 (Stockwalk Group, October 2001): the address on the label's line,
# the zip after the label with its own "(Zip Code)"
STOCKWALK_OCT_2001 = """Date of report (Date of earliest event reported) October 2, 2001

Stockwalk Group, Inc.
(Exact Name of Registrant as Specified in Its Charter)

Minnesota (State or Other Jurisdiction)\t0-22247 (Commission File Number) of Incorporation)\t41-1756256 (IRS Employer Identification No.)
5500 Wayzata Boulevard, Suite 800, Minneapolis, Minnesota (Address of Principal Executive Offices)\t55416 (Zip Code)

763.542.6000
(Registrant’s Telephone Number, Including Area Code)
"""


# curated dev 0001164150-07-000163 (ExperTelligence, 2007): Canadian postal code, a rural route
# before the town, "[_]" check boxes
EXPERTELLIGENCE_2007 = """Date of Report (Date of earliest event reported) November 19, 2007

                              ExperTelligence, Inc.
- --------------------------------------------------------------------------------
             (Exact name of registrant as specified in its charter)

      Nevada                    000-11596                95-3506403
- --------------------------------------------------------------------------------
(State or other jurisdiction  (Commission File Number)   (IRS Employer
  of incorporation)                                          Identification No.)

   83 Stanley Road, UN 1 Box 103, RR6 Woodville, Ontario K0M 2T0
- --------------------------------------------------------------------------------
(Address of principal executive offices)                            (Zip Code)

Registrant's telephone number, including area code: (416) 554-6546

                                      N/A
- --------------------------------------------------------------------------------
         (Former name or former address, if changed since last report.)

- ----------------------
Check  the  appropriate  box  below  if the  Form  8-K  filing  is  intended  to
simultaneously  satisfy the filing obligation of the registrant under any of the
following provisions (see General Instruction A.2. below):

[_]  Written  communications  pursuant to Rule 425 under the  Securities Act (17
     CFR 230.425)

[_]  Soliciting  material pursuant to Rule 14a-12 under the Exchange Act (17 CFR
     240.14a-12)

[_]  Pre-commencement   communications  pursuant  to  Rule  14d-2(b)  under  the
     Exchange Act (17 CFR 240.14d-2(b))
"""


# curated dev 0001193125-23-289222 (Worthington Enterprises, November 2023): the zip printed twice
WORTHINGTON_NOV_2023 = """Date of Report (Date of earliest event reported): November 30, 2023

WORTHINGTON ENTERPRISES, INC.

(Exact name of registrant as specified in its charter)

Ohio\t001-08399\t31-1189815
(State or other jurisdiction of incorporation)\t(Commission File Number)\t(I.R.S. Employer Identification No.)

200 West Old Wilson Bridge Road Columbus, OH 43085\t43085
(Address of principal executive offices)\t(Zip code)

(614) 438-3210

(Registrant’s telephone number, including area code)
"""


# curated dev flws-8k-2023-12-14 (1-800-Flowers, 2023): the date of report without its label
FLOWERS_2023 = """FORM 8-K
CURRENT REPORT
Pursuant to Section 13 or 15(d) of the
Securities Exchange Act of 1934
December 14, 2023
1-800-FLOWERS.COM, INC.
(Exact name of registrant as specified in its charter)

Delaware\t0-26841\t11-3117311
(State of incorporation)\t(Commission File Number)\t(IRS Employer Identification No.)

Two Jericho Plaza, Suite 200
Jericho, New York 11753
(Address of principal executive offices) (Zip Code)
"""


# curated dev 0001045810-26-000024 (NVIDIA, 2026): "Emerging Growth Company" in title case
NVIDIA_EGC = """Indicate by check mark whether the registrant is an emerging growth company as defined in Rule 405 of the Securities Act of 1933 (§230.405 of this chapter) or Rule 12b-2 of the Securities Exchange Act of 1934 (§240.12b-2 of this chapter).

Emerging Growth Company ☐
"""


# curated dev 0000018230-22-000107 (Caterpillar, 2022): header "... exchange which registered"
CATERPILLAR_12B = """Securities registered pursuant to Section 12(b) of the Act:

Title of each class\tTrading Symbol (s)\tName of each exchange which registered
Common Stock ($1.00 par value)\tCAT\tThe New York Stock Exchange
8% Debentures due February 15, 2023\tCAT23\tThe New York Stock Exchange
5.3% Debentures due September 15, 2035\tCAT35\tThe New York Stock Exchange
"""


# curated dev 0000019617-26-000241 (JPMorgan Chase, 2026): symbols with spaces (first rows)
JPM_12B = """Securities registered pursuant to Section 12(b) of the Act:

Title of each class\tTrading Symbol(s)\tName of each exchange on which registered
Common stock\tJPM\tThe New York Stock Exchange
Depositary Shares, each representing a one-four hundredth interest in a share of 5.75% Non-Cumulative Preferred Stock, Series DD\tJPM PR D\tThe New York Stock Exchange
Depositary Shares, each representing a one-four hundredth interest in a share of 6.00% Non-Cumulative Preferred Stock, Series EE\tJPM PR C\tThe New York Stock Exchange
"""


# curated dev synovus-8k-2023-09-18 (Synovus, 2023): mixed-case series suffixes
SYNOVUS_12B = """Securities registered pursuant to Section 12(b) of the Act:

Title of each class\tTrading Symbol\tName of each exchange on which registered
Common Stock, $1.00 Par Value\tSNV\tNew York Stock Exchange
Fixed-to-Floating Rate Non-Cumulative Perpetual Preferred Stock, Series D\tSNV-PrD\tNew York Stock Exchange
Fixed-Rate Reset Non-Cumulative Perpetual Preferred Stock, Series E\tSNV-PrE\tNew York Stock Exchange

Indicate by check mark
"""


# curated dev 0001193125-19-191922 (Oracle, 2019): one symbol cell shared by three rows
ORACLE_12B = """Securities registered pursuant to Section 12(b) of the Act:

Title of each class\tTrading Symbol(s)\tName of each exchange on which registered
Common Stock, par value $0.01 per share 2.25% senior notes due January 2021 3.125% senior notes due July 2025\tORCL\tNew York Stock Exchange New York Stock Exchange New York Stock Exchange

Indicate by check mark
"""



DEV_COVER_CASES = [
    # no labels: the date and the name alone on their lines, labels above the values
    (ZURN_1994, "dei:DocumentPeriodEndDate", "1994-03-22"),
    (ZURN_1994, "dei:EntityRegistrantName", "ZURN INDUSTRIES, INC."),
    (ZURN_1994, "dei:EntityIncorporationStateCountryCode", "PA"),  # not "Washington, DC"
    (ZURN_1994, "dei:EntityFileNumber", "001-05502"),
    (ZURN_1994, "dei:EntityTaxIdentificationNumber", "25-1040754"),
    (ZURN_1994, "dei:EntityAddressAddressLine1", "One Zurn Place"),
    (ZURN_1994, "dei:EntityAddressCityOrTown", "Erie"),
    (ZURN_1994, "dei:EntityAddressStateOrProvince", "PA"),
    (ZURN_1994, "dei:EntityAddressPostalZipCode", "16505"),
    (ZURN_1994, "dei:CityAreaCode", "814"),
    (ZURN_1994, "dei:LocalPhoneNumber", "452-2111"),
    # combined filing table: the first registrant's row
    (SOUTHERN_2019, "dei:EntityRegistrantName", "The Southern Company"),
    (SOUTHERN_2019, "dei:EntityIncorporationStateCountryCode", "DE"),
    (SOUTHERN_2019, "dei:EntityFileNumber", "001-03526"),
    (SOUTHERN_2019, "dei:EntityTaxIdentificationNumber", "58-0690070"),
    (SOUTHERN_2019, "dei:EntityAddressAddressLine1", "30 Ivan Allen Jr. Boulevard, N.W."),
    (SOUTHERN_2019, "dei:EntityAddressCityOrTown", "Atlanta"),
    (SOUTHERN_2019, "dei:EntityAddressStateOrProvince", "GA"),
    (SOUTHERN_2019, "dei:EntityAddressPostalZipCode", "30308"),
    (SOUTHERN_2019, "dei:CityAreaCode", "404"),
    (SOUTHERN_2019, "dei:LocalPhoneNumber", "506-5000"),
    # the zip in a column of its own
    (SEARS_2004, "dei:EntityAddressAddressLine1", "3333 Beverly Road"),
    (SEARS_2004, "dei:EntityAddressCityOrTown", "Hoffman Estates"),
    (SEARS_2004, "dei:EntityAddressStateOrProvince", "IL"),
    (SEARS_2004, "dei:EntityAddressPostalZipCode", "60179"),
    # the zip after the address label
    (STOCKWALK_OCT_2001, "dei:EntityAddressAddressLine1", "5500 Wayzata Boulevard"),
    (STOCKWALK_OCT_2001, "dei:EntityAddressCityOrTown", "Minneapolis"),
    (STOCKWALK_OCT_2001, "dei:EntityAddressStateOrProvince", "MN"),
    (STOCKWALK_OCT_2001, "dei:EntityAddressPostalZipCode", "55416"),
    # Canadian postal code, rural route, "[_]" boxes
    (EXPERTELLIGENCE_2007, "dei:EntityAddressAddressLine1", "83 Stanley Road"),
    (EXPERTELLIGENCE_2007, "dei:EntityAddressCityOrTown", "Woodville"),
    (EXPERTELLIGENCE_2007, "dei:EntityAddressStateOrProvince", "A6"),
    (EXPERTELLIGENCE_2007, "dei:EntityAddressPostalZipCode", "K0M 2T0"),
    (EXPERTELLIGENCE_2007, "dei:WrittenCommunications", False),
    (EXPERTELLIGENCE_2007, "dei:PreCommencementTenderOffer", False),
    # the zip printed twice
    (WORTHINGTON_NOV_2023, "dei:EntityAddressAddressLine1", "200 West Old Wilson Bridge Road"),
    (WORTHINGTON_NOV_2023, "dei:EntityAddressCityOrTown", "Columbus"),
    (WORTHINGTON_NOV_2023, "dei:EntityAddressStateOrProvince", "OH"),
    (WORTHINGTON_NOV_2023, "dei:EntityAddressPostalZipCode", "43085"),
    # the date of report without its label
    (FLOWERS_2023, "dei:DocumentPeriodEndDate", "2023-12-14"),
    (FLOWERS_2023, "dei:EntityRegistrantName", "1-800-FLOWERS.COM, INC."),
    (FLOWERS_2023, "dei:EntityAddressAddressLine1", "Two Jericho Plaza"),
    (NVIDIA_EGC, "dei:EntityEmergingGrowthCompany", False),
]


@pytest.mark.parametrize(("text", "field", "expected"), DEV_COVER_CASES,
                         ids=[f"dev{i}-{c[1]}" for i, c in enumerate(DEV_COVER_CASES)])
def test_cover_field_dev_layouts(text: str, field: str, expected: Any) -> None:
    assert one(text, field) == expected


SECTION_12B_CASES = [
    (CATERPILLAR_12B, ["CAT", "CAT23", "CAT35"], ["NYSE", "NYSE", "NYSE"]),
    (JPM_12B, ["JPM", "JPM PR D", "JPM PR C"], ["NYSE", "NYSE", "NYSE"]),
    (SYNOVUS_12B, ["SNV", "SNV-PRD", "SNV-PRE"], ["NYSE", "NYSE", "NYSE"]),
    # one exchange per row even where the symbol cell is shared
    (ORACLE_12B, ["ORCL"], ["NYSE", "NYSE", "NYSE"]),
]


@pytest.mark.parametrize(("text", "symbols", "exchanges"), SECTION_12B_CASES)
def test_section_12b_dev_layouts(text: str, symbols: list[str], exchanges: list[str]) -> None:
    got = facts(text)
    assert got.get("dei:TradingSymbol") == symbols
    assert got.get("dei:SecurityExchangeName") == exchanges


def test_washington_dc_is_not_a_state_of_incorporation() -> None:
    # the SEC's own address above a cover without labels (ZURN_1994 layout)
    assert one(ZURN_1994, "dei:EntityIncorporationStateCountryCode") != "WA"
