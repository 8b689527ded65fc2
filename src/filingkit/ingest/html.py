"""HTML and inline XBRL to canonical text, with the offsets of chosen elements.

The page is parsed with lxml's libxml2 HTML parser (forgiving, fast, bundled with
the lxml wheel so every machine parses alike) and rendered by one pass over the
tree that writes already-normalized text, so every offset is known when it is
written. The rules, in short:

- invisible content is not text: ``<head>``, ``<script>``, ``<style>``, the inline
  XBRL header (``ix:header``) and any element styled ``display:none``;
- block elements end the line; paragraphs, headings, lists and tables are set
  apart by a blank line (``<div>`` and ``<br>`` by a line break only);
- a table row is one line, its non-empty cells separated by one TAB; a cell of
  only ``$`` or ``(`` sticks to the next cell, one of only ``)`` or ``%`` to the
  previous one; a row whose cells hold a nested table or many blocks is a layout
  row and its cells are rendered as blocks;
- an inline element set apart by CSS (horizontal margin or padding, inline-block)
  is separated from its neighbours by a space; a check-box glyph glued to a word
  gets a space after it;
- white space is collapsed (NBSP and other Unicode spaces count as spaces) except
  inside ``<pre>``, where it is kept; zero-width spaces and soft hyphens vanish;
- lines carry no trailing white space and no leading white space (outside
  ``<pre>``); there is never more than one blank line in a row; the text has no
  blank lines at its ends.

``html_to_text_with_marks`` also reports, for each element with a tracked tag
(by default ``ix:nonNumeric`` and ``ix:nonFraction``), where its visible text
lands: a ``Mark``. Hidden or empty elements get ``start == end``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from filingkit.ingest.text import normalize_newlines

DEFAULT_MARK_TAGS: tuple[str, ...] = ("ix:nonnumeric", "ix:nonfraction")


@dataclass(frozen=True, slots=True)
class Mark:
    """Where an element's visible text lands in the rendered text.

    ``tag`` is the lower-cased tag name (``ix:nonnumeric``); ``attributes`` holds
    the element's attributes with lower-cased names (the HTML parser folds case:
    ``contextref``, ``name``, ``format``, ``scale``...). ``text[start:end]`` is the
    element's visible text; ``start == end`` when it is hidden or empty.
    """

    tag: str
    attributes: Mapping[str, str] = field(hash=False)
    start: int
    end: int

    @property
    def hidden(self) -> bool:
        """True when none of the element's text is visible."""
        return self.start == self.end

    def shifted(self, delta: int) -> Mark:
        """The same mark ``delta`` characters further on (for documents inside a submission)."""
        return Mark(self.tag, self.attributes, self.start + delta, self.end + delta)


# Tags whose content is never text.
_SKIP_TAGS = frozenset(
    {"head", "script", "style", "noscript", "template", "title", "ix:header", "xml", "object",
     "iframe", "select", "option"}
)
# Line breaks an element asks for before and after itself (2 = a blank line).
_BREAKS: dict[str, int] = {
    "p": 2, "h1": 2, "h2": 2, "h3": 2, "h4": 2, "h5": 2, "h6": 2,
    "table": 2, "ul": 2, "ol": 2, "dl": 2, "blockquote": 2, "pre": 2, "hr": 2,
    "address": 1, "article": 1, "aside": 1, "body": 1, "center": 1, "dd": 1, "details": 1,
    "dialog": 1, "dir": 1, "div": 1, "dt": 1, "fieldset": 1, "figcaption": 1, "figure": 1,
    "footer": 1, "form": 1, "header": 1, "html": 1, "legend": 1, "li": 1, "main": 1,
    "menu": 1, "nav": 1, "section": 1, "summary": 1, "tr": 1, "caption": 1, "thead": 1,
    "tbody": 1, "tfoot": 1, "page": 1,
}
_CELL_TAGS = frozenset({"td", "th"})
# Cells holding only a currency sign or parenthesis stick to the neighbouring number cell.
_OPEN_CELLS = frozenset({"$", "(", "$(", "($", "US$", "€", "£", "¥"})
_CLOSE_CELLS = frozenset({")", "%", "%)", ")%", ")*"})
# Check-box glyphs are words of their own: "☐Written" reads "☐ Written".
_BALLOT_BOXES = frozenset("\u2610\u2611\u2612")
_GLUED_BOX_RE = re.compile("([\u2610\u2611\u2612])(?=\\w)")
_BLOCKISH_IN_CELL = ("p", "div", "br", "li", "table")
_LAYOUT_CELL_BLOCKS = 4  # a cell with more block elements than this is layout, not data

# Unicode white space that collapses to one space (NBSP included), and invisible characters.
# White space is what ``str.isspace`` says (NBSP, thin spaces, ideographic space... included),
# so collapsing can use ``str.split()``, which runs in C.
_WS_CHARS = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\xad]")
_PRE_SPACES = str.maketrans({c: " " for c in _WS_CHARS if c not in "\t\n"})
_DISPLAY_NONE_RE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_SPACING_RE = re.compile(
    r"(?:margin|padding)-(?:left|right)\s*:\s*(\d*\.?\d+)|display\s*:\s*(?:inline-block)",
    re.IGNORECASE,
)


def collapse_ws(text: str) -> str:
    """Collapse every run of (Unicode) white space to one space and strip the ends.

    The comparison form used for an element's visible text: ``collapse_ws`` of a
    mark's span equals ``collapse_ws`` of the element's visible text. Invisible
    characters vanish and a check-box glyph glued to a word is set apart, as in rendering.
    """
    return " ".join(_GLUED_BOX_RE.sub(r"\1 ", _INVISIBLE_RE.sub("", text)).split())


class _Writer:
    """Writes normalized text incrementally so offsets are final as soon as they are known."""

    __slots__ = ("at_line_start", "awaiting", "cell_depth", "length", "literal_ws", "out",
                 "pending_nl", "pending_ws", "pre_depth")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.length = 0
        self.pending_nl = 0  # line breaks owed before the next visible character
        self.pending_ws = ""  # white space owed before the next visible character
        self.literal_ws = False  # pending_ws is <pre> indentation, kept even at line start
        self.at_line_start = True
        self.pre_depth = 0
        self.cell_depth = 0
        self.awaiting: list[list[Any]] = []  # marks whose first visible character is to come

    # -- emitting
    def emit(self, chunk: str) -> None:
        """Write visible characters (no leading/trailing white space outside <pre>)."""
        if self.pending_nl and self.length:
            self.out.append("\n" * self.pending_nl)
            self.length += self.pending_nl
            self.at_line_start = True
        if self.pending_ws and (not self.at_line_start or self.literal_ws):
            ws = self.pending_ws
            if ws == "\t" and (
                chunk in _CLOSE_CELLS or (self.out and self.out[-1] in _OPEN_CELLS)
            ):
                ws = ""  # "$" | "1,234" | ")" cells read as "$1,234)"
            self.out.append(ws)
            self.length += len(ws)
        elif self.out and not self.at_line_start and chunk[0].isalnum() and (
            self.out[-1][-1] in _BALLOT_BOXES
        ):
            self.out.append(" ")  # "☐" then "Written" in the next element: "☐ Written"
            self.length += 1
        self.pending_nl = 0
        self.pending_ws = ""
        self.literal_ws = False
        if self.awaiting:
            for mark in self.awaiting:
                mark[2] = self.length
            self.awaiting.clear()
        self.out.append(chunk)
        self.length += len(chunk)
        self.at_line_start = False

    def space(self) -> None:
        """A collapsible space (a TAB cell separator already owed is kept)."""
        if not self.pending_ws:
            self.pending_ws = " "
            self.literal_ws = False

    def tab(self) -> None:
        """A cell separator: replaces an owed space; dropped at the start of a line."""
        self.pending_ws = "\t"
        self.literal_ws = False

    def newline(self, n: int) -> None:
        """Owe ``n`` line breaks (1 = new line, 2 = blank line); never more than 2."""
        if self.cell_depth:
            self.space()
            return
        if n > self.pending_nl:
            self.pending_nl = n
        self.pending_ws = ""
        self.literal_ws = False

    def line_break(self) -> None:
        """``<br>``: ends the line; a second one in a row makes a blank line."""
        if self.cell_depth:
            self.space()
            return
        if self.pending_nl or self.at_line_start:
            self.pending_nl = min(2, self.pending_nl + 1)
        else:
            self.pending_nl = 1
        self.pending_ws = ""
        self.literal_ws = False

    # -- text nodes
    def text(self, raw: str) -> None:
        """A text node: collapsed white space, or kept verbatim inside <pre>."""
        if self.pre_depth:
            self._pre_text(raw)
            return
        if raw.isspace():  # white space only: the common case
            self.space()
            return
        if not raw.isascii():  # invisible characters and check boxes are never ASCII
            if _INVISIBLE_RE.search(raw):
                raw = _INVISIBLE_RE.sub("", raw)
                if not raw:
                    return
            if _GLUED_BOX_RE.search(raw):
                raw = _GLUED_BOX_RE.sub(r"\1 ", raw)
        words = raw.split()
        if not words:
            self.space()
            return
        if raw[0].isspace():
            self.space()
        self.emit(" ".join(words))
        if raw[-1].isspace():
            self.space()

    def _pre_text(self, raw: str) -> None:
        raw = _INVISIBLE_RE.sub("", raw).translate(_PRE_SPACES)
        lines = raw.split("\n")
        for i, line in enumerate(lines):
            if i:
                self.pending_nl = min(2, self.pending_nl + 1) if (
                    self.pending_nl or self.at_line_start) else 1
                self.pending_ws = ""
                self.literal_ws = False
            body = line.strip(" \t")
            if not body:
                if line:
                    self.pending_ws += line
                    self.literal_ws = self.literal_ws or self.at_line_start or bool(
                        self.pending_nl)
                continue
            lead = line[: len(line) - len(line.lstrip(" \t"))]
            if lead:
                self.pending_ws += lead
                self.literal_ws = True
            elif self.pending_ws and (self.at_line_start or self.pending_nl):
                self.literal_ws = True
            self.emit(body)
            trail = line[len(lead) + len(body):]
            if trail:
                self.pending_ws = trail
                self.literal_ws = False

    def result(self) -> str:
        return "".join(self.out)


def _strip_xbrl_wrapper(html: str) -> str:
    """Drop the ``<XBRL>`` ... ``</XBRL>`` wrapper an SGML document puts around inline XBRL."""
    head = html[:64].lstrip()
    if head[:6].upper() == "<XBRL>":
        html = html.lstrip()[6:]
        tail = html.rstrip()
        if tail[-7:].upper() == "</XBRL>":
            html = tail[:-7]
    return html


def _is_spaced(style: str) -> bool:
    """Does an inline element's style set it apart (horizontal margin/padding > 0, inline-block)?

    ``<span>(d)</span><span style="padding-left:6pt">Exhibits</span>`` shows a gap that
    the markup does not: it reads "(d) Exhibits", not "(d)Exhibits".
    """
    low = style.lower()
    if "margin" not in low and "padding" not in low and "inline-block" not in low:
        return False
    for m in _SPACING_RE.finditer(style):
        value = m.group(1)
        if value is None or float(value) > 0:
            return True
    return False


def _is_hidden(el: Any) -> bool:
    """Styled ``display:none`` (inline style only)."""
    style = el.get("style")
    return _hidden_style(style) if style else False


def _hidden_style(style: str) -> bool:
    return "none" in style.lower() and _DISPLAY_NONE_RE.search(style) is not None


def _is_layout_row(row: Any) -> bool:
    """A table row used for page layout: cells hold a nested table or many blocks."""
    if row.find(".//table") is None and sum(
        1 for _ in islice(row.iter(*_BLOCKISH_IN_CELL), _LAYOUT_CELL_BLOCKS + 1)
    ) <= _LAYOUT_CELL_BLOCKS:
        return False  # fast path: too few blocks in the whole row for any cell to be layout
    for cell in row:
        tag = cell.tag
        if not isinstance(tag, str) or tag.lower() not in _CELL_TAGS:
            continue
        blocks = cell.iter(*_BLOCKISH_IN_CELL)
        if sum(1 for _ in islice(blocks, _LAYOUT_CELL_BLOCKS + 1)) > _LAYOUT_CELL_BLOCKS:
            return True
        if cell.find(".//table") is not None:
            return True
    return False


# Formatting tags that carry no text or structure: what old filings leave unclosed by the
# thousand. Dropped only when the page nests deeper than libxml2 allows.
_FORMATTING_TAG_RE = re.compile(r"</?(?:font|b|i|u|em|strong|small|big)(?:\s[^<>]*)?>",
                                re.IGNORECASE)


class HtmlTooDeep(ValueError):
    """The page nests deeper than the parser's limit even without its formatting tags."""


def _parse_once(html: str) -> tuple[Any, bool]:
    """Parse; returns ``(root or None, hit_depth_limit)``."""
    from lxml import etree  # imported here: keeps `filingkit` start-up cheap

    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True,
        no_network=True, recover=True,
    )
    try:
        root = etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    except etree.ParserError:  # "Document is empty": nothing but white space or comments
        return None, False
    too_deep = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
    return root, too_deep


def _parse(html: str) -> Any:
    """Parse a page; never silently cut at libxml2's depth limit (2048).

    A page that hits the limit (unclosed ``<font>`` tags by the thousand) is parsed
    again without its formatting tags; if it is still too deep, ``HtmlTooDeep``.
    """
    root, too_deep = _parse_once(html)
    if too_deep:
        root, too_deep = _parse_once(_FORMATTING_TAG_RE.sub("", html))
        if too_deep:
            raise HtmlTooDeep("html nested deeper than 2048 elements")
    return root


def _marks_in_hidden(el: Any, tags: frozenset[str], pos: int, found: list[list[Any]]) -> None:
    for sub in el.iter():
        tag = sub.tag
        if isinstance(tag, str) and tag.lower() in tags:
            found.append([tag.lower(), dict(sub.attrib), pos, pos, len(found)])


def html_to_text_with_marks(
    html: str, tags: Iterable[str] = DEFAULT_MARK_TAGS
) -> tuple[str, tuple[Mark, ...]]:
    """Render an html or inline XBRL page as canonical text and mark tracked elements.

    ``html`` is the decoded page (see ``filingkit.ingest.text.decode_bytes``);
    ``tags`` are the tag names to track, case-insensitive (``ix:nonNumeric``).
    Returns the text and the marks in document order (the order of the elements'
    start tags). For a visible element ``collapse_ws(text[m.start:m.end])`` equals
    its visible text with white space collapsed; hidden or empty ones have
    ``start == end`` at the position where they sit.
    """
    track = frozenset(t.lower() for t in tags)
    html = normalize_newlines(html)
    html = _strip_xbrl_wrapper(html)
    if not html.strip():
        return "", ()
    root = _parse(html)
    if root is None:
        return "", ()
    w = _Writer()
    found: list[list[Any]] = []  # [tag, attrs, start|None, end|None, order]
    # Stack items: (element, closing-info). closing-info is None for "open me",
    # else a tuple (breaks, pre, cell, mark) describing what to undo on close.
    stack: list[tuple[Any, tuple[int, bool, bool, bool, list[Any] | None] | None]] = [
        (root, None)]
    layout_rows: set[Any] = set()
    while stack:
        el, info = stack.pop()
        if info is not None:
            breaks, pre, cell, spaced, open_mark = info
            if open_mark is not None:
                if open_mark[2] is None:
                    open_mark[2] = open_mark[3] = w.length
                    if open_mark in w.awaiting:
                        w.awaiting.remove(open_mark)
                else:
                    open_mark[3] = w.length
            if cell:
                w.cell_depth -= 1
            if pre:
                w.pre_depth -= 1
            if breaks:
                w.newline(breaks)
            elif spaced:
                w.space()
            tail = el.tail
            if tail:
                w.text(tail)
            continue
        tag = el.tag
        if not isinstance(tag, str):  # comment or processing instruction left by the parser
            if el.tail:
                w.text(el.tail)
            continue
        tag = tag.lower()
        style = el.get("style")
        if tag in _SKIP_TAGS or (style and _hidden_style(style)):
            if track:
                _marks_in_hidden(el, track, w.length, found)
            if el.tail:
                w.text(el.tail)
            continue
        mark: list[Any] | None = None
        if tag in track:
            mark = [tag, dict(el.attrib), None, None, len(found)]
            found.append(mark)
            w.awaiting.append(mark)
        if tag == "br":
            w.line_break()
            if mark is not None:
                w.awaiting.remove(mark)
                mark[2] = mark[3] = w.length
            if el.tail:
                w.text(el.tail)
            continue
        breaks = _BREAKS.get(tag, 0)
        cell = False
        pre = False
        spaced = False
        if tag in _CELL_TAGS:
            parent = el.getparent()
            if parent is not None and parent in layout_rows:
                breaks = 1
            else:
                cell = True
                if not w.at_line_start or w.pending_ws:
                    w.tab()
        elif tag == "tr":
            if w.cell_depth == 0 and _is_layout_row(el):
                layout_rows.add(el)
        elif tag == "pre" or tag == "xmp" or tag == "listing" or tag == "plaintext":
            pre = True
            breaks = 2
        if breaks:
            w.newline(breaks)
        elif style and not cell and _is_spaced(style):
            spaced = True
            w.space()
        if cell:
            w.cell_depth += 1
        if pre:
            w.pre_depth += 1
        stack.append((el, (breaks, pre, cell, spaced, mark)))
        if el.text:
            w.text(el.text)
        children = list(el)
        children.reverse()
        for child in children:
            stack.append((child, None))
    text = w.result()
    marks = tuple(
        Mark(m[0], m[1], m[2] if m[2] is not None else 0, m[3] if m[3] is not None else 0)
        for m in found
    )
    return text, marks


def html_to_text(html: str) -> str:
    """Render an html or inline XBRL page as canonical text (no marks)."""
    return html_to_text_with_marks(html, ())[0]


def visible_text(el: Any) -> str:
    """An lxml element's visible text (hidden descendants left out), white space collapsed.

    The reference the marks are checked against in the tests; not used by rendering.
    """
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag
        if isinstance(tag, str):
            low = tag.lower()
            if low in _SKIP_TAGS or _is_hidden(node):
                return
            if node.text:
                parts.append(node.text)
            if low == "br":
                parts.append(" ")
            for child in node:
                block = isinstance(child.tag, str) and (
                    child.tag.lower() in _BREAKS or child.tag.lower() in _CELL_TAGS
                )
                if block:
                    parts.append(" ")
                walk(child)
                if block:
                    parts.append(" ")
                if child.tail:
                    parts.append(child.tail)

    walk(el)
    return collapse_ws("".join(parts))


def parse_html(html: str) -> Any:
    """Parse a decoded page with the same parser and preprocessing the renderer uses."""
    return _parse(_strip_xbrl_wrapper(normalize_newlines(html)))
