"""Counts over a gold folder: per field, per source, per status, per group."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.records import GoldDocument


@dataclass(frozen=True, slots=True)
class GoldStats:
    """How much gold there is, and of which kind."""

    documents: int
    characters: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    by_field: dict[str, int] = field(default_factory=dict)
    documents_by_field: dict[str, int] = field(default_factory=dict)
    documents_by_scope: dict[str, int] = field(default_factory=dict)
    by_format: dict[str, int] = field(default_factory=dict)
    by_decade: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "characters": self.characters,
            "by_status": self.by_status,
            "by_source": self.by_source,
            "by_field": self.by_field,
            "documents_by_field": self.documents_by_field,
            "documents_by_scope": self.documents_by_scope,
            "by_format": self.by_format,
            "by_decade": self.by_decade,
        }


def gold_stats(docs: list[GoldDocument], catalogue: Catalogue | None = None) -> GoldStats:
    """Counts of documents, values per field, sources, statuses, formats and decades."""
    cat = catalogue or load_catalogue()
    status: Counter[str] = Counter()
    source: Counter[str] = Counter()
    per_field: Counter[str] = Counter({name: 0 for name in cat.names()})
    docs_field: Counter[str] = Counter({name: 0 for name in cat.names()})
    scope: Counter[str] = Counter()
    fmt: Counter[str] = Counter()
    decade: Counter[str] = Counter()
    chars = 0
    for gd in docs:
        g = gd.gold
        chars += len(gd.document.text)
        status[g.status] += 1
        scope.update(g.scope)
        fmt[g.provenance.format or "text"] += 1
        if g.provenance.filing_date:
            decade[g.provenance.filing_date[:3] + "0s"] += 1
        present: set[str] = set()
        for e in g.entities:
            per_field[e.label] += 1
            source[e.source] += 1
            present.add(e.label)
        for f in g.facts:
            per_field[f.field] += 1
            source[f.source] += 1
            present.add(f.field)
        docs_field.update(present)
    return GoldStats(
        documents=len(docs),
        characters=chars,
        by_status=dict(sorted(status.items())),
        by_source=dict(sorted(source.items())),
        by_field=dict(per_field),
        documents_by_field=dict(docs_field),
        documents_by_scope=dict(sorted(scope.items())),
        by_format=dict(sorted(fmt.items())),
        by_decade=dict(sorted(decade.items())),
    )
