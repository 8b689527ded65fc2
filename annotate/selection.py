"""Which unlabeled filings to annotate first: extractor disagreement or model uncertainty.

Given the predictions of one or more extractors over filings that have no
gold yet, each filing gets an informativeness score:

- ``disagreement`` (two or more extractors): 1 minus the mean pairwise F1
  between the extractors' outputs on that filing (entities strict, facts by
  the catalogue's rule, all fields pooled). Filings the systems disagree on
  are where a gold label teaches most (query by committee).
- ``uncertainty`` (predictions with scores): the mean of ``1 - score`` over
  the filing's scored entities and facts (least confidence).

Filings are ordered by disagreement when it is defined, then uncertainty,
then id, so the order never depends on input order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from filingkit.annotate.matching import Counts, compare
from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.errors import FilingkitError
from filingkit.records import Annotations

SELECTION_FORMAT = "filingkit-annotation-queue"
SELECTION_VERSION = 1


@dataclass(frozen=True, slots=True)
class Candidate:
    """One unlabeled filing and how informative labelling it would be."""

    doc_id: str
    disagreement: float | None
    uncertainty: float | None
    n_values: int

    @property
    def score(self) -> float:
        """The ordering score: disagreement, else uncertainty, else 0."""
        if self.disagreement is not None:
            return self.disagreement
        return self.uncertainty if self.uncertainty is not None else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "score": self.score, "disagreement": self.disagreement,
                "uncertainty": self.uncertainty, "n_values": self.n_values}


def _uncertainty(anns: Iterable[Annotations]) -> float | None:
    scores = [float(e.score) for a in anns for e in a.entities if e.score is not None]
    scores += [float(f.score) for a in anns for f in a.facts if f.score is not None]
    return sum(1.0 - s for s in scores) / len(scores) if scores else None


def _disagreement(anns: Sequence[Annotations], catalogue: Catalogue) -> float | None:
    if len(anns) < 2:
        return None
    f1s: list[float] = []
    for a, b in itertools.combinations(anns, 2):
        total = Counts()
        for scheme_counts in compare(a, b, catalogue.fields).values():
            total = total + scheme_counts.get("strict", scheme_counts.get("exact", Counts()))
        f1s.append(total.f1 if total.f1 is not None else 1.0)  # both empty: they agree
    return 1.0 - sum(f1s) / len(f1s)


def rank_for_annotation(predictions: Mapping[str, Sequence[Annotations]], *,
                        catalogue: Catalogue | None = None, exclude: Iterable[str] = (),
                        limit: int | None = None) -> list[Candidate]:
    """Filings ordered by informativeness, most informative first.

    ``predictions`` maps a system name to its predictions; ``exclude`` lists
    document ids already annotated (gold). A filing missing from a system's
    output counts as that system predicting nothing for it.
    """
    if not predictions:
        raise FilingkitError("no predictions given", hint="pass one or more predictions files")
    cat = catalogue or load_catalogue()
    skip = set(exclude)
    by_doc: dict[str, dict[str, Annotations]] = {}
    for system, anns in predictions.items():
        for a in anns:
            by_doc.setdefault(a.doc_id, {})[system] = a
    systems = sorted(predictions)
    out: list[Candidate] = []
    for doc_id, per_system in sorted(by_doc.items()):
        if doc_id in skip:
            continue
        anns = [per_system.get(s, Annotations(doc_id)) for s in systems]
        n_values = sum(len(a.entities) + len(a.facts) for a in anns)
        out.append(Candidate(doc_id, _disagreement(anns, cat), _uncertainty(anns), n_values))
    out.sort(key=lambda c: (-c.score, -(c.uncertainty or 0.0), c.doc_id))
    return out[:limit] if limit is not None else out


def selection_dict(candidates: Sequence[Candidate], systems: Sequence[str]) -> dict[str, Any]:
    """The ordered queue as JSON (format ``filingkit-annotation-queue``, version 1)."""
    return {"format": SELECTION_FORMAT, "version": SELECTION_VERSION,
            "systems": list(systems), "candidates": [c.to_dict() for c in candidates]}
