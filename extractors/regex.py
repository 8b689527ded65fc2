"""``regex``: patterns for the entity labels and cover facts that have a fixed shape.

Entities: DATE (full dates, month-year, quarters, fiscal years, years), MONEY
(currency sign or word, scale words, parentheses), PERCENT, PHONE (Google's
libphonenumber matcher), EMAIL, URL and TICKER (the symbol of "(Nasdaq: IMGN)").
Cover facts: the Commission file number, the IRS employer identification
number (checked with python-stdnum), the registrant's area code and local
number, and the zip code of the address line, each read next to its printed
cover label and carrying its evidence offsets.

The patterns are data (``ENTITY_PATTERNS``); overlaps between candidates are
resolved by one pure function with an explicit sort key (longest first, then
leftmost, then label priority), so the result does not depend on pattern
order. Every emitted value or span passes the catalogue's normalizer for its
field; a candidate that does not is dropped, never emitted half-valid.
Markdown artifacts stay outside spans: in ``\\$2 million`` the MONEY span
starts at ``$``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.errors import NormalizationError
from filingkit.normalize import normalize
from filingkit.records import Annotations, Document, Entity, Evidence, Fact

__all__ = ["ENTITY_PATTERNS", "FACT_FIELDS", "Candidate", "RegexExtractor", "resolve_overlaps"]

# ------------------------------------------------------------------ building blocks

_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_MONTH_CI = f"(?i:{_MONTH})"
_YEAR = r"(?:19|20)\d{2}"
_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_SCALE = r"(?:(?i:thousand|million|billion|trillion)\b|(?:MM|mm|bn|[MBK])(?![\w-]))"
_NO_NUM_BEFORE = r"(?<![\w.,])"
_NO_NUM_AFTER = r"(?![\w%]|[.,]\d)"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate entity span before overlap resolution."""

    label: str
    start: int
    end: int
    priority: int


# (label, pattern, group holding the span or 0); the order is the tie-break priority.
ENTITY_PATTERNS: tuple[tuple[str, re.Pattern[str], int | str], ...] = (
    # ---- MONEY
    ("MONEY", re.compile(
        rf"(?:US\$|\$|€|£|¥)[ \t]*(?:\({_NUM}\)|{_NUM}{_NO_NUM_AFTER})(?:[ \t]?{_SCALE})?"), 0),
    ("MONEY", re.compile(
        rf"{_NO_NUM_BEFORE}(?:USD|EUR|GBP)[ \t]?{_NUM}(?:[ \t]?{_SCALE})?"), 0),
    ("MONEY", re.compile(
        rf"{_NO_NUM_BEFORE}(?<!\$){_NUM}(?:[ \t]?{_SCALE})?[ \t]+(?i:dollars|euros)\b"), 0),
    # ---- PERCENT
    ("PERCENT", re.compile(
        rf"{_NO_NUM_BEFORE}-?{_NUM}[ \t]?(?:%|(?i:percent|per cent)\b)"), 0),
    # ---- DATE: full dates
    ("DATE", re.compile(
        rf"\b{_MONTH_CI}\.?[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+{_YEAR}(?!\d)"), 0),
    ("DATE", re.compile(rf"\b\d{{1,2}}[ \t]+{_MONTH_CI}\.?,?[ \t]+{_YEAR}(?!\d)"), 0),
    ("DATE", re.compile(rf"(?<![\d/])\b\d{{1,2}}/\d{{1,2}}/{_YEAR}(?![\d/])"), 0),
    # ---- DATE: quarters, fiscal years, month-year
    # "the first quarter of (fiscal) 2005" keeps its article; "first quarter 2005" has none
    ("DATE", re.compile(
        rf"\b(?:(?i:the)[ \t]+)?(?i:{_ORD}[ \t]+(?:fiscal[ \t]+)?quarter[ \t]+of)"
        rf"(?:[ \t]+(?i:fiscal(?:[ \t]+year)?))?[ \t]+{_YEAR}(?!\d)"), 0),
    ("DATE", re.compile(
        rf"\b(?:(?i:the)[ \t]+)?(?i:{_ORD}[ \t]+quarter[ \t]+of[ \t]+the)[ \t]+"
        rf"(?:[A-Z][\w.&-]*[ \t]+)*?[A-Z][\w.&-]*(?:'|’)s[ \t]+{_YEAR}[ \t]+(?i:fiscal[ \t]+year)"), 0),
    ("DATE", re.compile(
        rf"\b(?i:{_ORD}[ \t]+(?:fiscal[ \t]+)?quarter)(?:[ \t]+(?i:fiscal(?:[ \t]+year)?))?"
        rf"[ \t]+{_YEAR}(?!\d)"), 0),
    ("DATE", re.compile(rf"\b(?i:early|mid|late)(?:-|[ \t]+){_YEAR}(?!\d)"), 0),
    ("DATE", re.compile(rf"\bQ[1-4][ \t]+(?:(?i:fiscal[ \t]+|FY[ \t]?))?{_YEAR}(?!\d)"), 0),
    ("DATE", re.compile(rf"\b(?i:fiscal(?:[ \t]+year)?|FY)[ \t]?'?{_YEAR}(?!\d)"), 0),
    ("DATE", re.compile(rf"\b{_MONTH}\.?,?[ \t]+{_YEAR}(?!\d)"), 0),
    # ---- DATE: a bare year, not in a statute name, a rule number or a digit run
    ("DATE", re.compile(
        rf"(?<![\w$.,/])(?<!\d-)(?<!(?i:act of ))(?<!Rule )(?<!No\. )(?<!Suite )"
        rf"{_YEAR}(?![\w%/]|[.,]\d|-\d)"), 0),
    # ---- EMAIL (markdown may escape an underscore: john\_doe@x.com)
    ("EMAIL", re.compile(
        r"(?<![\w.+\\-])[A-Za-z0-9](?:[\w.+-]|\\_)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
        r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b"), 0),
    # ---- URL, with scheme or www.
    ("URL", re.compile(r"(?i:https?://|www\.)[^\s<>()\[\]\"'“”*|]+"), 0),
    # ---- TICKER: the symbol after an exchange name and a colon, or after "symbol"
    ("TICKER", re.compile(
        r"\b(?i:Nasdaq(?:[ \t]+(?:Global[ \t]+(?:Select[ \t]+)?Market|National[ \t]+Market"
        r"|Capital[ \t]+Market|SmallCap[ \t]+Market|NM|GS|GM|CM))?|NASDAQ/NMS"
        r"|NYSE(?:[ \t]+(?:American|Amex|Arca|MKT))?|New[ \t]+York[ \t]+Stock[ \t]+Exchange"
        r"|American[ \t]+Stock[ \t]+Exchange|AMEX|TSX(?:-V)?|OTCBB|OTC(?:[ \t]?BB|QB|QX)?)"
        r"[ \t]*:[ \t]*(?P<sym>[A-Z][A-Z0-9]{0,5}(?:\.[A-Z])?)(?![\w])"), "sym"),
    ("TICKER", re.compile(
        r"\b(?i:ticker|trading)[ \t]+(?i:symbols?)[ \t]+(?:of[ \t]+)?[\"“']?"
        r"(?P<sym>[A-Z][A-Z0-9]{0,5}(?:\.[A-Z])?)[\"”']?(?![\w])"), "sym"),
)

ENTITY_LABELS: tuple[str, ...] = ("DATE", "MONEY", "PERCENT", "PHONE", "EMAIL", "URL", "TICKER")
_PRIORITY = {label: i for i, label in enumerate(("PHONE", "EMAIL", "URL", "MONEY", "PERCENT",
                                                  "TICKER", "DATE"))}

FACT_FIELDS: tuple[str, ...] = (
    "dei:EntityFileNumber",
    "dei:EntityTaxIdentificationNumber",
    "dei:CityAreaCode",
    "dei:LocalPhoneNumber",
    "dei:EntityAddressPostalZipCode",
)

_URL_TRAIL = ".,;:!?'\"\\"
_LINES = re.compile(r"[^\n]+")
_PHONE_HINT = re.compile(r"(?:\d[ \t().+/-]{0,3}){9}\d")


def resolve_overlaps(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: longest first, then leftmost, then label priority.

    The sort key is total, so the result does not depend on the order the
    candidates were found in. Identical spans of one label collapse to one.
    """
    kept: list[Candidate] = []  # non-overlapping, sorted by start (hence by end too)
    starts: list[int] = []
    for cand in sorted(set(candidates), key=lambda c: (-(c.end - c.start), c.start, c.priority,
                                                       c.label)):
        i = bisect.bisect_left(starts, cand.start)
        if i > 0 and kept[i - 1].end > cand.start:
            continue  # overlaps the kept span on its left
        if i < len(kept) and kept[i].start < cand.end:
            continue  # overlaps the kept span on its right
        kept.insert(i, cand)
        starts.insert(i, cand.start)
    return kept


# ------------------------------------------------------------------ cover facts

_ITEM_HEADING = re.compile(r"(?im)^[ \t>#*_-]*item[ \t]+\d{1,2}(?:\.\d{2})?\b")
_FILE_LABEL = re.compile(r"(?i)\(\s*Commission\b|Commission[ \t]+File|\bFile[ \t]+No\b")
_FILE_NUMBER = re.compile(r"(?<![\w-])\d{1,3}[-–]\d{3,6}(?:-\d{1,3})?(?![\w-])")
_PHONE_TAIL = re.compile(r"\(?\d{3}\)?[ \t.-]*$")
_EIN_LABEL = re.compile(
    r"(?i)I\.?R\.?S\.?[ \t]+Employer|Employer[ \t\n]+Identification|Tax[ \t]+Identification")
_EIN = re.compile(r"(?<![\w-])\d{2}[-–]\d{7}(?![\w-])")
_PHONE_LABEL = re.compile(
    r"(?i)telephone[ \t\n]+number(?:,?[ \t\n]+including[ \t\n]+area[ \t\n]+code)?")
# html tables may break "( 972 ) 934-4700" over lines: a few white-space characters are allowed
_COVER_PHONE = re.compile(
    r"(?<![\w-])(?:\(\s{0,3}(?P<area1>\d{3})\s{0,3}\)\s{0,3}[.-]?|(?P<area2>\d{3})[ \t]*[.-]?)"
    r"\s{0,3}(?P<local>\d{3}[ \t.-]?\d{4})(?![\w-])")
_ADDRESS_LABEL = re.compile(r"(?i)Address[ \t\n]+of[ \t\n]+principal[ \t\n]+executive[ \t\n]+offices")
_ZIP = re.compile(r"(?<![\w-])\d{5}(?:-\d{4})?(?![\w-])")
# a five-digit street number ("44370 Old Warm Springs Blvd.") is followed by a word
_STREET_AFTER = re.compile(r"[ \t]+[A-Za-z]")

_NEAR = 400  # characters around a cover label searched for its value


# Label -> (anchor every match contains, characters a match may reach before it, after it).
# Scanning every position of a long filing with each pattern is what costs; matching only in
# windows around the anchors gives the same matches much faster.
_ANCHORS: dict[str, tuple[re.Pattern[str], int, int]] = {
    "DATE": (re.compile(rf"(?<!\d){_YEAR}(?!\d)"), 120, 16),
    "MONEY": (re.compile(r"[$€£¥]|USD|EUR|GBP|(?i:dollars|euros)"), 48, 48),
    "PERCENT": (re.compile(r"%|(?i:per[ \t]?cent)"), 40, 12),
    "EMAIL": (re.compile(r"@"), 80, 260),
}
_WS = re.compile(r"\s")


def _windows(text: str, anchor: re.Pattern[str], before: int, after: int
             ) -> list[tuple[int, int]]:
    """Merged ``[start, end)`` windows around every anchor match of ``text``.

    A window ends just after a white-space character (or at the end of the
    text), so the lookaheads at the end of a pattern see the same characters
    as in the whole text; lookbehinds see before a window's start anyway.
    """
    out: list[tuple[int, int]] = []
    for m in anchor.finditer(text):
        start = max(0, m.start() - before)
        ws = _WS.search(text, min(len(text), m.end() + after))
        end = ws.end() if ws else len(text)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _cover_end(text: str, limit: int) -> int:
    """End of the cover page: the first Item heading, or ``limit`` characters."""
    hit = _ITEM_HEADING.search(text, 0, limit)
    return hit.start() if hit else min(len(text), limit)


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _nearest(labels: Sequence[re.Match[str]], spans: Sequence[tuple[int, int]]) -> int | None:
    """Index of the span closest to any label, within ``_NEAR`` characters; ties: leftmost."""
    best: tuple[int, int] | None = None
    for i, span in enumerate(spans):
        for lab in labels:
            gap = _gap(span, lab.span())
            if gap <= _NEAR and (best is None or (gap, span[0]) < (best[0], spans[best[1]][0])):
                best = (gap, i)
    return None if best is None else best[1]


class RegexExtractor:
    """Shape-defined entities and cover facts found by regular expressions.

    :param phone_region: default region for phone numbers without a country code.
    :param cover_chars: how far into the text the cover page may reach.
    :param catalogue: a catalogue file; ``None`` is the shipped catalogue.
    """

    name = "regex"
    version = "1"
    fields: tuple[str, ...] = ENTITY_LABELS + FACT_FIELDS

    def __init__(self, phone_region: str = "US", cover_chars: int = 8000,
                 catalogue: str | Path | None = None) -> None:
        self.phone_region = phone_region
        self.cover_chars = cover_chars
        self.catalogue = catalogue

    def _catalogue(self) -> Catalogue:
        return load_catalogue(self.catalogue)

    # ------------------------------------------------------------ entities

    def _phone_candidates(self, text: str) -> list[Candidate]:
        import phonenumbers  # import on use: keeps `filingkit --help` fast

        out = []
        # The matcher parses every digit run it meets (table figures too); run it only on
        # lines that hold ten digits with at most short separators, as a phone number does.
        for line in _LINES.finditer(text):
            if not _PHONE_HINT.search(line.group()):
                continue
            base = line.start()
            for match in phonenumbers.PhoneNumberMatcher(line.group(), self.phone_region):
                out.append(Candidate("PHONE", base + match.start, base + match.end,
                                     _PRIORITY["PHONE"]))
        return out

    def _entity_candidates(self, text: str, *, windowed: bool = True) -> list[Candidate]:
        """All candidates; ``windowed=False`` scans the whole text with every pattern
        (slower, the same result: the tests check that)."""
        cands = self._phone_candidates(text)
        windows = ({label: _windows(text, *spec) for label, spec in _ANCHORS.items()}
                   if windowed else {})
        for label, pattern, group in ENTITY_PATTERNS:
            spans = windows.get(label, [(0, len(text))])
            hits = (hit for ws, we in spans for hit in pattern.finditer(text, ws, we))
            for hit in hits:
                start, end = hit.span(group)
                if label == "URL":
                    while end > start and text[end - 1] in _URL_TRAIL:
                        end -= 1
                    if end - start < 5:
                        continue
                cands.append(Candidate(label, start, end, _PRIORITY[label]))
        return cands

    def find_entities(self, text: str) -> list[Entity]:
        """Entity spans of ``text`` whose span text passes the label's normalizer."""
        cat = self._catalogue()
        out: list[Entity] = []
        for cand in resolve_overlaps(self._entity_candidates(text)):
            raw = text[cand.start:cand.end]
            try:
                normalize(cat[cand.label].normalizer, raw)
            except NormalizationError:
                continue
            out.append(Entity(cand.label, cand.start, cand.end, text=raw, source="regex"))
        return out

    # ------------------------------------------------------------ cover facts

    def _fact(self, field: str, raw_spans: Sequence[tuple[int, int]], raw: str,
              text: str) -> Fact | None:
        try:
            value = normalize(self._catalogue()[field].normalizer, raw)
        except NormalizationError:
            return None
        evidence = tuple(Evidence(s, e, text[s:e]) for s, e in raw_spans)
        return Fact(field, value, evidence=evidence, source="regex")

    def find_facts(self, text: str) -> list[Fact]:
        """Cover facts of fixed shape, each read next to its printed label."""
        end = _cover_end(text, self.cover_chars)
        facts: list[Fact | None] = []

        labels = list(_FILE_LABEL.finditer(text, 0, end))
        spans = [m.span() for m in _FILE_NUMBER.finditer(text, 0, end)
                 if not _PHONE_TAIL.search(text[max(0, m.start() - 8):m.start()])]
        i = _nearest(labels, spans)
        if i is not None:
            s, e = spans[i]
            facts.append(self._fact("dei:EntityFileNumber", [(s, e)], text[s:e], text))

        from stdnum.us import ein as stdnum_ein

        labels = list(_EIN_LABEL.finditer(text, 0, end))
        spans = [m.span() for m in _EIN.finditer(text, 0, end)
                 if stdnum_ein.is_valid(m.group().replace("–", "-"))]
        i = _nearest(labels, spans)
        if i is not None:
            s, e = spans[i]
            facts.append(self._fact("dei:EntityTaxIdentificationNumber", [(s, e)], text[s:e],
                                    text))

        labels = list(_PHONE_LABEL.finditer(text, 0, end))
        phones = list(_COVER_PHONE.finditer(text, 0, end))
        i = _nearest(labels, [m.span() for m in phones])
        if i is not None:
            hit = phones[i]
            area = "area1" if hit.group("area1") else "area2"
            a_s, a_e = hit.span(area)
            l_s, l_e = hit.span("local")
            facts.append(self._fact("dei:CityAreaCode", [(a_s, a_e)], text[a_s:a_e], text))
            facts.append(self._fact("dei:LocalPhoneNumber", [(l_s, l_e)], text[l_s:l_e], text))

        facts.append(self._zip_fact(text, end))
        return [f for f in facts if f is not None]

    def _zip_fact(self, text: str, end: int) -> Fact | None:
        """The zip printed on the address line just above (or after) the address label."""
        label = _ADDRESS_LABEL.search(text, 0, end)
        if label is None:
            return None
        # the address block runs from the last closing parenthesis (the label above it)
        # to the address label; with two addresses printed, the first is the registrant's
        start = max(0, label.start() - _NEAR)
        close = text.rfind(")", start, label.start())
        before = [m for m in _ZIP.finditer(text, close + 1 if close >= 0 else start,
                                           label.start())
                  if not _STREET_AFTER.match(text, m.end())]
        hit: re.Match[str] | None = before[0] if before else None
        if hit is None:
            stop = _PHONE_LABEL.search(text, label.end(), end)
            hit = _ZIP.search(text, label.end(), min(label.end() + _NEAR,
                                                     stop.start() if stop else end))
        if hit is None:
            return None
        return self._fact("dei:EntityAddressPostalZipCode", [hit.span()], hit.group(), text)

    # ------------------------------------------------------------ protocol

    def extract(self, document: Document) -> Annotations:
        """Entities and cover facts of ``document``."""
        text = document.text
        return Annotations(document.doc_id, tuple(self.find_entities(text)),
                           tuple(self.find_facts(text)))
