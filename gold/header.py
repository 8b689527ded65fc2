"""Cover facts from the EDGAR SGML header: a second, weaker source, for cross-checks.

An EDGAR submission (``.txt``) starts with a header that EDGAR wrote from the
filer's submission form, not from the printed cover::

    CONFORMED SUBMISSION TYPE:  8-K
    CONFORMED PERIOD OF REPORT: 20191217
    ITEM INFORMATION:           Other Events
    FILER: COMPANY DATA: COMPANY CONFORMED NAME: SOUTHERN CO ...

Newer ``.nc`` files carry the same data as tags (``<PERIOD>20250106<ITEMS>5.02``).
The header is often right but not always: the period can be the filing date,
items are often incomplete (9.01 left out), names are EDGAR's conformed,
abbreviated upper-case names. So header facts never overwrite what is read on
the cover; ``cross_check`` lists where they differ, and the gold keeps the
cover's value and the difference as a ``Disagreement``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.errors import IngestError, NormalizationError
from filingkit.normalize import name_key, normalize
from filingkit.records import Disagreement, Fact

if TYPE_CHECKING:
    from filingkit.ingest.sgml import SgmlHeader

SOURCE = "sgml-header"
NEW_ITEMS_FROM = "2004-08-23"  # 8-Ks filed from this day use the 1.01 ... 9.01 numbering

# ------------------------------------------------------------------ parsing


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    from filingkit.ingest.text import decode_bytes

    return decode_bytes(data)[0]


def is_sgml(data: bytes | str) -> bool:
    """True for an EDGAR submission with an SGML header (classic or ``.nc`` tags)."""
    head = data[:8000]
    text = head.decode("latin-1") if isinstance(head, bytes) else head
    return bool(re.search(r"<(SEC|IMS)-(HEADER|DOCUMENT)>|<SUBMISSION>", text))


def parse_sgml_header(data: bytes | str, *, file: str | None = None) -> SgmlHeader:
    """The header, parsed by the ingestion module (1990s ``<IMS-HEADER>`` to today's ``.nc``)."""
    from filingkit.ingest.sgml import parse_sgml_header as parse

    if not is_sgml(data):
        raise IngestError("no SGML header (<SEC-HEADER> or <SUBMISSION>)", file=file)
    return parse(_decode(data))


def main_document(data: bytes | str) -> str | None:
    """The main document's raw text: for a submission, the first document ingestion keeps
    (the 8-K, ``<DOCUMENT>`` split by ``filingkit.ingest.sgml``); else the whole file."""
    text = _decode(data)
    if not is_sgml(data):
        return text
    from filingkit.ingest.sgml import TruncatedSgml, select_documents, split_documents
    from filingkit.ingest.text import normalize_newlines

    try:
        docs = split_documents(normalize_newlines(text))
    except TruncatedSgml:
        return None
    kept = select_documents(docs) or docs
    return kept[0].text if kept else None


# ------------------------------------------------------------------ items

# Item descriptions as EDGAR writes them in ITEM INFORMATION (2004 numbering).
ITEM_NAMES: dict[str, str] = {
    "entry into a material definitive agreement": "1.01",
    "termination of a material definitive agreement": "1.02",
    "bankruptcy or receivership": "1.03",
    "mine safety - reporting of shutdowns and patterns of violations": "1.04",
    "material cybersecurity incidents": "1.05",
    "completion of acquisition or disposition of assets": "2.01",
    "results of operations and financial condition": "2.02",
    "creation of a direct financial obligation or an obligation under an off-balance sheet "
    "arrangement of a registrant": "2.03",
    "triggering events that accelerate or increase a direct financial obligation or an "
    "obligation under an off-balance sheet arrangement": "2.04",
    "costs associated with exit or disposal activities": "2.05",
    "material impairments": "2.06",
    "notice of delisting or failure to satisfy a continued listing rule or standard; "
    "transfer of listing": "3.01",
    "unregistered sales of equity securities": "3.02",
    "material modification to rights of security holders": "3.03",
    "changes in registrant's certifying accountant": "4.01",
    "non-reliance on previously issued financial statements or a related audit report or "
    "completed interim review": "4.02",
    "changes in control of registrant": "5.01",
    "departure of directors or principal officers; election of directors; appointment of "
    "principal officers": "5.02",
    "departure of directors or certain officers; election of directors; appointment of "
    "certain officers: compensatory arrangements of certain officers": "5.02",
    "departure of directors or certain officers; election of directors; appointment of "
    "certain officers; compensatory arrangements of certain officers": "5.02",
    "amendments to articles of incorporation or bylaws; change in fiscal year": "5.03",
    "temporary suspension of trading under registrant's employee benefit plans": "5.04",
    "amendments to the registrant's code of ethics, or waiver of a provision of the code of "
    "ethics": "5.05",
    "change in shell company status": "5.06",
    "submission of matters to a vote of security holders": "5.07",
    "shareholder director nominations": "5.08",
    "abs informational and computational material": "6.01",
    "change of servicer or trustee": "6.02",
    "change in credit enhancement or other external support": "6.03",
    "failure to make a required distribution": "6.04",
    "securities act updating disclosure": "6.05",
    "regulation fd disclosure": "7.01",
    "other events": "8.01",
    "financial statements and exhibits": "9.01",
}
# The pre-2004 items (legacy:N) by their names.
LEGACY_ITEM_NAMES: dict[str, int] = {
    "changes in control of registrant": 1,
    "acquisition or disposition of assets": 2,
    "bankruptcy or receivership": 3,
    "changes in registrant's certifying accountant": 4,
    "other events": 5, "other events and regulation fd disclosure": 5,
    "resignations of registrant's directors": 6,
    "financial statements and exhibits": 7, "financial statements, pro forma financial "
    "information and exhibits": 7,
    "change in fiscal year": 8,
    "regulation fd disclosure": 9, "sales of equity securities pursuant to regulation s": 9,
    "amendments to the registrant's code of ethics, or waiver of a provision of the code of "
    "ethics": 10,
    "temporary suspension of trading under registrant's employee benefit plans": 11,
    "results of operations and financial condition": 12,
}


def _item_key(s: str) -> str:
    s = s.replace("\u2019", "'").lower()
    return re.sub(r"\s+", " ", s).strip(" .")


def item_code(raw: str, filed: str | None) -> str:
    """An ``ITEM INFORMATION`` value (a description or a number) as the catalogue's item code.

    ``filed`` (ISO date) decides the numbering: before 2004-08-23 legacy:N.
    """
    key = _item_key(raw)
    legacy = filed is not None and filed < NEW_ITEMS_FROM
    if re.fullmatch(r"\d{1,2}", key):
        return f"legacy:{int(key)}" if legacy else str(normalize("item", key))
    if re.fullmatch(r"\d{1,2}\.\d{1,2}", key):
        return str(normalize("item", key))
    if legacy and key in LEGACY_ITEM_NAMES:
        return f"legacy:{LEGACY_ITEM_NAMES[key]}"
    if not legacy and key in ITEM_NAMES:
        return ITEM_NAMES[key]
    if key in LEGACY_ITEM_NAMES and key not in ITEM_NAMES:
        return f"legacy:{LEGACY_ITEM_NAMES[key]}"
    if key in ITEM_NAMES:
        return ITEM_NAMES[key]
    raise NormalizationError(f"unknown item description: {raw!r}")


# ------------------------------------------------------------------ facts


def _iso(yyyymmdd: str | None) -> str | None:
    if not yyyymmdd or not re.fullmatch(r"\d{8}", yyyymmdd):
        return None
    return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}"


@dataclass(frozen=True, slots=True)
class HeaderResult:
    """Facts read from a header, and notes on values that could not be used."""

    facts: tuple[Fact, ...]
    notes: tuple[str, ...]
    header: SgmlHeader


def _filers(header: SgmlHeader) -> list[Any]:
    return [f for f in header.filers if f.role == "FILER"] or list(header.filers)


def choose_filer(header: SgmlHeader, gold_facts: Iterable[Fact] = (),
                 text: str | None = None) -> int:
    """Which FILER block is the cover's registrant.

    EDGAR lists the filers of a combined filing in no fixed order (Alabama Power
    first on a cover that names The Southern Company first), so the filer whose
    EIN, file number or name matches the gold's cover reading is taken; without
    a cover reading, the filer whose EIN or file number is printed first in the
    canonical ``text``; else the first.
    """
    filers = _filers(header)
    if len(filers) < 2:
        return 0
    i = _match_gold(filers, gold_facts)
    if i is None and text:
        i = _first_printed(filers, text[:20000])
    return i or 0


def _first_printed(filers: Sequence[Any], text: str) -> int | None:
    best: tuple[int, int] | None = None
    for i, filer in enumerate(filers):
        for raw, norm in ((filer.irs_number, "ein"), (filer.file_number, "file_number")):
            if not raw:
                continue
            try:
                value = str(normalize(norm, raw))
            except NormalizationError:
                continue
            parts = [re.escape(p) for p in re.split(r"-", value)]
            pattern = r"(?<![\d-])0*" + r"\s*-\s*0*".join(parts) + r"(?![\d-])"
            hit = re.search(pattern, text)
            if hit and (best is None or hit.start() < best[0]):
                best = (hit.start(), i)
    return best[1] if best else None


def _match_gold(filers: Sequence[Any], gold_facts: Iterable[Fact]) -> int | None:
    want: dict[str, str] = {}
    for f in gold_facts:
        if _strong(f.source) and isinstance(f.value, str):
            want.setdefault(f.field, f.value)
    for i, filer in enumerate(filers):
        checks = (
            ("dei:EntityTaxIdentificationNumber", filer.irs_number, "ein"),
            ("dei:EntityFileNumber", filer.file_number, "file_number"),
        )
        for fname, raw, norm in checks:
            if fname in want and raw:
                try:
                    if normalize(norm, raw) == want[fname]:
                        return i
                except NormalizationError:
                    pass
        name = want.get("dei:EntityRegistrantName")
        if name and filer.company_name and loose_name_key(filer.company_name) == \
                loose_name_key(name):
            return i
    return None


def header_facts(header: SgmlHeader, catalogue: Catalogue | None = None, *,
                 filer: int = 0) -> HeaderResult:
    """The catalogue's cover facts and items from a parsed header.

    ``filer`` picks the FILER block that is the registrant (see ``choose_filer``).
    """
    cat = catalogue or load_catalogue()
    raw: list[tuple[str, str]] = []
    notes: list[str] = []
    filed = header.filed_as_of_date
    if header.submission_type:
        raw.append(("dei:DocumentType", header.submission_type))
    if header.period_of_report:
        raw.append(("dei:DocumentPeriodEndDate", header.period_of_report))
    items: list[str] = []
    for val in header.items:
        try:
            code = item_code(val, filed)
        except NormalizationError as exc:
            notes.append(f"filing:Items: {exc.reason}")
            continue
        if code not in items:
            items.append(code)
    raw += [("filing:Items", c) for c in items]
    filers = _filers(header)
    if filers:
        f = filers[filer if 0 <= filer < len(filers) else 0]
        addr = f.business_address
        pairs = [
            ("dei:EntityRegistrantName", f.company_name),
            ("dei:EntityIncorporationStateCountryCode", f.state_of_incorporation),
            ("dei:EntityTaxIdentificationNumber", f.irs_number),
            ("dei:EntityFileNumber", f.file_number),
        ]
        if addr is not None:
            pairs += [
                ("dei:EntityAddressAddressLine1", addr.street1),
                ("dei:EntityAddressCityOrTown", addr.city),
                ("dei:EntityAddressStateOrProvince", addr.state),
                ("dei:EntityAddressPostalZipCode", addr.zip),
            ]
            phone = re.sub(r"\D", "", addr.phone or "")
            if len(phone) == 11 and phone.startswith("1"):
                phone = phone[1:]
            if len(phone) == 10:
                pairs += [("dei:CityAreaCode", phone[:3]), ("dei:LocalPhoneNumber", phone[3:])]
            elif phone:
                notes.append(f"BUSINESS PHONE {addr.phone!r} is not a 10-digit number")
        if len(filers) > 1:
            others = ", ".join(x.company_name or "?" for x in filers if x is not f)
            notes.append(f"combined filing: header filer {f.company_name} taken as the "
                         f"registrant; co-registrants {others} not used")
        raw += [(k, v) for k, v in pairs if v]
    facts: list[Fact] = []
    for fname, val in raw:
        if fname == "dei:EntityAddressAddressLine1":
            val, suite = split_suite(val)
            if suite:
                notes.append(f"{fname}: {suite!r} left to address line 2 (catalogue)")
        if fname == "dei:EntityTaxIdentificationNumber" and val.strip("0- ") == "":
            notes.append(f"{fname}: header value {val!r} is a placeholder")
            continue
        try:
            normal = normalize(cat[fname].normalizer, val)
        except NormalizationError as exc:
            notes.append(f"{fname}: header value {val!r} not normalized: {exc.reason}")
            continue
        facts.append(Fact(field=fname, value=normal, source=SOURCE))
    return HeaderResult(tuple(facts), tuple(notes), header)


def read_header_file(path: str | Path, catalogue: Catalogue | None = None) -> HeaderResult:
    """Header facts of an EDGAR submission file."""
    p = Path(path)
    data = p.read_bytes()
    if not is_sgml(data):
        raise IngestError("not an EDGAR submission with an SGML header", file=p,
                          hint="from-header reads full submissions (.txt, .nc)")
    return header_facts(parse_sgml_header(data, file=str(p)), catalogue)


# ------------------------------------------------------------------ cross-check

_ABBREV = {
    "co": "company", "corp": "corporation", "inc": "incorporated", "ltd": "limited",
    "intl": "international", "natl": "national", "cos": "companies", "mfg": "manufacturing",
    "st": "street", "ave": "avenue", "blvd": "boulevard", "rd": "road", "dr": "drive",
    "pl": "place", "ste": "suite", "pkwy": "parkway", "hwy": "highway", "ctr": "center",
    "n": "north", "s": "south", "e": "east", "w": "west", "ne": "northeast",
    "nw": "northwest", "se": "southeast", "sw": "southwest", "fl": "floor", "ln": "lane",
    "sq": "square", "plz": "plaza", "cir": "circle", "ct": "court", "mt": "mount",
    "ft": "fort", "hts": "heights", "tr": "trail", "com": "com",
}


_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
            "seven": "7", "eight": "8", "nine": "9", "ten": "10"}
_DIRECTIONS = frozenset({"north", "south", "east", "west", "northeast", "northwest",
                         "southeast", "southwest"})


def loose_name_key(value: str, *, address: bool = False) -> str:
    """A name key that forgives EDGAR's conformed forms: case, punctuation, Co/Company,
    a leading The, a trailing /STATE/ tag and abbreviations of street words. For an
    ``address`` line also number words (One Infinite Loop) and a trailing direction
    (270 Peachtree Street, N.W. = 270 PEACHTREE ST)."""
    s = re.sub(r"[/\\][A-Za-z]{2,3}[/\\]\s*$", "", value)  # SPACEHAB INC \WA\
    words = re.findall(r"[a-z0-9]+", s.replace("&", " and ").casefold())
    words = [_ABBREV.get(w, w) for w in words]
    if words and words[0] == "the":
        words = words[1:]
    if address:
        words = [_NUMBERS.get(w, w) for w in words]
        while len(words) > 1 and words[-1] in _DIRECTIONS:
            words = words[:-1]
    return "".join(words)


_SUITE = re.compile(
    r"(?:,|\s)\s*(?:(?:suite|ste\.?|unit|room|rm\.?|#|floor|fl\.?)(?:\s|#|\d)"
    r"|\d+(?:st|nd|rd|th)\s+floor\b).*$", re.I)


def split_suite(line: str) -> tuple[str, str | None]:
    """An address line without its suite or floor part: ('Two Jericho Plaza', 'Suite 200')."""
    hit = _SUITE.search(line)
    if not hit or hit.start() == 0:
        return line, None
    return line[: hit.start()].rstrip(" ,"), line[hit.start():].strip(" ,")


def _same(field_name: str, a: Any, b: Any, catalogue: Catalogue) -> bool:
    spec = catalogue.get(field_name)
    if field_name == "dei:EntityAddressAddressLine1" and isinstance(a, str) and isinstance(b, str):
        a, b = split_suite(a)[0], split_suite(b)[0]
        return loose_name_key(a, address=True) == loose_name_key(b, address=True)
    if field_name == "dei:EntityAddressPostalZipCode" and isinstance(a, str) and isinstance(b, str):
        return a[:5] == b[:5]  # ZIP vs ZIP+4 of the same zip code
    if spec is not None and spec.match == "name" and isinstance(a, str) and isinstance(b, str):
        return name_key(a) == name_key(b) or loose_name_key(a) == loose_name_key(b)
    return bool(a == b)


_STRONG = ("manual", "ixbrl", "adjudicated")


def _strong(source: str) -> bool:
    return source in _STRONG or source.startswith("labelstudio:")


def _explain(field_name: str, kept: Any, other: Any) -> str:
    if field_name == "filing:Items":
        missing = sorted(set(kept) - set(other))
        extra = sorted(set(other) - set(kept))
        parts = []
        if missing:
            parts.append("header omits " + ", ".join(missing))
        if extra:
            parts.append("header adds " + ", ".join(extra))
        return "; ".join(parts)
    if field_name == "dei:DocumentPeriodEndDate":
        return "header period of report differs from the cover's date of report"
    if field_name in ("dei:EntityRegistrantName", "dei:EntityAddressAddressLine1",
                      "dei:EntityAddressCityOrTown"):
        return "EDGAR conformed form differs beyond case, punctuation and abbreviations"
    return "header value differs from the cover"


def cross_check(gold_facts: Iterable[Fact], header_facts: Iterable[Fact], *,
                catalogue: Catalogue | None = None) -> list[Disagreement]:
    """Where the header says something else than the gold's cover reading.

    Only fields the gold has from a cover source (manual, ixbrl, adjudicated,
    labelstudio) are compared; the gold's value is kept. Fields of cardinality
    many (items) compare as sets.
    """
    cat = catalogue or load_catalogue()
    gold: dict[str, list[Fact]] = {}
    for f in gold_facts:
        if _strong(f.source):
            gold.setdefault(f.field, []).append(f)
    head: dict[str, list[Any]] = {}
    for f in header_facts:
        head.setdefault(f.field, []).append(f.value)
    out: list[Disagreement] = []
    for fname in sorted(head):
        if fname not in gold:
            continue
        spec = cat.get(fname)
        g = gold[fname]
        if spec is not None and spec.many:
            kept: Any = sorted({str(f.value) for f in g})
            other: Any = sorted({str(v) for v in head[fname]})
            if kept != other:
                out.append(Disagreement(fname, kept, _sources(g), other, SOURCE,
                                        _explain(fname, kept, other)))
            continue
        kept, other = g[0].value, head[fname][0]
        if not _same(fname, kept, other, cat):
            out.append(Disagreement(fname, kept, g[0].source, other, SOURCE,
                                    _explain(fname, kept, other)))
    return out


def _sources(facts: Sequence[Fact]) -> str:
    return "+".join(sorted({f.source for f in facts}))
