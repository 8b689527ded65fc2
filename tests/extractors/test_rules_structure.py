# ruff: noqa: E501  (verbatim filing text is kept on its original lines)
"""Filing-structure rules of the ``rules`` extractor: items, exhibits, signature block.

Snippets are pasted from the seeds and from pool filings (canonical text), named
in comments; the curated set is never used.
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
