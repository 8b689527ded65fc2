# ruff: noqa: E501  (verbatim filing text is kept on its original lines)
"""Filing-structure rules of the ``rules`` extractor: items, exhibits, signature block.

Snippets are pasted from the seeds, from pool filings (canonical text) and from
gold filings of the ``dev`` split (``gold/filings/splits.json``), named in comments;
filings of the ``test`` split are held out and never used.
"""

from __future__ import annotations

from typing import Any

import pytest

from filingkit.extractors.rules import RulesExtractor
from filingkit.records import Document, Segment

EX = RulesExtractor()


def facts(text: str, segments: tuple[Segment, ...] = ()) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for f in EX.extract(Document(doc_id="t", text=text, segments=segments)).facts:
        out.setdefault(f.field, []).append(f.value)
    return out


# pool 0001125282-04-002113 (Asta Funding, May 2004): legacy items 7 and 12
ASTA_ITEMS = """DATE OF REPORT (DATE OF EARLIEST EVENT REPORTED)
                                  May 12, 2004

Item 7.  Financial Statements and Exhibits.

(c) Exhibits

         99.1  Expanded credit facility press release of Asta Funding, Inc.
               dated May 12, 2004

         99.2  Earnings press release of Asta Funding, Inc. dated May 12, 2004.

Item 12. Results of Operations and Financial Condition

                  The information in this Current Report on Form 8-K and the
         Exhibit attached hereto shall not be deemed to be "filed".

         SIGNATURE

         Pursuant to the requirements of the Securities and Exchange Act of
1934, the Registrant has duly caused this report to be signed on its behalf by
the undersigned, thereunto duly authorized.

                                             ASTA FUNDING, INC.

Date: May 12, 2004                           By:  /s/ Mitchell Herman
     --------------                              -------------------------------
                                                      Mitchell Herman
                                                  Chief Financial Officer
"""

# pool 0000950124-01-000024 (Stockwalk Group, January 2001): "ITEM 5.  OTHER EVENTS."
STOCKWALK_ITEMS = """Date of report (Date of earliest event reported)         January 1, 2001

ITEM 5.  OTHER EVENTS.

The registrant has announced that on January 1, 2001, it changed its name.
"""

# seed 000 (ImmunoGen, March 2005): post-2004 codes, exhibit table, signature
SEED_000_STRUCTURE = """Date of Report (Date of earliest event reported): March 15, 2005

ITEM 8.01 — OTHER EVENTS

On March 17, 2005, ImmunoGen, Inc. issued a press release. A copy of the press release is attached to this current report on Form 8-K as Exhibit 99.1.

ITEM 9.01. FINANCIAL STATEMENTS AND EXHIBITS

Exhibit No.	Exhibit
99.1	Press Release of ImmunoGen, Inc. dated March 17, 2005

Pursuant to the requirements of the Securities Exchange Act of 1934, the Registrant has duly caused this report to be signed on its behalf by the undersigned hereunto duly authorized.

Date: March 17, 2005

ImmunoGen, Inc.

(Registrant)

/s/ Karleen M. Oberton

Karleen M. Oberton Senior Corporate Controller (Principal Accounting and Financial Officer)
"""

# seed 002 (ImmunoGen, October 2007): the exhibit number only in the glued exhibit index
SEED_002_INDEX = """Date of Report (Date of earliest event reported): October 17, 2007

ITEM 8.01 OTHER EVENTS

A copy of the press release is attached hereto as Exhibit 99.1 and is incorporated by reference in this Item 8.01.

ITEM 9.01. FINANCIAL STATEMENTS AND EXHIBITS

(d) The following exhibit is being filed herewith:

Exhibit

Press Release of ImmunoGen, Inc. dated October 17, 2007

2

SIGNATURES

Pursuant to the requirements of the Securities Exchange Act of 1934, the Registrant has duly caused this report to be signed on its behalf by the undersigned hereunto duly authorized.

ImmunoGen, Inc.

(Registrant)

/s/ Daniel M. Junius

Date: October 17, 2007

3

EXHIBIT INDEX

Exhibit No.Exhibit99.1Press Release of ImmunoGen, Inc. dated October 17, 2007

4
"""

# pool 0000950123-11-095986 (Nuance, November 2011): "Item 5.02(e):" is item 5.02
NUANCE_502E = """Date of Report (Date of earliest event reported):
November 7, 2011 (November 1, 2011)

Item 1.01 Entry into a Material Definitive Agreement.

Item 5.02(e): Departure of Directors or Certain Officers; Election of Directors
"""

# pool 0000950135-07-003247 (Nuance, May 2007): "2.1." with a trailing period, page number "2"
NUANCE_EXHIBITS = """Date of Report (Date of earliest event reported): May 14, 2007

Item 9.01. Financial Statements and Exhibits.
(d) Exhibits

2.1.\tAgreement and Plan of Merger by and among Nuance, Vicksburg Acquisition Corporation, dated as of May 14, 2007.
99.1\tPress Release dated May 15, 2007 by Nuance Communications, Inc.*

* This exhibit is "furnished" as part of this Current Report on Form 8-K and may only be incorporated by reference in another filing if such subsequent filing specifically references this exhibit.

2

SIGNATURES
Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant has duly caused this report to be signed on its behalf by the undersigned hereunto duly authorized.
"""

ITEM_CASES = [
    (ASTA_ITEMS, ["legacy:7", "legacy:12"]),
    (STOCKWALK_ITEMS, ["legacy:5"]),
    (SEED_000_STRUCTURE, ["8.01", "9.01"]),
    (NUANCE_502E, ["1.01", "5.02"]),
]


@pytest.mark.parametrize(("text", "expected"), ITEM_CASES)
def test_items(text: str, expected: list[str]) -> None:
    assert facts(text).get("filing:Items") == expected


def test_item_mentioned_in_running_text_is_not_an_item() -> None:
    got = facts(SEED_002_INDEX)
    assert got["filing:Items"] == ["8.01", "9.01"]  # not "in this Item 8.01" twice, not more


EXHIBIT_CASES = [
    (ASTA_ITEMS, ["99.1", "99.2"]),
    (SEED_000_STRUCTURE, ["99.1"]),
    (SEED_002_INDEX, ["99.1"]),
    (NUANCE_EXHIBITS, ["2.1", "99.1"]),
]


@pytest.mark.parametrize(("text", "expected"), EXHIBIT_CASES)
def test_exhibits(text: str, expected: list[str]) -> None:
    assert sorted(facts(text).get("filing:Exhibits", [])) == sorted(expected)


SIGNATURE_CASES = [
    (SEED_000_STRUCTURE, "Karleen M. Oberton",
     "Senior Corporate Controller (Principal Accounting and Financial Officer)", "2005-03-17"),
    (SEED_002_INDEX, "Daniel M. Junius", None, "2007-10-17"),
    (ASTA_ITEMS, "Mitchell Herman", "Chief Financial Officer", "2004-05-12"),
    # pool 0000950124-00-005735 (Stockwalk.com Group, 2000): Name:/Title: with a continuation
    ("""SIGNATURES

         Pursuant to the requirements of the Securities Exchange Act of 1934,
the registrant has caused this report to be signed on its behalf by the
undersigned thereunto duly authorized.

                                     STOCKWALK.COM GROUP, INC.

Dated:  September 22, 2000            By: /s/ Philip T. Colton
                                         --------------------------------------
                                      Name:   Philip T. Colton
                                      Title:   Senior Vice President and General
                                               Counsel
""", "Philip T. Colton", "Senior Vice President and General Counsel", "2000-09-22"),
    # pool 0001004963-96-000004 (Cotelligent, 1996): the date above its "Date" label
    ("""     Pursuant to the requirements of the Securities Exchange Act of 1934,
the registrant has duly caused this report to be signed on its behalf by the
undersigned thereunto duly authorized.

                                                    COTELLIGENT GROUP, INC.

August 23, 1996                           By:             /s/ DANIEL E. JACKSON
- ---------------                                     ----------------------------
Date                                                Daniel E. Jackson
                                                    Senior Vice President
                                                    and General Counsel

                                     - 4 -
""", "DANIEL E. JACKSON", "Senior Vice President and General Counsel", "1996-08-23"),
    # pool 0000950123-10-003398 (Astrotech, 2010): title on two lines ending in "Chief"
    ("""Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant has duly caused this report to be signed on its behalf by the undersigned hereunto duly authorized.
ASTROTECH CORPORATION
Date: January 19, 2010\tBy: /s/ Thomas B. Pickens, III
Thomas B. Pickens, III
Chairman of the Board and Chief
Executive Officer
""", "Thomas B. Pickens, III", "Chairman of the Board and Chief Executive Officer", "2010-01-19"),
]


@pytest.mark.parametrize(("text", "name", "title", "date"), SIGNATURE_CASES)
def test_signature_block(text: str, name: str, title: str | None, date: str) -> None:
    got = facts(text)
    assert got.get("filing:SignatoryName") == [name]
    assert got.get("filing:SignatoryTitle") == ([title] if title else None)
    assert got.get("filing:SignatureDate") == [date]


def test_signature_of_an_exhibit_is_not_read() -> None:
    main = SEED_002_INDEX
    exhibit = ("\nEXHIBIT 10.1\n\nPursuant to the requirements of the Securities Exchange Act, "
               "the parties sign.\n\n/s/ Jane Q. Public\nJane Q. Public\nTreasurer\n")
    text = main + exhibit
    segs = (Segment("8-K", 0, len(main)), Segment("EX-10.1", len(main), len(text)))
    got = facts(text, segs)
    assert got["filing:SignatoryName"] == ["Daniel M. Junius"]


# ---------------------------------------------------------------- layouts of the gold dev split

# curated dev 0000914760-99-000229 (Westell, 1999): Item 7 names the "Exhibit Index" in running text;
# the index itself follows the signature block
WESTELL_1999_INDEX = """     ITEM 7.      Financial Statements and Exhibits.

         (c)      Exhibits.

         The  exhibits  filed  herewith  are listed in the  Exhibit  Index which
         follows the signature page of this Current Report on Form 8-K.

                                   SIGNATURES

             Pursuant to the  requirements  of the  Securities  Exchange  Act of
    1934,  the registrant has duly caused this report to be signed on its behalf
    by the undersigned hereunto duly authorized.

                                                WESTELL TECHNOLOGIES, INC.

                                                By: /s/ Robert H. Gaynor
                                                   ----------------------------
                                                       Robert H. Gaynor
                                                       Chairman, Chief Executive
                                                        Officer

    Dated: December 17, 1999

                                  EXHIBIT INDEX
                                  -------------

Exhibit
Number   Description
- ------   -----------

99.1     Press Release dated December 13, 1999.

99.2     Agreement and Plan of Merger,  dated December 13, 1999,  among Teltrend
         Inc., Westell Technologies Inc. and Theta Acquisition Corp.

99.3     Voting  Agreement,  dated December 13, 1999,  among Robert C. Penny III
         and Melvin J. Simon,  individually  and as trustees of various  trusts,
         and Teltrend Inc.

99.4(a)  Letter   Agreement,   dated   December   13,  1999,   between   Westell
         Technologies, Inc. and Capital Ventures International

99.4(b)  Letter   Agreement,   dated   December   13,  1999,   between   Westell
         Technologies, Inc. and Castle Creek Technology Partners LLC

99.4(c)  Letter   Agreement,   dated   December   13,  1999,   between   Westell
         Technologies, Inc. and Marshall Capital Management, Inc.
"""


# curated dev 0001193125-23-289222 (Worthington Enterprises, 2023): footnote marks after numbers
WORTHINGTON_NOV_2023_EXHIBITS = """Item 9.01\tFinancial Statements and Exhibits.

(b) Pro forma financial information.

Worthington Enterprises’ unaudited pro forma condensed consolidated financial statements and related notes thereto, giving effect to the Separation is filed as Exhibit 99.2 to this Current Report on Form 8-K and is incorporated herein by reference.

(d) Exhibits.

Exhibit No.\tDescription
2.1\tSeparation and Distribution Agreement, dated November 30, 2023, between Worthington Enterprises, Inc. and Worthington Steel, Inc.
3.1\tAmended Articles of Incorporation of Worthington Enterprises, Inc.
10.1\tTransition Services Agreement, dated November 30, 2023, between Worthington Enterprises, Inc. and Worthington Steel, Inc.
10.2\tTax Matters Agreement, dated November 30, 2023, between Worthington Enterprises, Inc. and Worthington Steel, Inc.
10.3\tEmployee Matters Agreement, dated November 30, 2023, between Worthington Enterprises, Inc. and Worthington Steel, Inc.
10.4\tTrademark License Agreement, dated November 30, 2023, between Worthington Enterprises, Inc. and Worthington Steel, Inc.
10.5\tWBS License Agreement, dated November 30, 2023, between Worthington Enterprises, Inc. and Worthington Steel, Inc.
10.6+\tSteel Supply Agreement, dated November 30, 2023, between Worthington Enterprises, Inc. and Worthington Steel, Inc.
99.1\tPress Release of Worthington Enterprises, Inc. dated December 1, 2023.
99.2\tUnaudited pro forma condensed consolidated financial statements of Worthington Enterprises, Inc.
104\tCover Page Interactive Data File
"""


# curated dev 0001213900-09-002194 (ExperTelligence, 2009): an exhibit list without its item
# heading, "In accordance with Section 13 ..." signature sentence
EXPERTELLIGENCE_2009_END = """ITEM 4.01 Changes in Registrant’s Certifying Accountant

On August 3, 2009, Lawrence Scharfman, CPA was dismissed as the Company’s Independent Auditor.

We understand that on August 11, 2009, Lawrence Scharfman, CPA’s registration with the Public Companies Accounting Oversight Board, (PCAOB), was revoked by the PCAOB.

During the Registrant's two most recent fiscal years and during any subsequent interim period prior to the August 3, 2009, dismissal as the Company's independent auditors, there were no disagreements with Lawrence Scharfman, CPA, with respect to accounting or auditing issues of the type discussed in Item 304(a)(iv) of Regulation S-K.
On August 3, 2009, the Company retained Larry O’Donnell, CPA, PC as the Company’s Independent Auditor.

During the Registrant's two most recent fiscal years or any subsequent interim period prior to engaging Larry O’Donnell, CPA, PC, the Company, or someone on the Company's behalf, had not consulted Larry O’Donnell, CPA, PC regarding any of the accounting or auditing concerns stated in Item 304(a)(2) of Regulation S-K.
On August 17, 2009, the Company provided Lawrence Scharfman, CPA with a copy of this disclosure and requested that it furnish a letter to the Company, addressed to the SEC, stating that it agreed with the statements made herein or the reasons why it disagreed.

EXHIBIT NUMBER\tDESCRIPTION
Exhibit 16.1\tLawrence Scharfman, CPA letter regarding change of accountants

SIGNATURES

In accordance with Section 13 of the Securities Exchange Act of 1934, the registrant caused this report to be signed on its behalf by the undersigned, thereunto duly authorized.
ExperTelligence, Inc.
A Nevada Corporation

(Registrant)

By: /s/ Jason Smart
Jason Smart, CEO, CFO, Chairman

Date: August 19, 2009
"""


# curated dev 0001045810-26-000024 (NVIDIA, 2026): "Exhibit 101" named inside exhibit 104's description
NVIDIA_2026_EXHIBITS = """Item 9.01. Financial Statements and Exhibits.
(d) Exhibits

Exhibit Number\tDescription
10.1\tVariable Compensation Plan - Fiscal Year 2027
104\tThe cover page of this Current Report on Form 8-K, formatted in inline XBRL (included as Exhibit 101)
"""


# curated dev 0000109446-94-000005 (Zurn, 1994): abbreviated /s/ form over the typed name, the date
# at the start of the /s/ line
ZURN_1994_SIGNATURE = """                                  SIGNATURES

Pursuant to the requirements of the Securities Exchange Act of 1934, the
Registrant has duly caused this report to be signed on its behalf by the
undersigned hereunto duly authorized.

                                                ZURN INDUSTRIES, INC.

March 22, 1994                                  /s/ W.A. Freeman
                                                William A. Freeman
                                                President

                                 EXHIBIT INDEX

20  Other Documents or Statements to Security Holders
    News Release dated March 22, 1994                                   Page 3
"""


# curated dev 0001164150-07-000163 (ExperTelligence, 2007): "Name, Title," continued on the next line
EXPERTELLIGENCE_2007_SIGNATURE = """                                   SIGNATURES

     Pursuant to the  requirements  of the Securities  Exchange Act of 1934, the
registrant  has duly  caused  this  Report  to be  signed  on its  behalf by the
undersigned hereunto duly authorized.

                            EXPERTELLIGENCE, INC.

Dated:  November 19, 2007     By: /s/ Jason Smart
                                  ---------------------------------------------
                                  Jason Smart, Chief Executive Officer,
                                  President and Director
"""


# curated dev 0001193125-04-022213 (Spacehab, 2004): continuation line "And Chief Financial Officer"
SPACEHAB_2004_SIGNATURE = """SIGNATURES

Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant has duly caused this Report to be signed on its behalf by the undersigned thereunto duly authorized.

SPACEHAB, INC.
By:\t/s/ Brian K. Harrington
Brian K. Harrington
Senior Vice President, Finance
And Chief Financial Officer

Dated: February 10, 2004
"""


# curated dev 0000887919-21-000012 (Premier Financial Bancorp, 2021): the typed name and title
# after the date on one line
PREMIER_2021_SIGNATURE = """Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant has duly caused this report to be signed on its behalf by the undersigned hereunto duly authorized.

PREMIER FINANCIAL BANCORP, INC.
(Registrant)

/s/ Brien M. Chase
Date: March 30, 2021 Brien M. Chase, Senior Vice President
and Chief Financial Officer
"""


# curated dev 0001193125-14-318861 (Nuance, 2014): the date opening the registrant's line
NUANCE_2014_SIGNATURE = """Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant has duly caused this report to be signed on its behalf by the undersigned hereunto duly authorized.

August 22, 2014\tNUANCE COMMUNICATIONS, INC.
By:\t/s/ Thomas L. Beaudoin
Thomas L. Beaudoin, Executive Vice President and Chief Financial Officer
"""


# curated dev 0001213900-25-032135 (ABVC BioPharma, 2025): the date before "By:"
ABVC_2025_SIGNATURE = """SIGNATURE

Pursuant to the requirements of the Securities and Exchange Act of 1934, the registrant has duly caused this report to be signed on its behalf by the undersigned hereunto duly authorized.

ABVC BioPharma, Inc.
April 15, 2025\tBy:\t/s/ Uttam Patil
Uttam Patil
Chief Executive Officer
"""



DEV_EXHIBIT_CASES = [
    # the index after the signatures is read although running text names it first
    (WESTELL_1999_INDEX, ["99.1", "99.2", "99.3", "99.4(a)", "99.4(b)", "99.4(c)"]),
    # "10.6+": the footnote mark is dropped; 99.2 also named in running text, counted once
    (WORTHINGTON_NOV_2023_EXHIBITS, ["2.1", "3.1", "10.1", "10.2", "10.3", "10.4", "10.5",
                                     "10.6", "99.1", "99.2", "104"]),
    # "EXHIBIT NUMBER  DESCRIPTION" without an Item 9.01 heading
    (EXPERTELLIGENCE_2009_END, ["16.1"]),
    # not "101", named inside the description of 104
    (NVIDIA_2026_EXHIBITS, ["10.1", "104"]),
]


@pytest.mark.parametrize(("text", "expected"), DEV_EXHIBIT_CASES)
def test_exhibits_dev_layouts(text: str, expected: list[str]) -> None:
    assert sorted(facts(text).get("filing:Exhibits", [])) == sorted(expected)


DEV_SIGNATURE_CASES = [
    (ZURN_1994_SIGNATURE, "William A. Freeman", "President", "1994-03-22"),
    (EXPERTELLIGENCE_2009_END, "Jason Smart", "CEO, CFO, Chairman", "2009-08-19"),
    (EXPERTELLIGENCE_2007_SIGNATURE, "Jason Smart",
     "Chief Executive Officer, President and Director", "2007-11-19"),
    (SPACEHAB_2004_SIGNATURE, "Brian K. Harrington",
     "Senior Vice President, Finance And Chief Financial Officer", "2004-02-10"),
    (PREMIER_2021_SIGNATURE, "Brien M. Chase",
     "Senior Vice President and Chief Financial Officer", "2021-03-30"),
    (NUANCE_2014_SIGNATURE, "Thomas L. Beaudoin",
     "Executive Vice President and Chief Financial Officer", "2014-08-22"),
    (ABVC_2025_SIGNATURE, "Uttam Patil", "Chief Executive Officer", "2025-04-15"),
]


@pytest.mark.parametrize(("text", "name", "title", "date"), DEV_SIGNATURE_CASES)
def test_signature_block_dev_layouts(text: str, name: str, title: str, date: str) -> None:
    got = facts(text)
    assert got.get("filing:SignatoryName") == [name]
    assert got.get("filing:SignatoryTitle") == [title]
    assert got.get("filing:SignatureDate") == [date]
