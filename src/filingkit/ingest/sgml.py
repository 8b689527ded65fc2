"""EDGAR SGML submissions: the header record and the ``<DOCUMENT>`` blocks.

Two header styles exist and both are read into one ``SgmlHeader``:

- the ``.txt`` full submission: ``<SEC-HEADER>`` with ``KEY:<TAB>VALUE`` lines,
  sections such as ``FILER:`` / ``COMPANY DATA:`` / ``BUSINESS ADDRESS:`` (indentation
  is not trusted: some 2000-era headers mix in closing tags and drift);
- the ``.nc`` submission: tags only (``<ACCESSION-NUMBER>...<ITEMS>5.02<FILER>``).

Documents are the ``<DOCUMENT>`` blocks with their ``<TYPE>``, ``<SEQUENCE>``,
``<FILENAME>``, ``<DESCRIPTION>`` and ``<TEXT>``. ``select_documents`` keeps the
main 8-K document and its EX-99 exhibits and drops binaries (uuencoded files,
images, PDFs, XBRL/XML/JSON/ZIP attachments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ACCESSION_RE = re.compile(r"\d{10}-\d{2}-\d{6}")


@dataclass(frozen=True, slots=True)
class Address:
    """A business or mail address from the header."""

    street1: str | None = None
    street2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Filer:
    """One FILER (or SUBJECT COMPANY / FILED BY) block of the header."""

    role: str  # "FILER", "SUBJECT COMPANY", "FILED BY", ...
    company_name: str | None = None
    cik: str | None = None
    sic: str | None = None
    irs_number: str | None = None
    state_of_incorporation: str | None = None
    fiscal_year_end: str | None = None
    form_type: str | None = None
    file_number: str | None = None
    film_number: str | None = None
    business_address: Address | None = None
    mail_address: Address | None = None
    former_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SgmlHeader:
    """The SGML header of a submission, as filed (values are not corrected).

    Dates are ISO ``YYYY-MM-DD`` when the header gives ``YYYYMMDD``, else as given.
    ``items`` are the ``ITEM INFORMATION`` lines (descriptions, older headers) and
    the ``<ITEMS>`` tags (numbers such as ``5.02``, ``.nc`` headers), in order.
    The company fields are those of the first filer; ``filers`` has all of them.
    ``fields`` keeps every ``(section path, key, value)`` triple read, in order.
    """

    accession_number: str | None = None
    submission_type: str | None = None
    period_of_report: str | None = None
    filed_as_of_date: str | None = None
    date_as_of_change: str | None = None
    acceptance_datetime: str | None = None
    public_document_count: int | None = None
    items: tuple[str, ...] = ()
    filers: tuple[Filer, ...] = ()
    fields: tuple[tuple[str, str, str], ...] = ()

    def _first(self) -> Filer | None:
        return self.filers[0] if self.filers else None

    @property
    def company_name(self) -> str | None:
        """COMPANY CONFORMED NAME of the first filer."""
        f = self._first()
        return f.company_name if f else None

    @property
    def cik(self) -> str | None:
        """CENTRAL INDEX KEY of the first filer, as filed (ten digits, zero-padded)."""
        f = self._first()
        return f.cik if f else None

    @property
    def state_of_incorporation(self) -> str | None:
        f = self._first()
        return f.state_of_incorporation if f else None

    @property
    def fiscal_year_end(self) -> str | None:
        """MMDD as filed."""
        f = self._first()
        return f.fiscal_year_end if f else None

    @property
    def business_address(self) -> Address | None:
        f = self._first()
        return f.business_address if f else None

    @property
    def phone(self) -> str | None:
        """BUSINESS PHONE of the first filer, as filed."""
        a = self.business_address
        return a.phone if a else None

    @property
    def irs_number(self) -> str | None:
        f = self._first()
        return f.irs_number if f else None

    @property
    def file_number(self) -> str | None:
        """SEC FILE NUMBER of the first filer."""
        f = self._first()
        return f.file_number if f else None


@dataclass(frozen=True, slots=True)
class SgmlDocument:
    """One ``<DOCUMENT>`` block; ``text`` is what lies between ``<TEXT>`` and ``</TEXT>``."""

    type: str
    sequence: str | None
    filename: str | None
    description: str | None
    text: str
    index: int  # position among the submission's documents, from 0


# --------------------------------------------------------------------- header

# Tag names of the .nc header mapped to the keys of the .txt header.
_TAG_KEYS: dict[str, str] = {
    "ACCESSION-NUMBER": "ACCESSION NUMBER",
    "TYPE": "CONFORMED SUBMISSION TYPE",
    "PUBLIC-DOCUMENT-COUNT": "PUBLIC DOCUMENT COUNT",
    "PERIOD": "CONFORMED PERIOD OF REPORT",
    "ITEMS": "ITEM INFORMATION",
    "FILING-DATE": "FILED AS OF DATE",
    "DATE-OF-FILING-DATE-CHANGE": "DATE AS OF CHANGE",
    "ACCEPTANCE-DATETIME": "ACCEPTANCE-DATETIME",
    "CONFORMED-NAME": "COMPANY CONFORMED NAME",
    "CIK": "CENTRAL INDEX KEY",
    "ASSIGNED-SIC": "STANDARD INDUSTRIAL CLASSIFICATION",
    "IRS-NUMBER": "IRS NUMBER",
    "STATE-OF-INCORPORATION": "STATE OF INCORPORATION",
    "FISCAL-YEAR-END": "FISCAL YEAR END",
    "FORM-TYPE": "FORM TYPE",
    "ACT": "SEC ACT",
    "FILE-NUMBER": "SEC FILE NUMBER",
    "FILM-NUMBER": "FILM NUMBER",
    "STREET1": "STREET 1",
    "STREET2": "STREET 2",
    "PHONE": "BUSINESS PHONE",
    "FORMER-CONFORMED-NAME": "FORMER CONFORMED NAME",
    "DATE-CHANGED": "DATE OF NAME CHANGE",
}
# Sections, by their .txt spelling; the .nc container tags map onto them.
_FILER_ROLES = frozenset({"FILER", "SUBJECT COMPANY", "FILED BY", "REPORTING OWNER", "ISSUER",
                          "SERIAL COMPANY"})
_SUBSECTIONS = frozenset({"COMPANY DATA", "FILING VALUES", "BUSINESS ADDRESS", "MAIL ADDRESS",
                          "FORMER COMPANY", "OWNER DATA"})

_KV_RE = re.compile(r"^[^A-Za-z<]*([A-Z][A-Z0-9 ./&()'-]*?)\s*:[ \t]*(.*?)\s*$")
_TAG_TOKEN_RE = re.compile(r"<(/?)([A-Za-z0-9-]+)>([^<]*)")


def _iso_date(value: str) -> str:
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


def _header_region(raw_text: str) -> str:
    """The header's text: inside <SEC-HEADER> (or <IMS-HEADER>), else before the first <DOCUMENT>."""
    head = raw_text[:200_000]
    start = head.find("<SEC-HEADER>")
    if start < 0:
        start = head.find("<IMS-HEADER>")  # 1993-1995 submissions
    if start >= 0:
        # skip the rest of the <SEC-HEADER> line ("0000...hdr.sgml : 19951208")
        nl = head.find("\n", start)
        body_start = nl + 1 if nl >= 0 else start + len("<SEC-HEADER>")
        end = head.find("</SEC-HEADER>", body_start)
        if end < 0:
            end = head.find("</IMS-HEADER>", body_start)
        if end < 0:
            end = head.find("<DOCUMENT>", body_start)
        return head[body_start:end] if end >= 0 else head[body_start:]
    end = head.find("<DOCUMENT>")
    return head[:end] if end >= 0 else head


def _header_triples(region: str) -> list[tuple[str, str, str]]:
    """(section, key, value) in order; section is "" (top), "FILER#n" or "FILER#n/SUB"."""
    out: list[tuple[str, str, str]] = []
    filer_n = 0
    filer = ""
    sub = ""

    def enter(name: str) -> None:
        nonlocal filer_n, filer, sub
        if name in _FILER_ROLES:
            filer_n += 1
            filer = f"{name}#{filer_n}"
            sub = ""
        elif name in _SUBSECTIONS:
            sub = name

    def add(key: str, value: str) -> None:
        section = filer + ("/" + sub if sub and filer else "")
        out.append((section, key, value.strip()))

    for line in region.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("<"):
            for closing, tag, value in _TAG_TOKEN_RE.findall(stripped):
                tag = tag.upper()
                if closing:
                    name = tag.replace("-", " ")
                    if name in _SUBSECTIONS:
                        sub = ""
                    continue
                name = _TAG_KEYS.get(tag, tag.replace("-", " "))
                if name in _FILER_ROLES or name in _SUBSECTIONS:
                    enter(name)
                    continue
                if value.strip() or tag in ("ITEMS",):
                    add(name, value)
            continue
        m = _KV_RE.match(line)
        if not m:
            continue
        key, value = m.group(1).strip(), m.group(2)
        if not value and (key in _FILER_ROLES or key in _SUBSECTIONS):
            enter(key)
            continue
        add(key, value)
    return out


def _address(values: dict[str, str]) -> Address | None:
    if not values:
        return None
    return Address(
        street1=values.get("STREET 1"), street2=values.get("STREET 2"),
        city=values.get("CITY"), state=values.get("STATE"), zip=values.get("ZIP"),
        phone=values.get("BUSINESS PHONE") or values.get("PHONE"),
    )


def parse_sgml_header(raw_text: str) -> SgmlHeader:
    """Parse the SGML header of an EDGAR submission (``.txt`` or ``.nc``) into a record.

    ``raw_text`` is the decoded submission (or just its header). Fields missing
    from the header are ``None``; nothing is guessed. Pure: no I/O.
    """
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    triples = _header_triples(_header_region(text))
    top: dict[str, str] = {}
    items: list[str] = []
    filer_order: list[str] = []
    per_filer: dict[str, dict[str, dict[str, str]]] = {}
    former: dict[str, list[str]] = {}
    for section, key, value in triples:
        if not section:
            if key == "ITEM INFORMATION":
                if value:
                    items.append(value)
            else:
                top.setdefault(key, value)
            continue
        filer, _, sub = section.partition("/")
        if filer not in per_filer:
            per_filer[filer] = {}
            filer_order.append(filer)
        if key == "FORMER CONFORMED NAME":
            former.setdefault(filer, []).append(value)
            continue
        per_filer[filer].setdefault(sub, {}).setdefault(key, value)
    filers: list[Filer] = []
    for name in filer_order:
        subs = per_filer[name]
        company = {**subs.get("", {}), **subs.get("COMPANY DATA", {})}
        values = subs.get("FILING VALUES", {})
        filers.append(Filer(
            role=name.partition("#")[0],
            company_name=company.get("COMPANY CONFORMED NAME"),
            cik=company.get("CENTRAL INDEX KEY"),
            sic=company.get("STANDARD INDUSTRIAL CLASSIFICATION"),
            irs_number=company.get("IRS NUMBER") or company.get("EIN"),
            state_of_incorporation=company.get("STATE OF INCORPORATION"),
            fiscal_year_end=company.get("FISCAL YEAR END"),
            form_type=values.get("FORM TYPE"),
            file_number=values.get("SEC FILE NUMBER"),
            film_number=values.get("FILM NUMBER"),
            business_address=_address(subs.get("BUSINESS ADDRESS", {})),
            mail_address=_address(subs.get("MAIL ADDRESS", {})),
            former_names=tuple(former.get(name, ())),
        ))
    count = top.get("PUBLIC DOCUMENT COUNT")
    accession = top.get("ACCESSION NUMBER")
    if accession:
        m = ACCESSION_RE.search(accession)
        accession = m.group(0) if m else accession
    return SgmlHeader(
        accession_number=accession or None,
        submission_type=top.get("CONFORMED SUBMISSION TYPE") or None,
        period_of_report=_iso_date(top["CONFORMED PERIOD OF REPORT"])
        if top.get("CONFORMED PERIOD OF REPORT") else None,
        filed_as_of_date=_iso_date(top["FILED AS OF DATE"]) if top.get("FILED AS OF DATE")
        else None,
        date_as_of_change=_iso_date(top["DATE AS OF CHANGE"]) if top.get("DATE AS OF CHANGE")
        else None,
        acceptance_datetime=top.get("ACCEPTANCE-DATETIME") or top.get("ACCEPTANCE DATETIME"),
        public_document_count=int(count) if count and count.isdigit() else None,
        items=tuple(items),
        filers=tuple(filers),
        fields=tuple(triples),
    )


# ------------------------------------------------------------------ documents

_DOC_OPEN = "<DOCUMENT>"
_DOC_CLOSE = "</DOCUMENT>"
_META_RE = re.compile(r"<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>[ \t]*([^<\n]*)", re.IGNORECASE)


class TruncatedSgml(ValueError):
    """A ``<DOCUMENT>`` block or its ``<TEXT>`` is not closed: the file was cut short."""


def split_documents(text: str) -> list[SgmlDocument]:
    """The ``<DOCUMENT>`` blocks of a (newline-normalized) submission, in file order.

    Raises ``TruncatedSgml`` when a block has no ``</DOCUMENT>`` or ``<TEXT>``
    has no ``</TEXT>``: a cut-off file must not pass for a complete one.
    """
    docs: list[SgmlDocument] = []
    pos = 0
    while True:
        start = text.find(_DOC_OPEN, pos)
        if start < 0:
            break
        end = text.find(_DOC_CLOSE, start)
        if end < 0:
            raise TruncatedSgml(f"<DOCUMENT> number {len(docs) + 1} has no </DOCUMENT>")
        block = text[start + len(_DOC_OPEN):end]
        pos = end + len(_DOC_CLOSE)
        t_open = block.find("<TEXT>")
        meta_part = block if t_open < 0 else block[:t_open]
        meta: dict[str, str] = {}
        for key, value in _META_RE.findall(meta_part):
            meta.setdefault(key.upper(), value.strip())
        if t_open < 0:
            body = ""
        else:
            t_close = block.rfind("</TEXT>")
            if t_close < t_open:
                raise TruncatedSgml(
                    f"<DOCUMENT> number {len(docs) + 1} ({meta.get('TYPE', '?')}) "
                    "has <TEXT> without </TEXT>"
                )
            body = block[t_open + len("<TEXT>"):t_close]
        docs.append(SgmlDocument(
            type=meta.get("TYPE", "").upper(),
            sequence=meta.get("SEQUENCE") or None,
            filename=meta.get("FILENAME") or None,
            description=meta.get("DESCRIPTION") or None,
            text=body,
            index=len(docs),
        ))
    return docs


_BINARY_TYPES = re.compile(
    r"^(GRAPHIC|ZIP|EXCEL|XML|JSON|PDF|EX-101\..*|EX-100\..*|EX-27.*)$", re.IGNORECASE
)
_BINARY_EXT = re.compile(
    r"\.(jpe?g|gif|png|bmp|tiff?|pdf|zip|xlsx?|xml|xsd|json|js|css|txt\.gz|gz)$", re.IGNORECASE
)
_UUENCODE_RE = re.compile(r"^\s*(?:<(?:PDF|XML|JSON|XBRL-ZIP)>\s*)?begin [0-7]{3,4} \S", re.I)
_WRAPPED_NONTEXT_RE = re.compile(r"^\s*<(PDF|XML|JSON)>", re.IGNORECASE)
_EX99_RE = re.compile(r"^EX-99(?![0-9])", re.IGNORECASE)


def skip_reason(doc: SgmlDocument) -> str | None:
    """Why a document holds no readable text (``None`` when it does)."""
    if _UUENCODE_RE.match(doc.text):
        return "uuencoded binary"
    if _BINARY_TYPES.match(doc.type):
        return f"{doc.type} attachment"
    if doc.filename and _BINARY_EXT.search(doc.filename):
        return f"{doc.filename.rsplit('.', 1)[-1].lower()} file"
    if _WRAPPED_NONTEXT_RE.match(doc.text):
        return "xml/pdf/json attachment"
    return None


def is_exhibit_99(doc: SgmlDocument) -> bool:
    """EX-99, EX-99.1, EX-99.01, EX-99.4(A)... (not EX-990)."""
    return bool(_EX99_RE.match(doc.type))


def select_documents(docs: list[SgmlDocument]) -> list[SgmlDocument]:
    """The documents that make up the canonical text, in submission order.

    The main document is every document whose type is an 8-K (``8-K``, ``8-K/A``,
    ``8-K12B``...); a submission without one keeps its first document instead.
    EX-99 exhibits are kept too. Binaries (``skip_reason``) never are.
    """
    has_8k = any(d.type.startswith("8-K") for d in docs)
    return [
        d for d in docs
        if (d.type.startswith("8-K") or (not has_8k and d.index == 0) or is_exhibit_99(d))
        and skip_reason(d) is None
    ]


# EDGAR's plain-text markup: page breaks and the <TABLE>/<S>/<C> column hints.
_PAGE_LINE_RE = re.compile(r"^[ \t]*<PAGE>[ \t]*\d*[ \t]*$", re.MULTILINE | re.IGNORECASE)
_EDGAR_TAG_RE = re.compile(r"</?(?:PAGE|TABLE|CAPTION|S|C|FN)>", re.IGNORECASE)


def strip_edgar_markup(text: str) -> str:
    """Drop ``<PAGE>`` lines (with their page number) and EDGAR's plain-text table tags.

    The tags are replaced by as many spaces as they are long, so columns that
    were aligned stay aligned.
    """
    text = _PAGE_LINE_RE.sub("", text)
    return _EDGAR_TAG_RE.sub(lambda m: " " * len(m.group(0)), text)
