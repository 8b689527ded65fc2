"""Counts and the metrics computed from them: pure functions, one 0/0 policy.

Every precision, recall and F1 in filingkit is computed here, from true
positives, false positives and false negatives, so the whole evaluator shares
one convention for empty denominators (``ratio``: 0/0 is 0.0, as in
scikit-learn's default and nervaluate). Counts are additive (``Counts + Counts``),
like spaCy's ``PRFScore``, so per-document counts sum to corpus counts and a
micro average is a sum followed by one division.

Counts may be half-integers: under the ``partial`` and ``type`` entity schemes a
partial match earns half a true positive, as nervaluate defines them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

ZERO_DIVISION = 0.0
"""The value of a ratio whose denominator is zero (no predictions, or no gold)."""


def ratio(num: float, den: float) -> float:
    """``num / den``, or ``ZERO_DIVISION`` when ``den`` is zero: the one 0/0 policy."""
    return float(num) / float(den) if den else ZERO_DIVISION


def f_beta(precision: float, recall: float, *, beta: float = 1.0) -> float:
    """The weighted harmonic mean of precision and recall (0.0 when both are 0)."""
    b2 = beta * beta
    return ratio((1 + b2) * precision * recall, b2 * precision + recall)


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (truth-side counts ``fn``, system-side ``fp``).

    F1 is computed from counts as ``2tp / (2tp + fp + fn)``, which equals the
    harmonic mean of P and R and needs no special case when one of them is 0.
    """
    return ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(2 * tp, 2 * tp + fp + fn)


def prf_arrays(
    tp: npt.NDArray[np.floating[Any]],
    fp: npt.NDArray[np.floating[Any]],
    fn: npt.NDArray[np.floating[Any]],
    *,
    undefined: float = ZERO_DIVISION,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Vectorized ``prf`` over arrays of counts, with the same 0/0 policy.

    ``undefined=nan`` marks 0/0 instead: the resampling code uses it to drop
    resamples in which a metric does not exist (no prediction of a field was
    drawn), rather than counting them as 0.
    """
    return (_div(tp, tp + fp, undefined), _div(tp, tp + fn, undefined),
            _div(2 * tp, 2 * tp + fp + fn, undefined))


def _div(num: npt.NDArray[Any], den: npt.NDArray[Any],
         undefined: float = ZERO_DIVISION) -> npt.NDArray[np.float64]:
    out = np.full(np.shape(num), undefined, dtype=np.float64)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _num(x: float) -> float | int:
    """An integral float as int, so JSON shows 3 rather than 3.0."""
    return int(x) if float(x).is_integer() else float(x)


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives; add them with ``+``."""

    tp: float = 0
    fp: float = 0
    fn: float = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def support(self) -> float:
        """Number of gold items (true positives plus false negatives)."""
        return self.tp + self.fn

    @property
    def predicted(self) -> float:
        return self.tp + self.fp

    @property
    def empty(self) -> bool:
        """Nothing in gold and nothing predicted: no evidence either way."""
        return self.tp == 0 and self.fp == 0 and self.fn == 0

    @property
    def precision(self) -> float:
        return prf(self.tp, self.fp, self.fn)[0]

    @property
    def recall(self) -> float:
        return prf(self.tp, self.fp, self.fn)[1]

    @property
    def f1(self) -> float:
        return prf(self.tp, self.fp, self.fn)[2]

    def to_dict(self) -> dict[str, Any]:
        """The metrics and counts as the report JSON has them (no ``ci``)."""
        p, r, f = prf(self.tp, self.fp, self.fn)
        return {
            "precision": p, "recall": r, "f1": f,
            "tp": _num(self.tp), "fp": _num(self.fp), "fn": _num(self.fn),
            "support": _num(self.support),
        }

    def counts_dict(self) -> dict[str, Any]:
        """Only ``tp``, ``fp``, ``fn`` (the per-document entries of the report)."""
        return {"tp": _num(self.tp), "fp": _num(self.fp), "fn": _num(self.fn)}


def total(counts: Iterable[Counts]) -> Counts:
    """The sum of counts (the micro-average's numerators and denominators)."""
    out = Counts()
    for c in counts:
        out = out + c
    return out


@dataclass(frozen=True, slots=True)
class Macro:
    """Unweighted means of P, R and F1 over the units (fields, documents) with any item."""

    precision: float
    recall: float
    f1: float
    n: int

    def to_dict(self, *, unit: str = "n_fields") -> dict[str, Any]:
        """P, R, F1 and how many units were averaged (``unit`` names the count)."""
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                unit: self.n}


def macro(counts: Iterable[Counts]) -> Macro:
    """Macro average over units with gold or predictions (empty units are left out).

    A field with neither gold nor predictions carries no evidence; giving it
    0.0 (the 0/0 policy) would punish a system for what nobody annotated.
    F1 is the mean of per-unit F1, not the F1 of mean P and R.
    """
    rows = [prf(c.tp, c.fp, c.fn) for c in counts if not c.empty]
    if not rows:
        return Macro(ZERO_DIVISION, ZERO_DIVISION, ZERO_DIVISION, 0)
    n = len(rows)
    return Macro(
        sum(r[0] for r in rows) / n, sum(r[1] for r in rows) / n, sum(r[2] for r in rows) / n, n
    )
