"""Cover-page rules: form type, date of report, registrant, state/file/EIN, address, phone,
check boxes, emerging growth company and the Section 12(b) table.

All rules look only at the cover region (the start of the 8-K main segment, up
to the first item heading), found by the printed labels under or beside each
value ("(Exact name of registrant as specified in its charter)", "(Commission
File Number)" ...). Labels are matched across line breaks, so stacked lines,
tab-, space- and table-separated layouts all work.
"""

from __future__ import annotations

import re

from filingkit.extractors.rules_common import (
    DATE_RE,
    Ctx,
    Sink,
    is_rule_line,
    norm_date,
    strip_span,
)
from filingkit.normalize import FOREIGN_CODES, US_STATES

_I = re.I

FORM_RE = re.compile(
    r"\bFORM\s+(8\s*[-–]\s*K(?:\s*/\s*A|12B|12G3|15D5)?)(?![\w-])", _I
)
AMENDMENT_RE = re.compile(r"\(?\s*Amendment\s+No\.?\s*\d+\s*\)?", _I)
DATE_LABEL_RE = re.compile(r"date\s+of\s+(?:report|earliest\s+event)", _I)
DATE_LABEL_END_RE = re.compile(r"(?:reported|report)\s*\)?\s*\)?\s*:?", _I)
NAME_LABEL_RE = re.compile(
    r"\(?\s*(?:exact\s+)?name\s+of\s+(?:the\s+)?(?:registrants?|small\s+business\s+issuer|issuer)"
    r"\s+as\s+specified\s+in\s+(?:its\s+|their\s+)?(?:charters?|articles)[^)\n]{0,40}\)?",
    _I,
)
STATE_LABEL_RE = re.compile(r"\(?\s*state\s+(?:or\s+other\s+jurisdiction|of\s+incorporation)", _I)
FILE_LABEL_RE = re.compile(r"commission\s+file\s+(?:number|no)", _I)
EIN_LABEL_RE = re.compile(r"(?:i\.?\s?r\.?\s?s\.?\s+)?employer\s+identification\s+(?:no|number)"
                          r"\.?\s*\)?", _I)
ADDR_LABEL_RE = re.compile(r"\(?\s*address\s+of\s+principal\s+(?:executive\s+)?offices?|"
                           r"\(\s*address,?\s+including\s+zip\s+code", _I)
PHONE_LABEL_RE = re.compile(r"telephone\s+number", _I)
SEC12B_RE = re.compile(r"section\s+12\s*\(\s*b\s*\)\s+of\s+the\s+(?:exchange\s+)?act", _I)
TABLE_HEADER_END_RE = re.compile(r"on\s+which\s+registered", _I)
TABLE_STOP_RE = re.compile(
    r"indicate\s+by\s+check|check\s+the\s+appropriate|emerging\s+growth|securities\s+registered"
    r"\s+pursuant\s+to\s+section\s+12\s*\(\s*g|\n\s*item\s+\d", _I
)

EIN_RE = re.compile(r"(?<![\d-])(\d{2})\s?[-–]\s?(\d{7})(?!\d)")
EIN9_RE = re.compile(r"(?<![\d-])\d{9}(?![\d-])")
FILE_RE = re.compile(r"(?<![\w./$-])(\d{1,4}\s?[-–]\s?\d{3,6}(?:-\d{1,3})?)(?![\w-])")
PHONE_RE = re.compile(
    r"(?<!\d)\(?\s*(\d{3})\s*\)?\s*[-.]?\s*(\d{3})\s*[-.\s]\s*(\d{4})(?!\d)"
)
ZIP_RE = re.compile(r"(?<![\d-])(\d{5}(?:\s?-\s?\d{4})?)(?![\d-])")

_STATE_NAMES = sorted(
    [k for k in (*US_STATES, *FOREIGN_CODES) if k not in {"jersey", "guernsey", "georgia"}]
    + ["georgia"],
    key=len,
    reverse=True,
)
STATE_NAME_RE = re.compile(
    r"(?<![\w])(?:the\s+)?(?:state\s+of\s+|commonwealth\s+of\s+)?(" + "|".join(
        re.escape(s).replace(r"\ ", r"\s+") for s in _STATE_NAMES) + r")(?![\w])",
    _I,
)
_CODES = sorted(set(US_STATES.values()))
STATE_TAIL_RE = re.compile(
    r"(?:^|[\s,])((?:" + "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in _STATE_NAMES)
    + r")|(?:" + "|".join(_CODES) + r")|(?:[A-Z][a-z]{1,4}\.(?:\s?[A-Z][a-z]?\.)?))\s*,?\s*$",
    _I,
)

STREET_WORD_RE = re.compile(
    r"\b(?:Road|Rd\.|Street|St\.|Avenue|Ave\.|Parkway|Pkwy\.?|Boulevard|Blvd\.?|Drive|Dr\.|"
    r"Lane|Ln\.|Way|Place|Pl\.|Court|Ct\.|Circle|Highway|Hwy\.?|Plaza|Square|Turnpike|Pike|"
    r"Terrace|Trail|Floor|(?:Suite|Ste\.?|Box|Unit)\s+[\w-]+)(?=\s|,|$)", _I
)
STATE_CODE_CELL_RE = re.compile(r"(?:^|\t|\s{2,}|\n)(" + "|".join(_CODES) + r")(?=\t|\s{2,}|\n|$)")

EXCHANGE_RE = re.compile(
    r"(?:The\s+)?(?:"
    r"NASDAQ(?:\s+(?:Global\s+Select|Global|Capital|National)\s+Market|\s+Stock\s+Market)?"
    r"(?:\s+LLC|,\s*Inc\.)?"
    r"|New\s+York\s+Stock\s+Exchange(?:\s*,?\s*(?:LLC|Inc\.))?"
    r"|NYSE\s+(?:American|Arca|MKT)(?:\s+LLC)?|NYSE"
    r"|Chicago\s+(?:Stock|Board\s+Options)\s+Exchange(?:,?\s+Inc\.)?"
    r"|Cboe\s+BZX(?:\s+Exchange)?(?:,?\s+Inc\.)?|BATS"
    r"|Investors\s+Exchange(?:\s+LLC)?"
    r")(?![\w])",
    _I,
)
TICKER_TOKEN_RE = re.compile(r"(?<![\w$.])([A-Z][A-Z0-9]{0,5}(?:[.\-/][A-Z0-9]{1,3})?)(?![\w])")
_NOT_TICKERS = frozenset({"LLC", "INC", "NYSE", "THE", "NONE", "N", "A", "B", "C", "USD", "ADS",
                          "ADR", "PAR", "NASDAQ", "CLASS", "COMMON", "STOCK", "SERIES", "NA",
                          "II", "III", "IV", "LP", "L", "P", "I"})

# check boxes: the mark printed before the label (or after, for emerging growth company)
_MARK = (r"☐|☒|☑|□|■|þ|ý|¨|\[\s*[xX✓✔]?\s*\]|\|_\||\|[xX]\||\(\s*[xX]?\s*\)"
         r"|(?<![\w])[oxXq](?![\w])")
MARK_BEFORE_RE = re.compile(rf"(?:{_MARK})(?=[\s\-–—*|]*$)")
MARK_AFTER_RE = re.compile(rf"^[\s:|]*({_MARK})")
_MARK_MAP = {"ý": "x", "|_|": "[ ]", "( )": "[ ]", "()": "[ ]", "|x|": "x", "(x)": "x",
             "☑": "x"}
CHECKBOXES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dei:WrittenCommunications",
     re.compile(r"Written\s+communications?\s+pursuant\s+to\s+Rule\s+425", _I)),
    ("dei:SolicitingMaterial",
     re.compile(r"Soliciting\s+material\s+pursuant\s+to\s+Rule\s+14a\s*-\s*12", _I)),
    ("dei:PreCommencementTenderOffer",
     re.compile(r"Pre\s*-?\s*commencement\s+communications?\s+pursuant\s+to\s+Rule\s+14d\s*-\s*2"
                r"\s*\(\s*b\s*\)", _I)),
    ("dei:PreCommencementIssuerTenderOffer",
     re.compile(r"Pre\s*-?\s*commencement\s+communications?\s+pursuant\s+to\s+Rule\s+13e\s*-\s*4"
                r"\s*\(\s*c\s*\)", _I)),
)
EGC_RE = re.compile(r"Emerging\s+growth\s+company\b(?!\s*,)")


def _mark_value(mark: str) -> str:
    m = re.sub(r"\s+", "", mark).lower()
    return _MARK_MAP.get(m, m)


def cover_rules(ctx: Ctx, sink: Sink, cover_end: int) -> None:
    """Run every cover rule over ``ctx.text[ctx.main_start:cover_end]``."""
    text = ctx.text
    base = ctx.main_start
    cover = text[base:cover_end]
    _form(cover, base, text, sink)
    _date_of_report(cover, base, text, ctx, sink)
    name_label = NAME_LABEL_RE.search(cover)
    if name_label:
        _registrant(cover, base, text, name_label, ctx, sink)
    addr_label = ADDR_LABEL_RE.search(cover, name_label.end() if name_label else 0)
    triple_start = name_label.end() if name_label else 0
    triple_end = addr_label.start() if addr_label else min(len(cover), triple_start + 1500)
    _triple(cover, base, text, triple_start, triple_end, sink)
    if addr_label:
        _address(cover, base, text, triple_start, addr_label, sink)
    _phone(cover, base, text, sink)
    _checkboxes(cover, base, text, sink)
    _section_12b(cover, base, text, sink)


def _form(cover: str, base: int, text: str, sink: Sink) -> None:
    m = FORM_RE.search(cover, 0, 4000)
    if not m:
        return
    raw = re.sub(r"\s", "", m[1]).replace("–", "-")
    if raw.upper() == "8-K" and AMENDMENT_RE.search(cover, m.end(), m.end() + 300):
        raw = "8-K/A"
    sink.fact("dei:DocumentType", raw, [(base + m.start(1), base + m.end(1))], text)


def _date_of_report(cover: str, base: int, text: str, ctx: Ctx, sink: Sink) -> None:
    m = DATE_LABEL_RE.search(cover)
    if not m:
        return
    end_m = DATE_LABEL_END_RE.search(cover, m.end(), m.end() + 90)
    label_end = end_m.end() if end_m else m.end()
    # a second "(Date of earliest event reported)" label right after the first one
    after = cover[label_end : label_end + 260]
    lines = [ln for ln in after.split("\n")]
    picked: list[re.Match[str]] = []
    offset = label_end
    seen_lines = 0
    for ln in lines:
        if seen_lines >= 3:
            break
        if ln.strip() and not is_rule_line(ln):
            seen_lines += 1
            hits = list(DATE_RE.finditer(cover, offset, offset + len(ln)))
            if hits:
                picked = hits
                # the two-date trap may continue on the next line: "(March 15, 2005)"
                nxt = cover[offset + len(ln) + 1 : offset + len(ln) + 80]
                nx = DATE_RE.search(nxt)
                if nx and nxt[: nx.start()].strip() in {"(", ""}:
                    again = DATE_RE.search(cover, offset + len(ln) + 1 + nx.start())
                    if again is not None:
                        picked.append(again)
                break
            if NAME_LABEL_RE.search(ln) or len(ln.strip()) > 120:
                break
        offset += len(ln) + 1
    if not picked:
        before = cover[max(0, m.start() - 200) : m.start()]
        hits = list(DATE_RE.finditer(cover, max(0, m.start() - 200), m.start()))
        tail_lines = [ln for ln in before.split("\n") if ln.strip() and not is_rule_line(ln)][-2:]
        tail_start = m.start() - len(before) + before.rfind(tail_lines[0]) if tail_lines else m.start()
        picked = [h for h in hits if h.start() >= tail_start]
    picked = [p for p in picked if p is not None]
    if not picked:
        return
    choice = picked[0]
    if len(picked) > 1:
        in_parens = [p for p in picked if "(" in cover[max(0, p.start() - 3) : p.start()]]
        if in_parens:
            choice = in_parens[0]
        else:
            dated = [(norm_date(p[0]) or "9999", p) for p in picked]
            choice = min(dated, key=lambda t: t[0])[1]
    value = sink.fact("dei:DocumentPeriodEndDate", choice[0],
                      [(base + choice.start(), base + choice.end())], text)
    if value:
        ctx.report_date = value


def _registrant(cover: str, base: int, text: str, label: re.Match[str], ctx: Ctx,
                sink: Sink) -> None:
    before = cover[max(0, label.start() - 600) : label.start()]
    off = label.start() - len(before)
    lines = before.split("\n")
    pos = len(before)
    for ln in reversed(lines):
        start = pos - len(ln)
        pos = start - 1
        if is_rule_line(ln):
            continue
        s, e = strip_span(before, start, start + len(ln), " \t*_-–—|:")
        seg = before[s:e]
        # flattened text: keep what follows the date of report on the same line
        dates = list(DATE_RE.finditer(seg))
        if dates:
            s = s + dates[-1].end()
            s, e = strip_span(before, s, e, " \t*_-–—|:.")
            seg = before[s:e]
        if not seg or len(seg) > 150:
            return
        raw = re.sub(r"\s{2,}", " ", seg)
        value = sink.fact("dei:EntityRegistrantName", raw, [(base + off + s, base + off + e)], text)
        if value:
            ctx.registrant = value
            ctx.registrant_span = (base + off + s, base + off + e)
        return


def _triple(cover: str, base: int, text: str, start: int, end: int, sink: Sink) -> None:
    region = cover[start:end]
    if not region.strip():
        return
    # mask the printed labels so their words are not read as values
    masked = STATE_LABEL_RE.sub(lambda m: " " * len(m[0]), region)
    ein = EIN_RE.search(masked)
    ein_span = None
    if ein:
        ein_span = (ein.start(), ein.end())
        sink.fact("dei:EntityTaxIdentificationNumber", ein[0],
                  [(base + start + ein.start(), base + start + ein.end())], text)
    else:
        lab = EIN_LABEL_RE.search(masked)
        e9 = EIN9_RE.search(masked)
        if lab and e9:
            ein_span = (e9.start(), e9.end())
            sink.fact("dei:EntityTaxIdentificationNumber", e9[0],
                      [(base + start + e9.start(), base + start + e9.end())], text)
    for fm in FILE_RE.finditer(masked):
        if ein_span and fm.start() < ein_span[1] and ein_span[0] < fm.end():
            continue
        if sink.fact("dei:EntityFileNumber", fm[1].replace(" ", ""),
                     [(base + start + fm.start(1), base + start + fm.end(1))], text):
            break
    for sm in STATE_NAME_RE.finditer(masked):
        if sink.fact("dei:EntityIncorporationStateCountryCode", sm[1],
                     [(base + start + sm.start(1), base + start + sm.end(1))], text):
            return
    for sm in STATE_CODE_CELL_RE.finditer(masked):
        if sink.fact("dei:EntityIncorporationStateCountryCode", sm[1],
                     [(base + start + sm.start(1), base + start + sm.end(1))], text):
            return


_LABEL_LINE_RE = re.compile(
    r"^\s*\(.*\)\s*$|identification|commission\s+file|jurisdiction|incorporation\)", _I
)
_SPLIT_RE = re.compile(r"\t|\s{2,}|\|")


def _address(cover: str, base: int, text: str, region_start: int, label: re.Match[str],
             sink: Sink) -> None:
    before = cover[max(region_start, label.start() - 500) : label.start()]
    off = label.start() - len(before)
    # the address lines: non-label lines just above the label
    lines: list[tuple[int, int]] = []
    pos = len(before)
    for ln in reversed(before.split("\n")):
        start = pos - len(ln)
        pos = start - 1
        if is_rule_line(ln):
            if lines and ln.strip():
                break
            continue
        if _LABEL_LINE_RE.search(ln) or EIN_RE.search(ln) or NAME_LABEL_RE.search(ln):
            break
        lines.append((start, start + len(ln)))
        if len(lines) >= 3:
            break
    lines.reverse()
    # cells: split each line on tabs / runs of spaces / table bars, and on commas
    cells: list[tuple[int, int]] = []
    for ls, le in lines:
        seg = before[ls:le]
        pos2 = 0
        for part in [*_SPLIT_RE.split(seg), None]:
            if part is None:
                break
            idx = seg.find(part, pos2)
            pos2 = idx + len(part)
            cs = ls + idx
            for m in re.finditer(r"[^,]+", part):
                s, e = strip_span(before, cs + m.start(), cs + m.end(), " \t*_|")
                if e > s:
                    cells.append((s, e))
    if not cells:
        return
    # zip: the last cell ending in a zip code
    zip_i = None
    zip_m = None
    for i in range(len(cells) - 1, -1, -1):
        s, e = cells[i]
        zips = list(ZIP_RE.finditer(before, s, e))
        zm = zips[-1] if zips else None
        if zm and zm.end() >= e - 1:
            zip_i, zip_m = i, zm
            break
    if zip_m is None or zip_i is None:
        return
    abs_ = base + off
    sink.fact("dei:EntityAddressPostalZipCode", zip_m[1].replace(" ", ""),
              [(abs_ + zip_m.start(1), abs_ + zip_m.end(1))], text)
    # state: the end of what precedes the zip in that cell, or the previous cell
    s, _ = cells[zip_i]
    rest = before[s : zip_m.start()].rstrip(" ,")
    idx = zip_i
    if not rest.strip():
        idx -= 1
        if idx < 0:
            return
        s, e = cells[idx]
        rest = before[s:e]
    st = STATE_TAIL_RE.search(rest)
    if not st:
        return
    st_s, st_e = s + st.start(1), s + st.end(1)
    sink.fact("dei:EntityAddressStateOrProvince", before[st_s:st_e],
              [(abs_ + st_s, abs_ + st_e)], text)
    city_s, city_e = strip_span(before, s, st_s, " ,\t")
    city_i = idx
    if city_e <= city_s:
        city_i = idx - 1
        if city_i < 0:
            return
        city_s, city_e = cells[city_i]
    # "200 West Old Wilson Bridge Road Columbus": the street runs into the city
    streets = list(STREET_WORD_RE.finditer(before, city_s, city_e))
    if streets and streets[-1].end() < city_e - 2:
        l1s, l1e = strip_span(before, city_s, streets[-1].end(), " ,\t")
        city_s, city_e = strip_span(before, streets[-1].end(), city_e, " ,\t")
        sink.fact("dei:EntityAddressCityOrTown", before[city_s:city_e],
                  [(abs_ + city_s, abs_ + city_e)], text)
        if re.match(r"\d", before[l1s:l1e]) and city_i == 0:
            sink.fact("dei:EntityAddressAddressLine1", before[l1s:l1e],
                      [(abs_ + l1s, abs_ + l1e)], text)
    sink.fact("dei:EntityAddressCityOrTown", before[city_s:city_e],
              [(abs_ + city_s, abs_ + city_e)], text)
    if city_i > 0:
        l1s, l1e = cells[0]
        if re.match(r"\d|one\b|two\b|three\b|p\.?\s?o\.?\s+box", before[l1s:l1e], _I) or city_i == 1:
            sink.fact("dei:EntityAddressAddressLine1", before[l1s:l1e],
                      [(abs_ + l1s, abs_ + l1e)], text)


def _phone(cover: str, base: int, text: str, sink: Sink) -> None:
    for lab in PHONE_LABEL_RE.finditer(cover):
        tail = re.match(r"[^\n]{0,40}?area\s+code\)?\s*:?", cover[lab.end() : lab.end() + 60], _I)
        after_start = lab.end() + (tail.end() if tail else 0)
        m = PHONE_RE.search(cover, after_start, after_start + 60)
        if m and not re.search(r"[a-z]{3}", cover[after_start : m.start()], _I):
            pass
        else:
            hits = list(PHONE_RE.finditer(cover, max(0, lab.start() - 160), lab.start()))
            m = hits[-1] if hits else None
        if m:
            spans = [(base + m.start(1), base + m.end(1)), (base + m.start(2), base + m.end(3))]
            sink.fact("dei:CityAreaCode", m[1], spans[:1], text)
            sink.fact("dei:LocalPhoneNumber", f"{m[2]}-{m[3]}", spans[1:], text)
            return


def _checkboxes(cover: str, base: int, text: str, sink: Sink) -> None:
    for name, pattern in CHECKBOXES:
        m = pattern.search(cover)
        if not m:
            continue
        line_start = cover.rfind("\n", 0, m.start()) + 1
        prefix = cover[line_start : m.start()]
        mk = MARK_BEFORE_RE.search(prefix)
        mstart = line_start
        if not mk and not prefix.strip():
            # the mark alone on the line above (table cell split into lines)
            prev_end = line_start - 1
            prev_start = cover.rfind("\n", 0, max(0, prev_end)) + 1
            if prev_end > prev_start:
                prefix = cover[prev_start:prev_end]
                mstart = prev_start
                mk = MARK_BEFORE_RE.search(prefix)
                if mk and prefix[: mk.start()].strip():
                    mk = None
        if not mk:
            continue
        raw = _mark_value(mk[0])
        sink.fact(name, raw, [(base + mstart + mk.start(), base + mstart + mk.end())], text)
    for m in EGC_RE.finditer(cover):
        after = MARK_AFTER_RE.search(cover[m.end() : m.end() + 12])
        if after and (after[1] not in "oxXq" or cover[m.end() : m.end() + 12].strip()[:1] == after[1]):
            s = m.end() + after.start(1)
            e = m.end() + after.end(1)
        else:
            line_start = cover.rfind("\n", 0, m.start()) + 1
            prefix = cover[max(line_start, m.start() - 12) : m.start()]
            mk = MARK_BEFORE_RE.search(prefix)
            if not mk:
                continue
            s = m.start() - len(prefix) + mk.start()
            e = m.start() - len(prefix) + mk.end()
        if sink.fact("dei:EntityEmergingGrowthCompany", _mark_value(cover[s:e]),
                     [(base + s, base + e)], text) is not None:
            return


def _section_12b(cover: str, base: int, text: str, sink: Sink) -> None:
    anchor = SEC12B_RE.search(cover)
    if not anchor:
        return
    head = TABLE_HEADER_END_RE.search(cover, anchor.end(), anchor.end() + 600)
    if not head:
        return
    stop = TABLE_STOP_RE.search(cover, head.end())
    end = stop.start() if stop else min(len(cover), head.end() + 1500)
    prev = head.end()
    for ex in EXCHANGE_RE.finditer(cover, head.end(), end):
        between = cover[prev : ex.start()]
        ticker = None
        for tk in TICKER_TOKEN_RE.finditer(between):
            tok = tk[1]
            if tok in _NOT_TICKERS and not (len(tok) == 1 and _alone(between, tk)):
                continue
            if re.search(r"(?:class|series)\s*$", between[: tk.start()], _I):
                continue
            ticker = tk
        if ticker is not None:
            s = prev + ticker.start(1)
            sink.fact("dei:TradingSymbol", ticker[1], [(base + s, base + s + len(ticker[1]))],
                      text, dedupe=False)
            sink.fact("dei:SecurityExchangeName", ex[0],
                      [(base + ex.start(), base + ex.end())], text, dedupe=False)
        prev = ex.end()


def _alone(s: str, m: re.Match[str]) -> bool:
    before = s[max(0, m.start() - 2) : m.start()]
    after = s[m.end() : m.end() + 2]
    return (before in ("  ", "\t") or before.endswith("\n") or before.endswith("\t")) and (
        after in ("  ", "") or after[:1] in "\t\n")
