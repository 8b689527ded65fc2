"""Entity spans: the four nervaluate schemes with optimal, order-independent matching.

Schemes (meaning as nervaluate gives them; offsets are half-open, so touching
spans ``[0, 5)`` and ``[5, 9)`` do not overlap):

=========  ===========================  ==================================  =========
scheme     full credit (COR)            other overlapping pair              credit
=========  ===========================  ==================================  =========
strict     same boundaries, same label  INC                                 COR
exact      same boundaries              INC                                 COR
partial    same boundaries              PAR (label ignored)                 COR+PAR/2
type       overlap, same label          INC (overlap, other label)          COR
=========  ===========================  ==================================  =========

Unmatched gold spans are MIS, unmatched predictions SPU. ``possible`` is
COR+INC+PAR+MIS (the number of gold spans), ``actual`` COR+INC+PAR+SPU (the
number of predictions).

Matching is a maximum-weight one-to-one matching in each connected component of
the overlap graph, maximizing first the number of COR pairs and then the
number of INC/PAR pairs (lexicographically). nervaluate instead walks the
predictions in order and takes the first overlapping gold span, so an early
inexact prediction can use up the gold span that a later exact one would
match; the score then depends on the order of the predictions. Here it never
does: the counts are those of an optimal matching, and ties between equally
good matchings are broken by the canonical order (doc, start, end, label), not
by input order.

The work is vectorized with numpy: candidate pairs come from one sorted sweep
over all documents; a pair whose two spans overlap nothing else is its own
component (the common case) and is matched as it is; the other components come
from min-label propagation (``connected_components``); one with a single gold span or a single
prediction (a star) is solved by picking its best edge, in bulk; only
components with at least two of each go to
``scipy.optimize.linear_sum_assignment``, one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from filingkit.eval.metrics import prf

Scheme = Literal["strict", "exact", "partial", "type"]
SCHEMES: tuple[Scheme, ...] = ("strict", "exact", "partial", "type")

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Kinds of a matched pair.
COR, INC, PAR = 0, 1, 2


@dataclass(frozen=True)
class SpanArrays:
    """Spans of many documents as parallel arrays, in canonical order.

    ``doc`` is a document index, ``label`` an index into a label list; rows are
    sorted by (doc, start, end, label), so results never depend on input order.
    """

    doc: IntArray
    start: IntArray
    end: IntArray
    label: IntArray

    @classmethod
    def build(cls, doc: Any, start: Any, end: Any, label: Any) -> SpanArrays:
        """Arrays from sequences; checks ``0 <= start < end`` and sorts canonically."""
        d, s, e, lab = (np.asarray(x, dtype=np.int64).reshape(-1)
                        for x in (doc, start, end, label))
        if not (len(d) == len(s) == len(e) == len(lab)):
            raise ValueError("doc, start, end and label arrays differ in length")
        if len(s) and (np.any(s < 0) or np.any(e <= s)):
            bad = int(np.flatnonzero((s < 0) | (e <= s))[0])
            raise ValueError(f"span [{s[bad]}, {e[bad]}) is empty or negative")
        order = _canonical_order(d, s, e, lab)
        if order is None:
            return cls(d, s, e, lab)
        return cls(d[order], s[order], e[order], lab[order])

    def __len__(self) -> int:
        return len(self.doc)


def _canonical_order(d: IntArray, s: IntArray, e: IntArray,
                     lab: IntArray) -> IntArray | None:
    """The permutation sorting rows by (doc, start, end, label); ``None`` if already sorted.

    Packs the four columns into one int64 key when they fit (one argsort is
    several times faster than a four-key lexsort), else falls back to lexsort.
    """
    if len(d) == 0:
        return None
    if np.any(d < 0) or np.any(lab < 0):
        raise ValueError("document and label indices must be >= 0")
    w = int(e.max()) + 1
    n_lab = int(lab.max()) + 1
    if float(d.max() + 1) * w * w * n_lab < 2.0**62:
        key = ((d * w + s) * w + e) * n_lab + lab
        if np.all(key[1:] >= key[:-1]):
            return None
        order: IntArray = np.argsort(key, kind="stable")
        return order
    lex: IntArray = np.lexsort((lab, e, s, d))
    return lex


@dataclass(frozen=True)
class SchemeCounts:
    """COR/INC/PAR/MIS/SPU of one scheme, with nervaluate's P/R/F1 formulas."""

    scheme: Scheme
    cor: int = 0
    inc: int = 0
    par: int = 0
    mis: int = 0
    spu: int = 0

    @property
    def possible(self) -> int:
        return self.cor + self.inc + self.par + self.mis

    @property
    def actual(self) -> int:
        return self.cor + self.inc + self.par + self.spu

    @property
    def credit(self) -> float:
        """True-positive credit: COR, plus half of PAR under partial."""
        return self.cor + 0.5 * self.par

    def to_dict(self) -> dict[str, Any]:
        p, r, f = prf(self.credit, self.actual - self.credit, self.possible - self.credit)
        return {
            "cor": self.cor, "inc": self.inc, "par": self.par, "mis": self.mis,
            "spu": self.spu, "possible": self.possible, "actual": self.actual,
            "precision": p, "recall": r, "f1": f,
        }


@dataclass(frozen=True)
class Matching:
    """An optimal matching: matched gold/prediction row indices and their kinds."""

    gold: IntArray
    pred: IntArray
    kind: IntArray


@dataclass(frozen=True)
class _Graph:
    """Candidate pairs grouped into connected components, ready to be solved.

    ``pair`` marks edges that are a component on their own (both ends have
    degree 1; by far the most common case), ``star`` edges of components with
    a single gold span or a single prediction (``star_comp`` names the
    component), and ``big`` lists the edge indices of every other component.
    """

    gi: IntArray
    pi: IntArray
    pair: BoolArray
    star: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    star_comp: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    big: list[IntArray] = field(default_factory=list)


def overlap_pairs(gold: SpanArrays, pred: SpanArrays, *,
                  min_overlap: float | None = None) -> tuple[IntArray, IntArray]:
    """All (gold row, prediction row) pairs in the same document that overlap.

    With ``min_overlap``, an inexact pair also needs ``overlap / len(gold) >=
    min_overlap`` (a pair with the same boundaries always passes).

    Gold spans are bucketed by length (powers of four), and each bucket is
    searched with a window as wide as its longest span, so one very long gold
    span does not widen the search for every prediction.
    """
    empty = np.zeros(0, dtype=np.int64)
    if len(gold) == 0 or len(pred) == 0:
        return empty, empty
    length = gold.end - gold.start
    bucket = np.floor(np.log2(length) / 2).astype(np.int64)
    parts_g, parts_p = [], []
    for b in np.unique(bucket):
        rows = np.flatnonzero(bucket == b)  # still sorted by (doc, start)
        gi, pi = _window_pairs(gold, rows, pred)
        parts_g.append(gi)
        parts_p.append(pi)
    gi, pi = np.concatenate(parts_g), np.concatenate(parts_p)
    if min_overlap is not None:
        shared = np.minimum(gold.end[gi], pred.end[pi]) - np.maximum(gold.start[gi], pred.start[pi])
        same = (gold.start[gi] == pred.start[pi]) & (gold.end[gi] == pred.end[pi])
        keep = same | (shared >= min_overlap * (gold.end[gi] - gold.start[gi]) - 1e-9)
        gi, pi = gi[keep], pi[keep]
    return gi, pi


def _window_pairs(gold: SpanArrays, rows: IntArray,
                  pred: SpanArrays) -> tuple[IntArray, IntArray]:
    """Overlapping pairs between the gold ``rows`` (sorted) and every prediction.

    A gold span of length at most ``L`` overlaps ``[s, e)`` only if it starts
    in ``[s - L + 1, e)``: two binary searches per prediction give the range.
    """
    doc, start, end = gold.doc[rows], gold.start[rows], gold.end[rows]
    width = int(max(end.max(), pred.end.max())) + 1
    maxlen = int((end - start).max())
    gkey = doc * width + start
    lo_start = np.maximum(pred.start - maxlen + 1, 0)
    lo = np.searchsorted(gkey, pred.doc * width + lo_start, side="left")
    hi = np.searchsorted(gkey, pred.doc * width + pred.end, side="left")
    n = np.maximum(hi - lo, 0)
    total = int(n.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    pi = np.repeat(np.arange(len(pred), dtype=np.int64), n)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(n) - n, n)
    local = np.repeat(lo, n) + offsets
    keep = end[local] > pred.start[pi]
    return rows[local[keep]], pi[keep]


def connected_components(a: IntArray, b: IntArray, n_nodes: int) -> IntArray:
    """Component label of each of ``n_nodes`` nodes joined by the edges ``a[i] - b[i]``.

    Min-label propagation with pointer jumping, in numpy (no scipy.sparse, whose
    import alone costs more than this on typical inputs): overlap components
    are small, so it converges in a few rounds. Labels are consecutive from 0;
    which number a component gets does not matter to the matching.
    """
    label: IntArray = np.arange(n_nodes, dtype=np.int64)
    while True:
        low = np.minimum(label[a], label[b])
        new: IntArray = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]  # pointer jumping: follow each label to its own label
        if np.array_equal(new, label):
            break
        label = new
    _, comp = np.unique(label, return_inverse=True)
    out: IntArray = comp.astype(np.int64)
    return out


def _components(gi: IntArray, pi: IntArray, n_gold: int, n_pred: int) -> _Graph:
    if len(gi) == 0:
        return _Graph(gi, pi, np.zeros(0, dtype=bool))
    deg_g = np.bincount(gi, minlength=n_gold)
    deg_p = np.bincount(pi, minlength=n_pred)
    pair = (deg_g[gi] == 1) & (deg_p[pi] == 1)
    rest = np.flatnonzero(~pair)
    if len(rest) == 0:
        return _Graph(gi, pi, pair)
    nodes, inv = np.unique(np.concatenate([gi[rest], pi[rest] + n_gold]), return_inverse=True)
    a, b = inv[: len(rest)], inv[len(rest):]
    comp_of_node = connected_components(a, b, len(nodes))
    is_gold = nodes < n_gold
    n_comp = int(comp_of_node.max()) + 1
    g_per = np.bincount(comp_of_node[is_gold], minlength=n_comp)
    p_per = np.bincount(comp_of_node[~is_gold], minlength=n_comp)
    comp = comp_of_node[a]
    is_star = (np.minimum(g_per, p_per) <= 1)[comp]
    big: list[IntArray] = []
    others = rest[~is_star]
    if len(others):
        oc = comp[~is_star]
        order = np.argsort(oc, kind="stable")
        cuts = np.flatnonzero(np.diff(oc[order])) + 1
        big = list(np.split(others[order], cuts))
    return _Graph(gi, pi, pair, rest[is_star], comp[is_star], big)


def _solve(graph: _Graph, primary: BoolArray) -> BoolArray:
    """Which edges an optimal matching keeps, maximizing (#primary, #other)."""
    chosen = graph.pair.copy()  # a lone edge is always its component's matching
    if len(graph.star):
        # One side of a star is a single node, so the best edge is the whole matching:
        # sort by (component, primary first, gold row, prediction row), keep the first.
        e = graph.star
        order = np.lexsort((graph.pi[e], graph.gi[e], ~primary[e], graph.star_comp))
        k = graph.star_comp[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = k[1:] != k[:-1]
        chosen[e[order[first]]] = True
    if graph.big:
        from scipy.optimize import linear_sum_assignment

        for edges in graph.big:
            g_nodes, g_loc = np.unique(graph.gi[edges], return_inverse=True)
            p_nodes, p_loc = np.unique(graph.pi[edges], return_inverse=True)
            heavy = float(min(len(g_nodes), len(p_nodes)) + 1)
            weight = np.zeros((len(g_nodes), len(p_nodes)))
            weight[g_loc, p_loc] = np.where(primary[edges], heavy, 1.0)
            rows, cols = linear_sum_assignment(weight, maximize=True)
            lookup = np.full((len(g_nodes), len(p_nodes)), -1, dtype=np.int64)
            lookup[g_loc, p_loc] = edges
            picked = lookup[rows, cols]
            chosen[picked[picked >= 0]] = True
    return chosen


@dataclass(frozen=True)
class SpanEvaluation:
    """Matchings of all four schemes: label-agnostic (``overall``) and per label."""

    gold: SpanArrays
    pred: SpanArrays
    overall: dict[Scheme, Matching]
    by_label: dict[Scheme, Matching]

    def counts(self, scheme: Scheme, *, per_label: bool) -> SchemeCounts:
        """Totals of a scheme, over the label-agnostic or the per-label matchings."""
        m = (self.by_label if per_label else self.overall)[scheme]
        return _scheme_counts(scheme, m, len(self.gold), len(self.pred))

    def label_counts(self, scheme: Scheme, n_labels: int) -> list[SchemeCounts]:
        """Per-label totals (each label matched on its own spans alone)."""
        m = self.by_label[scheme]
        glab = self.gold.label[m.gold]
        cor = np.bincount(glab[m.kind == COR], minlength=n_labels)
        inc = np.bincount(glab[m.kind == INC], minlength=n_labels)
        par = np.bincount(glab[m.kind == PAR], minlength=n_labels)
        n_g = np.bincount(self.gold.label, minlength=n_labels)
        n_p = np.bincount(self.pred.label, minlength=n_labels)
        matched = cor + inc + par
        return [
            SchemeCounts(scheme, int(cor[i]), int(inc[i]), int(par[i]),
                         int(n_g[i] - matched[i]), int(n_p[i] - matched[i]))
            for i in range(n_labels)
        ]

    def doc_label_counts(self, scheme: Scheme, n_docs: int,
                         n_labels: int) -> tuple[npt.NDArray[np.float64], ...]:
        """Per (document, label) ``tp, fp, fn`` arrays under a scheme, shape (docs, labels).

        ``tp`` is the credit (COR, plus PAR/2 under partial); an INC pair is a
        false positive and a false negative; a PAR pair is half of each.
        """
        m = self.by_label[scheme]
        cells = n_docs * n_labels
        gkey = self.gold.doc * n_labels + self.gold.label
        pkey = self.pred.doc * n_labels + self.pred.label
        mkey = gkey[m.gold]
        credit = np.where(m.kind == COR, 1.0, np.where(m.kind == PAR, 0.5, 0.0))
        tp = np.bincount(mkey, weights=credit, minlength=cells).astype(np.float64)
        n_g = np.bincount(gkey, minlength=cells).astype(np.float64)
        n_p = np.bincount(pkey, minlength=cells).astype(np.float64)
        shape = (n_docs, n_labels)
        return tp.reshape(shape), (n_p - tp).reshape(shape), (n_g - tp).reshape(shape)


def _scheme_counts(scheme: Scheme, m: Matching, n_gold: int, n_pred: int) -> SchemeCounts:
    cor = int(np.count_nonzero(m.kind == COR))
    inc = int(np.count_nonzero(m.kind == INC))
    par = int(np.count_nonzero(m.kind == PAR))
    matched = cor + inc + par
    return SchemeCounts(scheme, cor, inc, par, n_gold - matched, n_pred - matched)


def _matching(graph: _Graph, primary: BoolArray, secondary_kind: int) -> Matching:
    chosen = _solve(graph, primary)
    kind = np.where(primary[chosen], COR, secondary_kind).astype(np.int64)
    return Matching(graph.gi[chosen], graph.pi[chosen], kind)


def evaluate_spans(gold: SpanArrays, pred: SpanArrays, *,
                   min_overlap: float | None = None) -> SpanEvaluation:
    """Match gold and predicted spans under all four schemes, overall and per label.

    ``min_overlap`` (a share of the gold span, in (0, 1]) is required of every
    inexact pair (INC, PAR and overlapping ``type`` matches); ``None`` means
    any shared character.
    """
    if min_overlap is not None and not 0.0 < min_overlap <= 1.0:
        raise ValueError(f"min_overlap must be in (0, 1], got {min_overlap!r}")
    gi, pi = overlap_pairs(gold, pred, min_overlap=min_overlap)
    same_bounds = (gold.start[gi] == pred.start[pi]) & (gold.end[gi] == pred.end[pi])
    same_label = gold.label[gi] == pred.label[pi]

    graph = _components(gi, pi, len(gold), len(pred))
    overall: dict[Scheme, Matching] = {
        "strict": _matching(graph, same_bounds & same_label, INC),
        "exact": _matching(graph, same_bounds, INC),
        "partial": _matching(graph, same_bounds, PAR),
        "type": _matching(graph, same_label, INC),
    }
    keep = np.flatnonzero(same_label)
    lgraph = _components(gi[keep], pi[keep], len(gold), len(pred))
    lbounds = same_bounds[keep]
    strict_l = _matching(lgraph, lbounds, INC)
    by_label: dict[Scheme, Matching] = {
        "strict": strict_l,
        "exact": strict_l,  # within one label, exact and strict are the same matching
        "partial": _matching(lgraph, lbounds, PAR),
        "type": _matching(lgraph, np.ones(len(keep), dtype=bool), INC),
    }
    return SpanEvaluation(gold, pred, overall, by_label)
