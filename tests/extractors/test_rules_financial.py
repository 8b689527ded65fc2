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
    # every line with a us-gaap concept is read (the seed gold maps them all)
    assert find(recs, "OperatingIncomeLoss", Q3_2004) == [-2836000]
    assert find(recs, "WeightedAverageNumberOfShareOutstandingBasicAndDiluted", Q3_2003) == [40589000]
    assert find(recs, "CashCashEquivalentsAndShortTermInvestments", {"instant": "2004-06-30"}) == [94610000]
    assert find(recs, "OtherAssets", {"instant": "2004-09-30"}) == [23230000]
    # a revenue component ("Research and development support") has no concept: not emitted
    assert 4089000 not in [r["value"] for r in recs]
    assert len(recs) == 18


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
    ("2024-11-02", 3, {"start": "2024-08-04", "end": "2024-11-02"}),  # 13 weeks (dev Buckle)
])
def test_period_for(end: str, months: int, expected: dict[str, str]) -> None:
    assert period_for(end, months) == expected


@pytest.mark.parametrize(("header", "months"), [
    ("Three Months Ended September 30,", 3),        # seed 004
    ("YEARS ENDED DECEMBER 31,", 12),               # pool 0000950124-00-005735
    ("Thirteen Weeks Ended", 3),
    ("Thirty-Nine Weeks Ended", 9),                 # dev buckle-8k-2024-11-22
    ("26 Weeks Ended", 6),
    ("Nine months ended", 9),
    ("quarter ended", 3),
])
def test_duration_headers(header: str, months: int) -> None:
    from filingkit.extractors.rules_financial import DURATION_RE, _months_of

    m = DURATION_RE.search(header)
    assert m is not None and _months_of(m) == months


# dev buckle-8k-2024-11-22 (The Buckle, November 2024, inline XBRL), verbatim: 13/39-week
# columns, an unlabelled subtotal under "OPERATING EXPENSES:", "EARNINGS PER SHARE:" over Basic /
# Diluted, a three-instant balance sheet whose common-stock label prints dates
BUCKLE_TABLES = 'CONSOLIDATED STATEMENTS OF INCOME\n(Amounts in Thousands Except Per Share Amounts)\n(Unaudited)\n\nThirteen Weeks Ended\tThirty-Nine Weeks Ended\nNovember 2, 2024\tOctober 28, 2023\tNovember 2, 2024\tOctober 28, 2023\nSALES, Net of returns and allowances\t$293,618\t$303,457\t$838,490\t$878,719\nCOST OF SALES (Including buying, distribution, and occupancy costs)\t153,547\t156,242\t445,188\t459,835\nGross profit\t140,071\t147,215\t393,302\t418,884\nOPERATING EXPENSES:\nSelling\t71,986\t70,242\t206,454\t205,081\nGeneral and administrative\t13,602\t12,908\t41,709\t39,247\n85,588\t83,150\t248,163\t244,328\nINCOME FROM OPERATIONS\t54,483\t64,065\t145,139\t174,556\nOTHER INCOME, Net\t4,023\t4,490\t11,510\t11,322\nINCOME BEFORE INCOME TAXES\t58,506\t68,555\t156,649\t185,878\nINCOME TAX EXPENSE\t14,334\t16,793\t38,379\t45,540\nNET INCOME\t$44,172\t$51,762\t$118,270\t$140,338\nEARNINGS PER SHARE:\nBasic\t$0.89\t$1.05\t$2.37\t$2.83\nDiluted\t$0.88\t$1.04\t$2.35\t$2.81\nBasic weighted average shares\t49,854\t49,513\t49,854\t49,513\nDiluted weighted average shares\t50,297\t49,937\t50,230\t49,891\n\nCONSOLIDATED BALANCE SHEETS\n(Amounts in Thousands Except Share and Per Share Amounts)\n(Unaudited)\n\nASSETS\tNovember 2, 2024\tFebruary 3, 2024 (1)\tOctober 28, 2023\nCURRENT ASSETS:\nCash and cash equivalents\t$301,958\t$268,213\t$311,657\nShort-term investments\t23,482\t22,210\t23,446\nReceivables\t7,901\t8,697\t10,341\nInventory\t149,351\t126,290\t152,289\nPrepaid expenses and other assets\t22,236\t18,846\t11,206\nTotal current assets\t504,928\t444,256\t508,939\nPROPERTY AND EQUIPMENT\t508,273\t489,037\t483,435\nLess accumulated depreciation and amortization\t(365,241)\t(360,200)\t(359,367)\n143,032\t128,837\t124,068\nOPERATING LEASE RIGHT-OF-USE ASSETS\t287,687\t280,813\t253,418\nLONG-TERM INVESTMENTS\t27,261\t24,993\t22,508\nOTHER ASSETS\t13,362\t10,911\t12,274\nTotal assets\t$976,270\t$889,810\t$921,207\nLIABILITIES AND STOCKHOLDERS’ EQUITY\nCURRENT LIABILITIES:\nAccounts payable\t$67,701\t$45,958\t$63,320\nAccrued employee compensation\t27,095\t49,827\t34,784\nAccrued store operating expenses\t25,921\t19,067\t26,335\nGift certificates redeemable\t12,571\t16,667\t12,305\nCurrent portion of operating lease liabilities\t76,963\t85,265\t78,884\nIncome taxes payable\t2,519\t4,672\t536\nTotal current liabilities\t212,770\t221,456\t216,164\nDEFERRED COMPENSATION\t27,261\t24,993\t22,508\nNON-CURRENT OPERATING LEASE LIABILITIES\t247,850\t230,141\t208,517\nTotal liabilities\t487,881\t476,590\t447,189\nCOMMITMENTS\nSTOCKHOLDERS’ EQUITY:\nCommon stock, authorized 100,000,000 shares of $.01 par value; issued and outstanding; 50,773,796 shares at November 2, 2024, 50,445,186 shares at February 3, 2024, and 50,445,386 shares at October 28, 2023\t508\t504\t504\nAdditional paid-in capital\t202,895\t192,686\t189,297\nRetained earnings\t284,986\t220,030\t284,217\nTotal stockholders’ equity\t488,389\t413,220\t474,018\nTotal liabilities and stockholders’ equity\t$976,270\t$889,810\t$921,207\n(1) Derived from audited financial statements.\n'

# dev 0001125282-04-000379 (Asta Funding, February 2004, SGML text), verbatim: no scale
# statement (whole dollars), "Revenues:" over a single line, "- Basic" / "- Diluted" sub-rows
ASTA_TABLE = '                                                           Three Months Ended\n                                                              December 31,\n                                                        ------------------------\n                                                          2003           2002\n                                                        ---------    -----------\nRevenues:\n   Finance income                                     $11,455,000    $ 6,751,000\n\nExpenses:\n   General and administrative                           2,543,000      1,353,000\n   Third-party servicing                                  862,000      1,531,000\n   Interest                                               171,000          2,000\n                                                      -----------    -----------\n\n                                                        3,576,000      2,886,000\n                                                      -----------    -----------\n\nIncome before income taxes                              7,879,000      3,865,000\n\nIncome tax expense                                      3,191,000      1,553,000\n                                                      -----------    -----------\n\nNet income                                            $ 4,688,000    $ 2,312,000\n                                                      ===========    ===========\n\nNet income per share\n\n                  - Basic                             $      0.71    $      0.57\n                                                      -----------    -----------\n                  - Diluted                           $      0.66    $      0.53\n                                                      -----------    -----------\n\nWeighted average number of shares outstanding\n\n                  - Basic                               6,603,000      4,076,000\n                                                      -----------    -----------\n                  - Diluted                             7,079,000      4,351,000\n                                                      -----------    -----------\n\n'

# dev 0001125282-04-000379, prose
ASTA_PROSE = "Net income for the three months ended December 31, 2003, was $4,688,000, or\n$0.66 per diluted share, compared to $2,312,000, or $0.53 per diluted share, in\nthe first quarter of the prior year. Revenues for the three months ended\nDecember 31, 2003 were $11,455,000, a 70% increase over revenues of $6,751,000\nin the prior year's quarter. Per share results reflect the secondary common\nstock offering of nearly 2.5 million shares issued at the end of June 2003.\n\n"

# dev buckle-8k-2024-11-22, prose
BUCKLE_PROSE = 'KEARNEY, NE -- (BUSINESS WIRE) -- The Buckle, Inc. (NYSE: BKE) announced today that net income for the fiscal quarter ended November 2, 2024 was $44.2 million, or $0.89 per share ($0.88 per share on a diluted basis).\n\nNet sales for the 13-week fiscal quarter ended November 2, 2024 decreased 3.2 percent to $293.6 million from net sales of $303.5 million for the prior year 13-week fiscal quarter ended October 28, 2023. Comparable store net sales for the 13-week fiscal quarter ended November 2, 2024 decreased 0.7 percent from comparable store net sales for the prior year 13-week period ended November 4, 2023. Online sales increased 1.1 percent to $46.6 million for the 13-week fiscal quarter ended November 2, 2024, compared to net sales of $46.1 million for the 13-week fiscal quarter ended October 28, 2023.\n\nNet sales for the 39-week fiscal period ended November 2, 2024 decreased 4.6 percent to $838.5 million from net sales of $878.7 million for the prior year 39-week fiscal period ended October 28, 2023. Comparable store net sales for the 39-week period ended November 2, 2024 decreased 5.4 percent from comparable store net sales for the prior year 39-week period ended November 4, 2023. Online sales decreased 9.2 percent to $128.0 million for the 39-week period ended November 2, 2024, compared to net sales of $141.0 million for the 39-week period ended October 28, 2023.\n\nDue to the 53rd week in fiscal 2023, comparable store net sales for the quarter and year-to-date periods are compared to the 13-week and 39-week periods ended November 4, 2023.\n\nNet income for the third quarter of fiscal 2024 was $44.2 million, or $0.89 per share ($0.88 per share on a diluted basis), compared with net income of $51.8 million, or $1.05 per share ($1.04 per share on a diluted basis) for the third quarter of fiscal 2023.\n\nNet income for the 39-week fiscal period ended November 2, 2024 was $118.3 million, or $2.37 per share ($2.35 per share on a diluted basis), compared with net income of $140.3 million, or $2.83 per share ($2.81 per share on a diluted basis) for the 39-week period ended October 28, 2023.\n'

# dev 0001213900-25-032135 (ABVC BioPharma, April 2025), prose
ABVC_PROSE = 'Silicon Valley, CA (April 16, 2025) – ABVC BioPharma, Inc. (NASDAQ: ABVC), a clinical-stage biopharmaceutical company focused on innovative treatments in ophthalmology, CNS (central nervous system), and oncology/hematology, leveraging its asset-light, partnership-driven model, today announced its financial results for the fiscal year ended December 31, 2024, marking a pivotal year of operational transformation and financial improvement.\n\n\nABVC reported total revenues of $509,589 in 2024, representing a 234% increase compared to $152,430 in 2023. This significant growth was primarily driven by milestone payments collected from the Company’s global licensing partners in CNS, oncology, and ophthalmology therapeutic areas.\n\nTotal operating expenses were reduced to $5.21 million in 2024, down 21% from $6.62 million in 2023. The decline was primarily driven by:\n\nABVC significantly increased the use of stock-based compensation in 2024 to $2.77 million, compared to $0.19 million in 2023, preserving cash while aligning employees and consultants with long-term shareholder value creation.\n\nNet loss attributable to ABVC narrowed from $7.79 million in 2023 to $4.90 million in 2024. Basic and diluted loss per share improved significantly from $(1.80) to $(0.42), reflecting a 77% year-over-year improvement.\n\n'

# seed 004, prose
SEED_004_MORE_PROSE = "Other income for the first quarter of 2005 was \\$368,000, as compared to \\$358,000 in the same period last year. Included in other income for the three months ended September 30, 2004 and 2003 was interest income of \\$364,000 and \\$379,000, respectively.\n\nAs of September 30, 2004, ImmunoGen had approximately \\$95.0 million in cash and marketable securities. This compares to \\$94.6 million as of June 30, 2004. The Company's cash flow from operations was \\$857,000 during the first quarter of 2005. ImmunoGen currently anticipates that its existing capital resources plus future payments from collaborators, including committed funding to be received from Aventis pursuant to the collaboration agreement, will enable the Company to meet its operational expenses and capital expenditures for at least the next three to five fiscal years.\n\n"

Q3_FY24 = {"start": "2024-08-04", "end": "2024-11-02"}   # 13 weeks
Q3_FY23 = {"start": "2023-07-30", "end": "2023-10-28"}
YTD_FY24 = {"start": "2024-02-04", "end": "2024-11-02"}  # 39 weeks
YTD_FY23 = {"start": "2023-01-29", "end": "2023-10-28"}


def test_table_weeks_columns_sections_and_subtotals() -> None:
    recs = xbrl(BUCKLE_TABLES)
    assert find(recs, "Revenues", Q3_FY24, -3) == [293618000]
    assert find(recs, "Revenues", YTD_FY23, -3) == [878719000]
    assert find(recs, "CostOfRevenue", Q3_FY23) == [156242000]
    assert find(recs, "GrossProfit", YTD_FY24) == [393302000]
    assert find(recs, "SellingExpense", Q3_FY24) == [71986000]
    # the unlabelled line under "OPERATING EXPENSES:" is their total
    assert find(recs, "OperatingExpenses", Q3_FY24) == [85588000]
    assert find(recs, "OperatingIncomeLoss", Q3_FY23) == [64065000]
    assert find(recs, "NonoperatingIncomeExpense", Q3_FY24) == [4023000]
    assert find(recs, "IncomeTaxExpenseBenefit", YTD_FY24) == [38379000]
    assert find(recs, "NetIncomeLoss", Q3_FY24, -3) == [44172000]
    eps = {(r["concept"], r["value"], r["unit"]) for r in recs if r["period"] == Q3_FY24
           and r["unit"] != "USD"}
    assert eps == {("us-gaap:EarningsPerShareBasic", 0.89, "USD/shares"),
                   ("us-gaap:EarningsPerShareDiluted", 0.88, "USD/shares"),
                   ("us-gaap:WeightedAverageNumberOfSharesOutstandingBasic", 49854000, "shares"),
                   ("us-gaap:WeightedAverageNumberOfDilutedSharesOutstanding", 50297000, "shares")}
    nov, feb, oct_ = ({"instant": d} for d in ("2024-11-02", "2024-02-03", "2023-10-28"))
    assert find(recs, "CashAndCashEquivalentsAtCarryingValue", feb) == [268213000]
    assert find(recs, "AssetsCurrent", oct_) == [508939000]
    assert find(recs, "PropertyPlantAndEquipmentGross", nov) == [508273000]
    # a deduction is stored positive; the unlabelled line under it is the net amount
    assert find(recs, "AccumulatedDepreciationDepletionAndAmortizationPropertyPlantAndEquipment",
                nov) == [365241000]
    assert find(recs, "PropertyPlantAndEquipmentNet", nov) == [143032000]
    assert find(recs, "OtherAssetsNoncurrent", nov) == [13362000]   # below total current assets
    assert find(recs, "Liabilities", feb) == [476590000]
    # the common-stock row: its label prints share counts and dates
    assert find(recs, "CommonStockValue", nov) == [508000]
    assert find(recs, "CommonStockSharesOutstanding", oct_, 0) == [50445386]
    assert find(recs, "StockholdersEquity", nov) == [488389000]
    assert find(recs, "LiabilitiesAndStockholdersEquity", oct_) == [921207000]
    # lines without a us-gaap concept are not guessed
    assert 25921000 not in [r["value"] for r in recs]   # Accrued store operating expenses


Q4_2003 = {"start": "2003-10-01", "end": "2003-12-31"}
Q4_2002 = {"start": "2002-10-01", "end": "2002-12-31"}


def test_table_without_scale_statement_is_in_dollars() -> None:
    recs = xbrl(ASTA_TABLE)
    assert find(recs, "Revenues", Q4_2003, 0) == [11455000]  # "Revenues:" over "Finance income"
    assert find(recs, "InterestExpense", Q4_2002) == [2000]  # "Interest" under "Expenses:"
    assert find(recs, "CostsAndExpenses", Q4_2003) == [3576000]  # unlabelled total of "Expenses:"
    assert find(recs, "NetIncomeLoss", Q4_2002) == [2312000]
    assert find(recs, "EarningsPerShareBasic", Q4_2003) == [0.71]
    assert find(recs, "EarningsPerShareDiluted", Q4_2002) == [0.53]
    assert find(recs, "WeightedAverageNumberOfDilutedSharesOutstanding", Q4_2003) == [7079000]
    assert 862000 not in [r["value"] for r in recs]  # Third-party servicing: no concept


def test_prose_diluted_eps_and_prior_year_quarter() -> None:
    recs = xbrl(ASTA_PROSE)
    assert find(recs, "NetIncomeLoss", Q4_2003, 0) == [4688000]
    assert find(recs, "EarningsPerShareDiluted", Q4_2003) == [0.66]
    assert find(recs, "NetIncomeLoss", Q4_2002) == [2312000]  # "the first quarter of the prior year"
    assert find(recs, "EarningsPerShareDiluted", Q4_2002) == [0.53]
    assert find(recs, "Revenues", Q4_2002) == [6751000]        # "in the prior year's quarter"
    assert len(recs) == 6


def test_prose_weeks_basic_and_diluted_and_repeats_merge() -> None:
    ann = EX.extract(Document(doc_id="t", text=BUCKLE_TABLES + "\n" + BUCKLE_PROSE))
    prose = [f for f in ann.facts if f.field == "xbrl:Fact" and f.value["decimals"] != -3
             and f.value["unit"] == "USD"]
    got = {(f.value["concept"][8:], f.value["value"], f.value["period"]["start"], len(f.evidence))
           for f in prose}
    assert got == {
        ("NetIncomeLoss", 44200000, "2024-08-04", 2),  # printed twice: one fact, two evidences
        ("NetIncomeLoss", 51800000, "2023-07-30", 1),  # "the third quarter of fiscal 2023"
        ("NetIncomeLoss", 118300000, "2024-02-04", 1),
        ("NetIncomeLoss", 140300000, "2023-01-29", 1),
        ("Revenues", 293600000, "2024-08-04", 1),
        ("Revenues", 303500000, "2023-07-30", 1),
        ("Revenues", 838500000, "2024-02-04", 1),
        ("Revenues", 878700000, "2023-01-29", 1),
    }  # not "compared to net sales of $46.1 million" (online sales)
    recs = [f.value for f in ann.facts if f.field == "xbrl:Fact"]
    # the table figure and its prose restatement are two facts
    assert find(recs, "EarningsPerShareBasic", Q3_FY24, 2) == [0.89, 0.89]
    assert find(recs, "EarningsPerShareDiluted", YTD_FY23, 2) == [2.81, 2.81]


def test_prose_calendar_years_and_from_to() -> None:
    recs = xbrl(ABVC_PROSE)
    fy24 = {"start": "2024-01-01", "end": "2024-12-31"}
    fy23 = {"start": "2023-01-01", "end": "2023-12-31"}
    assert find(recs, "Revenues", fy24, 0) == [509589]
    assert find(recs, "Revenues", fy23, 0) == [152430]
    assert find(recs, "OperatingExpenses", fy23, -4) == [6620000]
    assert find(recs, "ShareBasedCompensation", fy24) == [2770000]
    assert find(recs, "NetIncomeLoss", fy23) == [-7790000]
    assert find(recs, "NetIncomeLoss", fy24) == [-4900000]
    assert find(recs, "EarningsPerShareBasicAndDiluted", fy23) == [-1.8]  # "from $(1.80) to"
    assert find(recs, "EarningsPerShareBasicAndDiluted", fy24) == [-0.42]


def test_prose_respectively_quarter_names_and_amount_before_phrase() -> None:
    recs = xbrl(SEED_004_PROSE + "\n" + SEED_004_MORE_PROSE)
    assert find(recs, "NonoperatingIncomeExpense", Q3_2004, 0) == [368000]  # first quarter of 2005
    assert find(recs, "NonoperatingIncomeExpense", Q3_2003, 0) == [358000]
    assert find(recs, "InvestmentIncomeInterest", Q3_2004) == [364000]      # "..., respectively"
    assert find(recs, "InvestmentIncomeInterest", Q3_2003) == [379000]
    assert find(recs, "CashCashEquivalentsAndShortTermInvestments", {"instant": "2004-09-30"},
                -5) == [95000000]
    assert find(recs, "NetCashProvidedByUsedInOperatingActivities", Q3_2004) == [857000]


def test_prose_other_measures_are_not_read() -> None:
    # pool 0000939057-08-000003 / -06-000102 (Horizon Financial): non-interest income is not
    # interest income; an EPS figure after "earnings per diluted share" is not net income
    text = ("Third quarter non-interest income grew 7% to $1.5 million compared to $1.4\n"
            "million in the third quarter of fiscal 2007.\n\n"
            "In the quarter ended March 31, 2006, net income was $4.2 million, compared to\n"
            "$3.3 million in the same quarter a year ago, with earnings per diluted share\n"
            "growing 31% to $0.42, from $0.32 in the fourth quarter of fiscal 2005.\n")
    recs = xbrl(text)
    assert {(r["concept"], r["value"]) for r in recs} == {
        ("us-gaap:NetIncomeLoss", 4200000), ("us-gaap:NetIncomeLoss", 3300000)}
    assert find(recs, "NetIncomeLoss", {"start": "2005-01-01", "end": "2005-03-31"}) == [3300000]
