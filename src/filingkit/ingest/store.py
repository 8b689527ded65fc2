"""The on-disk form of an ingested document: ``<doc_id>/text.txt`` + ``<doc_id>/document.json``.

``text.txt`` is the canonical text, UTF-8, byte for byte (no newline added);
``document.json`` holds the doc_id, the format, the text's sha256, the segments
and the provenance. Both are written atomically (``filingkit.jsonio``), the text
first, so a ``document.json`` never describes a text that is not there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from filingkit.errors import FilingkitError, IngestError
from filingkit.jsonio import read_json, write_json_atomic, write_text_atomic
from filingkit.records import Document, sha256_text
from filingkit.serialize import provenance_from_json, provenance_to_json, segment_from_json, segment_to_json

INGESTED_FORMAT = "filingkit-ingested"
INGESTED_VERSION = 1
TEXT_NAME = "text.txt"
META_NAME = "document.json"


def document_to_json(doc: Document) -> dict[str, Any]:
    """The ``document.json`` object of a document (the text itself is not in it)."""
    out: dict[str, Any] = {
        "format": INGESTED_FORMAT,
        "version": INGESTED_VERSION,
        "doc_id": doc.doc_id,
        "source_format": doc.source_format,
        "sha256": doc.sha256,
        "n_chars": len(doc.text),
        "segments": [segment_to_json(s) for s in doc.segments],
    }
    if doc.provenance is not None:
        out["provenance"] = provenance_to_json(doc.provenance)
    return out


def write_ingested(out_dir: str | Path, doc: Document) -> Path:
    """Write ``out_dir/<doc_id>/text.txt`` and ``document.json``; returns the folder."""
    folder = Path(out_dir) / doc.doc_id
    write_text_atomic(folder / TEXT_NAME, doc.text)
    write_json_atomic(folder / META_NAME, document_to_json(doc))
    return folder


def read_ingested(folder: str | Path) -> Document:
    """Load a document written by ``write_ingested`` (or ``filingkit ingest``).

    Checks that the text's sha256 is the one recorded and that the segments lie
    inside the text; raises ``IngestError`` naming the file otherwise.
    """
    root = Path(folder)
    meta_path = root / META_NAME
    text_path = root / TEXT_NAME
    try:
        meta = read_json(meta_path)
    except FilingkitError as exc:
        raise IngestError(exc.reason, file=meta_path) from None
    if not isinstance(meta, dict) or meta.get("format") != INGESTED_FORMAT:
        raise IngestError(f"not a {INGESTED_FORMAT} file", file=meta_path)
    try:
        text = text_path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise IngestError("no such file", file=text_path) from None
    except UnicodeDecodeError as exc:
        raise IngestError(f"not UTF-8 at byte {exc.start}", file=text_path) from None
    if sha256_text(text) != meta.get("sha256"):
        raise IngestError("text does not match the sha256 in document.json", file=text_path)
    file = str(meta_path)
    try:
        segments = tuple(
            segment_from_json(s, where=f"segments[{i}]", file=file)
            for i, s in enumerate(meta.get("segments", []))
        )
        provenance = (provenance_from_json(meta["provenance"], file=file)
                      if "provenance" in meta else None)
    except FilingkitError as exc:
        raise IngestError(exc.reason, file=meta_path) from None
    for s in segments:
        if not (0 <= s.start <= s.end <= len(text)):
            raise IngestError(f"segment {s.name} [{s.start}, {s.end}) is outside the text",
                              file=meta_path)
    doc_id = meta.get("doc_id")
    if not isinstance(doc_id, str) or not doc_id:
        raise IngestError("missing doc_id", file=meta_path)
    return Document(doc_id=doc_id, text=text, segments=segments, provenance=provenance,
                    source_format=str(meta.get("source_format", "text")))
