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
TABLE_HEADER_END_RE = re.compile(r"(?:on\s+)?which\s+registered", _I)
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
#: the word labelling a number on its line: "Fax: (651) 555-0100", "Tel. 651-555-0199"
FAX_WORD_RE = re.compile(r"\b(?:fax|facsimile|telecopier|telecopy|telefax)\b|(?<![\w.])F\s*[:.]", _I)
TEL_WORD_RE = re.compile(r"\b(?:tel|telephone|phone|ph)\b|(?<![\w.])T\s*[:.]", _I)

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
TICKER_TOKEN_RE = re.compile(r"(?<![\w$.])([A-Z][A-Z0-9]{0,5}(?:[.\-/][A-Za-z0-9]{1,3})?)(?![\w])")
#: a whole table cell holding one printed symbol: "JPM PR D", "SNV-PrD", "JPM/32", "BRK.B"
TICKER_CELL_RE = re.compile(r"[A-Z][A-Z0-9]{0,5}(?:(?: [A-Z0-9]{1,3}){1,3}|[.\-/][A-Za-z0-9]{1,4})?")
_CELL_SPLIT_RE = re.compile(r"\t|\n| {2,}|\|")
_NOT_TICKERS = frozenset({"LLC", "INC", "NYSE", "THE", "NONE", "N", "A", "B", "C", "USD", "ADS",
                          "ADR", "PAR", "NASDAQ", "CLASS", "COMMON", "STOCK", "SERIES", "NA",
                          "II", "III", "IV", "LP", "L", "P", "I"})

# check boxes: the mark printed before the label (or after, for emerging growth company)
_MARK = (r"☐|☒|☑|□|■|þ|ý|¨|\[\s*[xX✓✔_]?\s*\]|\|_\||\|[xX]\||\(\s*[xX]?\s*\)"
         r"|(?<![\w])[oxXq](?![\w])")
MARK_BEFORE_RE = re.compile(rf"(?:{_MARK})(?=[\s\-–—*|]*$)")
MARK_AFTER_RE = re.compile(rf"^[\s:|]*({_MARK})")
_MARK_MAP = {"ý": "x", "[_]": "[ ]", "|_|": "[ ]", "( )": "[ ]", "()": "[ ]", "|x|": "x", "(x)": "x",
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
EGC_RE = re.compile(r"Emerging\s+[Gg]rowth\s+[Cc]ompany\b(?!\s*,)")


def _mark_value(mark: str) -> str:
    m = re.sub(r"\s+", "", mark).lower()
    return _MARK_MAP.get(m, m)


def cover_rules(ctx: Ctx, sink: Sink, cover_end: int) -> None:
    """Run every cover rule over ``ctx.text[ctx.main_start:cover_end]``."""
    text = ctx.text
    base = ctx.main_start
    cover = text[base:cover_end]
    _form(cover, base, text, sink)
    date_line_end = _date_of_report(cover, base, text, ctx, sink)
    name_label = NAME_LABEL_RE.search(cover)
    combined = COMBINED_HEAD_RE.search(cover)
    if combined:
        _combined_table(cover, base, text, combined, ctx, sink)
    triple_start = 0
    if name_label:
        _registrant(cover, base, text, name_label, ctx, sink)
        triple_start = name_label.end()
    elif date_line_end is not None and not combined:
        triple_start = _registrant_below_date(cover, base, text, date_line_end, ctx, sink)
    addr_label = ADDR_LABEL_RE.search(cover, triple_start)
    addr_above = None if addr_label else ADDR_ABOVE_RE.search(cover, triple_start)
    triple_end = (addr_label.start() if addr_label else addr_above.start() if addr_above
                  else min(len(cover), triple_start + 1500))
    _triple(cover, base, text, triple_start, triple_end, sink)
    if addr_label:
        _address(cover, base, text, triple_start, addr_label, sink)
    elif addr_above:
        _address_below(cover, base, text, addr_above.end(), sink)
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


def _date_of_report(cover: str, base: int, text: str, ctx: Ctx, sink: Sink) -> int | None:
    """Emit the date of report; return the end of its line when it is printed without a label
    (the registrant name follows it), else None."""
    m = DATE_LABEL_RE.search(cover)
    if not m:
        return _date_alone(cover, base, text, ctx, sink)
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
            # a date may break over the line end: "(August 25,\n2000)"
            nl = cover.find("\n", offset + len(ln) + 1)
            ext = nl if nl != -1 else len(cover)
            hits = [h for h in DATE_RE.finditer(cover, offset, ext) if h.start() < offset + len(ln)]
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
        return None
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
    return None


#: where an unlabelled date of report may stand: after "... Securities Exchange Act of 1934"
_ACT_1934_RE = re.compile(r"Exchange\s+Act\s+of\s+1934", _I)


def _date_alone(cover: str, base: int, text: str, ctx: Ctx, sink: Sink) -> int | None:
    """A cover without the "Date of Report" label: the date printed alone on a line after the
    "Pursuant to Section 13 or 15(d) of the Securities Exchange Act of 1934" heading and above
    the registrant ("... Act of 1934 / March 22, 1994 / ZURN INDUSTRIES, INC.")."""
    act = _ACT_1934_RE.search(cover, 0, 3000)
    if not act:
        return None
    limit = NAME_LABEL_RE.search(cover, act.end())
    stop = min(len(cover), act.end() + 400, limit.start() if limit else len(cover))
    pos = cover.find("\n", act.end())
    n_lines = 0
    while pos != -1 and pos < stop and n_lines < 4:
        nl = cover.find("\n", pos + 1)
        le = nl if nl != -1 else len(cover)
        ls, le2 = strip_span(cover, pos + 1, le, " \t*_|")
        if le2 > ls:
            n_lines += 1
            d = DATE_RE.fullmatch(cover, ls, le2)
            if d:
                value = sink.fact("dei:DocumentPeriodEndDate", d[0],
                                  [(base + d.start(), base + d.end())], text)
                if value:
                    ctx.report_date = value
                return le
        pos = nl
    return None


def _registrant_below_date(cover: str, base: int, text: str, pos: int, ctx: Ctx,
                           sink: Sink) -> int:
    """No "(Exact name of registrant ...)" label: the registrant is the line under the date of
    report when it reads as a company name. Returns where the state / file number region starts."""
    m = re.compile(r"[ \t]*\n(?:[ \t]*\n){0,3}[ \t]*([^\n]{2,100})").match(cover, pos)
    if not m:
        return pos
    s, e = strip_span(cover, m.start(1), m.end(1), " \t*_|")
    name = cover[s:e]
    if not re.match(r"[A-Z0-9]", name) or not re.search(r"[A-Z]{2}|[A-Z][a-z]", name) or \
            re.search(r"\d{3}|\(|:|state\s+of|commission|employer", name, _I):
        return pos
    value = sink.fact("dei:EntityRegistrantName", name, [(base + s, base + e)], text)
    if value:
        ctx.registrant = value
        ctx.registrant_span = (base + s, base + e)
    return e


#: the combined-filing table head: "Commission File Number | Registrant, State of
#: Incorporation, Address and Telephone Number | I.R.S. Employer Identification No."
COMBINED_HEAD_RE = re.compile(
    r"Registrants?,?\s+State\s+of\s+Incorporation,?\s+Address(?:es)?,?\s+and\s+Telephone", _I)
_CORP_OF_RE = re.compile(
    r"\(\s*An?\s+([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){0,2})\s+(?:corporation|company|limited\s+"
    r"liability\s+company|limited\s+partnership|trust)\s*\)", _I)


def _combined_table(cover: str, base: int, text: str, head: re.Match[str], ctx: Ctx,
                    sink: Sink) -> None:
    """Combined filings: the first registrant's row of the table: its name above "(A Delaware
    Corporation)", the address lines below it, then its phone."""
    corp = _CORP_OF_RE.search(cover, head.end(), head.end() + 800)
    if not corp:
        return
    # the name: the last non-blank line above, without its file number / EIN cells
    ls = cover.rfind("\n", head.end(), corp.start())
    if ls == -1:
        return
    prev_end = ls
    while prev_end > head.end() and not cover[cover.rfind("\n", 0, prev_end) + 1 : prev_end].strip():
        prev_end = cover.rfind("\n", 0, prev_end)
    prev_start = cover.rfind("\n", 0, prev_end) + 1
    for cell in re.finditer(r"[^\t\n|]+", cover[prev_start:prev_end]):
        s, e = strip_span(cover, prev_start + cell.start(), prev_start + cell.end(), " \t*_|")
        if e > s and re.search(r"[A-Za-z]{2}", cover[s:e]) and not FILE_RE.fullmatch(cover[s:e]):
            value = sink.fact("dei:EntityRegistrantName", cover[s:e], [(base + s, base + e)], text)
            if value:
                ctx.registrant = value
                ctx.registrant_span = (base + s, base + e)
            break
    sink.fact("dei:EntityIncorporationStateCountryCode", corp[1],
              [(base + corp.start(1), base + corp.end(1))], text)
    _address_below(cover, base, text, corp.end(), sink)


#: an address label printed above the address: "Address and Telephone Number"
ADDR_ABOVE_RE = re.compile(r"(?m)^[ \t]*Address\s+and\s+Telephone\s+Numbers?[ \t]*:?[ \t]*$", _I)


def _address_below(cover: str, base: int, text: str, pos: int, sink: Sink) -> None:
    """Address lines printed below ``pos`` (a label or the registrant's row), up to the phone
    line: "One Zurn Place / Erie, Pennsylvania  16505 / 814-452-2111"."""
    lines: list[tuple[int, int]] = []
    phone = None
    for lm in re.finditer(r"[^\n]+", cover[pos : pos + 400]):
        s, e = pos + lm.start(), pos + lm.end()
        if is_rule_line(lm[0]):
            continue
        if is_phone_line(lm[0]):
            phone = phone or _pick_phone(cover, list(PHONE_RE.finditer(cover, s, e)), last=False)
            if phone is not None:
                break
            continue  # a fax line: the telephone may follow
        if len(lines) >= 3 or lm[0].strip().startswith("("):
            break
        lines.append((s, e))
    if not lines or not _read_address(cover, base, text, lines, sink):
        return
    if phone:
        sink.fact("dei:CityAreaCode", phone[1], [(base + phone.start(1), base + phone.end(1))],
                  text)
        sink.fact("dei:LocalPhoneNumber", f"{phone[2]}-{phone[3]}",
                  [(base + phone.start(2), base + phone.end(3))], text)


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
        if re.match(r",?\s*D\.?\s?C\b", masked[sm.end() : sm.end() + 8]):
            continue  # "Washington, D.C. 20549"
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


#: "Address of principal executive offices: 100 Cedar Street, St. Paul, MN 55101": the
#: address follows its label (and a colon) on the same line
_VALUE_AFTER_LABEL_RE = re.compile(r"[ \t]*(?:\(\s*zip\s+code\s*\))?[ \t]*[:\-–—][ \t]*(?=\S)", _I)


def _address(cover: str, base: int, text: str, region_start: int, label: re.Match[str],
             sink: Sink) -> None:
    value = _VALUE_AFTER_LABEL_RE.match(cover, label.end())
    if value and not cover[label.start() : label.end()].lstrip().startswith("("):
        eol = cover.find("\n", value.end())
        eol = eol if eol != -1 else len(cover)
        same_line = [(value.end(), eol)]
        if _zip_in(cover, *strip_span(cover, value.end(), eol, " \t*_|.")) is None:
            nxt = cover.find("\n", eol + 1)  # the city line under the street
            same_line.append((eol + 1, nxt if nxt != -1 else len(cover)))
        if _read_address(cover, base, text, same_line, sink):
            return
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
        if is_phone_line(ln):
            continue  # "Tel. (651) 555-0199" / "(651) 555-0100 (fax)" under the address block
        if _LABEL_LINE_RE.search(ln) or EIN_RE.search(ln) or NAME_LABEL_RE.search(ln):
            break
        lines.append((start, start + len(ln)))
        if len(lines) >= 3:
            break
    lines.reverse()
    # "... Minneapolis, Minnesota (Address of Principal Executive Offices)  55416 (Zip Code)"
    zip_after = ZIP_AFTER_LABEL_RE.match(cover, label.end())
    after = None
    if zip_after:
        after = (zip_after.start(1) - off, zip_after.end(1) - off)
    _read_address(cover[off : max(label.start(), zip_after.end() if zip_after else 0)],
                  base + off, text, lines, sink, zip_after=after)


#: the zip printed after the address label on the same line, with its own "(Zip Code)" label
ZIP_AFTER_LABEL_RE = re.compile(r"[^\n(]{0,4}\)?[ \t]*(\d{5}(?:-\d{4})?)[ \t]*\(\s*zip", _I)
#: a Canadian postal code ("K0M 2T0")
CA_POSTAL_RE = re.compile(r"(?<![\w])([A-Z]\d[A-Z] ?\d[A-Z]\d)(?![\w])")
_PAREN_CELL_RE = re.compile(r"\(.*\)")
#: a compass suffix that belongs to the street: "30 Ivan Allen Jr. Boulevard, N.W."
_DIRECTION_RE = re.compile(r"(?:[NS]\.?\s?[EW]\.?|[NSEW]\.?)")
#: a rural route number printed before the town: "RR6 Woodville", "R.R. 2 Erie"
_RURAL_ROUTE_RE = re.compile(r"R\.?\s?R\.?\s?#?\s?\d+\s+")


def _address_cells(src: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cells of the address lines: split on tabs / runs of spaces / table bars, and on commas;
    label cells such as "(Zip Code)" dropped."""
    cells: list[tuple[int, int]] = []
    for ls, le in lines:
        seg = src[ls:le]
        pos2 = 0
        for part in _SPLIT_RE.split(seg):
            idx = seg.find(part, pos2)
            pos2 = idx + len(part)
            cs = ls + idx
            for m in re.finditer(r"[^,]+", part):
                s, e = strip_span(src, cs + m.start(), cs + m.end(), " \t*_|")
                if e > s and not _PAREN_CELL_RE.fullmatch(src[s:e]):
                    cells.append((s, e))
    return cells


#: an abbreviation with its period that opens a city name: St. Paul, Ft. Lauderdale, Mt. Laurel
CITY_PREFIX_RE = re.compile(r"(?i:St|Ste|Ft|Mt|Pt|Pte)\.\s?(?=[A-Z])")


def _city_prefix_at(src: str, cell_start: int, m: re.Match[str]) -> bool:
    """True when the street word ``m`` ("St.") is a city's abbreviation ("St. Paul"): it opens
    the cell, or directly follows another street word ("100 Main St. St. Louis")."""
    if not CITY_PREFIX_RE.match(src, m.start()):
        return False
    before = src[cell_start : m.start()].rstrip(" ,\t")
    prev = list(STREET_WORD_RE.finditer(before))
    return not before or (bool(prev) and prev[-1].end() == len(before))


#: a unit printed after the street in the same cell: "401 Congress Ave. Suite 1650",
#: "100 Main Street 37th Floor", "9 Elm Road Ste. 4", "12 Oak Lane #200"
_UNIT_TAIL_RE = re.compile(
    r"[\s,]+(?:(?:Suite|Ste\.?|Unit|Room|Rm\.|Floor|Fl\.|Bldg\.?|Building)\s*[\w-]+"
    r"|\d+(?:st|nd|rd|th)\s+Floor|#\s*\w+)\s*$", _I)


def _line1_end(src: str, s: int, e: int) -> int:
    """End of address line 1 in ``src[s:e]``: a suite, floor or unit after the street belongs
    to line 2 (catalogue guideline), also when no comma separates it."""
    m = _UNIT_TAIL_RE.search(src, s, e)
    if m is None or m.start() <= s:
        return e
    if STREET_WORD_RE.search(src, s, m.start()) or re.match(r"\d", src[s:e]):
        return m.start()
    return e


def _zip_in(src: str, s: int, e: int) -> re.Match[str] | None:
    """The zip code (or Canadian postal code) ending the cell src[s:e], or None."""
    zips = list(ZIP_RE.finditer(src, s, e)) or list(CA_POSTAL_RE.finditer(src, s, e))
    zm = zips[-1] if zips else None
    return zm if zm and zm.end() >= e - 1 else None


def _read_address(src: str, abs_: int, text: str, lines: list[tuple[int, int]], sink: Sink,
                  *, zip_after: tuple[int, int] | None = None) -> bool:
    """Read zip, state, city and line 1 from address ``lines`` (offsets in ``src``, which
    starts at ``abs_`` in ``text``). True when a zip was found."""
    cells = _address_cells(src, lines)
    if not cells:
        return False
    # zip: the last cell ending in a zip code, else one printed after the label
    zip_i = None
    zip_s = zip_e = 0
    for i in range(len(cells) - 1, -1, -1):
        zm = _zip_in(src, *cells[i])
        if zm is not None:
            zip_i, zip_s, zip_e = i, zm.start(1), zm.end(1)
            break
    if zip_i is None:
        if zip_after is None:
            return False
        zip_s, zip_e = zip_after
        zip_i = len(cells)
    sink.fact("dei:EntityAddressPostalZipCode", re.sub(r"\s?-\s?", "-", src[zip_s:zip_e]),
              [(abs_ + zip_s, abs_ + zip_e)], text)
    # state: the end of what precedes the zip in its cell, else the cell before it, else (zip
    # in a column of its own, "3333 Beverly Road   60179") a cell after it
    candidates: list[tuple[int, int, int]] = []
    if zip_i < len(cells) and src[cells[zip_i][0] : zip_s].strip(" ,"):
        candidates.append((zip_i, cells[zip_i][0], zip_s))
    else:
        if zip_i > 0:
            candidates.append((zip_i - 1, *cells[zip_i - 1]))
        candidates += [(j, *cells[j]) for j in range(zip_i + 1, len(cells))]
    found = None
    for idx, s, e in candidates:
        zm = _zip_in(src, s, e)  # "OH 43085   43085": the zip printed twice
        if zm is not None and zm.start(1) > s:
            e = zm.start(1)
        st = STATE_TAIL_RE.search(src[s:e].rstrip(" ,"))
        if st:
            found = (idx, s, st)
            break
    if found is None:
        return True
    idx, s, st = found
    st_s, st_e = s + st.start(1), s + st.end(1)
    sink.fact("dei:EntityAddressStateOrProvince", src[st_s:st_e],
              [(abs_ + st_s, abs_ + st_e)], text)
    city_s, city_e = strip_span(src, s, st_s, " ,\t")
    city_i = idx
    if city_e <= city_s:
        city_i = idx - 1
        if city_i < 0 or city_i == zip_i:
            return True
        city_s, city_e = cells[city_i]
    rr = _RURAL_ROUTE_RE.match(src, city_s, city_e)
    if rr:
        city_s = rr.end()
    # "200 West Old Wilson Bridge Road Columbus": the street runs into the city; but "St." /
    # "Ft." / "Mt." opening the city ("St. Paul", "100 Main St. St. Louis") is the city's own
    streets = [m for m in STREET_WORD_RE.finditer(src, city_s, city_e)
               if not _city_prefix_at(src, city_s, m)]
    if streets and streets[-1].end() < city_e - 2:
        l1s, l1e = strip_span(src, city_s, streets[-1].end(), " ,\t")
        city_s, city_e = strip_span(src, streets[-1].end(), city_e, " ,\t")
        sink.fact("dei:EntityAddressCityOrTown", src[city_s:city_e],
                  [(abs_ + city_s, abs_ + city_e)], text)
        if re.match(r"\d", src[l1s:l1e]) and city_i == 0:
            l1e = _line1_end(src, l1s, l1e)
            sink.fact("dei:EntityAddressAddressLine1", src[l1s:l1e],
                      [(abs_ + l1s, abs_ + l1e)], text)
    sink.fact("dei:EntityAddressCityOrTown", src[city_s:city_e],
              [(abs_ + city_s, abs_ + city_e)], text)
    if city_i > 0:
        l1s, l1e = cells[0]
        if re.match(r"\d|one\b|two\b|three\b|p\.?\s?o\.?\s+box", src[l1s:l1e], _I) or city_i == 1:
            if city_i > 1 and _DIRECTION_RE.fullmatch(src[cells[1][0] : cells[1][1]]):
                l1e = cells[1][1]
            l1e = _line1_end(src, l1s, l1e)
            sink.fact("dei:EntityAddressAddressLine1", src[l1s:l1e],
                      [(abs_ + l1s, abs_ + l1e)], text)
    return True


def phone_kind(src: str, m: re.Match[str]) -> str | None:
    """``"fax"`` or ``"tel"`` for a number labelled so on its own line, just before it
    ("Fax: (651) 555-0100", "Tel. 651-555-0199") or just after it ("651-555-0100 (fax)");
    None when unlabelled."""
    ls = max(src.rfind("\n", 0, m.start()) + 1, m.start() - 30)
    before = src[ls : m.start()]
    # the label closest to the number decides ("Tel: ...  Fax: (651) ...": fax)
    cut = max((h.end() for h in PHONE_RE.finditer(before)), default=0)
    before = before[cut:]
    le = src.find("\n", m.end())
    after = src[m.end() : min(m.end() + 14, le if le != -1 else len(src))]
    if FAX_WORD_RE.search(before) or re.match(
            r"\s*(?:[(\[]\s*(?:fax|facsimile)\s*[)\]]|(?:fax|facsimile)\s*$)", after, _I):
        return "fax"
    if TEL_WORD_RE.search(before):
        return "tel"
    return None


def is_phone_line(line: str) -> bool:
    """A line that holds phone or fax numbers and their labels only, no address."""
    rest = PHONE_RE.sub(" ", line)
    if rest == line:
        return False
    rest = FAX_WORD_RE.sub(" ", TEL_WORD_RE.sub(" ", rest))
    rest = re.sub(r"\b(?:no|number|main|toll[\s-]*free)\b", " ", rest, flags=_I)
    return not re.search(r"[A-Za-z0-9]", rest)


def _pick_phone(src: str, hits: list[re.Match[str]], *, last: bool) -> re.Match[str] | None:
    """The registrant's telephone among ``hits`` (catalogue guideline): never a fax; the first
    number labelled as telephone; else the first (``last``: the last) unlabelled one."""
    kinds = [(h, phone_kind(src, h)) for h in hits]
    tel = [h for h, k in kinds if k == "tel"]
    if tel:
        return tel[0]
    plain = [h for h, k in kinds if k is None]
    if not plain:
        return None
    return plain[-1] if last else plain[0]


def _phone(cover: str, base: int, text: str, sink: Sink) -> None:
    for lab in PHONE_LABEL_RE.finditer(cover):
        tail = re.match(r"[^\n]{0,40}?area\s+code\)?\s*:?", cover[lab.end() : lab.end() + 60], _I)
        after_start = lab.end() + (tail.end() if tail else 0)
        m = PHONE_RE.search(cover, after_start, after_start + 60)
        between = TEL_WORD_RE.sub("", cover[after_start : m.start()]) if m else ""
        if m and not re.search(r"[a-z]{3}", between, _I) and phone_kind(cover, m) != "fax":
            pass
        else:
            # printed above the label: the address block's Tel. line, never its Fax. line
            hits = list(PHONE_RE.finditer(cover, max(0, lab.start() - 240), lab.start()))
            m = _pick_phone(cover, hits, last=True)
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
        if between.strip()[:1] in ("(", "/", "-"):
            prev = ex.end()  # "The Nasdaq Stock Market LLC (The Nasdaq Global Market)"
            continue
        span = _ticker_cell(between) or _ticker_token(between)
        if span is not None:
            s, e = prev + span[0], prev + span[1]
            sink.fact("dei:TradingSymbol", cover[s:e], [(base + s, base + e)], text, dedupe=False)
        # one exchange per row, also where the symbol cell is shared or blank
        sink.fact("dei:SecurityExchangeName", ex[0],
                  [(base + ex.start(), base + ex.end())], text, dedupe=False)
        prev = ex.end()


def _ticker_cell(between: str) -> tuple[int, int] | None:
    """The table cell just before the exchange when it holds one printed symbol."""
    cells = [m for m in re.finditer(r"[^\t\n|]+", between) if m[0].strip()]
    if not cells or (len(cells) == 1 and not re.search(r"[\t\n|]|\s{2}", between)):
        return None
    last = cells[-1]
    s, e = strip_span(between, last.start(), last.end(), " \t")
    cell = between[s:e]
    if "  " in cell:  # space-separated columns: the last one
        s = e - len(re.split(r" {2,}", cell)[-1])
        cell = between[s:e]
    if not TICKER_CELL_RE.fullmatch(cell) or cell.upper() in {"N/A", "NONE", "NA"}:
        return None
    if " " not in cell and len(cell) > 1 and cell in _NOT_TICKERS:
        return None
    return s, e


def _ticker_token(between: str) -> tuple[int, int] | None:
    """The last upper-case token of a flattened row (class words and par values skipped)."""
    ticker = None
    for tk in TICKER_TOKEN_RE.finditer(between):
        tok = tk[1]
        if tok in _NOT_TICKERS and not (len(tok) == 1 and _alone(between, tk)):
            continue
        if re.search(r"(?:class|series)\s*$", between[: tk.start()], _I):
            continue
        ticker = tk
    return (ticker.start(1), ticker.end(1)) if ticker is not None else None


def _alone(s: str, m: re.Match[str]) -> bool:
    before = s[max(0, m.start() - 2) : m.start()]
    after = s[m.end() : m.end() + 2]
    return (before in ("  ", "\t") or before.endswith("\n") or before.endswith("\t")) and (
        after in ("  ", "") or after[:1] in "\t\n")
