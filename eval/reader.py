"""The fast reader of predictions-format JSONL (and Parquet shards): typed decoding, checked.

One line is decoded by ``msgspec`` straight into small typed structs (no dict
per span, validation done by the decoder), and a document's spans go at once
into the integer columns the scorer matches; no record object is kept per
span. Every check on a predictions file lives here, at the boundary, and
fails with a ``GoldFormatError`` naming the file, the line (or row), the
document, the field and the reason (TEAM spec 4):

- the line is not UTF-8, not JSON, truncated, not an object, lacks ``doc_id``;
- an offset is not an integer (float, string, boolean, NaN, out of range);
- a span is empty (``start == end``), inverted, negative, or ends past the end
  of the gold document's text (where the text is known: ``check_spans``);
- an entity label or fact field is not in the catalogue;
- a document appears twice (in a file or across shards).

Sources: a JSONL file, or a folder of shards (``part-00000.jsonl`` or
``.parquet``) read in sorted name order, ignoring names that start with ``_``
or ``.`` (the run manifest, the error log). A file may start with a header
line (``"format": "filingkit-predictions"``, no ``doc_id``): it is skipped.

Reading is two-pass and bounded by documents: ``index_predictions`` walks
the files once (UTF-8 check, syntax, ``doc_id``, duplicates) and keeps one
byte range per document; ``fetch`` decodes a batch of documents' lines when the
scorer wants them, in gold order.
"""

from __future__ import annotations

import codecs
import mmap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import msgspec

from filingkit.catalogue import Catalogue, did_you_mean
from filingkit.errors import GoldFormatError
from filingkit.records import Evidence, Fact

HEADER_FORMAT = "filingkit-predictions"
MAX_OFFSET = 2**40  # far beyond any filing; keeps packed sort keys inside int64
SHARD_SUFFIXES = (".jsonl", ".parquet")


class _Ent(msgspec.Struct, gc=False):
    label: str
    start: int
    end: int
    text: str | None = None
    score: float | None = None
    source: str = "prediction"


class _Ev(msgspec.Struct, gc=False):
    start: int
    end: int
    text: str | None = None


class _Fact(msgspec.Struct, gc=False):
    field: str
    value: Any
    evidence: list[_Ev] = []
    note: str | None = None
    score: float | None = None
    source: str = "prediction"


class PredDoc(msgspec.Struct, gc=False):
    """One decoded predictions line (typed; unknown keys are ignored)."""

    doc_id: str
    entities: list[_Ent] = []
    facts: list[_Fact] = []


class _Id(msgspec.Struct, gc=False):
    doc_id: str


_DOC = msgspec.json.Decoder(PredDoc)
_ID = msgspec.json.Decoder(_Id)
_ANY = msgspec.json.Decoder()
_FACTS = msgspec.json.Decoder(list[_Fact])


@dataclass(frozen=True, slots=True)
class Ref:
    """Where one document is: a file, a byte range (JSONL) or a row (Parquet), a line number."""

    file: str
    offset: int
    length: int  # -1: a Parquet row (offset is the row)
    line: int

    @property
    def where(self) -> str:
        return f"line {self.line}" if self.length >= 0 else f"row {self.line}"


def shard_files(path: str | Path) -> list[Path]:
    """The files of a predictions source: the file itself, or a folder's shards in name order."""
    p = Path(path)
    if not p.exists():
        raise GoldFormatError("no such predictions file or folder", file=p)
    if not p.is_dir():
        return [p]
    files = []
    for f in sorted(p.iterdir()):
        if f.name.startswith(("_", ".")) or f.is_dir():
            continue
        if f.suffix not in SHARD_SUFFIXES:
            raise GoldFormatError(f"not a predictions shard ({f.name}): shards are *.jsonl or "
                                  "*.parquet", file=p,
                                  hint="remove it, or rename it to start with '_'")
        files.append(f)
    if not files:
        raise GoldFormatError("no predictions shards (part-*.jsonl or part-*.parquet) here",
                              file=p)
    return files


def _check_utf8(data: bytes | mmap.mmap, file: str) -> None:
    """The whole file decodes as UTF-8 (checked in blocks: memory stays flat)."""
    dec = codecs.getincrementaldecoder("utf-8")()
    block = 1 << 24
    for at in range(0, len(data), block):
        try:
            dec.decode(data[at:at + block], final=at + block >= len(data))
        except UnicodeDecodeError as exc:
            pos = at + exc.start
            line = data[:pos].count(b"\n") + 1
            raise GoldFormatError(f"line {line}: not UTF-8 (byte {data[pos]:#04x} at offset "
                                  f"{pos})", file=file,
                                  hint="predictions files are UTF-8 JSON Lines") from None


def is_header(obj: Any) -> bool:
    """The predictions header line (TEAM spec 1): format marker and no ``doc_id``."""
    return isinstance(obj, dict) and obj.get("format") == HEADER_FORMAT and "doc_id" not in obj


def _lines(data: bytes | mmap.mmap) -> Iterator[tuple[int, int, int]]:
    """``(line number, offset, length)`` of each non-blank line."""
    pos, n, lineno = 0, len(data), 0
    while pos < n:
        lineno += 1
        nl = data.find(b"\n", pos)
        end = n if nl < 0 else nl
        if data[pos:end].strip():
            yield lineno, pos, end - pos
        pos = end + 1


def _open(path: Path) -> bytes | mmap.mmap:
    try:
        with path.open("rb") as fh:
            if path.stat().st_size == 0:
                return b""
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        raise GoldFormatError("no such file", file=path) from None
    except IsADirectoryError:
        raise GoldFormatError("is a folder, not a predictions file", file=path) from None


def bad_line(raw: bytes, exc: Exception, file: str, where: str) -> GoldFormatError:
    """A decoding failure as an error naming the document and field when they can be told."""
    msg = str(exc)
    if isinstance(exc, RecursionError):
        return GoldFormatError(f"{where}: JSON nested too deeply to read", file=file)
    if isinstance(exc, msgspec.DecodeError) and not isinstance(exc, msgspec.ValidationError):
        reason = "the line is cut short (truncated JSON)" if "truncated" in msg else \
            f"invalid JSON: {msg}"
        return GoldFormatError(f"{where}: {reason}", file=file)
    obj = _safe_any(raw)
    if not isinstance(obj, dict):
        return GoldFormatError(f"{where}: a line must be a JSON object (one document), got "
                               f"{type(obj).__name__}", file=file)
    doc = obj.get("doc_id")
    if "doc_id" not in obj:
        return GoldFormatError(f"{where}: missing key 'doc_id'", file=file)
    fld: str | None = None
    path = msg.rsplit(" - at `", 1)[-1].rstrip("`") if " - at `" in msg else ""
    for key, name_key in (("entities", "label"), ("facts", "field")):
        if path.startswith(f"$.{key}["):
            try:
                i = int(path[len(key) + 3:].split("]", 1)[0])
                item = obj[key][i]
                fld = item.get(name_key) if isinstance(item, dict) else None
            except (ValueError, IndexError, KeyError, TypeError):
                fld = None
    what = msg.split(" - at `")[0]
    loc = path.removeprefix("$.") or "line"
    doc_part = f"document {doc!r}: " if isinstance(doc, str) else ""
    return GoldFormatError(f"{where}: {doc_part}{loc}: {what}", file=file,
                           field=fld if isinstance(fld, str) else None)


@dataclass
class PredictionsIndex:
    """Where each predicted document is, over one or more files (memory: per document)."""

    source: str
    refs: dict[str, Ref] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.refs)

    def doc_ids(self) -> list[str]:
        return list(self.refs)


def index_predictions(path: str | Path) -> PredictionsIndex:
    """Walk a predictions file or shard folder once: checks syntax, ids and duplicates."""
    index = PredictionsIndex(str(path))
    for f in shard_files(path):
        if f.suffix == ".parquet":
            _index_parquet(f, index)
        else:
            _index_jsonl(f, index)
    return index


def _add(index: PredictionsIndex, doc_id: str, ref: Ref) -> None:
    prev = index.refs.get(doc_id)
    if prev is not None:
        other = prev.where if prev.file == ref.file else f"{prev.file} {prev.where}"
        raise GoldFormatError(f"{ref.where}: document {doc_id!r} appears twice (also at {other})",
                              file=ref.file, hint="each document is predicted once")
    index.refs[doc_id] = ref


def _index_jsonl(path: Path, index: PredictionsIndex) -> None:
    data = _open(path)
    file = str(path)
    _check_utf8(data, file)
    first = True
    for lineno, off, length in _lines(data):
        raw = bytes(data[off:off + length])
        try:
            doc_id = _ID.decode(raw).doc_id
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as exc:
            if is_header(_safe_any(raw)):
                if first:
                    first = False
                    continue
                raise GoldFormatError(f"line {lineno}: a predictions header must be the first line",
                                      file=file) from None
            raise bad_line(raw, exc, file, f"line {lineno}") from None
        first = False
        _add(index, doc_id, Ref(file, off, length, lineno))


def _safe_any(raw: bytes) -> Any:
    try:
        return _ANY.decode(raw)
    except (msgspec.DecodeError, RecursionError):
        return None


def _parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise GoldFormatError("reading Parquet shards needs pyarrow",
                              hint='pip install "filingkit[datasets]"') from None
    return pq


def _index_parquet(path: Path, index: PredictionsIndex) -> None:
    pq = _parquet()
    try:
        ids = pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist()
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise GoldFormatError(f"not a readable Parquet shard with a doc_id column: {exc}",
                              file=path) from None
    for row, doc_id in enumerate(ids):
        if not isinstance(doc_id, str):
            raise GoldFormatError(f"row {row}: doc_id must be a string", file=path)
        _add(index, doc_id, Ref(str(path), row, -1, row))


@lru_cache(maxsize=2)
def _parquet_rows(file: str) -> Any:
    return _parquet().read_table(file)


def fetch(refs: Sequence[Ref | None]) -> list[PredDoc | None]:
    """Decode the documents at ``refs`` (``None`` stays ``None``), in the order given."""
    out: list[PredDoc | None] = []
    maps: dict[str, bytes | mmap.mmap] = {}
    for ref in refs:
        if ref is None:
            out.append(None)
            continue
        if ref.length < 0:
            out.append(_parquet_doc(ref))
            continue
        data = maps.get(ref.file)
        if data is None:
            data = maps[ref.file] = _open(Path(ref.file))
        raw = bytes(data[ref.offset:ref.offset + ref.length])
        try:
            out.append(_DOC.decode(raw))
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as exc:
            raise bad_line(raw, exc, ref.file, ref.where) from None
    return out


def _parquet_doc(ref: Ref) -> PredDoc:
    table = _parquet_rows(ref.file)
    row = table.slice(ref.offset, 1).to_pylist()[0]
    where = ref.where
    try:
        facts = _FACTS.decode(row.get("facts") or "[]")
        ents = [e for e in row.get("entities") or []]
        return PredDoc(row["doc_id"], msgspec.convert(ents, list[_Ent]), facts)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as exc:
        raise GoldFormatError(f"{where}: document {row.get('doc_id')!r}: {exc}",
                              file=ref.file) from None


def iter_docs(index: PredictionsIndex, batch: int = 1000) -> Iterator[tuple[Ref, PredDoc]]:
    """Every document of an index, in file order (for reading a whole file)."""
    refs = list(index.refs.values())
    for at in range(0, len(refs), batch):
        part = refs[at:at + batch]
        for ref, doc in zip(part, fetch(part), strict=True):
            assert doc is not None
            yield ref, doc


# ------------------------------------------------------------------ checks and conversion


@dataclass(frozen=True, slots=True)
class Names:
    """The catalogue's entity labels (by index) and fact fields, for checking names."""

    labels: tuple[str, ...]
    label_index: dict[str, int]
    facts: frozenset[str]

    @classmethod
    def of(cls, cat: Catalogue) -> Names:
        labels = tuple(cat.entity_labels)
        return cls(labels, {n: i for i, n in enumerate(labels)},
                   frozenset(s.name for s in cat.fact_fields))


def label_ids(doc: PredDoc, names: Names, file: str, where: str) -> list[int]:
    """The catalogue index of each entity's label; an unknown label names file and line."""
    lid = names.label_index
    try:
        return [lid[e.label] for e in doc.entities]
    except KeyError as exc:
        bad = str(exc.args[0])
        raise GoldFormatError(f"{where}: document {doc.doc_id!r}: unknown entity label"
                              f"{did_you_mean(bad, names.labels)}", file=file, field=bad,
                              hint="labels come from the catalogue") from None


def check_span(start: int, end: int, text_len: int | None) -> str | None:
    """Why ``[start, end)`` is not a span of a text of ``text_len`` characters (None: fine)."""
    if start < 0:
        return f"negative offset: start {start}"
    if end < start:
        return f"span end {end} is before start {start}"
    if end == start:
        return f"empty span: start == end == {start}"
    if end > MAX_OFFSET:
        return f"offset {end} is out of range"
    if text_len is not None and end > text_len:
        return f"span [{start}, {end}) ends past the end of the document text ({text_len} " \
               "characters)"
    return None


def facts_of(doc: PredDoc, names: Names | None, file: str, where: str,
             text_len: int | None) -> tuple[Fact, ...]:
    """The document's facts as records; unknown fields (``names`` given) and bad evidence
    are errors."""
    out = []
    for i, f in enumerate(doc.facts):
        if names is not None and f.field not in names.facts:
            raise GoldFormatError(f"{where}: document {doc.doc_id!r}: unknown fact field"
                                  f"{did_you_mean(f.field, sorted(names.facts))}", file=file,
                                  field=f.field, hint="fields come from the catalogue")
        ev = []
        for j, e in enumerate(f.evidence):
            why = check_span(e.start, e.end, text_len)
            if why:
                raise GoldFormatError(f"{where}: document {doc.doc_id!r}: facts[{i}].evidence"
                                      f"[{j}]: {why}", file=file, field=f.field)
            ev.append(Evidence(e.start, e.end, e.text))
        out.append(Fact(f.field, f.value, tuple(ev), f.source, f.note, f.score))
    return tuple(out)


def first_bad_span(doc: Any, start: Any, end: Any, limit: Any) -> tuple[int, int] | None:
    """``(document index, row)`` of the first row (arrays sorted by document) that is not a
    span inside its document's text (``limit[doc]`` characters), or ``None``."""
    import numpy as np

    if not len(doc):
        return None
    wrong = (start < 0) | (end <= start) | (end > np.minimum(limit[doc], MAX_OFFSET))
    if not wrong.any():
        return None
    row = int(np.flatnonzero(wrong)[0])
    return int(doc[row]), row - int(np.searchsorted(doc, doc[row]))


def span_error(doc: PredDoc, k: int, why: str, file: str, where: str) -> GoldFormatError:
    """The error for the ``k``-th entity of a document."""
    return GoldFormatError(f"{where}: document {doc.doc_id!r}: entities[{k}]: {why}",
                           file=file, field=doc.entities[k].label)
