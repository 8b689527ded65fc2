"""Ingestion: real filings (text, html, inline XBRL, EDGAR SGML) to canonical ``Document``s.

Public API (pinned in ``docs/architecture.md``; user docs in ``docs/ingest.md``):

- ``ingest_file(path, *, doc_id=None, provenance=None) -> Document``
- ``ingest_bytes(data, *, path=None, doc_id=None, provenance=None, fmt=None) -> Document``
- ``ingest_with_marks(path, ...) -> IngestResult`` (document + inline XBRL marks + header)
- ``detect_format(path, data) -> "text" | "html" | "ixbrl" | "sgml"``
- ``iter_ingest(paths) -> Iterator[(Path, Document | IngestError)]``
- ``html_to_text_with_marks(html, tags=...) -> (text, marks)``
- ``parse_sgml_header(raw_text) -> SgmlHeader``
- ``read_ingested(folder) -> Document`` / ``write_ingested(out_dir, doc) -> Path``
- corpus manifests: ``filingkit.ingest.corpus``
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names, for type checkers; at run time they load on first use
    from filingkit.ingest.core import (
        FORMATS,
        IngestResult,
        detect_format,
        doc_id_for,
        expand_paths,
        ingest_bytes,
        ingest_bytes_with_marks,
        ingest_file,
        ingest_with_marks,
        iter_ingest,
    )
    from filingkit.ingest.html import Mark, collapse_ws, html_to_text, html_to_text_with_marks
    from filingkit.ingest.sgml import Address, Filer, SgmlHeader, parse_sgml_header
    from filingkit.ingest.store import read_ingested, write_ingested

# Public name -> module. Loaded lazily (PEP 562) so that `filingkit --help`, which imports
# `filingkit.ingest.cli` and hence this package, does not pay for the converters.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        ("FORMATS", "IngestResult", "detect_format", "doc_id_for", "expand_paths",
         "ingest_bytes", "ingest_bytes_with_marks", "ingest_file", "ingest_with_marks",
         "iter_ingest"),
        "filingkit.ingest.core",
    ),
    **dict.fromkeys(("Mark", "collapse_ws", "html_to_text", "html_to_text_with_marks"),
                    "filingkit.ingest.html"),
    **dict.fromkeys(("Address", "Filer", "SgmlHeader", "parse_sgml_header"),
                    "filingkit.ingest.sgml"),
    **dict.fromkeys(("read_ingested", "write_ingested"), "filingkit.ingest.store"),
}

__all__ = [
    "FORMATS",
    "Address",
    "Filer",
    "IngestResult",
    "Mark",
    "SgmlHeader",
    "collapse_ws",
    "detect_format",
    "doc_id_for",
    "expand_paths",
    "html_to_text",
    "html_to_text_with_marks",
    "ingest_bytes",
    "ingest_bytes_with_marks",
    "ingest_file",
    "ingest_with_marks",
    "iter_ingest",
    "parse_sgml_header",
    "read_ingested",
    "write_ingested",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
