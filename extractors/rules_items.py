"""Filing-structure rules: the items reported and the exhibits listed.

Items are read from item headings of the 8-K main document ("ITEM 8.01 — OTHER
EVENTS", "Item 5.  Other Events."), not from the SGML header and not from
mentions in running text ("in this Item 8.01"). Post-2004 codes are N.NN; a bare
number ("Item 5.") is the pre-23-August-2004 numbering and becomes legacy:N.
Exhibits are read from the Item 9.01 (or legacy Item 7) section and the exhibit
index of the main document.
"""

from __future__ import annotations

import re

from filingkit.extractors.rules_common import Ctx, Sink

_I = re.I

NEW_ITEMS = frozenset({
    "1.01", "1.02", "1.03", "1.04", "1.05", "2.01", "2.02", "2.03", "2.04", "2.05", "2.06",
    "3.01", "3.02", "3.03", "4.01", "4.02", "5.01", "5.02", "5.03", "5.04", "5.05", "5.06",
    "5.07", "5.08", "6.01", "6.02", "6.03", "6.04", "6.05", "6.10", "7.01", "8.01", "9.01",
})
LEGACY_CUTOVER = "2004-08-23"

# a heading: at the start of a line (after layout white space, markdown or table marks)
ITEM_HEAD_RE = re.compile(
    r"(?m)^[ \t#*|>_\-•]*(?:ITEM|Item)[ \t]+(\d{1,2}(?:\.\d{1,2})?)(?![\d]|\.\d)(?:\.(?!\d))?"
    r"(?=[ \t]*(?:[.:\-—–()]|\n|\t|[ \t]+[A-Z(“\"]|$))"
)
# flattened text (no line breaks): a heading is "ITEM N." in capitals followed by a title
ITEM_INLINE_RE = re.compile(
    r"(?<![\w])ITEM\s+(\d{1,2}(?:\.\d{1,2})?)(?!\d)\.?\s*[-—–:]?\s*(?=[A-Z][A-Z]{2})"
)
EXHIBIT_SECTION_RE = re.compile(
    r"(?:financial\s+statements?,?\s+(?:pro\s+forma\s+financial\s+information\s+)?and\s+"
    r"exhibits|exhibits)", _I
)
SIGNATURE_RE = re.compile(r"(?m)^[ \t#*|_]*SIGNATURES?\b|Pursuant\s+to\s+the\s+requirements\s+of"
                          r"\s+the\s+Securities\s+(?:and\s+)?Exchange\s+Act", _I)
EXHIBIT_INDEX_RE = re.compile(
    r"EXHIBIT\s+INDEX|INDEX\s+TO\s+EXHIBITS?|Exhibit\s+Index"
    # a list head without a heading: "EXHIBIT NUMBER   DESCRIPTION", "Exhibit No.\tDescription"
    r"|(?m:^[ \t|*]*(?i:exhibit\s+(?:number|no\.?))[ \t|]*\n?[ \t|]*(?i:description))", 0)

_EX_NUM = r"(\d{1,3}(?:\.\d{1,3})?(?:\s?\([a-z0-9]{1,3}\))?)"
EXHIBIT_WORD_RE = re.compile(rf"(?<![\w])(?:Exhibit|EX)[ \t]*[.\-]?[ \t]*(?:No\.?[ \t]*)?{_EX_NUM}"
                             r"(?![\d.]\d)",
                             _I)
EXHIBIT_LINE_RE = re.compile(
    rf"(?m)^[ \t|*\-•]*{_EX_NUM}\.?[*+†‡#]{{0,3}}(?=(?:[ \t|]+|[ \t]*[-—–][ \t]*)[A-Za-z(“\"\[]|[ \t]*$)"
)
EXHIBIT_GLUED_RE = re.compile(r"(?<=[a-z.])(\d{1,3}\.\d{1,2})(?=[A-Z])")
_EX_MAJOR = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                       23, 24, 25, 26, 27, 28, 31, 32, 33, 99, 100, 101, 104})
_INCORPORATED_RE = re.compile(r"incorporated\s+(?:herein\s+)?by\s+reference|previously\s+filed|"
                              r"filed\s+as\s+exhibit", _I)


def find_item_headings(ctx: Ctx) -> list[tuple[str, int, int]]:
    """(code, start, end) of each item heading in the main document, in order."""
    text = ctx.text
    out = []
    for m in ITEM_HEAD_RE.finditer(text, ctx.main_start, ctx.main_end):
        out.append((m[1], m.start(1), m.end(1)))
    if not out:
        for m in ITEM_INLINE_RE.finditer(text, ctx.main_start, ctx.main_end):
            out.append((m[1], m.start(1), m.end(1)))
    return [o for o in out if _valid(o[0])]


def _valid(code: str) -> bool:
    if "." in code:
        a, b = code.split(".")
        return f"{int(a)}.{int(b):02d}" in NEW_ITEMS and len(b) == 2
    return 1 <= int(code) <= 13


def item_rules(ctx: Ctx, sink: Sink, headings: list[tuple[str, int, int]]) -> None:
    """Emit filing:Items and filing:Exhibits."""
    text = ctx.text
    legacy_date = ctx.report_date is not None and ctx.report_date < LEGACY_CUTOVER
    for code, s, e in headings:
        if "." not in code:
            raw = f"legacy:{int(code)}"
        elif legacy_date:
            continue  # a dotted code before the cutover is not an item heading
        else:
            raw = code
        sink.fact("filing:Items", raw, [(s, e)], text)
    _exhibits(ctx, sink, headings)


def _exhibit_regions(ctx: Ctx, headings: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    text = ctx.text
    regions: list[tuple[int, int]] = []
    sig = None
    for i, (code, s, _e) in enumerate(headings):
        if code in ("9.01", "7") or (code == "9.01"):
            if code == "7" and ctx.report_date and ctx.report_date >= "2004-08-23":
                continue
            end = headings[i + 1][1] if i + 1 < len(headings) else ctx.main_end
            sig = SIGNATURE_RE.search(text, s, end)
            if sig:
                end = sig.start()
            regions.append((s, min(end, s + 6000)))
    # exhibit index of the main document (after the signature), or a list head without an item
    last = headings[-1][1] if headings else ctx.main_start
    for idx in EXHIBIT_INDEX_RE.finditer(text, last, ctx.main_end):
        regions.append((idx.start(), _index_end(text, idx.end(), ctx.main_end)))
    return regions


def _index_end(text: str, start: int, limit: int) -> int:
    """End of an exhibit index: 1,500 characters, extended while the list goes on (an entry in
    the last 500 characters of the window extends it), at most 8,000."""
    end = min(limit, start + 1500)
    while end < min(limit, start + 8000):
        tail = [m for m in EXHIBIT_LINE_RE.finditer(text, max(start, end - 500), end)]
        if not tail:
            break
        end = min(limit, tail[-1].end() + 1500)
    return end


def _exhibits(ctx: Ctx, sink: Sink, headings: list[tuple[str, int, int]]) -> None:
    text = ctx.text
    for start, end in _exhibit_regions(ctx, headings):
        found: list[tuple[int, int, str, bool]] = []
        for rx in (EXHIBIT_WORD_RE, EXHIBIT_LINE_RE, EXHIBIT_GLUED_RE):
            for m in rx.finditer(text, start, end):
                found.append((m.start(1), m.end(1), m[1], rx is EXHIBIT_WORD_RE))
        found.sort()
        for s, e, raw, worded in found:
            major = int(re.match(r"\d+", raw)[0])  # type: ignore[index]
            if major not in _EX_MAJOR:
                continue
            if "." not in raw and not worded and (
                major < 10 or not re.match(r"[ \t]*[-—–.]?[ \t]*[A-Z“\"(]", text[e : e + 12])
            ):
                continue  # page numbers, list numbers, table figures
            ls = text.rfind("\n", 0, s) + 1
            le = text.find("\n", e)
            line = text[ls : le if le != -1 else end]
            if _INCORPORATED_RE.search(line):
                continue
            if text[max(0, s - 1) : s] == "$":
                continue
            if worded and _inside_description(text, ls, s):
                continue  # "104  Cover page ... (included as Exhibit 101)"
            sink.fact("filing:Exhibits", raw.replace(" ", ""), [(s, e)], text)


_ENTRY_START_RE = re.compile(r"[ \t|*\-•]*(?:(?:Exhibit|EX)[ \t]*[.\-]?[ \t]*(?:No\.?[ \t]*)?)?"
                             r"\d{1,3}(?:\.\d{1,3})?", _I)


def _inside_description(text: str, line_start: int, s: int) -> bool:
    """True when the exhibit number at ``s`` is named inside the description of the entry that
    starts its line (the line begins with another exhibit number, then words)."""
    m = _ENTRY_START_RE.match(text, line_start, s)
    if not m or m.end() >= s - 1 or re.search(r"[.;][ \t]+$", text[m.end() : s]):
        return False  # "Exhibit 99.1 Press release. Exhibit 99.2 ...": a new entry
    return len(re.findall(r"[A-Za-z]", text[m.end() : s])) >= 8
