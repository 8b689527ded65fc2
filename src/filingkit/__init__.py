"""filingkit: annotation and evaluation toolkit for information extraction from SEC filings.

The library's public entry points: the field catalogue, the records, gold I/O.
Areas live in subpackages: ``filingkit.ingest`` (filings to canonical text),
``filingkit.gold``, ``filingkit.extractors``, ``filingkit.eval`` and
``filingkit.annotate`` (Label Studio).
"""

from filingkit.catalogue import Catalogue, FieldSpec, load_catalogue
from filingkit.errors import FilingkitError
from filingkit.records import (
    Annotations,
    Document,
    Entity,
    Evidence,
    Fact,
    GoldDocument,
    GoldRecord,
    Provenance,
    Segment,
    Span,
)

__version__ = "0.1.0"

__all__ = [
    "Annotations",
    "Catalogue",
    "Document",
    "Entity",
    "Evidence",
    "Fact",
    "FieldSpec",
    "FilingkitError",
    "GoldDocument",
    "GoldRecord",
    "Provenance",
    "Segment",
    "Span",
    "__version__",
    "load_catalogue",
]
