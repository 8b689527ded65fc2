# ruff: noqa: E501  (verbatim filing text is kept on its original lines)
"""Financial rules of the ``rules`` extractor: tables with their scale and column periods,
and figures in prose. Snippets from seed 004 and pool filings (named in comments).
"""

from __future__ import annotations

from typing import Any

import pytest

from filingkit.extractors.rules import RulesExtractor
from filingkit.extractors.rules_financial import period_for
from filingkit.records import Document

EX = RulesExtractor()


def xbrl(text: str) -> list[dict[str, Any]]:
    ann = EX.extract(Document(doc_id="t", text=text))
    return [f.value for f in ann.facts if f.field == "xbrl:Fact"]


def find(records: list[dict[str, Any]], concept: str, period: dict[str, str],
         decimals: int | None = None) -> list[Any]:
    return [r["value"] for r in records
            if r["concept"] == f"us-gaap:{concept}" and r["period"] == period
            and (decimals is None or r["decimals"] == decimals)]


Q3_2004 = {"start": "2004-07-01", "end": "2004-09-30"}
Q3_2003 = {"start": "2003-07-01", "end": "2003-09-30"}

# seed 004 (ImmunoGen, November 2004), verbatim: "in thousands", parentheses negatives,
# the year "2004" split across two cells, markdown-escaped dollar signs
SEED_004_TABLES = """SELECTED FINANCIAL INFORMATION (in thousands, except per share amounts) (UNAUDITED)

CONDENSED CONSOLIDATED BALANCE SHEETS As of September 30, 2004 and June 30, 2004

\t September 30, 2004\t\tJune 30, 2004\t
ASSETS\t\t\t\t
Cash and marketable securities\t\\$ 95,020\t\\$\t94,610\t
Other assets\t23,230\t\t28,020\t
Total assets\t\\$ 118,250\t\\$\t122,630\t

CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS For the three months ended September 30, 2004 and 2003

\t\tThree Months Ended September 30,\t\t
\t2\t004\t\t2003
Revenues:\t\t\t\t
Research and development support\t\\$\t4,089\t\\$\t1,208
Total revenues\t\t9,006\t\t3,890
Expenses:\t\t\t\t
Total operating expenses\t\t11,842\t\t8,364
Loss from operations\t\t(2,836)\t\t(4,474)
Net Loss\t\\$\t(2,471)\t\\$\t(4,126)
Net loss per common share, basic and diluted\t\\$\t(0.06)\t\\$\t(0.10)
Average common shares outstanding, basic and diluted\t\t40,789\t\t40,589
"""


def test_table_in_thousands_with_parentheses_negatives() -> None:
    recs = xbrl(SEED_004_TABLES)
    assert find(recs, "Revenues", Q3_2004, -3) == [9006000]
    assert find(recs, "Revenues", Q3_2003, -3) == [3890000]
    assert find(recs, "OperatingExpenses", Q3_2004) == [11842000]
    assert find(recs, "NetIncomeLoss", Q3_2004) == [-2471000]
    assert find(recs, "NetIncomeLoss", Q3_2003) == [-4126000]
    # per-share figures are not scaled; decimals 2; unit USD/shares
    eps = [r for r in recs if r["concept"] == "us-gaap:EarningsPerShareBasicAndDiluted"]
    assert {(r["value"], r["decimals"], r["unit"]) for r in eps} == {
        (-0.06, 2, "USD/shares"), (-0.1, 2, "USD/shares")}
    # balance sheet columns are instants
    assert find(recs, "Assets", {"instant": "2004-09-30"}) == [118250000]
    assert find(recs, "Assets", {"instant": "2004-06-30"}) == [122630000]
    # rows without a known concept are not emitted ("Loss from operations", share counts)
    assert all(r["unit"] in ("USD", "USD/shares") for r in recs)
    assert len(recs) == 10


# pool 0000950124-00-005735 (Stockwalk.com Group 8-K, 2000, SGML text): a Kinnard Investments
# statement of operations, header above the scale line, dotted leaders, three year columns
KINNARD_TABLE = """                     CONSOLIDATED STATEMENTS OF OPERATIONS

                                                           YEARS ENDED DECEMBER 31,
                                                    ---------------------------------------
                                                      1997           1998           1999
                                                    ---------      ---------      ---------
                                                     (IN THOUSANDS, EXCEPT PER SHARE DATA)

Revenues:
  Commissions...................................     $14,745        $14,684        $16,645
  Interest......................................       2,276          1,422          1,638
                                                     -------        -------        -------
          Total revenues........................      49,846         40,944         54,868
                                                     -------        -------        -------
Income (loss) before income taxes...............         536         (5,629)         4,513
Net income (loss)...............................     $   308        $(3,376)       $ 2,709
                                                     =======        =======        =======
"""


def test_table_years_ended_three_columns() -> None:
    recs = xbrl(KINNARD_TABLE)
    y = {yr: {"start": f"{yr}-01-01", "end": f"{yr}-12-31"} for yr in (1997, 1998, 1999)}
    assert find(recs, "Revenues", y[1997]) == [49846000]
    assert find(recs, "Revenues", y[1999]) == [54868000]
    assert find(recs, "NetIncomeLoss", y[1998]) == [-3376000]
    assert find(recs, "NetIncomeLoss", y[1999]) == [2709000]


def test_table_row_with_more_values_than_columns_is_skipped() -> None:
    # the pro forma layout of pool 0000950124-00-004609: four value columns, no period header
    text = ("(DOLLARS IN THOUSANDS)\n\nTotal assets.......   $538,875   $168,047   $41,328   "
            "$ 36,096\n")
    assert xbrl(text) == []


# seed 004 prose, verbatim (two consecutive paragraphs)
SEED_004_PROSE = """CAMBRIDGE, MA, November 4, 2004 – ImmunoGen, Inc. (Nasdaq: IMGN) today announced financial results for the three-month period ended September 30, 2004 – the first quarter of the Company's 2005 fiscal year. For the three-month period, the Company reported a net loss of \\$2.5 million, or \\$0.06 per basic and diluted share, compared to a net loss of \\$4.1 million, or \\$0.10 per basic and diluted share, for the same period last year.

Revenues for the three-month period ended September 30, 2004 were \\$9.0 million compared to \\$3.9 million for the same period last year. The first quarter 2005 revenues include research and development support fees earned pursuant to the Company's discovery, research and commercialization collaboration with Aventis, part of the sanofi-aventis Group, of \\$4.1 million, compared to \\$1.2 million for the same period last year. Also included in the first quarter 2005 revenues were \\$2.9 million of clinical material reimbursement.

Total assets decreased to \\$118.3 million as of September 30, 2004, compared to \\$122.6 million as of June 30, 2004.
"""


def test_prose_figures_with_precision() -> None:
    recs = xbrl(SEED_004_PROSE)
    assert find(recs, "Revenues", Q3_2004, -5) == [9000000]
    assert find(recs, "Revenues", Q3_2003, -5) == [3900000]      # "the same period last year"
    assert find(recs, "NetIncomeLoss", Q3_2004, -5) == [-2500000]  # "net loss" is negative
    assert find(recs, "NetIncomeLoss", Q3_2003, -5) == [-4100000]
    assert find(recs, "EarningsPerShareBasicAndDiluted", Q3_2004) == [-0.06]
    assert find(recs, "Assets", {"instant": "2004-09-30"}, -5) == [118300000]
    assert find(recs, "Assets", {"instant": "2004-06-30"}, -5) == [122600000]
    # components of revenues ("revenues include ...", "included in ... revenues were") are not
    # revenues
    assert 4100000 not in [r["value"] for r in recs if r["concept"] == "us-gaap:Revenues"]
    assert 2900000 not in [r["value"] for r in recs if r["concept"] == "us-gaap:Revenues"]


def test_prose_billions_at_an_instant() -> None:
    # pool 0000939057-06-000286 (Horizon Financial, October 2006)
    text = ("Total assets grew 17% to $1.23\nbillion at September 30, 2006, from $1.06 billion at "
            "September 30, 2005.\n")
    recs = xbrl(text)
    assert find(recs, "Assets", {"instant": "2006-09-30"}, -7) == [1230000000]
    assert find(recs, "Assets", {"instant": "2005-09-30"}, -7) == [1060000000]


def test_forward_looking_prose_is_skipped() -> None:
    text = ("For the year ended June 30, 2005, the Company expects revenues of $35 million to "
            "$40 million.\n")
    assert xbrl(text) == []


@pytest.mark.parametrize(("end", "months", "expected"), [
    ("2004-09-30", 3, {"start": "2004-07-01", "end": "2004-09-30"}),
    ("2004-09-30", 9, {"start": "2004-01-01", "end": "2004-09-30"}),
    ("2005-06-30", 12, {"start": "2004-07-01", "end": "2005-06-30"}),
    ("2004-02-29", 3, {"start": "2003-12-01", "end": "2004-02-29"}),
    ("2019-12-28", 3, {"start": "2019-09-29", "end": "2019-12-28"}),  # 52/53-week quarter
])
def test_period_for(end: str, months: int, expected: dict[str, str]) -> None:
    assert period_for(end, months) == expected


@pytest.mark.parametrize(("header", "months"), [
    ("Three Months Ended September 30,", 3),        # seed 004
    ("YEARS ENDED DECEMBER 31,", 12),               # pool 0000950124-00-005735
    ("Thirteen Weeks Ended", 3),
    ("26 Weeks Ended", 6),
    ("Nine months ended", 9),
    ("quarter ended", 3),
])
def test_duration_headers(header: str, months: int) -> None:
    from filingkit.extractors.rules_financial import DURATION_RE, _months_of

    m = DURATION_RE.search(header)
    assert m is not None and _months_of(m) == months
