"""``compare``: two prediction sets on the same gold, field by field, with significance.

Both systems are scored by ``evaluate`` with the same options; their
per-document counts are aligned on the union of reported units (fields,
groups, ``micro``) and handed to ``stats.paired_differences``: the delta of
P/R/F1 (B minus A) with a paired-bootstrap interval, an approximate-
randomization p-value, and Benjamini-Hochberg q-values over the fields (groups
and micro are reported with their raw p-values; they are summaries, not
further hypotheses).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from filingkit.catalogue import Catalogue, load_catalogue
from filingkit.eval.core import evaluate
from filingkit.eval.declared import comparable_fields, not_declared_support
from filingkit.eval.inputs import gold_items
from filingkit.eval.report import Report
from filingkit.eval.stats import Difference, FloatArray, paired_differences
from filingkit.records import Annotations, GoldDocument, PredictionsHeader

COMPARISON_FORMAT = "filingkit-comparison"
COMPARISON_VERSION = 1


@dataclass(frozen=True)
class Comparison:
    """System A and B on the same gold; ``differences`` is B minus A per unit."""

    a: Report
    b: Report
    differences: Mapping[str, Difference]
    kinds: Mapping[str, str]  # unit -> "field" | "group" | "micro"
    alpha: float = 0.05
    # "a" / "b": {FIELD: {"group", "support"}}: gold fields the other system declares and
    # this one does not (left out of the comparison on both sides).
    not_declared: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(
        default_factory=lambda: {"a": {}, "b": {}})

    def significant(self, unit: str) -> bool:
        """Whether the F1 difference of a unit survives false-discovery control at ``alpha``."""
        return self.differences[unit].q_value < self.alpha

    def to_dict(self) -> dict[str, Any]:
        def row(unit: str) -> dict[str, Any]:
            d = self.differences[unit].to_dict()
            d["a"] = _metrics(self.a, unit)
            d["b"] = _metrics(self.b, unit)
            d["significant"] = self.significant(unit)
            return d

        return {
            "format": COMPARISON_FORMAT,
            "version": COMPARISON_VERSION,
            "created_by": self.a.created_by,
            "gold": self.a.gold,
            "a": {"system": self.a.system, "predictions": self.a.predictions},
            "b": {"system": self.b.system, "predictions": self.b.predictions},
            "scheme": self.a.scheme,
            "n_documents": self.a.n_documents,
            "alpha": self.alpha,
            "fields": {u: row(u) for u, k in self.kinds.items() if k == "field"},
            "groups": {u: row(u) for u, k in self.kinds.items() if k == "group"},
            "micro": row("micro"),
            "not_declared": {k: {f: dict(v) for f, v in m.items()}
                             for k, m in self.not_declared.items()},
        }


def _metrics(report: Report, unit: str) -> dict[str, float]:
    score = (report.fields.get(unit) or report.groups.get(unit)
             or (report.micro if unit == "micro" else None))
    if score is None:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    return {"precision": score.precision, "recall": score.recall, "f1": score.f1}


def _aligned(report: Report, units: list[str]) -> FloatArray:
    out = np.zeros((report.doc_counts.shape[0], len(units), 3))
    where = {u: i for i, u in enumerate(report.units)}
    for j, u in enumerate(units):
        if u in where:
            out[:, j] = report.doc_counts[:, where[u]]
    return out


def compare(
    gold: Sequence[GoldDocument] | Sequence[Annotations],
    predictions_a: Sequence[Annotations],
    predictions_b: Sequence[Annotations],
    *,
    catalogue: Catalogue | str | Path | None = None,
    fields: Sequence[str] | None = None,
    scheme: str = "strict",
    n_resamples: int = 1000,
    seed: int = 0,
    min_overlap: float | None = None,
    strict_names: bool = False,
    ignore_unknown_documents: bool = False,
    level: float = 0.95,
    alpha: float = 0.05,
    names: tuple[str, str] = ("A", "B"),
    predictions_names: tuple[str, str] = ("<memory>", "<memory>"),
    gold_name: str = "<memory>",
    headers: tuple[PredictionsHeader | None, PredictionsHeader | None] = (None, None),
) -> Comparison:
    """Score two systems on the same gold and test each field's F1 difference (B - A).

    With predictions ``headers``, both are scored on the fields both declare;
    a gold field only one declares is listed in ``not_declared`` of the other.
    """
    cat = catalogue if isinstance(catalogue, Catalogue) else load_catalogue(catalogue)
    shared, undeclared = comparable_fields(cat, fields, headers, files=predictions_names)
    if all(h is None for h in headers):
        shared_fields: Sequence[str] | None = fields
    else:
        shared_fields = shared
    common: dict[str, Any] = {
        "catalogue": cat, "fields": shared_fields, "scheme": scheme,
        "n_resamples": n_resamples, "seed": seed, "min_overlap": min_overlap,
        "strict_names": strict_names, "ignore_unknown_documents": ignore_unknown_documents,
        "level": level, "gold_name": gold_name,
    }
    a = evaluate(gold, predictions_a, system=names[0], predictions_name=predictions_names[0],
                 header=headers[0], max_errors=0, **common)
    b = evaluate(gold, predictions_b, system=names[1], predictions_name=predictions_names[1],
                 header=headers[1], max_errors=0, **common)
    items = gold_items(gold) if any(undeclared) else []
    missing = {side: not_declared_support(items, nd) for side, nd in zip("ab", undeclared,
                                                                          strict=True)}
    return compare_reports(a, b, n_resamples=n_resamples, seed=seed, level=level, alpha=alpha,
                           not_declared=missing)


def compare_reports(a: Report, b: Report, *, n_resamples: int = 1000, seed: int = 0,
                    level: float = 0.95, alpha: float = 0.05,
                    not_declared: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
                    ) -> Comparison:
    """Test each unit's F1 difference (B - A) of two reports scored on the same gold.

    The reports keep the per-document counts they were computed from; they
    must cover the same documents in the same order (``evaluate`` or
    ``evaluate_paths`` with the same gold and options). ``not_declared`` ("a" /
    "b") lists, per side, the gold fields only the other system declares.
    """
    if a.doc_ids != b.doc_ids:
        from filingkit.eval.inputs import EvaluationError

        raise EvaluationError("the two reports were not scored on the same gold documents")
    kinds: dict[str, str] = {}
    for report in (a, b):
        for u in report.fields:
            kinds.setdefault(u, "field")
    for report in (a, b):
        for u in report.groups:
            kinds.setdefault(u, "group")
    kinds["micro"] = "micro"
    units = list(kinds)
    ca, cb = _aligned(a, units), _aligned(b, units)
    family = np.array([kinds[u] == "field" for u in units])
    diffs = paired_differences(ca, cb, n_resamples=max(n_resamples, 1), seed=seed, level=level,
                               family=family)
    out = dict(zip(units, diffs, strict=True))
    return Comparison(a, b, out, kinds, alpha, dict(not_declared or {"a": {}, "b": {}}))
