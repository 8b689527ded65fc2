"""Entity schemes: table-driven cases, the order-dependence case, invariants.

Spans are ``(start, end, label)`` with end exclusive; each case is one document.
Expected counts are ``(cor, inc, par, mis, spu)`` per scheme.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filingkit.eval.spans import (
    SCHEMES,
    SchemeCounts,
    SpanArrays,
    evaluate_spans,
    overlap_pairs,
)

LABELS = ("A", "B")

Span = tuple[int, int, str]


def arrays(spans: list[Span], doc: int = 0) -> SpanArrays:
    return SpanArrays.build([doc] * len(spans), [s for s, _, _ in spans],
                            [e for _, e, _ in spans], [LABELS.index(lab) for *_, lab in spans])


def run(gold: list[Span], pred: list[Span], scheme: str, *, per_label: bool = False,
        min_overlap: float | None = None) -> tuple[int, int, int, int, int]:
    ev = evaluate_spans(arrays(gold), arrays(pred), min_overlap=min_overlap)
    c = ev.counts(scheme, per_label=per_label)  # type: ignore[arg-type]
    return c.cor, c.inc, c.par, c.mis, c.spu


CASES = [
    # id, gold, pred, {scheme: (cor, inc, par, mis, spu)}
    pytest.param([(0, 5, "A")], [(0, 5, "A")],
                 {"strict": (1, 0, 0, 0, 0), "exact": (1, 0, 0, 0, 0),
                  "partial": (1, 0, 0, 0, 0), "type": (1, 0, 0, 0, 0)}, id="identical"),
    pytest.param([(0, 5, "A")], [(0, 5, "B")],
                 {"strict": (0, 1, 0, 0, 0), "exact": (1, 0, 0, 0, 0),
                  "partial": (1, 0, 0, 0, 0), "type": (0, 1, 0, 0, 0)}, id="same-span-other-label"),
    pytest.param([(0, 10, "A")], [(2, 8, "A")],
                 {"strict": (0, 1, 0, 0, 0), "exact": (0, 1, 0, 0, 0),
                  "partial": (0, 0, 1, 0, 0), "type": (1, 0, 0, 0, 0)}, id="nested-pred"),
    pytest.param([(2, 8, "A")], [(0, 10, "A")],
                 {"strict": (0, 1, 0, 0, 0), "exact": (0, 1, 0, 0, 0),
                  "partial": (0, 0, 1, 0, 0), "type": (1, 0, 0, 0, 0)}, id="pred-contains-gold"),
    pytest.param([(0, 10, "A")], [(5, 15, "B")],
                 {"strict": (0, 1, 0, 0, 0), "exact": (0, 1, 0, 0, 0),
                  "partial": (0, 0, 1, 0, 0), "type": (0, 1, 0, 0, 0)}, id="overlap-other-label"),
    pytest.param([(0, 5, "A")], [(5, 10, "A")],
                 {s: (0, 0, 0, 1, 1) for s in SCHEMES}, id="touching-no-overlap"),
    pytest.param([(5, 10, "A")], [(0, 5, "A")],
                 {s: (0, 0, 0, 1, 1) for s in SCHEMES}, id="touching-before"),
    pytest.param([(3, 4, "A")], [(3, 4, "A")],
                 {s: (1, 0, 0, 0, 0) for s in SCHEMES}, id="single-char-exact"),
    pytest.param([(3, 4, "A")], [(4, 5, "A")],
                 {s: (0, 0, 0, 1, 1) for s in SCHEMES}, id="single-char-adjacent"),
    pytest.param([(0, 10, "A")], [(9, 10, "A")],
                 {"strict": (0, 1, 0, 0, 0), "exact": (0, 1, 0, 0, 0),
                  "partial": (0, 0, 1, 0, 0), "type": (1, 0, 0, 0, 0)},
                 id="single-char-inside-last"),
    # The order-dependence case: nervaluate gives PAR + SPU for partial (greedy takes the
    # first, inexact prediction); the optimal matching gives COR + SPU whatever the order.
    pytest.param([(0, 10, "A")], [(0, 4, "A"), (0, 10, "A")],
                 {s: (1, 0, 0, 0, 1) for s in SCHEMES}, id="order-inexact-first"),
    pytest.param([(0, 10, "A")], [(0, 10, "A"), (0, 4, "A")],
                 {s: (1, 0, 0, 0, 1) for s in SCHEMES}, id="order-exact-first"),
    # nervaluate strict: the wrong-label prediction first takes the gold span as INC, so the
    # right one becomes SPU (COR 0); optimal: COR 1.
    pytest.param([(0, 10, "A")], [(0, 10, "B"), (0, 10, "A")],
                 {s: (1, 0, 0, 0, 1) for s in SCHEMES}, id="order-wrong-label-first"),
    # A chain: p1 overlaps both gold spans, p2 only the first. Greedy (p1 first) gets 1.
    pytest.param([(0, 10, "A"), (10, 20, "A")], [(5, 15, "A"), (0, 3, "A")],
                 {"strict": (0, 2, 0, 0, 0), "exact": (0, 2, 0, 0, 0),
                  "partial": (0, 0, 2, 0, 0), "type": (2, 0, 0, 0, 0)}, id="chain-needs-optimal"),
    pytest.param([(0, 20, "A"), (5, 10, "A")], [(5, 10, "A")],
                 {"strict": (1, 0, 0, 1, 0), "exact": (1, 0, 0, 1, 0),
                  "partial": (1, 0, 0, 1, 0), "type": (1, 0, 0, 1, 0)}, id="nested-gold"),
    pytest.param([(0, 10, "A")], [(0, 10, "B"), (2, 5, "A")],
                 {"strict": (0, 1, 0, 0, 1), "exact": (1, 0, 0, 0, 1),
                  "partial": (1, 0, 0, 0, 1), "type": (1, 0, 0, 0, 1)}, id="type-prefers-label"),
    pytest.param([(0, 10, "A"), (20, 30, "B")], [(5, 25, "A")],
                 {"strict": (0, 1, 0, 1, 0), "exact": (0, 1, 0, 1, 0),
                  "partial": (0, 0, 1, 1, 0), "type": (1, 0, 0, 1, 0)}, id="crossing-two-gold"),
    pytest.param([(0, 5, "A"), (0, 5, "A")], [(0, 5, "A")],
                 {s: (1, 0, 0, 1, 0) for s in SCHEMES}, id="duplicate-gold"),
    pytest.param([(0, 5, "A")], [], {s: (0, 0, 0, 1, 0) for s in SCHEMES}, id="no-predictions"),
    pytest.param([], [(0, 5, "A")], {s: (0, 0, 0, 0, 1) for s in SCHEMES}, id="no-gold"),
    pytest.param([], [], {s: (0, 0, 0, 0, 0) for s in SCHEMES}, id="empty"),
]


@pytest.mark.parametrize("gold, pred, expected", CASES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_scheme_cases(gold: list[Span], pred: list[Span], expected: dict[str, tuple[int, ...]],
                      scheme: str) -> None:
    assert run(gold, pred, scheme) == expected[scheme]


@pytest.mark.parametrize("gold, pred, expected", CASES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_prediction_order_never_matters(gold: list[Span], pred: list[Span],
                                        expected: dict[str, tuple[int, ...]],
                                        scheme: str) -> None:
    assert run(gold, list(reversed(pred)), scheme) == expected[scheme]


@pytest.mark.parametrize(
    "min_overlap, expected",
    [
        pytest.param(None, (1, 0, 0, 0, 0), id="any-overlap"),
        pytest.param(0.4, (1, 0, 0, 0, 0), id="exactly-enough"),
        pytest.param(0.5, (0, 0, 0, 1, 1), id="too-little"),
        pytest.param(1.0, (0, 0, 0, 1, 1), id="must-cover-gold"),
    ],
)
def test_min_overlap_is_a_share_of_the_gold_span(min_overlap: float | None,
                                                 expected: tuple[int, ...]) -> None:
    assert run([(0, 10, "A")], [(0, 4, "A")], "type", min_overlap=min_overlap) == expected


def test_min_overlap_never_blocks_identical_spans() -> None:
    assert run([(0, 10, "A")], [(0, 10, "A")], "strict", min_overlap=1.0) == (1, 0, 0, 0, 0)


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.5])
def test_min_overlap_out_of_range(bad: float) -> None:
    with pytest.raises(ValueError, match="min_overlap"):
        run([(0, 1, "A")], [(0, 1, "A")], "strict", min_overlap=bad)


def test_per_label_matching_keeps_labels_apart() -> None:
    # Label-agnostic exact gives COR; per label, A is missed and B spurious.
    gold, pred = [(0, 5, "A")], [(0, 5, "B")]
    assert run(gold, pred, "exact") == (1, 0, 0, 0, 0)
    assert run(gold, pred, "exact", per_label=True) == (0, 0, 0, 1, 1)
    ev = evaluate_spans(arrays(gold), arrays(pred))
    a, b = ev.label_counts("strict", 2)
    assert (a.mis, a.spu, b.mis, b.spu) == (1, 0, 0, 1)


def test_documents_do_not_match_each_other() -> None:
    gold = SpanArrays.build([0], [0], [5], [0])
    pred = SpanArrays.build([1], [0], [5], [0])
    c = evaluate_spans(gold, pred).counts("strict", per_label=False)
    assert (c.cor, c.mis, c.spu) == (0, 1, 1)


def test_empty_or_negative_spans_are_rejected() -> None:
    with pytest.raises(ValueError, match="empty"):
        SpanArrays.build([0], [5], [5], [0])


def test_partial_credit_and_counts_formulas() -> None:
    c = SchemeCounts("partial", cor=2, inc=0, par=2, mis=1, spu=1)
    d = c.to_dict()
    assert (d["possible"], d["actual"]) == (5, 5)
    assert d["precision"] == pytest.approx(3 / 5) and d["recall"] == pytest.approx(3 / 5)


def test_doc_label_counts_give_half_credit_for_partial() -> None:
    ev = evaluate_spans(arrays([(0, 10, "A")]), arrays([(2, 8, "A")]))
    tp, fp, fn = ev.doc_label_counts("partial", 1, 2)
    assert (tp[0, 0], fp[0, 0], fn[0, 0]) == (0.5, 0.5, 0.5)
    tp, fp, fn = ev.doc_label_counts("strict", 1, 2)
    assert (tp[0, 0], fp[0, 0], fn[0, 0]) == (0.0, 1.0, 1.0)


# ------------------------------------------------------------------ properties

span_lists = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 8), st.sampled_from(LABELS)).map(
        lambda t: (t[0], t[0] + t[1], t[2])),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(gold=span_lists, pred=span_lists, seed=st.integers(0, 2**16))
def test_property_order_invariance(gold: list[Span], pred: list[Span], seed: int) -> None:
    shuffled = pred[:]
    random.Random(seed).shuffle(shuffled)
    for scheme in SCHEMES:
        for per_label in (False, True):
            assert run(gold, pred, scheme, per_label=per_label) == run(
                gold, shuffled, scheme, per_label=per_label)


@settings(max_examples=100, deadline=None)
@given(gold=span_lists)
def test_property_perfect_prediction_scores_one(gold: list[Span]) -> None:
    ev = evaluate_spans(arrays(gold), arrays(gold))
    for scheme in SCHEMES:
        for per_label in (False, True):
            c = ev.counts(scheme, per_label=per_label)
            assert (c.cor, c.mis, c.spu) == (len(gold), 0, 0)


@settings(max_examples=100, deadline=None)
@given(gold=span_lists, pred=span_lists)
def test_property_counts_add_up(gold: list[Span], pred: list[Span]) -> None:
    ev = evaluate_spans(arrays(gold), arrays(pred))
    for scheme in SCHEMES:
        c = ev.counts(scheme, per_label=False)
        assert c.possible == len(gold) and c.actual == len(pred)
        labels = ev.label_counts(scheme, len(LABELS))
        assert sum(x.possible for x in labels) == len(gold)
        assert sum(x.actual for x in labels) == len(pred)
        # Within a label, strict and exact are one matching.
        assert ev.counts("strict", per_label=True) == SchemeCounts(
            "strict", **{k: getattr(ev.counts("exact", per_label=True), k)
                         for k in ("cor", "inc", "par", "mis", "spu")})


@settings(max_examples=100, deadline=None)
@given(gold=span_lists, pred=span_lists)
def test_property_scheme_order(gold: list[Span], pred: list[Span]) -> None:
    """Looser schemes never score lower: strict <= exact <= partial credit; strict <= type."""
    ev = evaluate_spans(arrays(gold), arrays(pred))
    credit = {s: ev.counts(s, per_label=False).credit for s in SCHEMES}
    assert credit["strict"] <= credit["exact"] <= credit["partial"]
    assert credit["strict"] <= credit["type"]


mixed_lengths = st.lists(
    st.tuples(st.integers(0, 1), st.integers(0, 300), st.sampled_from([1, 2, 5, 17, 90, 400]),
              st.sampled_from(LABELS)),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(gold=mixed_lengths, pred=mixed_lengths)
def test_property_candidate_pairs_are_exactly_the_overlaps(gold: list[Any],
                                                           pred: list[Any]) -> None:
    def arr(rows: list[Any]) -> SpanArrays:
        return SpanArrays.build([r[0] for r in rows], [r[1] for r in rows],
                                [r[1] + r[2] for r in rows], [LABELS.index(r[3]) for r in rows])

    g, p = arr(gold), arr(pred)
    gi, pi = overlap_pairs(g, p)
    got = set(zip(gi.tolist(), pi.tolist(), strict=True))
    want = {(i, j) for i in range(len(g)) for j in range(len(p))
            if g.doc[i] == p.doc[j] and g.start[i] < p.end[j] and p.start[j] < g.end[i]}
    assert got == want
    assert len(gi) == len(got)  # no pair twice
