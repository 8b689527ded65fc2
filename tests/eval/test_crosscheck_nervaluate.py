"""Cross-check against nervaluate 1.2.1 on random span sets.

nervaluate's ends are inclusive, so ``[start, end)`` is passed as ``end - 1``.
Both sides are tagger-like (no two gold spans overlap, no two predictions
overlap), which is what nervaluate's BIO-based model describes.

- strict and exact: COR, possible, actual, P, R and F1 are equal everywhere
  (with non-overlapping predictions, greedy matching cannot steal an exact
  match; only how the leftovers split into INC/MIS/SPU may differ).
- every scheme, all five counts: equal on documents where greedy and optimal
  matching must agree (each overlap component has at most one gold span and
  one prediction).
- everywhere: the optimal credit is never below nervaluate's greedy credit.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from filingkit.eval.spans import SCHEMES, SpanArrays, evaluate_spans

nervaluate = pytest.importorskip("nervaluate")

TAGS = ["ORG", "PER", "LOC"]
NV_NAME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}


def _tagging(rng: random.Random, length: int, n: int) -> list[tuple[int, int, str]]:
    """Non-overlapping spans in [0, length), lengths 1..12."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for _ in range(n):
        pos += rng.randint(0, 6)
        size = rng.randint(1, 12)
        if pos + size > length:
            break
        out.append((pos, pos + size, rng.choice(TAGS)))
        pos += size
    return out


def _predict(rng: random.Random, gold: list[tuple[int, int, str]],
             length: int) -> list[tuple[int, int, str]]:
    """Copy gold with noise: shifted boundaries, wrong labels, drops, spurious spans."""
    pred = []
    for s, e, lab in gold:
        r = rng.random()
        if r < 0.15:
            continue
        if r < 0.3:
            s = max(0, s + rng.randint(-2, 2))
            e = max(s + 1, e + rng.randint(-2, 2))
        if rng.random() < 0.15:
            lab = rng.choice(TAGS)
        pred.append((s, e, lab))
    pred += _tagging(rng, length, rng.randint(0, 3))
    # Keep it a tagging: drop predictions overlapping an earlier kept one.
    kept: list[tuple[int, int, str]] = []
    for sp in sorted(pred):
        if not kept or sp[0] >= kept[-1][1]:
            kept.append(sp)
    rng.shuffle(kept)
    return kept


def _corpus(seed: int, n_docs: int) -> tuple[list[list[tuple[int, int, str]]], ...]:
    rng = random.Random(seed)
    gold = [_tagging(rng, 200, rng.randint(0, 15)) for _ in range(n_docs)]
    pred = [_predict(rng, g, 200) for g in gold]
    return gold, pred


def _arrays(docs: list[list[tuple[int, int, str]]]) -> SpanArrays:
    rows = [(d, s, e, TAGS.index(lab)) for d, doc in enumerate(docs) for s, e, lab in doc]
    if not rows:
        return SpanArrays.build([], [], [], [])
    d, s, e, lab = zip(*rows, strict=True)
    return SpanArrays.build(d, s, e, lab)


def _nervaluate(gold: list[Any], pred: list[Any]) -> dict[str, Any]:
    def conv(docs: list[Any]) -> list[list[dict[str, Any]]]:
        return [[{"label": lab, "start": s, "end": e - 1} for s, e, lab in doc] for doc in docs]

    ev = nervaluate.Evaluator(conv(gold), conv(pred), tags=TAGS, loader="dict")
    return ev.evaluate()  # type: ignore[no-any-return]


def _simple(gold: list[Any], pred: list[Any]) -> bool:
    """Each gold span overlaps at most one prediction and vice versa."""
    def deg(a: list[Any], b: list[Any]) -> int:
        return max((sum(1 for y in b if x[0] < y[1] and y[0] < x[1]) for x in a), default=0)

    return deg(gold, pred) <= 1 and deg(pred, gold) <= 1


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"seed{s}") for s in range(6)])
def test_strict_and_exact_equal_nervaluate(seed: int) -> None:
    gold, pred = _corpus(seed, 60)
    nv = _nervaluate(gold, pred)
    ev = evaluate_spans(_arrays(gold), _arrays(pred))
    for scheme in ("strict", "exact"):
        ours = ev.counts(scheme, per_label=False).to_dict()
        theirs = nv["overall"][NV_NAME[scheme]]
        assert ours["cor"] == theirs.correct
        assert (ours["possible"], ours["actual"]) == (theirs.possible, theirs.actual)
        for m in ("precision", "recall", "f1"):
            assert ours[m] == pytest.approx(getattr(theirs, m))
    for i, tag in enumerate(TAGS):
        ours_l = ev.label_counts("strict", len(TAGS))[i].to_dict()
        theirs_l = nv["entities"].get(tag, {}).get("strict")
        if theirs_l is None:
            assert ours_l["possible"] == ours_l["actual"] == 0
            continue
        assert ours_l["cor"] == theirs_l.correct
        assert ours_l["f1"] == pytest.approx(theirs_l.f1)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"seed{s}") for s in range(6)])
def test_all_schemes_equal_where_greedy_and_optimal_agree(seed: int) -> None:
    gold, pred = _corpus(100 + seed, 120)
    keep = [i for i in range(len(gold)) if _simple(gold[i], pred[i])]
    assert len(keep) > 20  # the generator must leave plenty of such documents
    gold = [gold[i] for i in keep]
    pred = [pred[i] for i in keep]
    nv = _nervaluate(gold, pred)
    ev = evaluate_spans(_arrays(gold), _arrays(pred))
    for scheme in SCHEMES:
        ours = ev.counts(scheme, per_label=False).to_dict()
        theirs = nv["overall"][NV_NAME[scheme]]
        assert (ours["cor"], ours["inc"], ours["par"], ours["mis"], ours["spu"]) == (
            theirs.correct, theirs.incorrect, theirs.partial, theirs.missed, theirs.spurious)
        for m in ("precision", "recall", "f1"):
            assert ours[m] == pytest.approx(getattr(theirs, m))
        labels = ev.label_counts(scheme, len(TAGS))
        for i, tag in enumerate(TAGS):
            t = nv["entities"].get(tag, {}).get(NV_NAME[scheme])
            if t is None:
                continue
            c = labels[i]
            assert (c.cor, c.inc, c.par, c.mis, c.spu) == (
                t.correct, t.incorrect, t.partial, t.missed, t.spurious)


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"seed{s}") for s in range(6)])
def test_optimal_never_scores_below_greedy(seed: int) -> None:
    rng = random.Random(seed)
    # Overlapping predictions allowed here: the case where greedy order matters most.
    gold = [_tagging(rng, 100, 8) for _ in range(40)]
    pred = [[(s + rng.randint(-3, 3) if s > 3 else s, e, lab) for s, e, lab in g]
            + _tagging(rng, 100, 4) for g in gold]
    pred = [[(s, max(e, s + 1), lab) for s, e, lab in doc] for doc in pred]
    nv = _nervaluate(gold, pred)
    ev = evaluate_spans(_arrays(gold), _arrays(pred))
    for scheme in SCHEMES:
        ours = ev.counts(scheme, per_label=False)
        theirs = nv["overall"][NV_NAME[scheme]]
        assert ours.credit >= theirs.correct + 0.5 * theirs.partial


def test_documented_order_dependence_of_nervaluate() -> None:
    """The docs' example: nervaluate's partial score changes with prediction order."""
    gold = [[(0, 10, "ORG")]]
    first, second = [[(0, 4, "ORG"), (0, 10, "ORG")]], [[(0, 10, "ORG"), (0, 4, "ORG")]]
    nv1 = _nervaluate(gold, first)["overall"]["partial"]
    nv2 = _nervaluate(gold, second)["overall"]["partial"]
    assert (nv1.partial, nv1.spurious, nv1.recall) == (1, 1, 0.5)
    assert (nv2.correct, nv2.spurious, nv2.recall) == (1, 1, 1.0)
    for pred in (first, second):
        c = evaluate_spans(_arrays(gold), _arrays(pred)).counts("partial", per_label=False)
        assert (c.cor, c.par, c.spu) == (1, 0, 1)
    # strict: a wrong-label prediction first makes nervaluate miss the right one.
    nv3 = _nervaluate(gold, [[(0, 10, "PER"), (0, 10, "ORG")]])["overall"]["strict"]
    assert (nv3.correct, nv3.incorrect, nv3.spurious) == (0, 1, 1)
    ev = evaluate_spans(_arrays(gold), _arrays([[(0, 10, "PER"), (0, 10, "ORG")]]))
    assert ev.counts("strict", per_label=False).cor == 1
