"""Tokens with code-point offsets, BIO encoding and CRF features.

The CRF labels tokens, the gold labels character spans. Tokens here keep their
``[start, end)`` offsets into the canonical text, so a predicted token run maps
back to exactly ``text[start:end]`` and a gold span maps onto the tokens it
covers. Features are gazetteer-free: word shape, affixes, casing, digits,
punctuation and the same for the neighbours, so the model learns from the gold
and nothing else.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from filingkit.records import Entity

# A word (letters/digits joined by inner . , - ' / &), or any single other character.
# Inner joiners keep "2,000,000", "9.0", "0-17999", "huMy9-6-DM4" and "www.immunogen.com"
# whole; a trailing full stop is never part of a token.
_TOKEN = re.compile(r"\w+(?:[.,\-'’/&]\w+)*|[^\w\s]")
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Token:
    """A token and its half-open code-point span in the document text."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text`` in order."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def sentences(text: str) -> Iterator[list[Token]]:
    """Token sequences, one per non-blank line: the CRF's unit of context.

    Lines are the natural unit of converted filings (paragraphs, table rows,
    cover lines); tagging line by line keeps training fast and tables apart.
    """
    for line in _LINE.finditer(text):
        toks = [Token(m.group(), line.start() + m.start(), line.start() + m.end())
                for m in _TOKEN.finditer(line.group())]
        if toks:
            yield toks


def bio_tags(tokens: Sequence[Token], entities: Sequence[Entity]) -> list[str]:
    """BIO tags of ``tokens`` from gold spans.

    A token belongs to a span when it overlaps it; where gold spans overlap
    each other (not expected in gold), the longer span wins. Spans that cut a
    token inside are approximated to the whole token.
    """
    tags = ["O"] * len(tokens)
    if not tokens:
        return tags
    lo, hi = tokens[0].start, tokens[-1].end
    starts = [t.start for t in tokens]
    ordered = sorted((e for e in entities if e.start < hi and lo < e.end),
                     key=lambda e: (-(e.end - e.start), e.start, e.label))
    for ent in ordered:
        first = max(0, bisect.bisect_right(starts, ent.start) - 1)
        idx = []
        for i in range(first, len(tokens)):
            if tokens[i].start >= ent.end:
                break
            if ent.start < tokens[i].end:
                idx.append(i)
        if not idx or any(tags[i] != "O" for i in idx):
            continue
        tags[idx[0]] = f"B-{ent.label}"
        for i in idx[1:]:
            tags[i] = f"I-{ent.label}"
    return tags


def spans_from_tags(tokens: Sequence[Token], tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` spans from BIO tags; a stray I- opens a span (lenient)."""
    out: list[tuple[str, int, int]] = []
    label: str | None = None
    start = end = 0
    for tok, tag in zip(tokens, tags, strict=True):
        kind, _, lab = tag.partition("-")
        if kind == "I" and label == lab:
            end = tok.end
            continue
        if label is not None:
            out.append((label, start, end))
            label = None
        if kind in ("B", "I") and lab:
            label, start, end = lab, tok.start, tok.end
    if label is not None:
        out.append((label, start, end))
    return out


_SHAPE_TABLE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "X" * 26 + "x" * 26 + "d" * 10,
)
_RUNS = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)
def word_shape(word: str) -> str:
    """``Xxxx`` / ``dd,ddd`` style shape: ASCII letters to X/x, digits to d, others kept."""
    return word.translate(_SHAPE_TABLE)


@lru_cache(maxsize=1 << 16)
def short_shape(word: str) -> str:
    """The shape with runs collapsed: ``Xxxx`` -> ``Xx``, ``dd,ddd`` -> ``d,d``."""
    return _RUNS.sub(r"\1", word_shape(word))


@lru_cache(maxsize=1 << 16)
def _context_features(word: str) -> tuple[tuple[str, str | float], ...]:
    """What a neighbour contributes: its lower form, short shape and case/digit flags."""
    return (
        ("lower", word.lower()),
        ("shape", short_shape(word)),
        ("title", float(word.istitle())),
        ("upper", float(word.isupper())),
        ("digit", float(word.isdigit())),
    )


@lru_cache(maxsize=1 << 16)
def _own_features(word: str) -> tuple[tuple[str, str | float], ...]:
    """What a token says about itself, independent of its position."""
    lower = word.lower()
    return (
        ("bias", 1.0),
        ("lower", lower),
        ("shape", word_shape(word)[:12]),
        ("sshape", short_shape(word)),
        ("p1", lower[:1]), ("p2", lower[:2]), ("p3", lower[:3]),
        ("s1", lower[-1:]), ("s2", lower[-2:]), ("s3", lower[-3:]),
        ("title", float(word.istitle())),
        ("upper", float(word.isupper())),
        ("digit", float(word.isdigit())),
        ("has_digit", float(any(c.isdigit() for c in word))),
        ("has_alpha", float(any(c.isalpha() for c in word))),
        ("len", str(min(len(word), 8))),
    )


def token_features(tokens: Sequence[Token], i: int, *, window: int = 2) -> dict[str, str | float]:
    """Features of token ``i``: itself in detail, its neighbours up to ``window`` more briefly."""
    feats: dict[str, str | float] = dict(_own_features(tokens[i].text))
    if i == 0:
        feats["BOS"] = 1.0
    if i == len(tokens) - 1:
        feats["EOS"] = 1.0
    # glued to the previous / next token (no space): "$2", "IMGN)", "info@x"
    if i > 0 and tokens[i - 1].end == tokens[i].start:
        feats["glued_left"] = 1.0
    if i + 1 < len(tokens) and tokens[i].end == tokens[i + 1].start:
        feats["glued_right"] = 1.0
    for off in range(1, window + 1):
        if i - off >= 0:
            for key, val in _context_features(tokens[i - off].text):
                feats[f"-{off}:{key}"] = val
        if i + off < len(tokens):
            for key, val in _context_features(tokens[i + off].text):
                feats[f"+{off}:{key}"] = val
    return feats


def sequence_features(tokens: Sequence[Token], *, window: int = 2) -> list[dict[str, str | float]]:
    """Features of every token of a sequence."""
    return [token_features(tokens, i, window=window) for i in range(len(tokens))]
