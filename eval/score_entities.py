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
    error_totals: dict[str, int] | None = None  # per label, when ``errors`` is a subset


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
                      min_overlap: float | None,
                      error_limit: int | None = None) -> EntityScores:
    """Match the spans of a batch of documents (``ids``) under all schemes.

    ``error_limit``: build only the first that many error items of each label
    (the others are counted in ``error_totals``); ``None`` builds them all.
    """
    n_docs, n_labels = len(ids), len(names)
    ev = evaluate_spans(gold, pred, min_overlap=min_overlap)
    overall: dict[str, SchemeCounts] = {s: ev.counts(s, per_label=False) for s in SCHEMES}
    per_label: dict[str, list[SchemeCounts]] = {s: ev.label_counts(s, n_labels)
                                                for s in SCHEMES}
    tp, fp, fn = ev.doc_label_counts(scheme, n_docs, n_labels)
    errors, totals = _errors(ids, texts, names, gold, pred, ev.by_label[scheme], error_limit)
    return EntityScores(overall, per_label, np.stack([tp, fp, fn], axis=-1), errors,
                        totals if error_limit is not None else None)


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
            gold: SpanArrays, pred: SpanArrays, m: Any,
            limit: int | None = None) -> tuple[list[ErrorItem], dict[str, int]]:
    """False negatives and positives: unmatched spans, and both sides of INC/PAR pairs.

    Returns the items (in the order they are found: pairs, missed gold, spurious
    predictions) and the number of items per label. With ``limit``, only the
    first ``limit`` items of each label in report order (document id, start,
    end, kind) are built: the rest are only counted, so a corpus with millions
    of errors does not make an object for each.
    """
    inexact = np.flatnonzero(m.kind != COR)
    g_used = np.zeros(len(gold), dtype=bool)
    p_used = np.zeros(len(pred), dtype=bool)
    g_used[m.gold] = True
    p_used[m.pred] = True
    g_miss, p_spur = np.flatnonzero(~g_used), np.flatnonzero(~p_used)
    n_pair = len(inexact)
    # One row per error item, in the order found: side (0 gold, 1 prediction), row on that
    # side, kind (0 fn, 1 fp; "fn" < "fp" as strings), the paired row on the other side.
    side = np.concatenate([np.tile([0, 1], n_pair), np.zeros(len(g_miss), np.int64),
                           np.ones(len(p_spur), np.int64)]).astype(np.int64)
    g_pair, p_pair = m.gold[inexact], m.pred[inexact]
    row = np.concatenate([np.stack([g_pair, p_pair], axis=1).reshape(-1), g_miss, p_spur])
    other = np.concatenate([np.stack([p_pair, g_pair], axis=1).reshape(-1),
                            np.full(len(g_miss) + len(p_spur), -1)]).astype(np.int64)
    partial = np.concatenate([np.repeat(m.kind[inexact] == PAR, 2),
                              np.zeros(len(g_miss) + len(p_spur), dtype=bool)])
    is_g = side == 0
    pick = np.where(is_g, row, 0), np.where(is_g, 0, row)

    def col(g: IntArray, p: IntArray) -> IntArray:
        out: IntArray = np.where(is_g, g[pick[0]] if len(g) else 0, p[pick[1]] if len(p) else 0)
        return out

    doc, start, end, label = (col(gold.doc, pred.doc), col(gold.start, pred.start),
                              col(gold.end, pred.end), col(gold.label, pred.label))
    per_label = np.bincount(label, minlength=len(names)) if len(label) else np.zeros(0, int)
    totals = {names[i]: int(n) for i, n in enumerate(per_label.tolist()) if n}
    chosen = np.arange(len(side))
    if limit is not None and len(side):
        rank = np.argsort(np.argsort(np.asarray(ids, dtype=object), kind="stable"), kind="stable")
        order = np.lexsort((np.arange(len(side)), side, end, start, rank[doc], label))
        lab_sorted = label[order]
        first = np.searchsorted(lab_sorted, lab_sorted, side="left")
        chosen = np.sort(order[(np.arange(len(order)) - first) < limit])
    items: list[ErrorItem] = []
    cols = [x[chosen].tolist() for x in (doc, start, end, label, side, other, partial)]
    for d, s, e, lab, sd, ot, par in zip(*cols, strict=True):
        if ot >= 0:
            src = pred if sd == 0 else gold
            oth: Any = [int(src.start[ot]), int(src.end[ot])]
        else:
            oth = None
        items.append(ErrorItem(ids[d], names[lab], "fp" if sd else "fn", None, s, e,
                               context(texts[d], s, e), bool(par), oth))
    return items, totals
