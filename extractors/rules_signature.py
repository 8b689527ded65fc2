"""Signature-block rules: who signs the 8-K, with which title, on which date.

The block is the one after "Pursuant to the requirements of the Securities
Exchange Act of 1934 ..." in the 8-K main document (the first one after the
items, so signatures of exhibits are not read). The name is read from the
"/s/" line (else "Name:" or "By:"), the title from "Title:" or the lines under
the name, the date from "Date:" / "Dated:".
"""

from __future__ import annotations

import re

from filingkit.extractors.rules_common import DATE_RE, Ctx, Sink, strip_span

_I = re.I

SIG_SENTENCE_RE = re.compile(
    r"(?:Pursuant\s+to|In\s+accordance\s+with)\s+(?:the\s+requirements\s+of|Section\s+13\s+of)"
    r"\s+the\s+Securities\s+(?:and\s+)?Exchange\s+Act", _I
)
SLASH_S_RE = re.compile(r"/\s*[sS]\s*/[ \t]*([^\n]*)")
NAME_RE = re.compile(r"(?m)^[ \t|]*Name\s*:[ \t]*([^\n]+)")
BY_RE = re.compile(r"(?m)\bBy\s*:[ \t]*(?!/)([A-Z][^\n]+)")
TITLE_RE = re.compile(r"(?m)(?:^|\s|\|)(?:Title|Its)\s*:[ \t]*([^\n]+)")
DATE_LINE_RE = re.compile(r"\bDated?\s*(?:as\s+of)?\s*:?\s*(?:\n[ \t]*)?", _I)
_PERSON_OK = re.compile(
    r"^[A-Z][A-Za-z.'’\-]*(?:\s+[A-Z][A-Za-z.'’\-]*,?){1,4}(?:\s+(?:Jr|Sr|II|III|IV)\.?)?$"
)
_STOP_LINE = re.compile(r"^\s*(?:Date|Dated|EXHIBIT|Exhibit|By\b|/s/|\d+\s*$|-\s*\d+\s*-|Page\b|"
                        r"\(Signature\)|"
                        r"INDEX|\(Registrant\))", _I)
_CONT_START = re.compile(r"^\s*(?:\(|[a-z]|[Aa]nd\b|AND\b|&|Finance|Treasurer|Secretary|Chief|Officer|"
                         r"General\s+Counsel|Counsel|Principal|Executive\s+Officer|Financial|"
                         r"Accounting|Operating|Controller)")
_CONT_END = (",", " and", "&", "-", " Chief", " General", " of", " the", " Vice", " Senior",
             " Executive", " Principal")


def signature_rules(ctx: Ctx, sink: Sink, after: int) -> None:
    """Emit filing:SignatoryName / SignatoryTitle / SignatureDate from the first block after ``after``."""
    text = ctx.text
    m = SIG_SENTENCE_RE.search(text, after, ctx.main_end)
    if not m:
        m = SIG_SENTENCE_RE.search(text, ctx.main_start, ctx.main_end)
        if not m:
            return
    end = min(ctx.main_end, m.end() + 1800)
    nxt = re.search(r"EXHIBIT\s+INDEX|Exhibit\s+Index|INDEX\s+TO\s+EXHIBITS|\n\s*EXHIBIT\s+99",
                    text[m.end() : end])
    if nxt:
        end = m.end() + nxt.start()
    block = text[m.end() : end]
    base = m.end()
    _date(block, base, text, sink)
    name_s = name_e = None
    slash = SLASH_S_RE.search(block)
    if slash:
        s, e = slash.start(1), slash.end(1)
        cut = re.search(r"\t|\s{2,}|\||\s(?:Name|Title|Its)\s*:", block[s:e])
        if cut:
            e = s + cut.start()
        s, e = strip_span(block, s, e, " \t,_*-")
        words = block[s:e].split()
        half = len(words) // 2
        if len(words) >= 4 and len(words) % 2 == 0 and words[:half] == words[half:]:
            e = s + block[s:e].find(words[half], len(words[0])) - 1
            s, e = strip_span(block, s, e, " \t,")
        if e <= s:  # the name on the next line
            nl = block.find("\n", slash.end())
            if nl != -1:
                ln_end = block.find("\n", nl + 1)
                s, e = strip_span(block, nl + 1, ln_end if ln_end != -1 else len(block), " \t,_*-")
        if e > s:
            name_s, name_e = s, e
            typed = _typed_name(block, block.find("\n", slash.end()), block[s:e])
            if typed:
                name_s, name_e = typed
    if name_s is None:
        nm = NAME_RE.search(block) or BY_RE.search(block)
        if nm:
            s, e = strip_span(block, nm.start(1), nm.end(1), " \t,_*-")
            cut = re.search(r"\t|\s{2,}|\|", block[s:e])
            if cut:
                e = s + cut.start()
            name_s, name_e = s, e
    if name_s is None:
        by = re.search(r"\bBy\s*:?[ \t]*\n", block)
        if by:
            for ln_m in re.finditer(r"[^\n]+", block[by.end() : by.end() + 300]):
                if re.fullmatch(r"[\s_\-]+", ln_m[0]):
                    continue
                cell = _cells(ln_m[0])
                cs = by.end() + ln_m.start() + ln_m[0].rfind(cell)
                if _PERSON_OK.match(cell.strip()):
                    name_s, name_e = _strip(block, cs, cs + len(cell))
                break
    if name_s is None or name_e is None:
        return
    raw_name = block[name_s:name_e]
    # "Name, Title" on the /s/ line
    title_inline = None
    if "," in raw_name:
        head, _, rest = raw_name.partition(",")
        if rest.strip() and not re.fullmatch(r"\s*(?:Jr|Sr|II|III|IV|Ph\.?D|M\.?D)\.?\s*", rest):
            title_inline = (name_s + len(head) + 1, name_e)
            name_e = name_s + len(head)
    raw_name = block[name_s:name_e]
    if not _PERSON_OK.match(re.sub(r"\s+", " ", raw_name)):
        return
    value = sink.fact("filing:SignatoryName", raw_name, [(base + name_s, base + name_e)], text)
    if value:
        ctx.signatory = value
    # title
    tm = TITLE_RE.search(block, name_e)
    if tm and tm.start() - name_e < 400:
        s, e = _title_span(block, tm.start(1), tm.end(1))
        sink.fact("filing:SignatoryTitle", block[s:e], [(base + s, base + e)], text)
        return
    if title_inline:
        s, e = strip_span(block, *title_inline)
        if e > s:
            sink.fact("filing:SignatoryTitle", block[s:e], [(base + s, base + e)], text)
            return
    # the lines under the /s/ line: skip a repeat of the name
    pos = block.find("\n", name_e)
    if pos == -1:
        return
    span = _title_from_lines(block, pos + 1, raw_name)
    if span:
        s, e = span
        sink.fact("filing:SignatoryTitle", re.sub(r"\s+", " ", block[s:e]),
                  [(base + s, base + e)], text)


def _typed_name(block: str, nl: int, signed: str) -> tuple[int, int] | None:
    """The typed name under an abbreviated /s/ form ("/s/ W.A. Freeman" over "William A.
    Freeman"): the next non-rule line, when it is a longer name with the same surname."""
    if nl == -1:
        return None
    for ln_m in re.finditer(r"[^\n]+", block[nl + 1 : nl + 300]):
        if re.fullmatch(r"[\s_\-]+", ln_m[0]):
            continue
        cell = _cells(ln_m[0])
        cs = nl + 1 + ln_m.start() + ln_m[0].rfind(cell)
        s, e = _strip(block, cs, cs + len(cell))
        head = block[s:e].split(",")[0].strip()
        words, signed_words = head.split(), signed.replace(".", ". ").split()
        if (_PERSON_OK.match(head) and words and signed_words and len(head) > len(signed)
                and words[-1].lower() == signed_words[-1].lower()):
            return s, e
        return None
    return None


def _cells(line: str) -> str:
    parts = [p for p in re.split(r"\t|\s{2,}|\|", line) if p.strip()]
    return parts[-1] if parts else ""


def _title_from_lines(block: str, pos: int, name: str) -> tuple[int, int] | None:
    start = end = None
    raw_end = 0  # end of the last title line before stripping: a trailing "," continues it
    n_lines = 0
    while pos < len(block) and n_lines < 6:
        nl = block.find("\n", pos)
        ln_end = nl if nl != -1 else len(block)
        line = block[pos:ln_end]
        n_lines += 1
        if line.strip() and not re.fullmatch(r"[\s_\-]+", line):
            cell = _cells(line)
            cs = pos + line.rfind(cell) if cell else pos
            ce = cs + len(cell)
            if start is None:
                k = cell.lower().find(name.strip().lower()) if name.strip() else -1
                if k > 0 and cell[k + len(name.strip()) :].strip(" ,\t"):
                    # "Date: March 30, 2021 Brien M. Chase, Senior Vice President"
                    rs, re_ = _strip(block, cs + k + len(name.strip()), ce)
                    start, end, raw_end = rs, re_, ce
                elif _STOP_LINE.match(cell):
                    return None
                elif cell.strip().lower().startswith(name.strip().lower()):
                    rest_s = cs + cell.lower().find(name.strip().lower()) + len(name.strip())
                    rs, re_ = _strip(block, rest_s, ce)
                    if re_ > rs:
                        start, end, raw_end = rs, re_, ce
                else:
                    start, end = _strip(block, cs, ce)
                    raw_end = ce
            else:
                prev = block[start:raw_end].rstrip(" \t")
                if _STOP_LINE.match(cell) or not (
                    prev.endswith(_CONT_END) or _CONT_START.match(cell)
                ):
                    break
                end = _strip(block, cs, ce)[1]
                raw_end = ce
        if nl == -1:
            break
        pos = nl + 1
    if start is None or end is None or end <= start or end - start > 200:
        return None
    return start, end


def _strip(block: str, s: int, e: int) -> tuple[int, int]:
    out: tuple[int, int] = strip_span(block, s, e, " \t,_*|")
    return out


def _title_span(block: str, s: int, e: int) -> tuple[int, int]:
    cut = re.search(r"\t|\s{3,}|\|", block[s:e])
    if cut:
        e = s + cut.start()
    s, e = _strip(block, s, e)
    # continuation lines ("Senior Vice President and\n    General Counsel")
    for _ in range(2):
        nl = block.find("\n", e)
        if nl == -1:
            break
        ln_end = block.find("\n", nl + 1)
        cell = _cells(block[nl + 1 : ln_end if ln_end != -1 else len(block)])
        if not cell or _STOP_LINE.match(cell) or len(cell) > 80:
            break
        if not (block[s:e].rstrip().endswith(_CONT_END) or _CONT_START.match(cell)):
            break
        cs = block.find(cell, nl + 1)
        e = _strip(block, cs, cs + len(cell))[1]
    return s, e


def _date(block: str, base: int, text: str, sink: Sink) -> None:
    for dm in DATE_LINE_RE.finditer(block):
        d = DATE_RE.match(block, dm.end())
        if d is None:
            d2 = DATE_RE.search(block, dm.end(), dm.end() + 40)
            if d2 and not block[dm.end() : d2.start()].strip(" \t\n_:"):
                d = d2
        if d:
            sink.fact("filing:SignatureDate", d[0], [(base + d.start(), base + d.end())], text)
            return
    # "March 15, 2007\tBy:\tDate:/s/ ...": the label and the date on one line, in any order
    for d in DATE_RE.finditer(block):
        ls = block.rfind("\n", 0, d.start()) + 1
        le = block.find("\n", d.end())
        if re.search(r"\bDated?\b", block[ls : le if le != -1 else len(block)]):
            sink.fact("filing:SignatureDate", d[0], [(base + d.start(), base + d.end())], text)
            return
    # "August 23, 1996   By: /s/ ..." with the label "Date" printed under the value
    for d in DATE_RE.finditer(block):
        line_start = block.rfind("\n", 0, d.start()) + 1
        if block[line_start : d.start()].strip():
            continue
        below = re.match(r"[^\n]*\n(?:[ \t\-_]*\n)?[ \t\-_]*\n?[ \t]*Date\b", block[d.end() :])
        if below:
            sink.fact("filing:SignatureDate", d[0], [(base + d.start(), base + d.end())], text)
            return
    # no "Date" label: a date opening a line above or on the /s/ line ("August 22, 2014\tNUANCE
    # COMMUNICATIONS, INC.", "March 22, 1994      /s/ W.A. Freeman")
    slash = SLASH_S_RE.search(block)
    if slash is None:
        return
    limit = block.find("\n", slash.end())
    for d in DATE_RE.finditer(block, 0, limit if limit != -1 else len(block)):
        if not block[block.rfind("\n", 0, d.start()) + 1 : d.start()].strip():
            sink.fact("filing:SignatureDate", d[0], [(base + d.start(), base + d.end())], text)
            return
