"""Financial-figure rules: ``xbrl:Fact`` records from tables and from prose.

Tables: a scale statement ("in thousands", "(dollars in millions, except per
share amounts)") or, for tables in whole dollars, a column-header line ("Three
Months Ended", "Thirteen Weeks Ended") opens a table region; header lines give
the column periods (durations over dates or over a month-day and a years line;
dates alone are balance-sheet instants). Each row label is mapped to a us-gaap
concept by a data table (``ROW_CONCEPTS``) with its context: the section header
above it ("EARNINGS PER SHARE:" over "Basic" / "Diluted"), unlabelled subtotals
("OPERATING EXPENSES:" ... total), "Less accumulated depreciation" and the net
line under it. A row gives one fact per column when the number of values equals
the number of columns (otherwise it is skipped rather than guessed). Values are
scaled, parentheses are negatives, and ``decimals`` is the XBRL precision (-3
for a figure in thousands; per-share figures are not scaled).

Prose: concept phrases (``PROSE_CONCEPTS``) with the amounts that follow them
("revenues ... were $9.0 million compared to $3.9 million for the same period
last year", "a net loss of $2.5 million, or $0.06 per basic and diluted share",
"Total assets decreased to $118.3 million as of September 30, 2004"); each
amount's period is read from the words after it, before it, or the period
phrases of the document (prior-year periods are looked up among the printed
ones). A table figure and its prose restatement are two facts; repeats within
one kind are one fact with several evidence spans.
"""

from __future__ import annotations

import bisect
import calendar
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from filingkit.errors import NormalizationError
from filingkit.extractors.rules_common import (
    DATE_PATTERN,
    DATE_RE,
    MONTHS,
    Ctx,
    Sink,
    find_all,
    norm_date,
    sentence_at,
)
from filingkit.normalize import number_json, parse_amount

_I = re.I

SCALE_RE = re.compile(
    r"\b[Ii][Nn]\s+(thousands|millions|billions|THOUSANDS|MILLIONS|BILLIONS|Thousands|Millions)"
    r"(?:\s+of\s+(?:U\.S\.\s+)?dollars)?(?:,?\s*except\s+[^)\n]{0,60})?\)?", _I
)
_SCALE = {"thousands": 3, "millions": 6, "billions": 9}
_SCALE_CONTEXT_RE = re.compile(r"[(\[]|dollars|amounts|\$|except|unaudited|statements?|table", _I)
DURATION_RE = re.compile(
    r"\b(three|six|nine|twelve|13|14|26|27|39|40|52|53|3|6|9|12|thirteen|fourteen|twenty[- ]six|"
    r"twenty[- ]seven|thirty[- ]nine|forty|fifty[- ]two|fifty[- ]three)"
    r"[- ]+(months?|weeks?)(?:[- ]+period)?s?\s+ended|\b(quarter|(?:fiscal\s+)?year)s?\s+ended", _I
)
_WORDNUM = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "thirteen": 13, "fourteen": 14,
            "twenty-six": 26, "twenty-seven": 27, "thirty-nine": 39, "forty": 40,
            "fifty-two": 52, "fifty-three": 53}
#: Header anchors of tables printed without a scale statement (whole dollars).
_HEADER_ANCHORS = ("Months Ended", "MONTHS ENDED", "Weeks Ended", "WEEKS ENDED", "Year Ended",
                   "YEAR ENDED", "Years Ended", "YEARS ENDED", "Quarter Ended", "QUARTER ENDED")
MONTHDAY_RE = re.compile(rf"\b({MONTHS})\.?\s+(\d{{1,2}})\b(?!\s*,?\s*(?:19|20)\d\d)", _I)
YEAR_RE = re.compile(r"(?<![\d,.$])((?:19|20)\d\d)(?![\d,])")
NUM_CELL_RE = re.compile(
    r"(?<![\w.,])(?=[($\d])(\(?)(?:\$[ \t]{0,12})?(\(?)[ \t]{0,2}"
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]\d)(\)?)"
    r"|(?<![\w])(?:—|–|-{1,2})(?![\w-])"
)

# ---- row label -> concept: data, not code. Labels are normalized first (lower case, "&" ->
# "and", curly quotes straight, footnote marks and long parentheticals removed, leading
# dashes and trailing colons stripped). Kinds: "d" USD for a duration, "i" USD at an instant,
# "a" USD at an instant printed as a deduction (stored positive).
_L = r"(?:income|loss|earnings|income \(loss\)|\(loss\) income|loss \(income\)|earnings \(loss\))"
ROW_CONCEPTS: tuple[tuple[str, str, str], ...] = (
    (r"(?:total )?(?:net )?(?:operating )?revenues?(?:, net)?|total net revenues?|"
     r"(?:total )?net sales|(?:total )?sales|sales, net(?: of returns and allowances)?|"
     r"net sales and (?:operating )?revenues?", "Revenues", "d"),
    (r"(?:total )?cost of (?:revenues?|sales|goods sold|products sold)", "CostOfRevenue", "d"),
    (r"gross (?:profit|margin)", "GrossProfit", "d"),
    (r"research and development(?: expenses?| costs?)?", "ResearchAndDevelopmentExpense", "d"),
    (r"general and administrative(?: expenses?)?", "GeneralAndAdministrativeExpense", "d"),
    (r"selling,? general,? and administrative(?: expenses?)?",
     "SellingGeneralAndAdministrativeExpense", "d"),
    (r"selling(?: expenses?)?", "SellingExpense", "d"),
    (r"(?:sales|selling) and marketing(?: expenses?)?", "SellingAndMarketingExpense", "d"),
    (r"total operating expenses", "OperatingExpenses", "d"),
    (r"total (?:operating )?costs and expenses|total expenses", "CostsAndExpenses", "d"),
    (rf"(?:total )?operating {_L}|{_L} from operations", "OperatingIncomeLoss", "d"),
    (r"(?:total )?other income(?: \(expense\))?(?:, net)?|other \(expense\) income(?:, net)?",
     "NonoperatingIncomeExpense", "d"),
    (r"interest expense", "InterestExpense", "d"),
    (r"interest income", "InvestmentIncomeInterest", "d"),
    (rf"{_L} before (?:provision for )?(?:income )?tax(?:es)?(?: expense| provision)?",
     "IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest",
     "d"),
    (r"(?:provision for|\(?benefit\)? ?(?:from|for)|provision \(benefit\) for) income taxes|"
     r"income tax (?:expense|provision)(?: \(benefit\))?|income tax \(benefit\) expense|"
     r"income taxes", "IncomeTaxExpenseBenefit", "d"),
    (rf"net {_L}", "NetIncomeLoss", "d"),
    (r"cash and (?:cash )?equivalents", "CashAndCashEquivalentsAtCarryingValue", "i"),
    (r"cash and marketable securities|cash, cash equivalents,? and (?:short-term investments|"
     r"marketable securities)", "CashCashEquivalentsAndShortTermInvestments", "i"),
    (r"short-term investments", "ShortTermInvestments", "i"),
    (r"receivables(?:, net)?", "ReceivablesNetCurrent", "i"),
    (r"accounts receivable(?:, net)?", "AccountsReceivableNetCurrent", "i"),
    (r"inventor(?:y|ies)(?:, net)?", "InventoryNet", "i"),
    (r"prepaid expenses and other (?:current )?assets", "PrepaidExpenseAndOtherAssetsCurrent", "i"),
    (r"total current assets", "AssetsCurrent", "i"),
    (r"property(?:, plant)?,? and equipment, net|net property(?:, plant)?,? and equipment",
     "PropertyPlantAndEquipmentNet", "i"),
    (r"(?:less )?accumulated depreciation(?: and amortization)?",
     "AccumulatedDepreciationDepletionAndAmortizationPropertyPlantAndEquipment", "a"),
    (r"operating lease right-of-use assets?", "OperatingLeaseRightOfUseAsset", "i"),
    (r"long-term investments", "LongTermInvestments", "i"),
    (r"other (?:non-?current|long-term) assets", "OtherAssetsNoncurrent", "i"),
    (r"total assets", "Assets", "i"),
    (r"accounts payable", "AccountsPayableCurrent", "i"),
    (r"accrued (?:employee )?compensation(?: and benefits)?", "EmployeeRelatedLiabilitiesCurrent",
     "i"),
    (r"current portion of operating lease liabilit(?:y|ies)|operating lease liabilit(?:y|ies), "
     r"current", "OperatingLeaseLiabilityCurrent", "i"),
    (r"income taxes payable", "AccruedIncomeTaxesCurrent", "i"),
    (r"(?:total )?current liabilities", "LiabilitiesCurrent", "i"),
    (r"deferred compensation", "DeferredCompensationLiabilityClassifiedNoncurrent", "i"),
    (r"(?:non-?current|long-term) operating lease liabilit(?:y|ies)|operating lease "
     r"liabilit(?:y|ies), (?:non-?current|long-term|net of current portion)",
     "OperatingLeaseLiabilityNoncurrent", "i"),
    (r"total liabilities", "Liabilities", "i"),
    (r"total (?:non-?current|long-term) liabilities", "LiabilitiesNoncurrent", "i"),
    (r"additional paid-in capital|capital in excess of par value", "AdditionalPaidInCapital", "i"),
    (r"retained earnings(?: \(accumulated deficit\))?|accumulated deficit",
     "RetainedEarningsAccumulatedDeficit", "i"),
    (r"(?:total )?(?:stockholders|shareholders)'? equity", "StockholdersEquity", "i"),
    (r"total liabilities and (?:stockholders|shareholders)'? equity",
     "LiabilitiesAndStockholdersEquity", "i"),
    (r"common stock\b.*", "CommonStockValue", "i"),
)
_ROW_RES = tuple((re.compile(p), "us-gaap:" + c, k) for p, c, k in ROW_CONCEPTS)
#: an unlabelled total row closes the section its header names
SECTION_TOTALS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:total )?revenues?|net sales"), "us-gaap:Revenues"),
    (re.compile(r"operating expenses"), "us-gaap:OperatingExpenses"),
    (re.compile(r"(?:costs and )?expenses|operating costs and expenses"),
     "us-gaap:CostsAndExpenses"),
    (re.compile(r"current assets"), "us-gaap:AssetsCurrent"),
    (re.compile(r"current liabilities"), "us-gaap:LiabilitiesCurrent"),
    (re.compile(r"(?:stockholders|shareholders)'? equity"), "us-gaap:StockholdersEquity"),
)
_CHILD_RE = re.compile(r"(?:basic|diluted|basic and diluted|assuming dilution)")
_EPS_PARENT_RE = re.compile(rf"(?:(?:basic and diluted )?(?:net )?{_L}?\s*per (?:common |ordinary )?"
                            r"share|earnings per share|eps)\b")
_SHARES_RE = re.compile(r"\b(?:weighted|average)\b.*\bshares\b|\bshares used in\b")
EPS_CONCEPTS = {"basic and diluted": "us-gaap:EarningsPerShareBasicAndDiluted",
                "basic": "us-gaap:EarningsPerShareBasic",
                "diluted": "us-gaap:EarningsPerShareDiluted"}
SHARE_CONCEPTS = {"basic and diluted": "us-gaap:WeightedAverageNumberOfShareOutstandingBasicAndDiluted",
                  "basic": "us-gaap:WeightedAverageNumberOfSharesOutstandingBasic",
                  "diluted": "us-gaap:WeightedAverageNumberOfDilutedSharesOutstanding"}
INSTANT_CONCEPTS = frozenset(
    "us-gaap:" + c for _p, c, k in ROW_CONCEPTS if k in "ia") | {"us-gaap:OtherAssets",
                                                                 "us-gaap:OtherAssetsNoncurrent",
                                                                 "us-gaap:PropertyPlantAndEquipmentGross",
                                                                 "us-gaap:Liabilities"}
PER_SHARE = frozenset(EPS_CONCEPTS.values())
SHARES = frozenset(SHARE_CONCEPTS.values())


def _basic_diluted(label: str) -> str | None:
    if "basic and diluted" in label or ("basic" in label and "dilut" in label):
        return "basic and diluted"
    if "dilut" in label:
        return "diluted"
    if "basic" in label:
        return "basic"
    return None


def _norm_label(label: str) -> str:
    s = label.lower().replace("’", "'").replace("‘", "'").replace("&", " and ")
    s = re.sub(r"\([^()]{13,}\)|\(\d\)|\(note \d+\)|\*+", " ", s)
    s = re.sub(r"\s+", " ", s).strip(" :;,.-–—\t")
    return s


def concept_of_label(label: str, section: str | None = None) -> str | None:
    """The us-gaap concept a table row label names (with its section header), or None."""
    lab = _norm_label(label)
    if not lab:
        return None
    if _CHILD_RE.fullmatch(lab) and section:
        lab = f"{section} {lab}"
    if "per share" in lab or "per common share" in lab or lab.startswith(("eps", "earnings per")):
        if re.search(r"dividend|book value|cash flow", lab) or not _EPS_PARENT_RE.search(lab):
            return None
        bd = _basic_diluted(lab)
        return EPS_CONCEPTS[bd] if bd else None
    if _SHARES_RE.search(lab) and not re.search(r"outstanding at|issued|authorized", lab):
        bd = _basic_diluted(lab)
        return SHARE_CONCEPTS[bd] if bd else None
    if lab == "interest" and section and "expense" in section:
        return "us-gaap:InterestExpense"
    for rx, concept, _kind in _ROW_RES:
        if rx.fullmatch(lab):
            return concept
    return None


def _months_of(m: re.Match[str]) -> int:
    """Months of a duration phrase; 13/26/39/52-week periods count as 3/6/9/12 months."""
    n, unit = _duration_of(m)
    return n if unit == "m" else {13: 3, 14: 3, 26: 6, 27: 6, 39: 9, 40: 9, 52: 12, 53: 12}.get(n, 0)


def _duration_of(m: re.Match[str]) -> tuple[int, str]:
    """(count, "m" | "w") of a duration phrase: "Thirteen Weeks Ended" -> (13, "w")."""
    if m[1]:
        key = re.sub(r"[- ]+", "-", m[1].lower())
        n = int(key) if key.isdigit() else _WORDNUM.get(key, 0)
        return n, ("w" if m[2].lower().startswith("week") else "m")
    return (3 if m[3].lower() == "quarter" else 12), "m"


def period_for(end_iso: str, months: int, weeks: int = 0) -> dict[str, str] | None:
    """The duration ending on ``end_iso`` lasting ``months`` (or ``weeks``).

    Month-end dates give calendar months (Sep 30, 3 months -> Jul 1). Other end dates are
    52/53-week fiscal calendars: the period is whole weeks (13 per quarter), so "three months
    ended November 2, 2024" starts on August 4, 2024.
    """
    try:
        end = date.fromisoformat(end_iso)
    except ValueError:
        return None
    last = calendar.monthrange(end.year, end.month)[1]
    if weeks or end.day != last:
        w = weeks or {3: 13, 6: 26, 9: 39, 12: 52}.get(months, 0)
        if not w:
            return None
        start = end - timedelta(days=7 * w - 1)
        return {"start": start.isoformat(), "end": end.isoformat()}
    y, mth = end.year, end.month - months
    while mth <= 0:
        mth += 12
        y -= 1
    start = date(y, mth, 1) + timedelta(days=calendar.monthrange(y, mth)[1])
    return {"start": start.isoformat(), "end": end.isoformat()}


def _shift_year(p: dict[str, str], years: int = -1) -> dict[str, str] | None:
    out = {}
    for k, v in p.items():
        d = date.fromisoformat(v)
        try:
            out[k] = d.replace(year=d.year + years).isoformat()
        except ValueError:  # Feb 29
            out[k] = d.replace(year=d.year + years, day=28).isoformat()
    return out


class _Facts:
    """Collects xbrl:Fact records; a record repeated within tables (or within prose) is one fact
    with several evidence spans; a table figure and its prose restatement stay two facts."""

    def __init__(self) -> None:
        self.recs: dict[tuple[str, str], tuple[dict[str, Any], list[tuple[int, int]]]] = {}
        #: the periods of every table column read (prose looks prior-year periods up here)
        self.columns: list[dict[str, str]] = []

    def add(self, kind: str, concept: str, period: dict[str, str], value: Decimal,
            decimals: int, unit: str, span: tuple[int, int]) -> None:
        record = {"concept": concept, "period": period, "unit": unit,
                  "value": number_json(value), "decimals": decimals}
        key = (kind, repr((concept, sorted(period.items()), unit, record["value"])))
        if key in self.recs:
            spans = self.recs[key][1]
            if span not in spans:
                spans.append(span)
            return
        self.recs[key] = (record, [span])

    def emit(self, sink: Sink, text: str) -> None:
        for record, spans in self.recs.values():
            sink.fact("xbrl:Fact", record, sorted(spans), text, dedupe=False)


def financial_rules(ctx: Ctx, sink: Sink) -> None:
    """Emit xbrl:Fact records from financial tables and prose."""
    text = ctx.text
    out = _Facts()
    _tables(text, out)
    _prose(text, out)
    out.emit(sink, text)


# ------------------------------------------------------------------ tables


class _Header:
    def __init__(self) -> None:
        self.durations: list[tuple[int, str]] = []
        self.monthday: str | None = None
        self.years: list[int] = []
        self.dates: list[str] = []

    def _period(self, end: str, dur: tuple[int, str]) -> dict[str, str] | None:
        n, unit = dur
        return period_for(end, 0, n) if unit == "w" else period_for(end, n)

    def columns(self) -> list[dict[str, str]]:
        cols: list[dict[str, str]] = []
        if self.dates and not self.durations:
            return [{"instant": d} for d in self.dates]
        if self.dates and self.durations and len(self.dates) % len(self.durations) == 0:
            per = len(self.dates) // len(self.durations)
            for i, d in enumerate(self.dates):
                p = self._period(d, self.durations[min(i // per, len(self.durations) - 1)])
                if p is None:
                    return []
                cols.append(p)
            return cols
        if self.durations and self.monthday and self.years:
            if len(self.years) % len(self.durations):
                return []
            per = len(self.years) // len(self.durations)
            for i, y in enumerate(self.years):
                end = norm_date(f"{self.monthday}, {y}")
                if end is None:
                    return []
                p = self._period(end, self.durations[i // per])
                if p is None:
                    return []
                cols.append(p)
            return cols
        if not self.durations and self.monthday and self.years:
            for y in self.years:
                end = norm_date(f"{self.monthday}, {y}")
                if end is None:
                    return []
                cols.append({"instant": end})
            return cols
        return []


_DIGIT_SPLIT_RE = re.compile(r"(?<![\d,.])(\d)[ \t]+(\d{3})(?![\d,])")
_TRAIL_GAP_RE = re.compile(r"[\s$\\]*")


def _tables(text: str, out: _Facts) -> None:
    # a scale statement of a table, not prose ("revenues in millions of dollars rose")
    scales = [m for m in SCALE_RE.finditer(text)
              if _SCALE_CONTEXT_RE.search(text, max(0, m.start() - 25), m.end() + 40)]
    covered: list[tuple[int, int]] = []
    for i, sm in enumerate(scales):
        scale = _SCALE[sm[1].lower()]
        start = text.rfind("\n", 0, max(0, sm.start() - 400)) + 1
        end = scales[i + 1].start() if i + 1 < len(scales) else len(text)
        end = min(end, sm.end() + 15000)
        covered.append((start, end))
        # the region's header starts at the scale statement's line (titles just above it)
        _table_region(text, start, end, scale, out)
    # tables without a scale statement (whole dollars): anchored on a period header line
    nxt = 0
    for i in find_all(text, _HEADER_ANCHORS):
        if i < nxt or any(s <= i < e for s, e in covered):
            continue
        ls = text.rfind("\n", 0, i) + 1
        le = text.find("\n", i)
        le = len(text) if le == -1 else le
        if le - ls > 160 or re.search(r"[a-z]{3,}[.;]\s", text[ls:le]):
            continue  # a prose line, not a column header
        end = min(len(text), ls + 8000)
        for s, _e in covered:
            if ls < s < end:
                end = s
        _table_region(text, ls, end, 0, out)
        nxt = end


def _row_label(line: str, first_num: int) -> str:
    label = line[:first_num]
    label = re.sub(r"\.{2,}|\\|\$|\s+\(\d\)$", " ", label)
    return re.sub(r"\s+", " ", label).strip(" :*-–—\t")


class _Row:
    __slots__ = ("cells", "label", "line", "pos")

    def __init__(self, pos: int, label: str, cells: list[re.Match[str]], line: str) -> None:
        self.pos = pos
        self.label = label
        self.cells = cells
        self.line = line


def _table_region(text: str, start: int, end: int, scale: int, out: _Facts) -> None:
    header = _Header()
    rows: list[_Row | str] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = nl if nl != -1 else end
        line = text[pos:line_end]
        if line.strip():
            kind = _header_line(line, header, rows)
            if kind == "new":  # a header after data rows: a new table
                _map_table(text, header.columns(), rows, scale, out)
                header = _Header()
                rows = []
                _header_line(line, header, rows)
            elif kind is None:
                _data_line(pos, line, rows)
        pos = line_end + 1
    _map_table(text, header.columns(), rows, scale, out)


def _trailing_cells(line: str) -> list[re.Match[str]]:
    """The numeric cells that end the line (separated only by blanks and $ signs)."""
    cells = [c for c in NUM_CELL_RE.finditer(line) if c.group(3) or c.group(0).strip()]
    out: list[re.Match[str]] = []
    stop = len(line)
    for c in reversed(cells):
        if not _TRAIL_GAP_RE.fullmatch(line, c.end(), stop):
            break
        out.append(c)
        stop = c.start()
    out.reverse()
    return out


def _header_line(line: str, header: _Header, rows: list[Any]) -> str | None:
    """Read a column-header line into ``header`` ("ok"); "new" when it follows data rows (a
    new table); None for data and section lines."""
    joined = _DIGIT_SPLIT_RE.sub(r"\1\2", line)
    trail = _trailing_cells(joined)
    dates = list(DATE_RE.finditer(joined))
    in_date = [c for c in trail if any(d.start() <= c.start() < d.end() for d in dates)]
    values = [c for c in trail if c not in in_date
              and not (YEAR_RE.fullmatch(c.group(3) or "") and not c.group(1))]
    label = _row_label(joined, trail[0].start() if trail else len(joined))
    if values and (label or len(values) > 1 or not (dates or YEAR_RE.search(joined))):
        return None  # a data row (a common-stock label may print dates)
    durs = list(DURATION_RE.finditer(line))
    years_only = bool(trail) and not values and not in_date
    if not (durs or dates or (years_only and len(label) < 40)
            or (not trail and MONTHDAY_RE.search(line))):
        return None
    if len(line) > 250:
        return None  # prose, not a table header
    if any(isinstance(r, _Row) for r in rows):
        return "new"
    if durs:
        header.durations = [_duration_of(d) for d in durs]
        header.dates, header.years, header.monthday = [], [], None
    if dates:
        ds = [norm_date(d[0]) for d in dates]
        # "September 30, 2004 and 2003": a date followed by bare years
        tail = joined[dates[-1].end() :]
        extra = re.match(r"\s*(?:and|,)\s*((?:19|20)\d\d)\b", tail)
        if extra and durs:
            md = MONTHDAY_RE.search(dates[-1][0] + " ") or re.match(
                rf"({MONTHS})\.?\s+(\d{{1,2}})", dates[-1][0], _I)
            if md:
                header.monthday = f"{md[1]} {md[2]}"
            header.years = [int(d[:4]) for d in ds if d] + [int(extra[1])]
            header.dates = []
        else:
            header.dates = [d for d in ds if d]
            if not durs and re.search(r"\b(?:as\s+of|at)\b|balance\s+sheet", line, _I):
                header.durations = []
            if durs:
                md = re.match(rf"({MONTHS})\.?\s+(\d{{1,2}})", dates[-1][0], _I)
                if md:
                    header.monthday = f"{md[1]} {md[2]}"
    else:
        md = MONTHDAY_RE.search(line)
        if md:
            header.monthday = f"{md[1]} {md[2]}"
        years = [int(y) for y in YEAR_RE.findall(joined)]
        if years and (years_only or not trail):
            header.years = years
    return "ok"


def _data_line(pos: int, line: str, rows: list[_Row | str]) -> None:
    trail = _trailing_cells(line)
    if trail and len(trail) > 1 and "," in line[: trail[0].start()]:
        # a label that ends in a date ("... shares at October 28, 2023  508  504"): its year
        # is not a value
        dates = [d.span() for d in DATE_RE.finditer(line, max(0, trail[0].start() - 20))]
        while trail and any(s <= trail[0].start() < e for s, e in dates):
            trail = trail[1:]
    label = _row_label(line, trail[0].start() if trail else len(line))
    if not [c for c in trail if c.group(3)]:
        if label and len(label) < 80 and not label.endswith(".") and re.search(r"[A-Za-z]", label):
            rows.append(label)  # a section header ("Revenues:", "EARNINGS PER SHARE:")
        return
    rows.append(_Row(pos, label, trail, line))


_CASH_FLOW_RE = re.compile(r"cash flows?\b|operating activities|adjustments to reconcile|"
                           r"changes in (?:operating )?assets")


def _section_total(section: str | None) -> str | None:
    if not section:
        return None
    return next((c for rx, c in SECTION_TOTALS if rx.fullmatch(section)), None)


def _map_table(text: str, cols: list[dict[str, str]], rows: list[_Row | str], scale: int,
               out: _Facts) -> None:
    """Map each row to a concept (its label, its section header, its neighbours) and emit."""
    if not cols or not rows:
        return
    out.columns.extend(c for c in cols if "start" in c)
    section: str | None = None
    sec_rows: list[tuple[_Row, str | None]] = []
    after_current_assets = False
    prev: str | None = None

    def close() -> None:
        # "Revenues:" over a single line ("Finance income"): that line is the revenues
        if (_section_total(section) == "us-gaap:Revenues" and len(sec_rows) == 1
                and sec_rows[0][1] is None):
            _row_facts(text, "us-gaap:Revenues", cols, sec_rows[0][0], scale, out)

    for k, row in enumerate(rows):
        if isinstance(row, str):
            close()
            section, sec_rows, prev = _norm_label(row), [], None
            if _CASH_FLOW_RE.search(section):
                return  # a cash-flow statement: changes, not balances
            continue
        lab = _norm_label(row.label)
        concept: str | None = None
        if not lab:  # an unlabelled total
            if prev and prev.startswith("us-gaap:AccumulatedDepreciation"):
                concept = "us-gaap:PropertyPlantAndEquipmentNet"
            elif sec_rows:
                concept = _section_total(section)
        elif lab == "other assets":
            concept = ("us-gaap:OtherAssetsNoncurrent" if after_current_assets
                       else "us-gaap:OtherAssets")
        elif re.fullmatch(r"property(?:, plant)?,? and equipment", lab):
            nxt = rows[k + 1] if k + 1 < len(rows) else None
            if isinstance(nxt, _Row) and _norm_label(nxt.label).startswith("less accumulated"):
                concept = "us-gaap:PropertyPlantAndEquipmentGross"
        else:
            concept = concept_of_label(row.label, section)
        if concept == "us-gaap:AssetsCurrent":
            after_current_assets = True
        if lab:
            sec_rows.append((row, concept))
        if not lab or lab.startswith("total "):
            if not lab and concept is None and not sec_rows:
                pass
            section, sec_rows = None, []
        prev = concept
        if concept is not None:
            _row_facts(text, concept, cols, row, scale, out)
        if concept == "us-gaap:CommonStockValue" and "outstanding" in lab:
            _shares_outstanding(row, out)
    close()


_SHARES_AT_RE = re.compile(rf"(\d{{1,3}}(?:,\d{{3}})+)\s+shares\s+(?:at|as\s+of)\s+({DATE_PATTERN})",
                           _I)


def _shares_outstanding(row: _Row, out: _Facts) -> None:
    """"... outstanding; 50,773,796 shares at November 2, 2024, ..." in a common-stock label."""
    for m in _SHARES_AT_RE.finditer(row.line, 0, row.cells[0].start()):
        d = norm_date(m[2])
        if not d:
            continue
        value, decimals, _ = parse_amount(m[1])
        out.add("table", "us-gaap:CommonStockSharesOutstanding", {"instant": d}, value, decimals,
                "shares", (row.pos + m.start(1), row.pos + m.end(1)))


def _row_facts(text: str, concept: str, cols: list[dict[str, str]], row: _Row, scale: int,
               out: _Facts) -> None:
    cells = row.cells
    if len(cells) != len(cols):
        return
    instant_concept = concept in INSTANT_CONCEPTS
    per_share = concept in PER_SHARE
    unit = "USD/shares" if per_share else "shares" if concept in SHARES else "USD"
    for cell, col in zip(cells, cols, strict=True):
        if not cell.group(3):
            continue
        if instant_concept != ("instant" in col):
            continue
        neg = bool(cell.group(1) or cell.group(2)) and bool(cell.group(4))
        if concept.startswith("us-gaap:AccumulatedDepreciation"):
            neg = False
        raw = ("(" if neg else "") + cell.group(3) + (")" if neg else "")
        try:
            value, decimals, _ = parse_amount(raw, scale=0 if per_share else scale)
        except NormalizationError:
            continue
        s = row.pos + cell.start(3)
        e = row.pos + cell.end(3)
        out.add("table", concept, col, value, decimals, unit, (s, e))


# ------------------------------------------------------------------ prose

#: prose concept phrases -> (concept, negative); data, not code
PROSE_CONCEPTS: tuple[tuple[str, str, bool], ...] = (
    (r"(?:total\s+)?(?:net\s+)?revenues?|(?:total\s+)?net\s+sales", "Revenues", False),
    (r"(?:basic\s+and\s+diluted\s+)?(?:net\s+)?loss\s+per\s+(?:basic\s+and\s+diluted\s+)?"
     r"(?:common\s+)?share(?:,?\s+basic\s+and\s+diluted)?", "EarningsPerShareBasicAndDiluted", True),
    (r"net\s+loss(?:\s+attributable\s+to\s+[A-Z][\w.&-]*)?", "NetIncomeLoss", True),
    (r"net\s+(?:income|earnings)(?:\s+attributable\s+to\s+[A-Z][\w.&-]*)?", "NetIncomeLoss", False),
    (r"(?:total\s+)?operating\s+expenses", "OperatingExpenses", False),
    (r"research\s+and\s+development\s+expenses?", "ResearchAndDevelopmentExpense", False),
    (r"other\s+income", "NonoperatingIncomeExpense", False),
    (r"interest\s+income", "InvestmentIncomeInterest", False),
    (r"(?:stock|share)-based\s+compensation(?:\s+expense)?", "ShareBasedCompensation", False),
    (r"cash\s+flows?\s+(?:from|provided\s+by)\s+operations|(?:net\s+)?cash\s+provided\s+by\s+"
     r"operating\s+activities", "NetCashProvidedByUsedInOperatingActivities", False),
    (r"gross\s+profit", "GrossProfit", False),
    (r"total\s+assets", "Assets", False),
    (r"total\s+liabilities(?!\s+and\s)", "Liabilities", False),
    (r"cash\s+and\s+cash\s+equivalents", "CashAndCashEquivalentsAtCarryingValue", False),
    (r"cash\s+and\s+marketable\s+securities|cash,\s+cash\s+equivalents,?\s+and\s+(?:short-term\s+"
     r"investments|marketable\s+securities)", "CashCashEquivalentsAndShortTermInvestments", False),
)
PROSE_CONCEPT_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<c{i}>{p})" for i, (p, _c, _n) in enumerate(PROSE_CONCEPTS)) + r")\b",
    _I)
_INTEREST_IDX = next(i for i, c in enumerate(PROSE_CONCEPTS) if c[1] == "InvestmentIncomeInterest")
_PROSE_INSTANT = frozenset({"Assets", "Liabilities", "CashAndCashEquivalentsAtCarryingValue",
                            "CashCashEquivalentsAndShortTermInvestments"})
MONEY_RE = re.compile(
    r"(\()?\$\s?(\(?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]\d)\)?"
    r"(?:\s+(million|billion|thousand))?"
)
_PER_SHARE_AFTER_RE = re.compile(r"\)?\s+per\s+(?:basic|diluted|common|share)", _I)
PRIOR_RE = re.compile(
    r"(?:for|in|during)\s+the\s+(?:same|comparable|corresponding)\s+(?:period|quarter|three[- ]"
    r"month\s+period)\s+(?:last|of\s+the\s+prior|in\s+the\s+prior|a|of\s+the\s+previous)\s+"
    r"(?:year|fiscal\s+year)|(?:for|in|during)\s+the\s+prior[- ]year'?s?\s+(?:period|quarter)|"
    r"(?:for|in|during)\s+the\s+(?:first|second|third|fourth)\s+quarter\s+of\s+the\s+"
    r"(?:prior|previous)\s+(?:fiscal\s+)?year|\b(?:a|one)\s+year\s+(?:ago|earlier)\b|"
    r"\byear-ago\s+(?:period|quarter)\b", _I)
AS_OF_RE = re.compile(rf"^[^$;]{{0,12}}?(?:as\s+of|at)\s+({MONTHS}\.?\s+\d{{1,2}},\s+(?:19|20)\d\d)",
                      _I)
_WEEKS_WORD = r"\d{2}|thirteen|twenty[- ]six|thirty[- ]nine|fifty[- ]two|fifty[- ]three"
PERIOD_PHRASE_RE = re.compile(
    rf"(?:(three|six|nine|twelve)[- ]month\s+period|(three|six|nine|twelve)\s+months|"
    rf"({_WEEKS_WORD})[- ]weeks?(?:\s+fiscal)?(?:\s+(?:period|quarter|year))?|"
    rf"((?:fiscal\s+)?quarter)|((?:fiscal\s+)?year))\s+ended\s+({MONTHS}\.?\s+\d{{1,2}},\s+"
    rf"(?:19|20)\d\d)", _I
)
#: "the third quarter of fiscal 2024", "the first quarter 2005", "the first quarter of 2005"
QUARTER_OF_RE = re.compile(r"\b(?:first|second|third|fourth)\s+quarter\s+(?:of\s+)?(?:the\s+)?"
                           r"(?:(?:company's\s+)?fiscal\s+(?:year\s+)?)?((?:19|20)\d\d)\b", _I)
YEAR_IN_RE = re.compile(r"^[^$;]{0,6}?\b(?:in|for|during)\s+(?:fiscal\s+(?:year\s+)?)?"
                        r"((?:19|20)\d\d)\b(?!\s*(?:and\b|,\s*(?:19|20)\d\d))", _I)
EPS_AFTER_RE = re.compile(
    r"^[\s,]*(?:or\s+)?\(?\$\s?(\d+\.\d+)\)?\s+per\s+(basic\s+and\s+diluted\s+|diluted\s+|basic\s+)?"
    r"(?:common\s+)?share(?:,?\s+(basic\s+and\s+diluted|diluted|basic))?"
    r"(?:\s+\(\$\s?(\d+\.\d+)\s+per\s+(?:common\s+)?share\s+on\s+a\s+diluted\s+basis\))?", _I)
EPS_RE = re.compile(r"\$\s?(\d+\.\d+)\s+per\s+(basic\s+and\s+diluted\s+|diluted\s+|basic\s+)?"
                    r"(?:common\s+)?share(?:,?\s+basic\s+and\s+diluted)?", _I)
_FORWARD_RE = re.compile(r"\b(?:expects?|anticipates?|guidance|outlook|forecast|will\s+be|"
                         r"projected?|estimates?)\b", _I)
_NON_GAAP_BEFORE_RE = re.compile(r"\b(?:adjusted|non-gaap|pro\s+forma|comparable|store|core|"
                                 r"organic|online)\s+$", _I)
_MEASURE_RE = re.compile(r"\b(?:earnings|income|revenues?|sales|expenses?|assets|liabilities|loss|"
                         r"profit|margin|per\s+(?:diluted\s+|basic\s+)?share|ratio|cash)\b", _I)
_CONNECT_RE = re.compile(r"(?:compared\s+(?:to|with)|versus|vs\.|from|over|to|and)\s+(?:an?\s+)?"
                         r"(?:net\s+\w+\s+of\s+)?\(?$", _I)
_RESPECTIVE_RE = re.compile(rf"ended\s+({MONTHS})\.?\s+(\d{{1,2}}),\s+((?:19|20)\d\d)\s+and\s+"
                            r"((?:19|20)\d\d)", _I)


class _DocPeriods:
    """The periods a document names: the reporting quarter, the fiscal-year end, and every
    period of its table columns and period phrases (to find a prior-year period as printed)."""

    def __init__(self, phrases: list[tuple[int, dict[str, str]]], known: list[dict[str, str]]):
        self.known = [p for _i, p in phrases] + known
        self.quarter = next((p for p in self.known if "start" in p and 85 <= _days(p) <= 100), None)
        fy = next((p for p in self.known if "start" in p and 355 <= _days(p) <= 372), None)
        self.fy_end = fy["end"][5:] if fy and _month_end(fy["end"]) else None

    def prior(self, p: dict[str, str] | None) -> dict[str, str] | None:
        if not p:
            return None
        if "start" in p:
            days, end = _days(p), date.fromisoformat(p["end"])
            for q in self.known:
                if "start" in q and abs(_days(q) - days) <= 7 and \
                        350 <= (end - date.fromisoformat(q["end"])).days <= 380:
                    return q
        return _shift_year(p)

    def year(self, y: str) -> dict[str, str] | None:
        return period_for(f"{y}-{self.fy_end}", 12) if self.fy_end else None

    def quarter_of(self, y: str) -> dict[str, str] | None:
        q = self.quarter
        if not q:
            return None
        end_y = int(q["end"][:4])
        if int(y) in (end_y, end_y + 1):
            return q
        if int(y) + 1 in (end_y, end_y + 1):
            return self.prior(q)
        return None


def _days(p: dict[str, str]) -> int:
    return (date.fromisoformat(p["end"]) - date.fromisoformat(p["start"])).days + 1


def _month_end(iso: str) -> bool:
    d = date.fromisoformat(iso)
    return d.day == calendar.monthrange(d.year, d.month)[1]


def _prose(text: str, out: _Facts) -> None:
    # markdown-escaped dollar signs (\\$) read as plain ones; same length keeps offsets
    clean = text.replace("\\$", " $") if "\\$" in text else text
    # period phrases ("three months ended September 30, 2004"), anchored on "ended"
    periods: list[tuple[int, dict[str, str]]] = []
    for i in find_all(clean, ("ended", "ENDED")):
        m = PERIOD_PHRASE_RE.search(clean, max(0, i - 60), i + 40)
        if m and m.start() <= i < m.end():
            p = _phrase_period(m)
            if p:
                periods.append((m.start(), p))
    docp = _DocPeriods(periods, out.columns)
    # sentences with a dollar amount and a concept phrase, in order
    sents: list[tuple[int, int]] = []
    for i in find_all(clean, ("$",)):
        if sents and sents[-1][0] <= i < sents[-1][1]:
            continue
        sents.append(sentence_at(clean, i))
    starts = [i for i, _p in periods]
    for sent_s, sent_e in sents:
        sent = clean[sent_s:sent_e]
        if _FORWARD_RE.search(sent) or len(sent) > 1500:
            continue
        seen: set[str] = set()
        cms = [cm for cm in PROSE_CONCEPT_RE.finditer(sent) if _valid_phrase(sent, cm)]
        for j, cm in enumerate(cms):
            stop = cms[j + 1].start() if j + 1 < len(cms) else len(sent)
            # the current period: the last period phrase printed before the concept's amounts
            at = bisect.bisect_left(starts, sent_s + cm.end())
            current = periods[at - 1][1] if at else None
            _prose_concept(out, sent, sent_s, cm, stop, current, docp, seen)


def _valid_phrase(sent: str, cm: re.Match[str]) -> bool:
    """Not a part of another measure: "non-interest income", "net interest income"."""
    before = sent[max(0, cm.start() - 5) : cm.start()]
    if before.endswith("-"):
        return False
    return not (cm.lastgroup == f"c{_INTEREST_IDX}" and re.search(r"net\s+$", before, _I))


def _phrase_period(m: re.Match[str]) -> dict[str, str] | None:
    end = norm_date(m[6])
    if not end:
        return None
    if m[3]:
        key = re.sub(r"[- ]+", "-", m[3].lower())
        weeks = int(key) if key.isdigit() else _WORDNUM.get(key, 0)
        return period_for(end, 0, weeks) if weeks else None
    months = {"three": 3, "six": 6, "nine": 9, "twelve": 12}.get(
        (m[1] or m[2] or "").lower(), 3 if m[4] else 12)
    return period_for(end, months)


_OTHER_PERIOD_RE = re.compile(
    r"\b(?:year|annual|six|nine|half|year-to-date|twelve|fiscal\s+(?:19|20)\d\d|first\s+quarter|"
    r"second\s+quarter|third\s+quarter|fourth\s+quarter|months|weeks?)\b", _I)
_QUARTER_OK_RE = re.compile(r"\b(?:three[- ]month\s+period|three\s+months|quarter)\b", _I)


def sent_plain(sent: str, current: dict[str, str] | None) -> str:
    """The sentence without the phrases that agree with the current period (a quarter)."""
    s = PERIOD_PHRASE_RE.sub(" ", sent)
    s = PRIOR_RE.sub(" ", s)
    if current and "start" in current and 85 <= _days(current) <= 100:
        s = _QUARTER_OK_RE.sub(" ", s)
    return s


def _explicit_period(seg: str, docp: _DocPeriods, base: dict[str, str] | None,
                     instant: bool) -> dict[str, str] | None:
    """A period printed in ``seg`` (the words after an amount, or before it)."""
    if instant:
        am = AS_OF_RE.match(seg)
        d = norm_date(am[1]) if am else None
        return {"instant": d} if d else None
    pm = PERIOD_PHRASE_RE.search(seg[:160])
    if pm:
        return _phrase_period(pm)
    if PRIOR_RE.search(seg[:160]):
        return docp.prior(base)
    qm = QUARTER_OF_RE.search(seg[:160])
    if qm:
        return docp.quarter_of(qm[1])
    ym = YEAR_IN_RE.match(seg)
    if ym:
        return docp.year(ym[1])
    return None


def _prose_concept(out: _Facts, sent: str, base: int, cm: re.Match[str], stop: int,
                   current: dict[str, str] | None, docp: _DocPeriods, seen: set[str]) -> None:
    idx = int((cm.lastgroup or "c0")[1:])
    concept, negative = "us-gaap:" + PROSE_CONCEPTS[idx][1], PROSE_CONCEPTS[idx][2]
    named_before = concept in seen
    seen.add(concept)
    # the amounts that belong to this phrase: up to the next concept phrase
    between = sent[cm.end() : stop]
    before = sent[max(0, cm.start() - 40) : cm.start()]
    # components ("revenues include ...", "included in revenues were $2.9 million of ...");
    # another business's figures ("Net sales of Sync were $3.3 million")
    if re.match(r"\s+(?:include|included|from|related|consist|of\s+[A-Z])", between, _I) or re.search(
            r"\binclud(?:e|ed|ing)\b", before, _I) or _NON_GAAP_BEFORE_RE.search(before):
        return
    comparison = bool(re.search(r"(?:compared\s+(?:to|with)|versus|vs\.|from|over)\s+(?:an?\s+)?$",
                                before, _I))
    if comparison and not named_before:
        return  # "Online sales ... compared to net sales of $46.1 million": another measure
    instant = PROSE_CONCEPTS[idx][1] in _PROSE_INSTANT
    verb = re.match(r"(?:(?!earnings|income|profit|loss|expense|margin|cost)[^$]){0,90}?"
                    r"(?:of|were|was|totaled|totalled|to|from|reached|amounted\s+to|"
                    r"decreased\s+to|increased\s+to|grew\s+to)\s+(?:approximately\s+)?\(?\s?\$",
                    between, _I)
    amounts = [m for m in MONEY_RE.finditer(between)
               if concept in PER_SHARE or not _PER_SHARE_AFTER_RE.match(between, m.end())][:4]
    if not verb:
        if instant:
            _reverse_instant(out, sent, base, cm, concept)
        return
    resp = _RESPECTIVE_RE.search(sent) if "respectively" in between else None
    first: dict[str, str] | None = None
    prev_end = 0
    for k, mm in enumerate(amounts):
        if k == 0 and mm.start() > verb.end() + 2:
            break
        gap = between[prev_end : mm.start()]
        if k > 0 and (not _CONNECT_RE.search(gap) or _MEASURE_RE.search(EPS_RE.sub(" ", gap))):
            break  # "... with earnings per diluted share growing 31% to $0.42": another measure
        nxt_start = amounts[k + 1].start() if k + 1 < len(amounts) else len(between)
        after = between[mm.end() : nxt_start]
        if re.match(r"\s+(?:million\s+|billion\s+)?of\s+(?!the\b)[a-z]", after):
            prev_end = mm.end()
            continue  # "$2.9 million of clinical material reimbursement": a component
        cut = re.search(r"compared|versus|\bvs\.|;|\b(?:from|over|to)\s+(?:a\s+net\s+\w+\s+of\s+)?\$",
                        after, _I)
        tail = after[: cut.start()] if cut else after
        period = _explicit_period(tail, docp, first or current, instant)
        if period is None and resp and k < 2:
            end = norm_date(f"{resp[1]} {resp[2]}, {resp[3 + k]}")
            pm = PERIOD_PHRASE_RE.search(sent[max(0, resp.start() - 40) : resp.end()])
            period = _phrase_period(pm) if pm and k == 0 else None
            if pm and k == 1:
                p0 = _phrase_period(pm)
                period = docp.prior(p0) if p0 and end and p0["end"][:4] != end[:4] else None
        if period is None and k == 0 and not instant:
            pre = between[: mm.start()]
            period = _explicit_period(re.sub(r"^[\s,]*", "", pre), docp, current, False) \
                if re.search(r"\d", pre) else None
            if period is None and re.search(r"\bfrom\s+\(?$", pre, _I) and k + 1 < len(amounts) \
                    and re.match(r"\s*to\s+\(?$", between[mm.end() : amounts[1].start()], _I) \
                    and not _explicit_period(between[amounts[1].end():], docp, current, False):
                period = docp.prior(current)  # "narrowed from $A to $B": A prior, B current
            elif period is None and _lead_period(sent, cm) is not None:
                period = _lead_period(sent, cm)  # "In the quarter ended ..., net income was $X"
            elif period is None and not comparison and \
                    not _OTHER_PERIOD_RE.search(sent_plain(sent, current)):
                period = current
            elif period is None:
                qm = QUARTER_OF_RE.search(sent[: cm.start()])
                if qm and not PERIOD_PHRASE_RE.search(sent):
                    period = docp.quarter_of(qm[1])
        if period is None and k == 1 and first is not None and re.search(r"\bto\s+\(?$", gap, _I) \
                and re.search(r"\bfrom\s+\(?$", between[: amounts[0].start()], _I) and \
                not _explicit_period(between[amounts[0].end():], docp, current, False):
            period = current
        prev_end = mm.end()
        if not period:
            continue
        if k == 0:
            first = period
        raw = mm[3] + (f" {mm[4]}" if mm[4] else "")
        try:
            value, decimals, _ = parse_amount(raw)
        except NormalizationError:
            continue
        if negative or mm[2] or (mm[1] and between[mm.end() - 1 : mm.end()] == ")"):
            value = -abs(value)
        s = base + cm.end() + mm.start(3)
        e = base + cm.end() + mm.end()
        unit = "USD/shares" if concept in PER_SHARE else "USD"
        out.add("prose", concept, period, value, decimals, unit, (s, e))
        if concept == "us-gaap:NetIncomeLoss":
            _prose_eps(out, after, base + cm.end() + mm.end(), period, negative)


def _lead_period(sent: str, cm: re.Match[str]) -> dict[str, str] | None:
    """The period phrase that opens the sentence before the concept, when nothing between them
    names another period."""
    pms = list(PERIOD_PHRASE_RE.finditer(sent, 0, cm.start()))
    pm = pms[-1] if pms else None
    if pm is None or _OTHER_PERIOD_RE.search(sent, pm.end(), cm.start()) or \
            "$" in sent[pm.end() : cm.start()]:
        return None
    return _phrase_period(pm)


def _prose_eps(out: _Facts, after: str, at: int, period: dict[str, str], negative: bool) -> None:
    """"..., or $0.66 per diluted share", "or $0.89 per share ($0.88 per share on a diluted
    basis)", "or $0.06 per basic and diluted share" after a net income figure."""
    eps = EPS_AFTER_RE.match(after)
    if not eps:
        return
    qual = re.sub(r"\s+", " ", (eps[2] or eps[3] or "").strip().lower())
    if eps[4]:
        pairs = [(1, "us-gaap:EarningsPerShareBasic"), (4, "us-gaap:EarningsPerShareDiluted")]
    else:
        pairs = [(1, EPS_CONCEPTS.get(qual or "basic and diluted", ""))]
    for g, concept in pairs:
        if not concept:
            continue
        ev, ed, _ = parse_amount(eps[g])
        out.add("prose", concept, period, -ev if negative else ev, ed, "USD/shares",
                (at + eps.start(g), at + eps.end(g)))


_REVERSE_RE = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s+(million|billion))?"
                         r"\s+(?:in|of)\s+$")


def _reverse_instant(out: _Facts, sent: str, base: int, cm: re.Match[str], concept: str) -> None:
    """"As of September 30, 2004, ImmunoGen had approximately $95.0 million in cash and
    marketable securities": the amount before the phrase, the date at the sentence start."""
    rm = _REVERSE_RE.search(sent, max(0, cm.start() - 40), cm.start())
    am = re.match(rf"\s*(?:as\s+of|at)\s+({MONTHS}\.?\s+\d{{1,2}},\s+(?:19|20)\d\d)", sent, _I)
    if not rm or not am or rm.end() != cm.start():
        return
    d = norm_date(am[1])
    if not d:
        return
    value, decimals, _ = parse_amount(rm[1] + (f" {rm[2]}" if rm[2] else ""))
    out.add("prose", concept, {"instant": d}, value, decimals, "USD",
            (base + rm.start(1), base + rm.end(1) + (len(rm[2]) + 1 if rm[2] else 0)))
