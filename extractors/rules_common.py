"""Shared pieces of the ``rules`` extractor: date patterns, segments, fact building.

Every rule module reads the canonical text through a ``Ctx`` (the document, its
8-K main segment and the cover region) and emits facts through ``Sink``, which
normalizes each raw value with the field's catalogue normalizer and drops the
values that fail (a rule never emits a raw, unnormalized value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.errors import NormalizationError
from filingkit.normalize import normalize
from filingkit.records import Document, Entity, Evidence, Fact

SOURCE = "rules"

MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
#: A printed calendar day: "March 15, 2005", "MARCH 15,2005", "November 20 , 2019",
#: "15 March 2005", "03/15/2005". Case-insensitive.
DATE_PATTERN = (
    rf"(?:{MONTHS}\.?\s{{0,3}}\d{{1,2}}(?:st|nd|rd|th)?\s{{0,3}},?\s{{0,3}}(?:19|20)\d\d"
    rf"|\d{{1,2}}\s+{MONTHS}\.?,?\s+(?:19|20)\d\d"
    r"|\d{1,2}/\d{1,2}/(?:19|20)\d\d)"
)
DATE_RE = re.compile(rf"(?<![\w/]){DATE_PATTERN}(?![\w/])", re.I)

#: Names of the main document segment (as ingestion names it).
_MAIN_NAMES = re.compile(r"^(?:8-K|8-K/A|8-K12B|8-K12G3|8-K15D5|main|8k)", re.I)


def norm_date(raw: str) -> str | None:
    """A printed date as ISO, or None."""
    try:
        return str(normalize("date", re.sub(r"\s+", " ", raw)))
    except NormalizationError:
        return None


@dataclass(slots=True)
class Ctx:
    """The document and the regions the rules look at."""

    doc: Document
    text: str
    main_start: int
    main_end: int
    #: exhibits: (start, end, name) of each segment that is not the main document
    exhibits: tuple[tuple[int, int, str], ...] = ()
    cover_end: int = 0
    #: ISO date of report, once the cover rule found it (decides legacy items)
    report_date: str | None = None
    registrant: str | None = None
    registrant_span: tuple[int, int] | None = None
    signatory: str | None = None

    @property
    def main(self) -> str:
        return self.text[self.main_start : self.main_end]


def make_ctx(doc: Document) -> Ctx:
    """Find the 8-K main segment (first segment named 8-K, else the first, else all)."""
    text = doc.text
    segs = doc.segments
    main_start, main_end = 0, len(text)
    exhibits: list[tuple[int, int, str]] = []
    if segs:
        main = next((s for s in segs if _MAIN_NAMES.match(s.name or "")), segs[0])
        main_start, main_end = main.start, main.end
        exhibits = [(s.start, s.end, s.name) for s in segs if s is not main]
    return Ctx(doc=doc, text=text, main_start=main_start, main_end=main_end,
               exhibits=tuple(exhibits))


@dataclass(slots=True)
class Sink:
    """Collects normalized facts and entities; skips values that fail normalization."""

    catalogue: Catalogue = field(default_factory=load_catalogue)
    facts: list[Fact] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)
    _ent_seen: set[tuple[str, int, int]] = field(default_factory=set)

    def fact(self, name: str, raw: Any, spans: list[tuple[int, int]] | tuple[tuple[int, int], ...],
             text: str, *, dedupe: bool = True) -> Any | None:
        """Normalize ``raw`` with the field's normalizer and keep it; None when it fails.

        ``spans`` are the evidence offsets (where the value is read); for
        cardinality-one fields only the first value is kept.
        """
        spec = self.catalogue[name]
        try:
            value = normalize(spec.normalizer, raw)
        except NormalizationError:
            return None
        if spec.choices and value not in spec.choices:
            return None
        key = (name, repr(value))
        if not spec.many and any(f.field == name for f in self.facts):
            return None
        if dedupe and key in self._seen:
            return value
        self._seen.add(key)
        ev = tuple(Evidence(s, e, text[s:e]) for s, e in spans if 0 <= s < e)
        self.facts.append(Fact(field=name, value=value, evidence=ev, source=SOURCE))
        return value

    def has(self, name: str) -> bool:
        return any(f.field == name for f in self.facts)

    def entity(self, label: str, start: int, end: int, text: str) -> None:
        """Add an entity span, trimmed of white space and edge punctuation; no duplicates."""
        while start < end and (text[start].isspace() or text[start] in "\"'(“‘*"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in "\"',;:)”’*"):
            if text[end - 1] == ")" and "(" in text[start:end]:
                break
            end -= 1
        if end <= start:
            return
        key = (label, start, end)
        if key in self._ent_seen:
            return
        self._ent_seen.add(key)
        self.entities.append(Entity(label=label, start=start, end=end, text=text[start:end],
                                    source=SOURCE))


def last_line(s: str) -> tuple[int, int]:
    """(start, end) offsets inside ``s`` of its last non-blank line, stripped."""
    end = len(s.rstrip())
    start = s.rfind("\n", 0, end) + 1
    while start < end and s[start].isspace():
        start += 1
    return start, end


_RULE_CHARS = re.compile(r"^[\s\-_=*|.·•–—]+$")


def is_rule_line(line: str) -> bool:
    """True for blank lines and separator lines (-----, ____, |_|_|)."""
    return not line.strip() or bool(_RULE_CHARS.match(line))


def lines_with_offsets(s: str, base: int = 0) -> list[tuple[int, int, str]]:
    """Every line of ``s`` as (start, end, text), offsets shifted by ``base``."""
    out = []
    pos = 0
    for line in s.split("\n"):
        out.append((base + pos, base + pos + len(line), line))
        pos += len(line) + 1
    return out


def strip_span(text: str, start: int, end: int, chars: str = " \t\n*_-–—:,;|") -> tuple[int, int]:
    """Shrink [start, end) past edge characters in ``chars``."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


_SENT_STOP_RE = re.compile(r"[.!?](?=\s)|\n[ \t]*\n")


def sentence_at(text: str, i: int, *, limit: int = 1500) -> tuple[int, int]:
    """Bounds of the sentence around offset ``i``: from after the previous ". " or blank line
    to the next one (at most ``limit`` characters each way). Local: no scan of the whole text."""
    lo = max(0, i - limit)
    start = lo
    for cut in (". ", ".\n", "! ", "? ", "\n\n", "\n \n"):
        k = text.rfind(cut, lo, i)
        if k != -1 and k + len(cut) > start:
            start = k + len(cut)
    m = _SENT_STOP_RE.search(text, i, min(len(text), i + limit))
    end = m.end() if m else min(len(text), i + limit)
    return start, end


def find_all(text: str, needles: tuple[str, ...]) -> list[int]:
    """Sorted offsets of every occurrence of each needle (plain ``str.find``: fast)."""
    out: list[int] = []
    for n in needles:
        i = text.find(n)
        while i != -1:
            out.append(i)
            i = text.find(n, i + 1)
    out.sort()
    return out

