"""Financial-figure rules: ``xbrl:Fact`` records from tables and from prose.

Tables: a scale statement ("in thousands", "(dollars in millions, except per
share amounts)") opens a table region; header lines give the column periods
("Three Months Ended September 30," over "2004  2003"; "For the three months
ended September 30, 2004 and 2003"; "September 30, 2004   June 30, 2004" for
balance sheets); each data row whose label names a known concept ("Total
revenues", "Net loss", "Total assets", "Net loss per common share, basic and
diluted"...) gives one fact per column when the number of values equals the
number of columns (otherwise the row is skipped rather than guessed). Values
are scaled, parentheses are negatives, and ``decimals`` is the XBRL precision
(-3 for a figure in thousands; per-share figures are not scaled).

Prose: "revenues ... were $9.0 million", "a net loss of $2.5 million",
"Total assets decreased to $118.3 million as of September 30, 2004": the
concept phrase, the amount, and the period read from the same sentence (or the
last period named before it; "the same period last year" shifts it one year).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from filingkit.errors import NormalizationError
from filingkit.extractors.rules_common import (
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
    r"\b(three|six|nine|twelve|13|26|39|52|53|3|6|9|12|thirteen|twenty[- ]six|thirty[- ]nine|"
    r"fifty[- ]two)"
    r"[- ]+(months?|weeks?)(?:[- ]+period)?s?\s+ended|\b(quarter|(?:fiscal\s+)?year)s?\s+ended", _I
)
_WORDNUM = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "3": 3, "6": 6, "9": 9, "12": 12,
            "thirteen": 3, "twenty-six": 6, "twenty six": 6, "thirty-nine": 9, "thirty nine": 9,
            "fifty-two": 12, "fifty two": 12, "13": 3, "26": 6, "39": 9, "52": 12, "53": 12}
MONTHDAY_RE = re.compile(rf"\b({MONTHS})\.?\s+(\d{{1,2}})\b(?!\s*,?\s*(?:19|20)\d\d)", _I)
YEAR_RE = re.compile(r"(?<![\d,.$])((?:19|20)\d\d)(?![\d,])")
NUM_CELL_RE = re.compile(
    r"(?<![\w.,])(?=[($\d])(\(?)(?:\$[ \t]{0,12})?(\(?)[ \t]{0,2}"
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]\d)(\)?)"
    r"|(?<![\w])(?:—|–|-{1,2})(?![\w-])"
)

# row labels -> concept (tables); order matters (per-share before net income)
ROW_CONCEPTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:basic\s+and\s+diluted\s+)?net\s+(?:income|loss|earnings|\(loss\)|income\s*"
                r"\(loss\)|loss\s*\(income\))(?:\s+\((?:loss|income)\))?\s+per\s+(?:common\s+)?share"
                r"(?:\s*[-,:]?\s*\(?basic\s+and\s+diluted\)?)$|^(?:net\s+)?(?:income|loss|earnings)"
                r"(?:\s*\(loss\))?\s+per\s+(?:common\s+)?share\s*[-,:]?\s*basic\s+and\s+diluted$", _I),
     "us-gaap:EarningsPerShareBasicAndDiluted"),
    (re.compile(r"^(?:total\s+)?(?:net\s+)?revenues?(?:,\s*net)?$|^total\s+net\s+revenues?$|"
                r"^net\s+sales$|^total\s+(?:net\s+)?sales$|^sales$", _I), "us-gaap:Revenues"),
    (re.compile(r"^net\s+(?:income|loss|earnings)(?:\s*\((?:loss|income)\))?$|^net\s+\(loss\)\s*"
                r"income$", _I), "us-gaap:NetIncomeLoss"),
    (re.compile(r"^total\s+operating\s+(?:costs\s+and\s+)?expenses$", _I),
     "us-gaap:OperatingExpenses"),
    (re.compile(r"^cash\s+and\s+cash\s+equivalents$", _I),
     "us-gaap:CashAndCashEquivalentsAtCarryingValue"),
    (re.compile(r"^total\s+assets$", _I), "us-gaap:Assets"),
)
INSTANT_CONCEPTS = frozenset({"us-gaap:CashAndCashEquivalentsAtCarryingValue", "us-gaap:Assets"})
PER_SHARE = frozenset({"us-gaap:EarningsPerShareBasicAndDiluted"})


def _months_of(m: re.Match[str]) -> int:
    """Months of a duration phrase; 13/26/39/52-week periods count as 3/6/9/12 months."""
    if m[1]:
        key = re.sub(r"[- ]+", "-", m[1].lower())
        return _WORDNUM.get(key, _WORDNUM.get(key.replace("-", " "), 0))
    return 3 if m[3].lower() == "quarter" else 12


def period_for(end_iso: str, months: int) -> dict[str, str] | None:
    """The duration ending on ``end_iso`` and lasting ``months`` (month-end aligned)."""
    try:
        end = date.fromisoformat(end_iso)
    except ValueError:
        return None
    y, mth = end.year, end.month - months
    while mth <= 0:
        mth += 12
        y -= 1
    last = calendar.monthrange(end.year, end.month)[1]
    if end.day == last:
        start = date(y, mth, 1) + timedelta(days=calendar.monthrange(y, mth)[1])
    else:
        day = min(end.day, calendar.monthrange(y, mth)[1])
        start = date(y, mth, day) + timedelta(days=1)
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


def financial_rules(ctx: Ctx, sink: Sink) -> None:
    """Emit xbrl:Fact records from financial tables and prose."""
    text = ctx.text
    _tables(text, sink)
    _prose(text, sink)


# ------------------------------------------------------------------ tables


class _Header:
    def __init__(self) -> None:
        self.durations: list[int] = []
        self.monthday: str | None = None
        self.years: list[int] = []
        self.dates: list[str] = []

    def columns(self) -> list[dict[str, str]]:
        cols: list[dict[str, str]] = []
        if self.dates and not self.durations:
            return [{"instant": d} for d in self.dates]
        if self.dates and self.durations and len(self.dates) % len(self.durations) == 0:
            per = len(self.dates) // len(self.durations)
            for i, d in enumerate(self.dates):
                p = period_for(d, self.durations[min(i // per, len(self.durations) - 1)])
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
                p = period_for(end, self.durations[i // per])
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


def _tables(text: str, sink: Sink) -> None:
    # a scale statement of a table, not prose ("revenues in millions of dollars rose")
    scales = [m for m in SCALE_RE.finditer(text)
              if _SCALE_CONTEXT_RE.search(text, max(0, m.start() - 25), m.end() + 40)]
    for i, sm in enumerate(scales):
        scale = _SCALE[sm[1].lower()]
        start = text.rfind("\n", 0, max(0, sm.start() - 400)) + 1
        end = scales[i + 1].start() if i + 1 < len(scales) else len(text)
        end = min(end, sm.end() + 15000)
        # the region's header starts at the scale statement's line (titles just above it)
        _table_region(text, start, sm.start(), end, scale, sink)


def _row_label(line: str, first_num: int) -> str:
    label = line[:first_num]
    label = re.sub(r"\.{2,}|\\|\$|\s+\(\d\)$", " ", label)
    return re.sub(r"\s+", " ", label).strip(" :*-–—\t")


def _table_region(text: str, start: int, scale_at: int, end: int, scale: int, sink: Sink) -> None:
    header = _Header()
    state: list[Any] = [False]  # False: in a header; True: in data rows; "reset": new table
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = nl if nl != -1 else end
        line = text[pos:line_end]
        _table_line(text, pos, line, header, scale, sink, state)
        if state[0] == "reset":
            header = _Header()
            state = [False]
            _table_line(text, pos, line, header, scale, sink, state)
        pos = line_end + 1


def _table_line(text: str, pos: int, line: str, header: _Header, scale: int, sink: Sink,
                state: list[Any]) -> None:
    if not line.strip():
        return
    joined = _DIGIT_SPLIT_RE.sub(r"\1\2", line)
    durs = list(DURATION_RE.finditer(line))
    dates = list(DATE_RE.finditer(joined))
    cells = [c for c in NUM_CELL_RE.finditer(line) if c.group(3) or c.group(0).strip()]
    nums = [c for c in cells if c.group(3)]
    years_only = nums and all(YEAR_RE.fullmatch(c.group(3) or "") and not c.group(1)
                              for c in nums)
    first = cells[0].start() if cells else len(line)
    label = _row_label(line, first)
    is_header = bool(durs or dates or (years_only and len(label) < 40)
                     or (not nums and MONTHDAY_RE.search(line)))
    if is_header and not (nums and label and not years_only and not dates and not durs):
        if len(line) > 250:
            return  # prose, not a table header
        if state[0] is True:  # a new header after data rows: a new table
            state[0] = "reset"
            return
        if durs:
            header.durations = [_months_of(d) for d in durs]
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
            if years and (years_only or not nums):
                header.years = years
        return
    if not nums or not label:
        return
    concept = None
    for rx, c in ROW_CONCEPTS:
        if rx.match(label):
            concept = c
            break
    state[0] = True
    if concept is None:
        return
    cols = header.columns()
    if not cols or len(cells) != len(cols):
        return
    for cell, col in zip(cells, cols, strict=True):
        if not cell.group(3):
            continue
        instant = "instant" in col
        if (concept in INSTANT_CONCEPTS) != instant:
            continue
        neg = bool(cell.group(1) or cell.group(2)) and bool(cell.group(4))
        raw = ("(" if neg else "") + cell.group(3) + (")" if neg else "")
        per_share = concept in PER_SHARE
        try:
            value, decimals, _ = parse_amount(raw, scale=0 if per_share else scale)
        except NormalizationError:
            continue
        s = pos + cell.start(3)
        e = pos + cell.end(3)
        _emit(sink, concept, col, value, decimals, "USD/shares" if per_share else "USD",
              (s, e), text)


def _emit(sink: Sink, concept: str, period: dict[str, str], value: Decimal, decimals: int,
          unit: str, span: tuple[int, int], text: str) -> None:
    record = {"concept": concept, "period": period, "unit": unit,
              "value": number_json(value), "decimals": decimals}
    sink.fact("xbrl:Fact", record, [span], text, dedupe=False)


# ------------------------------------------------------------------ prose

PROSE_CONCEPT_RE = re.compile(
    r"\b(?:(total\s+)?(?:net\s+)?revenues?|(?:total\s+)?net\s+sales|net\s+(?:loss|income)"
    r"|total\s+operating\s+expenses|total\s+assets|cash\s+and\s+cash\s+equivalents)\b", _I
)
MONEY_RE = re.compile(
    r"(\()?\$\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]\d)"
    r"(?:\s+(million|billion|thousand))?"
)
PRIOR_RE = re.compile(r"(?:for|in|during)\s+the\s+(?:same|comparable|corresponding)\s+"
                      r"(?:period|quarter|three[- ]month\s+period)\s+(?:last|of\s+the\s+prior|in\s+the\s+"
                      r"prior|a|of\s+the\s+previous)\s+(?:year|fiscal\s+year)|(?:for|in)\s+the\s+prior[- ]"
                      r"year\s+(?:period|quarter)", _I)
AS_OF_RE = re.compile(rf"^[^$;]{{0,12}}?(?:as\s+of|at)\s+({MONTHS}\.?\s+\d{{1,2}},\s+(?:19|20)\d\d)",
                      _I)
PERIOD_PHRASE_RE = re.compile(
    rf"(?:(three|six|nine|twelve)[- ]month\s+period|(three|six|nine|twelve)\s+months|(quarter)|"
    rf"((?:fiscal\s+)?year))\s+ended\s+({MONTHS}\.?\s+\d{{1,2}},\s+(?:19|20)\d\d)", _I
)
EPS_RE = re.compile(r"\$\s?(\d+\.\d+)\s+per\s+(basic\s+and\s+diluted\s+|diluted\s+|basic\s+)?"
                    r"(?:common\s+)?share(?:,?\s+basic\s+and\s+diluted)?", _I)
_SENT_END_RE = re.compile(r"(?<![A-Z][a-z])(?<!\b[A-Z])(?<!\bNo)(?<!Inc)(?<!\bU\.S)\.(?=\s+[A-Z\"“(]"
                          r"|\s*\n)|\n[ \t]*\n")
_FORWARD_RE = re.compile(r"\b(?:expects?|anticipates?|guidance|outlook|forecast|will\s+be|"
                         r"projected?|estimates?)\b", _I)


def _prose(text: str, sink: Sink) -> None:
    # markdown-escaped dollar signs (\\$) read as plain ones; same length keeps offsets
    clean = text.replace("\\$", " $") if "\\$" in text else text
    # period phrases ("three months ended September 30, 2004"), anchored on "ended"
    periods: list[tuple[int, dict[str, str]]] = []
    for i in find_all(clean, ("ended", "ENDED")):
        m = PERIOD_PHRASE_RE.search(clean, max(0, i - 40), i + 40)
        if m and m.start() <= i < m.end():
            p = _phrase_period(m)
            if p:
                periods.append((m.start(), p))
    # sentences with a dollar amount and a concept phrase, in order
    sents: list[tuple[int, int]] = []
    for i in find_all(clean, ("$",)):
        if sents and sents[-1][0] <= i < sents[-1][1]:
            continue
        sents.append(sentence_at(clean, i))
    k = 0
    current: dict[str, str] | None = None
    for sent_s, sent_e in sents:
        while k < len(periods) and periods[k][0] < sent_e:
            if periods[k][0] < sent_s or _first_in(periods, k, sent_s, sent_e):
                current = periods[k][1]
            k += 1
        sent = clean[sent_s:sent_e]
        if _FORWARD_RE.search(sent) or len(sent) > 1500:
            continue
        for cm in PROSE_CONCEPT_RE.finditer(sent):
            _prose_concept(text, sink, sent, sent_s, cm, current)


def _first_in(periods: list[tuple[int, dict[str, str]]], k: int, s: int, e: int) -> bool:
    """True for the first period phrase inside the sentence [s, e) (it sets the sentence's period)."""
    return s <= periods[k][0] < e and (k == 0 or periods[k - 1][0] < s)


def _phrase_period(m: re.Match[str]) -> dict[str, str] | None:
    months = {"three": 3, "six": 6, "nine": 9, "twelve": 12}.get(
        (m[1] or m[2] or "").lower(), 3 if m[3] else 12)
    end = norm_date(m[5])
    return period_for(end, months) if end else None


def _sentences(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in _SENT_END_RE.finditer(text):
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


_OTHER_PERIOD_RE = re.compile(
    r"\b(?:year|annual|six|nine|half|year-to-date|twelve|fiscal\s+(?:19|20)\d\d|first\s+quarter|"
    r"second\s+quarter|third\s+quarter|fourth\s+quarter|months)\b", _I)
_QUARTER_OK_RE = re.compile(r"\b(?:three[- ]month\s+period|three\s+months|quarter)\b", _I)


def sent_plain(sent: str, current: dict[str, str] | None) -> str:
    """The sentence without the phrases that agree with the current period (a quarter)."""
    s = PERIOD_PHRASE_RE.sub(" ", sent)
    s = PRIOR_RE.sub(" ", s)
    if current and "start" in current:
        months = (int(current["end"][:4]) - int(current["start"][:4])) * 12 + int(
            current["end"][5:7]) - int(current["start"][5:7]) + 1
        if months == 3:
            s = _QUARTER_OK_RE.sub(" ", s)
    return s


def _concept_of(phrase: str) -> tuple[str, bool]:
    p = re.sub(r"\s+", " ", phrase.lower())
    if "net loss" in p:
        return "us-gaap:NetIncomeLoss", True
    if "net income" in p:
        return "us-gaap:NetIncomeLoss", False
    if "operating expenses" in p:
        return "us-gaap:OperatingExpenses", False
    if "assets" in p:
        return "us-gaap:Assets", False
    if "cash" in p:
        return "us-gaap:CashAndCashEquivalentsAtCarryingValue", False
    return "us-gaap:Revenues", False


def _prose_concept(text: str, sink: Sink, sent: str, base: int, cm: re.Match[str],
                   current: dict[str, str] | None) -> None:
    concept, negative = _concept_of(cm[0])
    # the amounts that belong to this phrase: up to the next concept phrase
    nxt = PROSE_CONCEPT_RE.search(sent, cm.end())
    stop = nxt.start() if nxt else len(sent)
    between = sent[cm.end() : stop]
    before = sent[max(0, cm.start() - 40) : cm.start()]
    # components ("revenues include ...", "included in revenues were $2.9 million of ...")
    if re.match(r"\s+(?:include|included|from|related|consist)", between, _I) or re.search(
            r"\binclud(?:e|ed|ing)\b", before, _I):
        return
    comparison = bool(re.search(r"(?:compared\s+(?:to|with)|versus|vs\.|from|over)\s+(?:an?\s+)?$",
                                before, _I))
    verb = re.match(r"(?:(?!earnings|income|profit|loss|expense|margin|cost)[^$]){0,90}?"
                    r"(?:of|were|was|totaled|totalled|to|reached|amounted\s+to|"
                    r"decreased\s+to|increased\s+to|grew\s+to)\s+(?:approximately\s+)?\(?\s?\$",
                    between, _I)
    if not verb:
        return
    instant = concept in INSTANT_CONCEPTS
    for k, mm in enumerate(MONEY_RE.finditer(between)):
        if k > 1:
            break
        after = between[mm.end() :]
        if k == 0 and mm.start() > verb.end() + 2:
            break
        if k == 1 and not re.search(r"(?:compared\s+(?:to|with)|versus|vs\.|from|over)\s+\(?$",
                                    between[: mm.start()], _I):
            break
        if re.match(r"\s+of\s+(?!the\b)[a-z]", after):
            continue  # "$2.9 million of clinical material reimbursement": a component
        cut = re.search(r"compared|versus|\bvs\.|;|\b(?:from|over)\s+(?:a\s+net\s+\w+\s+of\s+)?\$",
                        after, _I)
        tail = after[: cut.start()] if cut else after
        tail_plain = EPS_RE.sub(lambda m: " " * len(m[0]), tail)
        period: dict[str, str] | None
        if instant:
            am = AS_OF_RE.match(after)
            d = norm_date(am[1]) if am else None
            if not d:
                continue
            period = {"instant": d}
        else:
            pm = PERIOD_PHRASE_RE.search(tail[:160])
            if PRIOR_RE.search(tail):
                period = _shift_year(current) if current else None
            elif pm and "$" not in tail_plain[: pm.start()]:
                months = {"three": 3, "six": 6, "nine": 9, "twelve": 12}.get(
                    (pm[1] or pm[2] or "").lower(), 3 if pm[3] else 12)
                end = norm_date(pm[5])
                period = period_for(end, months) if end else None
            elif k == 0 and not comparison and not _OTHER_PERIOD_RE.search(sent_plain(sent, current)):
                period = current
            else:
                period = None
        if not period:
            continue
        raw = mm[2] + (f" {mm[3]}" if mm[3] else "")
        try:
            value, decimals, _ = parse_amount(raw)
        except NormalizationError:
            continue
        if negative:
            value = -value
        s = base + cm.end() + mm.start() + (1 if mm[1] else 0)
        e = base + cm.end() + mm.end()
        _emit(sink, concept, period, value, decimals, "USD", (s, e), text)
        # "a net loss of $2.5 million, or $0.06 per basic and diluted share"
        if concept == "us-gaap:NetIncomeLoss":
            eps = EPS_RE.match(re.sub(r"^[\s,]*(?:or\s+)?", "", after))
            if eps and (eps[2] or "").strip().lower() in {"basic and diluted", ""}:
                off = after.find("$" + eps[1])
                if off == -1:
                    off = after.find("$ " + eps[1]) + 1
                if off >= 0:
                    ev, ed, _ = parse_amount(eps[1])
                    es = base + cm.end() + mm.end() + off + 1
                    _emit(sink, "us-gaap:EarningsPerShareBasicAndDiluted", period,
                          -ev if negative else ev, ed, "USD/shares", (es, es + len(eps[1])), text)
