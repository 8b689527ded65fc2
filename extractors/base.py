"""The extractor contract: what every extractor, built-in or third-party, provides.

An extractor has a versioned name, declares the catalogue fields it produces,
and turns a canonical ``Document`` into ``Annotations`` (the predictions
format). Trainable extractors also learn from gold with ``fit`` and persist
with ``save`` / ``load``. Extractors are found through the entry-point group
``filingkit.extractors`` (see ``filingkit.extractors.registry``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, Self, runtime_checkable

from filingkit.records import Annotations, Document

ENTRY_POINT_GROUP = "filingkit.extractors"


@runtime_checkable
class Extractor(Protocol):
    """Turns a canonical document into entities and facts."""

    name: str
    version: str
    #: catalogue field names (entity labels and fact names) this extractor emits;
    #: the evaluator scores an extractor only on these fields.
    fields: tuple[str, ...]

    def extract(self, document: Document) -> Annotations:
        """Entities and facts found in ``document``; values normalized by the catalogue."""
        ...


@runtime_checkable
class TrainableExtractor(Extractor, Protocol):
    """An extractor that learns from gold annotations."""

    def fit(self, documents: Sequence[Document], gold: Sequence[Annotations]) -> Self:
        """Learn from documents and their gold; returns self."""
        ...

    def save(self, path: str | Path) -> None:
        """Persist the fitted model (no pickle of untrusted data)."""
        ...

    @classmethod
    def load(cls, path: str | Path) -> Self:
        """Load a model saved by ``save``; checks format version and catalogue."""
        ...


def extract_all(extractor: Extractor, documents: Sequence[Document]) -> list[Annotations]:
    """Run an extractor over documents, in order."""
    return [extractor.extract(d) for d in documents]
