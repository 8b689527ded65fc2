"""The records everything passes around: documents, entities, facts, gold, predictions.

All are frozen dataclasses. Offsets are Python code-point offsets into the
canonical text, half-open (``end`` exclusive): ``text[start:end]`` is the span.
JSON conversion lives in one place, ``filingkit.serialize``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["draft", "annotated", "adjudicated"]
STATUSES: tuple[str, ...] = ("draft", "annotated", "adjudicated")

# Where a gold value came from. ``labelstudio:<annotator>`` is open-ended.
SOURCES: tuple[str, ...] = ("manual", "ixbrl", "sgml-header")


def is_valid_source(source: str) -> bool:
    """``manual``, ``ixbrl``, ``sgml-header``, ``adjudicated`` or ``labelstudio:<annotator>``."""
    if source in SOURCES or source == "adjudicated":
        return True
    return source.startswith("labelstudio:") and len(source) > len("labelstudio:")


def sha256_text(text: str) -> str:
    """The hex sha256 of the UTF-8 encoding of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` with ``0 <= start < end``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if isinstance(self.start, bool) or isinstance(self.end, bool):
            raise TypeError("span offsets are integers, not booleans")
        if not (0 <= self.start < self.end):
            raise ValueError(f"span [{self.start}, {self.end}) is empty or negative")

    def overlaps(self, other: Span) -> bool:
        """True when the spans share at least one character (touching spans do not)."""
        return self.start < other.end and other.start < self.end

    def overlap(self, other: Span) -> int:
        """Number of shared characters."""
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Segment:
    """A document inside the canonical text: the 8-K itself, EX-99.1, ..."""

    name: str
    start: int
    end: int
    filename: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A labelled span. ``text`` is ``document.text[start:end]`` when known."""

    label: str
    start: int
    end: int
    text: str | None = None
    source: str = "manual"
    score: float | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact's value is read in the text."""

    start: int
    end: int
    text: str | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Fact:
    """A document-level value of a catalogue fact field, normalized.

    ``value`` is a JSON value: a string, bool or number for scalar fields, an
    object of named arguments for record fields (financial facts, events).
    """

    field: str
    value: Any
    evidence: tuple[Evidence, ...] = ()
    source: str = "manual"
    note: str | None = None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a filing came from, enough to fetch it again."""

    kind: str  # "seed", "corpus" or "user"
    path: str  # file name (seed) or path inside the source repository
    repo: str | None = None
    commit: str | None = None
    accession: str | None = None
    company: str | None = None
    cik: str | None = None
    form: str | None = None
    filing_date: str | None = None
    format: str | None = None
    license_note: str | None = None
    files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A canonical document: one filing as deterministic text with its segments."""

    doc_id: str
    text: str
    segments: tuple[Segment, ...] = ()
    provenance: Provenance | None = None
    source_format: str = "text"

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A fact on which two sources differ, and which one the gold follows."""

    field: str
    kept: Any
    kept_source: str
    other: Any
    other_source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Annotations:
    """Entities and facts of one document: a prediction, or one annotation set of gold."""

    doc_id: str
    entities: tuple[Entity, ...] = ()
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True, slots=True)
class GoldRecord:
    """The content of one gold file: a document's annotations with their metadata."""

    doc_id: str
    text_sha256: str
    segments: tuple[Segment, ...]
    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
    status: Status
    provenance: Provenance
    catalogue_version: str
    annotator: str | None = None
    scope: tuple[str, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def annotations(self) -> Annotations:
        return Annotations(self.doc_id, self.entities, self.facts)


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """A gold record with its canonical text, as loaded from a gold folder."""

    document: Document
    gold: GoldRecord
    path: str = ""

    @property
    def doc_id(self) -> str:
        return self.document.doc_id


@dataclass(frozen=True, slots=True)
class PredictionsHeader:
    """What a predictions file says about itself: who made it and which fields it claims.

    The first line of a predictions JSONL (``"format": "filingkit-predictions"``,
    no ``doc_id``), or ``"header"`` of a sharded run's ``_manifest.json``.
    ``fields`` are the extractor's declared fields, in catalogue order: the
    evaluator scores those and reports the others as not declared. No time or
    path is kept, so the same run writes the same bytes.
    """

    extractor_name: str
    extractor_version: str
    fields: tuple[str, ...]
    catalogue_name: str = "filingkit-8k"
    catalogue_version: str = "1"
    version: int = 1

    @property
    def extractor(self) -> str:
        """``name@version``, as the per-line ``extractor`` key spells it."""
        return f"{self.extractor_name}@{self.extractor_version}"
