"""Filing bytes to a canonical ``Document``: format detection, conversion, segments, doc_id.

The canonical text of each format (details in ``docs/ingest.md``):

- ``text`` (plain text, markdown, the seeds): the decoded text with CRLF/CR made LF,
  nothing else, so annotations made on the seed files stay valid;
- ``html`` / ``ixbrl``: rendered by ``filingkit.ingest.html`` (normalized white space);
- ``sgml``: the kept documents (the 8-K and its EX-99 exhibits), each converted by
  its own content (plain text, html or inline XBRL), joined by one blank line;
  each is a ``Segment`` named by its ``<TYPE>``.

A file that is only a ``<DOCUMENT>`` block without the submission header (how
some crawlers store an 8-K's main document) is read like a submission without a
header; its format is that of its content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from filingkit.errors import IngestError
from filingkit.ingest.html import HtmlTooDeep, Mark, html_to_text_with_marks
from filingkit.ingest.sgml import (
    ACCESSION_RE,
    SgmlDocument,
    SgmlHeader,
    TruncatedSgml,
    parse_sgml_header,
    select_documents,
    split_documents,
    strip_edgar_markup,
)
from filingkit.ingest.text import decode_bytes, normalize_newlines, normalize_plain
from filingkit.records import Document, Provenance, Segment

FORMATS: tuple[str, ...] = ("text", "html", "ixbrl", "sgml")
SEPARATOR = "\n\n"  # between the documents (segments) of one canonical text

# File suffixes ``iter_ingest`` picks up when it expands a folder.
INGEST_SUFFIXES: frozenset[str] = frozenset({".txt", ".nc", ".htm", ".html", ".md", ".xhtml"})

_HEAD = 8192
# Every byte except the C0 controls that never occur in text (TAB, LF, VT, FF, CR, ESC do).
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or (13 < b < 32 and b != 27)))
_SGML_SUBMISSION_RE = re.compile(rb"<SEC-DOCUMENT>|<SEC-HEADER>|<SUBMISSION>|<IMS-DOCUMENT>")
_DOCUMENT_START_RE = re.compile(rb"^\s*<DOCUMENT>", re.IGNORECASE)
_HTML_RE = re.compile(rb"<(?:!doctype\s+html|html|body|head)[\s>]|<\?xml", re.IGNORECASE)
_HTML_BLOCK_RE = re.compile(rb"<(?:p|div|font|br|table|span|b|i|center)[\s/>]", re.IGNORECASE)
_IX_RE = re.compile(rb"<ix:(?:header|nonnumeric|nonfraction)|xmlns:ix\s*=", re.IGNORECASE)
_HTML_TEXT_RE = re.compile(r"<(?:html|body|head)[\s>]|<!doctype\s+html|<\?xml|"
                           r"<(?:p|div|font|br)[\s/>]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """A document with the marks of its inline XBRL elements (offsets in ``document.text``)."""

    document: Document
    marks: tuple[Mark, ...] = ()
    header: SgmlHeader | None = None
    encoding: str = "utf-8"


# ------------------------------------------------------------------ detection


def _looks_binary(data: bytes) -> bool:
    head = data[:_HEAD]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))  # C speed: keep only control bytes
    return controls > len(head) // 20


def detect_format(path: str | Path | None, data: bytes) -> str:
    """``"text"``, ``"html"``, ``"ixbrl"`` or ``"sgml"``, from the content first.

    - an SGML submission header (``<SEC-DOCUMENT>``, ``<SEC-HEADER>``, ``<SUBMISSION>``)
      means ``sgml``;
    - a bare ``<DOCUMENT>`` block is classified by its content (``sgml`` when that is
      plain text);
    - html markers (``<html``, ``<body``, ``<!DOCTYPE html``, an XML declaration, or
      html block tags in a ``.htm``/``.html`` file) mean ``html``, and inline XBRL
      markers (``ix:header``, ``ix:nonNumeric``, ``xmlns:ix``) make it ``ixbrl``;
    - anything else is ``text``.
    Raises ``IngestError`` for empty or binary input.
    """
    where = str(path) if path is not None else None
    if not data.strip():
        raise IngestError("file is empty", file=where)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = decode_bytes(data)[0].encode("utf-8")
    elif _looks_binary(data):
        raise IngestError("binary data, not a text, html or SGML filing", file=where)
    head = data[:_HEAD]
    suffix = Path(path).suffix.lower() if path is not None else ""
    if _SGML_SUBMISSION_RE.search(head):
        return "sgml"
    if _DOCUMENT_START_RE.match(head):
        inner = _content_format(data)
        return "sgml" if inner == "text" else inner
    if _HTML_RE.search(head) or (
        suffix in (".htm", ".html", ".xhtml") and _HTML_BLOCK_RE.search(head)
    ):
        return "ixbrl" if _IX_RE.search(data) else "html"
    return "text"


def _content_format(data: bytes) -> str:
    if _IX_RE.search(data):
        return "ixbrl"
    if _HTML_RE.search(data[:65536]) or _HTML_BLOCK_RE.search(data[:65536]):
        return "html"
    return "text"


def _doc_content_format(text: str) -> str:
    """The format of one SGML document's ``<TEXT>``: text, html or ixbrl."""
    head = text[:_HEAD]
    if "<ix:" in text[:200_000].lower() or "xmlns:ix" in head.lower():
        return "ixbrl"
    return "html" if _HTML_TEXT_RE.search(head) else "text"


# ------------------------------------------------------------------ doc_id


def doc_id_for(path: str | Path | None, header: SgmlHeader | None = None) -> str:
    """The document id: the header's accession number, else an accession number the
    file name or its folder's name is (or, failing that, contains), else the file stem.
    """
    if header is not None and header.accession_number and ACCESSION_RE.fullmatch(
        header.accession_number
    ):
        return header.accession_number
    if path is None:
        raise IngestError("no doc_id: give one, or a path to take it from")
    p = Path(path)
    stem = p.stem
    for name in (stem, p.parent.name):
        if ACCESSION_RE.fullmatch(name):
            return name
    m = ACCESSION_RE.search(p.name)
    if m:
        return m.group(0)
    return stem or p.name


# ------------------------------------------------------------------ conversion


def _convert(text: str, fmt: str) -> tuple[str, tuple[Mark, ...]]:
    """One document's canonical text (and marks) from its decoded content."""
    if fmt in ("html", "ixbrl"):
        return html_to_text_with_marks(text)
    return normalize_plain(strip_edgar_markup(text)), ()


def _join(
    parts: Sequence[tuple[str, str, str | None, str | None, tuple[Mark, ...]]],
) -> tuple[str, tuple[Segment, ...], tuple[Mark, ...]]:
    """Concatenate (name, text, filename, description, marks) parts with SEPARATOR.

    Empty parts are left out (an image-only exhibit has no text).
    """
    pieces: list[str] = []
    segments: list[Segment] = []
    marks: list[Mark] = []
    pos = 0
    for name, text, filename, description, part_marks in parts:
        if not text:
            continue
        if pieces:
            pieces.append(SEPARATOR)
            pos += len(SEPARATOR)
        pieces.append(text)
        segments.append(Segment(name, pos, pos + len(text), filename, description))
        marks.extend(m.shifted(pos) for m in part_marks)
        pos += len(text)
    return "".join(pieces), tuple(segments), tuple(marks)


def _sgml_parts(
    docs: list[SgmlDocument], where: str | None,
) -> tuple[list[tuple[str, str, str | None, str | None, tuple[Mark, ...]]], str]:
    kept = select_documents(docs)
    if not kept:
        raise IngestError("no 8-K document or EX-99 exhibit with text in the submission",
                          file=where)
    parts = []
    formats = []
    for d in kept:
        fmt = _doc_content_format(d.text)
        formats.append(fmt)
        text, marks = _convert(d.text, fmt)
        parts.append((d.type or "DOCUMENT", text, d.filename, d.description, marks))
    main_fmt = formats[0]
    return parts, main_fmt


def ingest_bytes_with_marks(
    data: bytes,
    *,
    path: str | Path | None = None,
    doc_id: str | None = None,
    provenance: Provenance | None = None,
    fmt: str | None = None,
    segment_name: str | None = None,
) -> IngestResult:
    """Ingest a filing's bytes; the result also carries inline XBRL marks and the header.

    ``path`` names the file in errors and supplies the doc_id and default
    provenance; ``fmt`` forces a format instead of ``detect_format``;
    ``segment_name`` names the one segment of a lone text or html page (default:
    the provenance's form, else ``"main"``); SGML documents are named by ``<TYPE>``.
    """
    where = str(path) if path is not None else None
    try:
        return _ingest(data, path, where, doc_id, provenance, fmt, segment_name)
    except HtmlTooDeep as exc:
        raise IngestError(f"cannot convert: {exc}", file=where) from None


def _ingest(
    data: bytes,
    path: str | Path | None,
    where: str | None,
    doc_id: str | None,
    provenance: Provenance | None,
    fmt: str | None,
    segment_name: str | None,
) -> IngestResult:
    fmt = fmt or detect_format(path, data)
    if fmt not in FORMATS:
        raise IngestError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})",
                          file=where)
    if fmt == "text":
        text, encoding = decode_bytes(data, declared=False)
        text = normalize_newlines(text)
        if not text.strip():
            raise IngestError("file has no text", file=where)
        name = segment_name or _main_name(provenance)
        filename = Path(path).name if path is not None else None
        segments: tuple[Segment, ...] = (Segment(name, 0, len(text), filename),)
        header = None
        marks: tuple[Mark, ...] = ()
        source_format = "text"
    else:
        decoded, encoding = decode_bytes(data)
        decoded = normalize_newlines(decoded)
        header = None
        bare_document = _DOCUMENT_START_RE.match(decoded[:_HEAD].encode("utf-8", "replace"))
        if fmt == "sgml" or bare_document:
            if fmt == "sgml" and not bare_document:
                header = parse_sgml_header(decoded)
            try:
                docs = split_documents(decoded)
            except TruncatedSgml as exc:
                raise IngestError(f"truncated SGML: {exc}", file=where) from None
            if not docs:
                raise IngestError("SGML submission without any <DOCUMENT> block", file=where)
            parts, inner_fmt = _sgml_parts(docs, where)
            source_format = "sgml" if (fmt == "sgml" and not bare_document) or (
                inner_fmt == "text") else inner_fmt
        else:
            body, marks = html_to_text_with_marks(decoded)
            name = segment_name or _main_name(provenance)
            filename = Path(path).name if path is not None else None
            parts = [(name, body, filename, None, marks)]
            source_format = fmt
        text, segments, marks = _join(parts)
        if not text:
            raise IngestError("no visible text in the filing", file=where)
    if doc_id is None:
        if provenance is not None and provenance.accession and ACCESSION_RE.fullmatch(
            provenance.accession
        ) and header is None:
            doc_id = provenance.accession
        else:
            doc_id = doc_id_for(path, header)
    if provenance is None:
        provenance = _default_provenance(path, source_format, header)
    doc = Document(doc_id=doc_id, text=text, segments=segments, provenance=provenance,
                   source_format=source_format)
    return IngestResult(doc, marks, header, encoding)


def _main_name(provenance: Provenance | None) -> str:
    """Segment name of a lone text or html page: the form from provenance, else "main"."""
    if provenance is not None and provenance.form:
        return provenance.form
    return "main"


def _default_provenance(
    path: str | Path | None, fmt: str, header: SgmlHeader | None
) -> Provenance:
    p = Path(path) if path is not None else None
    return Provenance(
        kind="user",
        path=p.as_posix() if p is not None else "",
        accession=header.accession_number if header else None,
        company=header.company_name if header else None,
        cik=header.cik if header else None,
        form=header.submission_type if header else None,
        filing_date=header.filed_as_of_date if header else None,
        format=fmt,
        files=(p.name,) if p is not None else (),
    )


def ingest_bytes(
    data: bytes,
    *,
    path: str | Path | None = None,
    doc_id: str | None = None,
    provenance: Provenance | None = None,
    fmt: str | None = None,
) -> Document:
    """Ingest a filing's bytes into a canonical ``Document`` (see ``ingest_file``)."""
    return ingest_bytes_with_marks(
        data, path=path, doc_id=doc_id, provenance=provenance, fmt=fmt
    ).document


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise IngestError("no such file", file=path) from None
    except IsADirectoryError:
        raise IngestError("is a folder, not a file (use iter_ingest for folders)",
                          file=path) from None
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}", file=path) from None


def ingest_with_marks(
    path: str | Path,
    *,
    doc_id: str | None = None,
    provenance: Provenance | None = None,
    segment_name: str | None = None,
) -> IngestResult:
    """``ingest_file`` that also returns the inline XBRL marks (shifted to the document)."""
    p = Path(path)
    return ingest_bytes_with_marks(_read(p), path=p, doc_id=doc_id, provenance=provenance,
                                   segment_name=segment_name)


def ingest_file(
    path: str | Path, *, doc_id: str | None = None, provenance: Provenance | None = None
) -> Document:
    """Read one filing (text, html, inline XBRL or SGML) into a canonical ``Document``.

    The format is detected from the content (``detect_format``). ``doc_id``
    defaults to the accession number (SGML header, or the file or folder name)
    or the file stem; ``provenance`` defaults to ``kind="user"`` with what the
    SGML header says. Raises ``IngestError`` naming the file and the reason.
    """
    return ingest_with_marks(path, doc_id=doc_id, provenance=provenance).document


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to ingest: files as given, folders expanded recursively (sorted by path).

    Inside folders only filing-like suffixes are taken (``INGEST_SUFFIXES``) and
    hidden files are skipped; order is by POSIX path string, so it is the same on
    every machine.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = [
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in INGEST_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            ]
            out.extend(sorted(found, key=lambda f: f.as_posix()))
        else:
            out.append(p)
    return out


def iter_ingest(
    paths: Iterable[str | Path],
) -> Iterator[tuple[Path, Document | IngestError]]:
    """Ingest many files; yields ``(path, Document)`` or ``(path, IngestError)`` per file.

    Folders are expanded (``expand_paths``); a broken file yields its error and
    the iteration goes on.
    """
    for p in expand_paths(paths):
        try:
            yield p, ingest_file(p)
        except IngestError as exc:
            yield p, exc
        except (ValueError, RecursionError, MemoryError) as exc:  # a parser giving up
            yield p, IngestError(f"cannot convert: {type(exc).__name__}: {exc}", file=p)


def concat_results(
    doc_id: str, results: Sequence[IngestResult], provenance: Provenance | None
) -> IngestResult:
    """Several ingested files of one filing (main document, then exhibits) as one document.

    The texts are joined by ``SEPARATOR``; segments and marks are shifted to match.
    The format is the first file's.
    """
    if not results:
        raise IngestError(f"{doc_id}: no files to combine")
    pieces: list[str] = []
    segments: list[Segment] = []
    marks: list[Mark] = []
    pos = 0
    for r in results:
        if pieces:
            pieces.append(SEPARATOR)
            pos += len(SEPARATOR)
        pieces.append(r.document.text)
        segments.extend(replace(s, start=s.start + pos, end=s.end + pos)
                        for s in r.document.segments)
        marks.extend(m.shifted(pos) for m in r.marks)
        pos += len(r.document.text)
    first = results[0]
    doc = Document(doc_id=doc_id, text="".join(pieces), segments=tuple(segments),
                   provenance=provenance, source_format=first.document.source_format)
    return IngestResult(doc, tuple(marks), first.header, first.encoding)
