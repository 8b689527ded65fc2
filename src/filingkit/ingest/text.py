"""Bytes to text: decoding and the deterministic white-space rules of the canonical text.

Everything here is a pure function of its input: no locale, no platform default
encoding, no dictionary order. The same bytes give the same ``str`` everywhere.

Decoding policy (``decode_bytes``), in order:

1. a byte-order mark wins (UTF-8, UTF-16 LE/BE); the mark itself is dropped;
2. bytes that are valid UTF-8 are UTF-8 (cp1252 text almost never is valid UTF-8,
   while mislabelled ``charset=iso-8859-1`` pages that really are UTF-8 are common);
3. otherwise the declared charset (``<meta charset>``, ``http-equiv`` content type or
   the XML declaration), when Python knows it and it decodes without error;
4. otherwise windows-1252, where the five bytes cp1252 leaves undefined are read as
   Latin-1 (so decoding never fails, and ISO-8859-1 text comes out right).
"""

from __future__ import annotations

import codecs
import contextlib
import re

# Byte-order marks, longest first (UTF-32 is not used by EDGAR and not listed).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CHARSET_RE = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+))"""
    rb"""|(?:<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+))""",
    re.IGNORECASE,
)

# Charsets that mean "Latin-1-ish": decoded as cp1252 (the WHATWG reading of all three).
_LATIN_ALIASES = frozenset({"iso8859-1", "latin-1", "cp1252", "ascii"})

# Latin-1 decoding then this table = cp1252 with the 5 undefined bytes kept as Latin-1.
_CP1252_TABLE: dict[int, str] = {}
for _b in range(0x80, 0xA0):
    with contextlib.suppress(UnicodeDecodeError):  # 0x81, 0x8D, 0x8F, 0x90, 0x9D stay Latin-1
        _CP1252_TABLE[_b] = bytes([_b]).decode("cp1252")


def decode_cp1252(data: bytes) -> str:
    """Decode windows-1252 without ever failing: undefined bytes map to Latin-1 code points."""
    return data.decode("latin-1").translate(_CP1252_TABLE)


def declared_charset(data: bytes) -> str | None:
    """The Python codec name of the charset an html/xml head declares, if Python knows it."""
    match = _CHARSET_RE.search(data[:4096])
    if not match:
        return None
    raw = (match.group(1) or match.group(2) or b"").decode("ascii", "replace")
    try:
        return codecs.lookup(raw.strip().lower()).name
    except LookupError:
        return None


def decode_bytes(data: bytes, *, declared: bool = True) -> tuple[str, str]:
    """Decode filing bytes to text; returns ``(text, encoding_used)``.

    ``declared`` says whether to look for an html/xml charset declaration (on for
    html and SGML, off for plain text). See the module docstring for the policy.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name), name
            except UnicodeDecodeError:
                break  # a lying BOM: fall through to the byte-level rules
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        charset = declared_charset(data)
        if charset and charset != "utf-8" and charset not in _LATIN_ALIASES:
            try:
                return data.decode(charset), charset
            except (UnicodeDecodeError, LookupError):
                pass
    return decode_cp1252(data), "cp1252"


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


# C0 controls other than TAB and LF, and DEL: never meaningful in a filing's text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TRAILING_WS_RE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_RUN_RE = re.compile(r"\n{3,}")


def normalize_plain(text: str) -> str:
    """The canonical form of a plain-text document inside an SGML submission.

    LF newlines, form feeds become line breaks, other control characters and
    NBSP-like spaces are dropped or made spaces, no trailing white space on a
    line, at most one blank line in a row, no blank lines at either end. Leading
    indentation and tabs are kept: old filings align their tables with them.
    """
    text = normalize_newlines(text).replace("\f", "\n").replace("\xa0", " ")
    text = _CONTROL_RE.sub("", text)
    text = _TRAILING_WS_RE.sub("", text)
    text = _BLANK_RUN_RE.sub("\n\n", text)
    return text.strip("\n")


def is_normalized(text: str) -> bool:
    """True when ``text`` obeys the canonical white-space rules (used by tests and checks)."""
    return (
        "\r" not in text
        and _TRAILING_WS_RE.search(text) is None
        and "\n\n\n" not in text
        and not text.startswith("\n")
        and not text.endswith("\n")
    )
