"""Entity scoring over a corpus: spans to arrays, the four schemes, per-document counts, errors.

Only spans whose label is scored and in scope in their document enter the
matching (a document where entities were not annotated contributes no false
positive). The per-label matching of the chosen scheme gives the per-document
``tp, fp, fn`` of each label (``fields`` in the report) and the error list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from filingkit.catalogue import FieldSpec
from filingkit.eval.inputs import GoldItem, context
from filingkit.eval.report import ErrorItem, SchemeResult
from filingkit.eval.spans import (
    COR,
    PAR,
    SCHEMES,
    IntArray,
    Scheme,
    SchemeCounts,
    SpanArrays,
    evaluate_spans,
)
from filingkit.records import Annotations

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class EntityScores:
    """All four schemes (every label, unfiltered), per-(document, label) counts, errors.

    Totals are additive over batches of documents; which labels a report shows
    is decided once all batches are in (``scheme_results``).
    """

    overall: dict[str, SchemeCounts]  # scheme -> label-agnostic totals
    labels: dict[str, list[SchemeCounts]]  # scheme -> totals of each label
    counts: FloatArray  # (n_docs, n_labels, 3): tp, fp, fn
    errors: list[ErrorItem]


def span_arrays(anns: Sequence[Annotations], label_index: dict[str, int],
                scope: BoolArray) -> SpanArrays:
    """The scored, in-scope entities of all documents as ``SpanArrays``."""
    n_per = [len(a.entities) for a in anns]
    flat = [e for a in anns for e in a.entities]
    n = len(flat)
    doc = np.repeat(np.arange(len(anns), dtype=np.int64), n_per)
    start = np.fromiter((e.start for e in flat), dtype=np.int64, count=n)
    end = np.fromiter((e.end for e in flat), dtype=np.int64, count=n)
    label = np.fromiter((label_index.get(e.label, -1) for e in flat), dtype=np.int64, count=n)
    return scored_spans(doc, start, end, label, scope)


def scored_spans(doc: IntArray, start: IntArray, end: IntArray, label: IntArray,
                 scope: BoolArray) -> SpanArrays:
    """Spans whose label is scored (``>= 0``) and in scope in their document, sorted."""
    keep = label >= 0
    keep[keep] = scope[doc[keep], label[keep]]
    return SpanArrays.build(doc[keep], start[keep], end[keep], label[keep])


def score_entities(items: Sequence[GoldItem], preds: Sequence[Annotations],
                   labels: Sequence[FieldSpec], scope: BoolArray, scheme: Scheme,
                   min_overlap: float | None) -> EntityScores:
    """Match spans in every document; counts and errors of ``scheme`` per label.

    ``scope[d, i]`` says whether label ``i`` is in scope in document ``d``.
    """
    lid = {s.name: i for i, s in enumerate(labels)}
    gold = span_arrays([g.annotations for g in items], lid, scope)
    pred = span_arrays(preds, lid, scope)
    return score_span_arrays([g.doc_id for g in items], [g.text for g in items], gold, pred,
                             [s.name for s in labels], scheme, min_overlap)


def score_span_arrays(ids: Sequence[str], texts: Sequence[str | None], gold: SpanArrays,
                      pred: SpanArrays, names: Sequence[str], scheme: Scheme,
                      min_overlap: float | None) -> EntityScores:
    """Match the spans of a batch of documents (``ids``) under all schemes."""
    n_docs, n_labels = len(ids), len(names)
    ev = evaluate_spans(gold, pred, min_overlap=min_overlap)
    overall: dict[str, SchemeCounts] = {s: ev.counts(s, per_label=False) for s in SCHEMES}
    per_label: dict[str, list[SchemeCounts]] = {s: ev.label_counts(s, n_labels)
                                                for s in SCHEMES}
    tp, fp, fn = ev.doc_label_counts(scheme, n_docs, n_labels)
    errors = _errors(ids, texts, names, gold, pred, ev.by_label[scheme])
    return EntityScores(overall, per_label, np.stack([tp, fp, fn], axis=-1), errors)


def add_scheme_counts(a: SchemeCounts, b: SchemeCounts) -> SchemeCounts:
    """The sum of two scheme tallies (documents of two batches)."""
    return SchemeCounts(a.scheme, a.cor + b.cor, a.inc + b.inc, a.par + b.par, a.mis + b.mis,
                        a.spu + b.spu)


def scheme_results(overall: dict[str, SchemeCounts], labels: dict[str, list[SchemeCounts]],
                   names: Sequence[str], present: BoolArray) -> dict[str, SchemeResult]:
    """The report's ``schemes``: labels in scope somewhere with any gold or prediction."""
    return {
        s: SchemeResult(overall[s], {names[i]: c for i, c in enumerate(labels[s])
                                     if present[i] and c.possible + c.actual > 0})
        for s in SCHEMES
    }


def _errors(ids: Sequence[str], texts: Sequence[str | None], names: Sequence[str],
            gold: SpanArrays, pred: SpanArrays, m: Any) -> list[ErrorItem]:
    """False negatives and positives: unmatched spans, and both sides of INC/PAR pairs."""
    g_rows = (gold.doc.tolist(), gold.start.tolist(), gold.end.tolist(), gold.label.tolist())
    p_rows = (pred.doc.tolist(), pred.start.tolist(), pred.end.tolist(), pred.label.tolist())

    def err(rows: tuple[list[int], ...], r: int, kind: str, partial: bool = False,
            other: Any = None) -> ErrorItem:
        d, s, e, lab = rows[0][r], rows[1][r], rows[2][r], rows[3][r]
        return ErrorItem(ids[d], names[lab], kind, None, s, e, context(texts[d], s, e),
                         partial, other)

    out: list[ErrorItem] = []
    for gi, pi, kind in zip(m.gold.tolist(), m.pred.tolist(), m.kind.tolist(), strict=True):
        if kind == COR:
            continue
        partial = kind == PAR
        out.append(err(g_rows, gi, "fn", partial, [p_rows[1][pi], p_rows[2][pi]]))
        out.append(err(p_rows, pi, "fp", partial, [g_rows[1][gi], g_rows[2][gi]]))
    g_used = np.zeros(len(gold), dtype=bool)
    p_used = np.zeros(len(pred), dtype=bool)
    g_used[m.gold] = True
    p_used[m.pred] = True
    out.extend(err(g_rows, r, "fn") for r in np.flatnonzero(~g_used).tolist())
    out.extend(err(p_rows, r, "fp") for r in np.flatnonzero(~p_used).tolist())
    return out
