"""Cover-page facts read from inline XBRL: machine-readable gold written by the filer.

Since 2019 the cover of an 8-K is tagged in inline XBRL (``ix:nonNumeric name="dei:..."``).
Those tags are the filer's own statement of the cover facts, independent of any
extractor, so they make gold without an annotator. This module

1. parses the inline XBRL of one html document (``parse_ixbrl``): every
   ``ix:nonNumeric`` / ``ix:nonFraction`` fact with its context, hidden flag
   (inside ``ix:hidden``), ``continuedAt`` chain and ``ix:exclude`` parts;
2. applies the ``format`` transformation (``transform``; the table
   ``TRANSFORMS`` lists every supported ``ixt:`` / ``ixt-sec:`` format);
3. maps the ``dei:`` facts that the catalogue names to normalized catalogue
   facts (``catalogue_facts``), keeping the registrant's facts of a combined
   filing and leaving the co-registrants' (``dei:LegalEntityAxis``) in notes.

Evidence (where a visible fact is read in the canonical text) needs the
ingestion module's element positions; ``evidence_for`` adds it. Hidden facts
get no evidence: they are not printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.errors import IngestError, NormalizationError
from filingkit.normalize import date_, normalize, state_code

SOURCE = "ixbrl"
LEGAL_ENTITY_AXIS = "dei:LegalEntityAxis"
FACT_TAGS = ("ix:nonnumeric", "ix:nonfraction")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)
_IX_TAGS = (*FACT_TAGS, "ix:continuation")

# ------------------------------------------------------------------ transformations


class TransformError(NormalizationError):
    """A displayed value does not fit its ``format`` transformation (or the format is unknown)."""


_BALLOT_TRUE = {"☒", "☑", "✓", "✔", "■", "x", "X"}
_BALLOT_FALSE = {"☐", "□", "¨", "o", "q"}


def _ballot(raw: str) -> str:
    s = raw.strip()
    for ch in s:  # the first mark decides; some filers put the label text inside the tag
        if ch in _BALLOT_TRUE:
            return "true"
        if ch in _BALLOT_FALSE:
            return "false"
        if not ch.isspace():
            break
    raise TransformError(f"not a ballot box: {raw!r}")


def _fixed(value: str) -> Callable[[str], str]:
    return lambda _raw: value


def _checked_iso(y: int, m: int, d: int, raw: str) -> str:
    if y < 100:
        y += 2000 if y < 50 else 1900
    try:
        return date_(f"{y:04d}-{m:02d}-{d:02d}")
    except NormalizationError:
        raise TransformError(f"not a valid date: {raw!r}") from None


def _date_text(raw: str) -> str:
    """Dates with month names (either order): normalize.date_ knows both."""
    s = re.sub(r"\s+", " ", raw.replace("\xa0", " ")).strip(" .,")
    try:
        return date_(s)
    except NormalizationError:
        raise TransformError(f"not a date: {raw!r}") from None


def _date_numeric(order: str) -> Callable[[str], str]:
    """Numeric dates: ``order`` is a permutation of 'mdy' (06/10/2020, 10.06.2020, 2020-06-10)."""

    def parse(raw: str) -> str:
        parts = re.findall(r"\d+", raw)
        if len(parts) != 3:
            raise TransformError(f"not a {order} date: {raw!r}")
        vals = dict(zip(order, (int(p) for p in parts), strict=True))
        return _checked_iso(vals["y"], vals["m"], vals["d"], raw)

    return parse


def _month_day(raw: str) -> str:
    """gMonthDay (--MM-DD), as used by CurrentFiscalYearEndDate."""
    parts = re.findall(r"\d+", raw)
    if len(parts) == 2:
        m, d = int(parts[0]), int(parts[1])
    else:
        hit = re.search(r"([A-Za-z]+)\.?\s*(\d{1,2})", raw)
        if not hit:
            raise TransformError(f"not a month and day: {raw!r}")
        iso = _date_text(f"{hit[1]} {hit[2]}, 2000")
        m, d = int(iso[5:7]), int(iso[8:10])
    return f"--{m:02d}-{d:02d}"


def _num(decimal_sep: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        s = raw.strip().replace("\xa0", "").replace(" ", "")
        thousands = "," if decimal_sep == "." else "."
        s = s.replace(thousands, "").replace("'", "")
        if decimal_sep == ",":
            s = s.replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", s):
            raise TransformError(f"not a number for this format: {raw!r}")
        return s

    return parse


def _state(raw: str) -> str:
    try:
        return state_code(raw)
    except NormalizationError:
        raise TransformError(f"unknown state, province or country: {raw!r}") from None


# ixt-sec:exchnameen: the exchange's name to the dei code. Order matters: Nasdaq
# PHLX and Nasdaq BX are not Nasdaq; NYSE American and NYSE Arca are not NYSE.
_EXCHANGE_NAMES: tuple[tuple[str, str], ...] = (
    (r"phlx|philadelphia", "PHLX"),
    (r"nasdaq\s*bx|boston\s+stock", "BX"),
    (r"nyse\s*arca|archipelago", "NYSEArca"),
    (r"nyse\s*(american|mkt|amex)|american\s+stock\s+exchange|^nyseamer$", "NYSEAMER"),
    (r"new\s+york\s+stock\s+exchange|^nyse\b", "NYSE"),
    (r"nasdaq", "NASDAQ"),
    (r"cboe\s*bzx|bats", "CboeBZX"),
    (r"chicago\s+board\s+options|^cboe(\s+exchange)?(,?\s+inc\.?)?$", "CBOE"),
    (r"chicago\s+stock\s+exchange|^chx$", "CHX"),
    (r"investors\s+exchange|^iex$", "IEX"),
    (r"^box\b", "BOX"),
    (r"\bmiax\b|miami\s+international", "MIAX"),
    (r"^none$", "NONE"),
)


def _exchange(raw: str) -> str:
    low = re.sub(r"\s+", " ", raw.replace("\xa0", " ")).strip().lower()
    for pattern, code in _EXCHANGE_NAMES:
        if re.search(pattern, low):
            return code
    raise TransformError(f"unknown exchange name: {raw!r}")


# Local format name -> function from displayed text to the XBRL lexical value.
# Names from the XBRL transformation registries 1-5 (ixt:) and the SEC's (ixt-sec:).
TRANSFORMS: dict[str, Callable[[str], str]] = {
    # booleans
    "booleanfalse": _fixed("false"), "fixed-false": _fixed("false"),
    "booleantrue": _fixed("true"), "fixed-true": _fixed("true"),
    "boolballotbox": _ballot, "yesnoballotbox": _ballot,
    # empty and zero
    "nocontent": _fixed(""), "fixed-empty": _fixed(""),
    "zerodash": _fixed("0"), "fixed-zero": _fixed("0"),
    # numbers
    "numdotdecimal": _num("."), "num-dot-decimal": _num("."),
    "numcommadecimal": _num(","), "num-comma-decimal": _num(","),
    "numcomma": _num(","), "numdotcomma": _num("."), "numspacedot": _num("."),
    "numspacecomma": _num(","), "numcommadot": _num("."),
    # dates with month names
    "datemonthdayyearen": _date_text, "date-monthname-day-year-en": _date_text,
    "datedaymonthyearen": _date_text, "date-day-monthname-year-en": _date_text,
    "datelongus": _date_text, "dateshortus": _date_text,
    "datelonguk": _date_text, "dateshortuk": _date_text,
    # numeric dates
    "datemonthdayyear": _date_numeric("mdy"), "date-month-day-year": _date_numeric("mdy"),
    "dateslashus": _date_numeric("mdy"), "datedotus": _date_numeric("mdy"),
    "datedaymonthyear": _date_numeric("dmy"), "date-day-month-year": _date_numeric("dmy"),
    "dateslasheu": _date_numeric("dmy"), "datedoteu": _date_numeric("dmy"),
    "dateyearmonthday": _date_numeric("ymd"), "date-year-month-day": _date_numeric("ymd"),
    # month and day (fiscal year end)
    "datemonthday": _month_day, "date-month-day": _month_day,
    "datemonthdayen": _month_day, "date-monthname-day-en": _month_day,
    # SEC transformations
    "stateprovnameen": _state, "countrynameen": _state, "edgarprovcountryen": _state,
    "exchnameen": _exchange,
}


def transform(fmt: str | None, raw: str) -> str:
    """The XBRL value of a displayed string under ``format`` (a QName such as ``ixt:fixed-true``).

    Without a format the displayed text is the value (white space folded).
    An unknown format or a text that does not fit it raises ``TransformError``.
    """
    if not fmt:
        return re.sub(r"\s+", " ", raw.replace("\xa0", " ")).strip()
    local = fmt.split(":", 1)[-1].strip().lower()
    fn = TRANSFORMS.get(local)
    if fn is None:
        raise TransformError(f"unsupported inline XBRL format {fmt!r}")
    return fn(raw)


def apply_scale_sign(value: str, scale: str | None, sign: str | None) -> Decimal:
    """An ``ix:nonFraction`` value: scaled by 10**scale, negative when ``sign="-"``."""
    try:
        num = Decimal(value or "0")
    except InvalidOperation:
        raise TransformError(f"not a number: {value!r}") from None
    if scale:
        try:
            num = num.scaleb(int(scale))
        except ValueError:
            raise TransformError(f"scale is not an integer: {scale!r}") from None
    if sign == "-":
        num = -num
    return num


# ------------------------------------------------------------------ parsing


@dataclass(frozen=True, slots=True)
class Context:
    """An XBRL context: its dimensions (axis QName -> member QName)."""

    id: str
    dimensions: Mapping[str, str] = field(default_factory=dict)

    @property
    def legal_entity(self) -> str | None:
        return self.dimensions.get(LEGAL_ENTITY_AXIS)


@dataclass(frozen=True, slots=True)
class IxFact:
    """One inline XBRL fact as tagged: its displayed text and its transformed value."""

    name: str
    context: str
    display: str
    value: str | None  # transformed (None when the transformation failed: see ``error``)
    format: str | None = None
    hidden: bool = False
    numeric: bool = False
    element_id: str | None = None
    order: int = 0  # position among the document's ix fact elements
    continuation_ids: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class IxDocument:
    """The facts and contexts of one inline XBRL document."""

    facts: tuple[IxFact, ...]
    contexts: Mapping[str, Context]

    def default_context_ids(self) -> set[str]:
        """Contexts without a ``LegalEntityAxis`` dimension: the filing's main registrant."""
        return {cid for cid, c in self.contexts.items() if c.legal_entity is None}


def _local(tag: Any) -> str:
    return tag.lower() if isinstance(tag, str) else ""


def _attr(el: Any, name: str) -> str | None:
    low = name.lower()
    for k, v in el.attrib.items():
        if k.lower() == low or k.lower().endswith("}" + low):
            return str(v)
    return None


def _text_of(el: Any) -> str:
    """Displayed text of an element, without ``ix:exclude`` parts."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if _local(node.tag) == "ix:exclude":
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return "".join(parts)


def html_of(data: bytes | str) -> bytes:
    """The html bytes to parse: the content of the first ``<XBRL>`` wrapper if any."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    hit = re.search(rb"<XBRL>(.*?)(?:</XBRL>|\Z)", raw, re.S)
    return hit.group(1) if hit else raw


def is_inline_xbrl(data: bytes | str) -> bool:
    """True when the html carries inline XBRL facts."""
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    return re.search(rb"<ix:(nonNumeric|nonFraction|header)\b", raw, re.I) is not None


def parse_ixbrl(data: bytes | str, *, file: str | None = None) -> IxDocument:
    """All ``ix:nonNumeric`` / ``ix:nonFraction`` facts and the contexts of one html document."""
    from lxml import etree

    raw = html_of(data)
    enc = "utf-8"
    head = raw[:2048]
    hit = re.search(rb"""encoding=["']([A-Za-z0-9_-]+)""", head) or re.search(
        rb"""charset=["']?([A-Za-z0-9_-]+)""", head)
    if hit:
        enc = hit.group(1).decode("ascii").lower()
    try:
        parser = etree.HTMLParser(encoding=enc, huge_tree=True, recover=True)
        root = etree.fromstring(raw, parser)
    except (etree.LxmlError, LookupError) as exc:
        raise IngestError(f"cannot parse inline XBRL: {exc}", file=file) from None
    if root is None:
        raise IngestError("empty document", file=file)

    contexts: dict[str, Context] = {}
    for el in root.iter():
        if _local(el.tag) == "xbrli:context":
            cid = _attr(el, "id")
            if not cid:
                continue
            dims: dict[str, str] = {}
            for sub in el.iter():
                if _local(sub.tag) in ("xbrldi:explicitmember", "xbrldi:typedmember"):
                    dims[_attr(sub, "dimension") or ""] = _text_of(sub).strip()
            contexts[cid] = Context(cid, dims)

    continuations: dict[str, Any] = {}
    for el in root.iter():
        if _local(el.tag) == "ix:continuation" and _attr(el, "id"):
            continuations[str(_attr(el, "id"))] = el

    facts: list[IxFact] = []
    order = 0
    for el in root.iter():
        tag = _local(el.tag)
        if tag not in FACT_TAGS:
            continue
        order += 1
        name = _attr(el, "name") or ""
        hidden = any(_local(a.tag) == "ix:hidden"
                     or _DISPLAY_NONE.search(a.get("style") or "") is not None
                     for a in el.iterancestors())
        display = _text_of(el)
        cont_ids: list[str] = []
        nxt = _attr(el, "continuedAt")
        while nxt and nxt in continuations and nxt not in cont_ids:
            cont_ids.append(nxt)
            display += " " + _text_of(continuations[nxt])
            nxt = _attr(continuations[nxt], "continuedAt")
        fmt = _attr(el, "format")
        numeric = tag == "ix:nonfraction"
        value: str | None
        error = None
        try:
            if numeric and _attr(el, "xsi:nil") == "true":
                value = None
            else:
                value = transform(fmt, display)
                if numeric:
                    if not fmt:
                        value = _num(".")(display)
                    value = str(apply_scale_sign(value, _attr(el, "scale"), _attr(el, "sign")))
        except TransformError as exc:
            value, error = None, exc.reason
        facts.append(IxFact(
            name=name, context=_attr(el, "contextRef") or "", display=display, value=value,
            format=fmt, hidden=hidden, numeric=numeric, element_id=_attr(el, "id"),
            order=order, continuation_ids=tuple(cont_ids), error=error,
        ))
    return IxDocument(tuple(facts), contexts)


# ------------------------------------------------------------------ catalogue facts


@dataclass(frozen=True, slots=True)
class CoverFact:
    """A catalogue fact read from inline XBRL, with the tag it came from."""

    field: str
    value: Any
    ix: IxFact


@dataclass(frozen=True, slots=True)
class IxbrlResult:
    """What one filing's inline XBRL gives: catalogue facts and notes on what was left out."""

    facts: tuple[CoverFact, ...]
    notes: tuple[str, ...]
    present: frozenset[str]  # catalogue fields tagged in the registrant's contexts
    failed: frozenset[str]  # of those, fields with a value that could not be used
    combined: bool = False  # several registrants (LegalEntityAxis contexts)


_NO_SYMBOL = re.compile(r"\s*([-\u2010-\u2015\u2212*]+|n/?a|none)?\s*", re.I)


def _normal(field_name: str, value: str, catalogue: Catalogue) -> Any:
    spec = catalogue[field_name]
    if spec.choices and value in spec.choices:
        return value
    if spec.type == "bool":
        if value not in ("true", "false"):
            raise NormalizationError(f"not an XBRL boolean: {value!r}")
        return value == "true"
    return normalize(spec.normalizer, value)


def catalogue_facts(doc: IxDocument, catalogue: Catalogue | None = None) -> IxbrlResult:
    """The catalogue's facts from the registrant's ``dei:`` tags, normalized.

    Combined filings (several registrants, ``dei:LegalEntityAxis`` contexts): the
    facts of contexts without that dimension are the filing's registrant (the
    parent, printed first); the co-registrants' facts are listed in ``notes``
    and not kept, since catalogue v1 has one registrant per document.
    A field of cardinality one tagged twice with different values keeps the
    first (document order) and notes the other; the same value repeated
    (a name tagged on the cover and again in the signature) is one fact.
    """
    cat = catalogue or load_catalogue()
    names = {f.name for f in cat.fact_fields}
    facts: list[CoverFact] = []
    notes: list[str] = []
    present: set[str] = set()
    failed: set[str] = set()
    seen: set[tuple[str, str, str]] = set()
    kept_one: dict[str, Any] = {}
    combined = any(c.legal_entity for c in doc.contexts.values())
    other_entities: dict[str, list[str]] = {}
    for ix in doc.facts:
        if ix.name not in names:
            continue
        ctx = doc.contexts.get(ix.context)
        dims = dict(ctx.dimensions) if ctx is not None else {}
        if ctx is not None and ctx.legal_entity:
            shown = ix.value if ix.value is not None else ix.display.strip()
            other_entities.setdefault(ctx.legal_entity, []).append(f"{ix.name}={shown!r}")
            continue
        if dims and not cat[ix.name].many:
            # a one-valued cover fact in a dimensional context (a former address,
            # EntityAddressesAddressTypeAxis) is not the cover's value
            notes.append(f"{ix.name}: {ix.value or ix.display.strip()!r} in context "
                         f"{ix.context} ({', '.join(f'{k}={v}' for k, v in dims.items())}) "
                         "not kept")
            continue
        present.add(ix.name)
        if ix.value is None:
            failed.add(ix.name)
            notes.append(f"{ix.name}: tag {ix.element_id or ix.order} not used: {ix.error}")
            continue
        if ix.value == "" and cat[ix.name].type != "bool":
            continue
        if ix.name == "dei:TradingSymbol" and _NO_SYMBOL.fullmatch(ix.value):
            notes.append(f"dei:TradingSymbol: {ix.value!r} (a row without a symbol) not kept")
            continue
        try:
            value = _normal(ix.name, ix.value, cat)
        except NormalizationError as exc:
            failed.add(ix.name)
            notes.append(f"{ix.name}: value {ix.value!r} not normalized: {exc.reason}")
            continue
        key = (ix.name, ix.context, repr(value))
        if key in seen:
            continue
        seen.add(key)
        if not cat[ix.name].many:
            if ix.name in kept_one:
                if kept_one[ix.name] != value:
                    notes.append(f"{ix.name}: tagged again with {value!r} (context {ix.context}); "
                                 f"kept {kept_one[ix.name]!r}")
                continue
            kept_one[ix.name] = value
        facts.append(CoverFact(ix.name, value, ix))
    for member, vals in sorted(other_entities.items()):
        notes.append(f"combined filing: co-registrant {member} not kept (catalogue v1 has one "
                     f"registrant per document): " + "; ".join(vals))
    return IxbrlResult(tuple(facts), tuple(notes), frozenset(present), frozenset(failed),
                       combined)


def read_ixbrl_file(path: str | Path, catalogue: Catalogue | None = None) -> IxbrlResult:
    """Catalogue facts of an inline XBRL file (html, or an SGML submission's main document)."""
    from filingkit.gold.header import main_document

    p = Path(path)
    data = p.read_bytes()
    html = main_document(data)
    if html is None or not is_inline_xbrl(html):
        raise IngestError("no inline XBRL facts in the main document", file=p,
                          hint="from-ixbrl reads filings of 2019 and later with ix: tags")
    return catalogue_facts(parse_ixbrl(html, file=str(p)), catalogue)


def facts_by_field(result: IxbrlResult) -> dict[str, list[Any]]:
    """Values per field, in document order (for comparisons and tests)."""
    out: dict[str, list[Any]] = {}
    for f in result.facts:
        out.setdefault(f.field, []).append(f.value)
    return out


def _mark_get(mark: Any, key: str) -> Any:
    if isinstance(mark, Mapping):
        return mark.get(key)
    if hasattr(mark, key):
        return getattr(mark, key)
    idx = {"tag": 0, "attributes": 1, "start": 2, "end": 3}[key]
    return mark[idx]


# ------------------------------------------------------------------ evidence

EVIDENCE_TAGS = _IX_TAGS
# Elements that may show a hidden fact through the SEC's ``-sec-ix-hidden:<fact id>`` style.
_REF_TAGS = ("span", "div", "td", "p", "font", "b", "i", "u", "a", "th", "strong")
_SEC_IX_HIDDEN = re.compile(r"-sec-ix-hidden\s*:\s*([^;\s\"']+)", re.I)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def locate_marks(doc_text: str, sub_text: str, marks: Iterable[Any],
                 hint: int = 0) -> list[tuple[int, int] | None]:
    """Offsets in ``doc_text`` of marks made on ``sub_text`` (one document of the filing).

    The rendered document is found in the canonical text (at ``hint`` or by
    search); when it is not there verbatim, each mark's text is searched in
    order from the previous hit, so a small difference elsewhere does not lose
    the evidence. ``None`` for marks that are hidden or cannot be placed.
    """
    marks = list(marks)
    base: int | None = None
    if sub_text and doc_text.startswith(sub_text, hint):
        base = hint
    elif sub_text:
        found = doc_text.find(sub_text)
        base = found if found >= 0 else None
    out: list[tuple[int, int] | None] = []
    cursor = hint
    for m in marks:
        start, end = int(_mark_get(m, "start")), int(_mark_get(m, "end"))
        if start >= end:
            out.append(None)
            continue
        if base is not None:
            out.append((base + start, base + end))
            continue
        piece = sub_text[start:end]
        at = doc_text.find(piece, cursor)
        if at < 0:
            out.append(None)
            continue
        out.append((at, at + len(piece)))
        cursor = at + 1  # the next element starts after this one's start
    return out


def evidence_spans(doc_text: str, html: str, facts: Iterable[IxFact], *,
                   hint: int = 0) -> dict[int, tuple[tuple[int, int], ...]]:
    """Where each fact is printed in the canonical text, by ``IxFact.order``.

    Uses ``filingkit.ingest.html_to_text_with_marks`` so offsets are in the
    text ingestion produces. The spans of a fact are its element and its
    continuations, trimmed of white space. A hidden fact has a span only
    where the SEC's ``-sec-ix-hidden:<id>`` style shows it on the page
    (the filer's way to display a value it cannot tag in place); otherwise
    none: it is not printed.
    """
    from filingkit.ingest.html import html_to_text_with_marks

    facts = list(facts)
    refs = {f.element_id for f in facts if f.hidden and f.element_id}
    tags = EVIDENCE_TAGS + (_REF_TAGS if refs and "-sec-ix-hidden" in html else ())
    sub_text, marks = html_to_text_with_marks(html, tags=tags)
    placed = locate_marks(doc_text, sub_text, marks, hint)
    by_id: dict[str, tuple[int, int] | None] = {}
    by_ref: dict[str, tuple[int, int] | None] = {}
    by_order: dict[int, tuple[int, int] | None] = {}
    k = 0
    for m, span in zip(marks, placed, strict=True):
        tag = str(_mark_get(m, "tag")).lower()
        attrs = {str(a).lower(): v for a, v in dict(_mark_get(m, "attributes") or {}).items()}
        if tag in _IX_TAGS and attrs.get("id"):
            by_id[str(attrs["id"])] = span
        ref = _SEC_IX_HIDDEN.search(str(attrs.get("style") or ""))
        if ref and ref.group(1) in refs:
            by_ref.setdefault(ref.group(1), span)
        if tag in FACT_TAGS:
            k += 1
            by_order[k] = span
    out: dict[int, tuple[tuple[int, int], ...]] = {}
    for f in facts:
        spans: list[tuple[int, int] | None] = []
        if f.hidden:
            # a hidden fact may be shown where an element's style says -sec-ix-hidden:<id>
            spans.append(by_ref.get(f.element_id or ""))
        elif f.element_id and f.element_id in by_id:
            spans.append(by_id[f.element_id])
        else:
            spans.append(by_order.get(f.order))
        spans += [by_id.get(c) for c in f.continuation_ids]
        good = []
        for s in spans:
            if s is None:
                continue
            a, b = _trim(doc_text, *s)
            if a < b:
                good.append((a, b))
        if good:
            out[f.order] = tuple(good)
    return out
