"""Confidence intervals and significance tests by resampling whole documents.

F1 is not a mean over items, and items of one document are not independent,
so the unit of resampling is the document: each keeps its TP/FP/FN together.
Everything is vectorized over per-document count arrays of shape
``(n_docs, n_units, 3)`` (units: fields, groups, micro):

- Bootstrap: the resampled documents are drawn in blocks of resamples
  (``rng.integers``), turned into rows of a ``(B, n_docs)`` matrix of
  multiplicities (``bincount``), and a matrix product per block gives every
  resample's summed counts for every unit; P/R/F1 follow with the one 0/0
  policy of ``metrics`` (0/0 marked undefined, see below).
- Interval: BCa (bias-corrected and accelerated; Efron 1987), the same method
  ``scipy.stats.bootstrap`` defaults to, computed here in bulk: bias ``z0`` from
  the share of resampled statistics below the observed one (ties count half,
  because counts make the statistics discrete), acceleration from the
  leave-one-document-out jackknife, normal quantiles from ``scipy.special``.
  Where BCa is undefined (every resample equal, or no variation in the
  jackknife) it falls back to the percentile interval.
- Comparison of two systems on the same documents: paired bootstrap of the
  difference (the same resampled documents for both systems; percentile
  interval) and a two-sided approximate-randomization p-value (each document's
  counts swapped between the systems with probability 1/2, as
  ``scipy.stats.permutation_test(permutation_type="samples")`` does), then
  Benjamini-Hochberg q-values across fields (``scipy.stats.false_discovery_control``).

The random generator is ``numpy.random.default_rng(seed)``: the same seed and
inputs give the same intervals.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from filingkit.eval.metrics import prf_arrays

FloatArray = npt.NDArray[np.float64]
METRICS: tuple[str, ...] = ("precision", "recall", "f1")


@dataclass(frozen=True, slots=True)
class Interval:
    """A confidence interval of P, R and F1 for one unit."""

    precision: tuple[float, float]
    recall: tuple[float, float]
    f1: tuple[float, float]
    level: float
    n_resamples: int
    seed: int
    method: str = "bca"

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": list(self.precision), "recall": list(self.recall),
            "f1": list(self.f1), "level": self.level, "n_resamples": self.n_resamples,
            "seed": self.seed, "method": self.method,
        }


CHUNK = 128  # resamples per block: bounds memory and keeps the bincounts in cache


def _weight_blocks(n_docs: int, n_resamples: int,
                   seed: int) -> Iterator[npt.NDArray[np.float32]]:
    """Blocks of rows of the ``(n_resamples, n_docs)`` document-multiplicity matrix."""
    rng = np.random.default_rng(seed)
    for first in range(0, n_resamples, CHUNK):
        rows = min(CHUNK, n_resamples - first)
        idx = rng.integers(0, n_docs, size=(rows, n_docs), dtype=np.int32)
        block = np.empty((rows, n_docs), dtype=np.float32)
        for r in range(rows):
            block[r] = np.bincount(idx[r], minlength=n_docs)
        yield block


def resample_weights(n_docs: int, n_resamples: int, seed: int) -> npt.NDArray[np.float32]:
    """``(n_resamples, n_docs)`` multiplicities of each document in each bootstrap resample."""
    blocks = list(_weight_blocks(n_docs, n_resamples, seed))
    return np.concatenate(blocks) if blocks else np.zeros((0, n_docs), dtype=np.float32)


def resampled_sums(flat: FloatArray, n_resamples: int, seed: int) -> FloatArray:
    """``(n_resamples, k)`` column sums of ``flat`` ``(n_docs, k)`` over bootstrap resamples.

    Equivalent to ``resample_weights(...) @ flat``, computed block by block.
    """
    n_docs = flat.shape[0]
    f32 = np.ascontiguousarray(flat, dtype=np.float32)
    out = np.empty((n_resamples, flat.shape[1]), dtype=np.float64)
    first = 0
    for block in _weight_blocks(n_docs, n_resamples, seed):
        out[first:first + len(block)] = block @ f32
        first += len(block)
    return out


def _stats(sums: FloatArray, *, undefined: float = 0.0) -> FloatArray:
    """P, R, F1 from summed counts ``(..., 3)`` -> ``(..., 3)``."""
    p, r, f = prf_arrays(sums[..., 0], sums[..., 1], sums[..., 2], undefined=undefined)
    return np.stack([p, r, f], axis=-1)


def _quantiles(sorted_stats: FloatArray, q: FloatArray,
               n_valid: npt.NDArray[np.int64] | None = None) -> FloatArray:
    """Linear-interpolated quantiles of statistics sorted on axis 0 (NaN last).

    ``sorted_stats`` has shape ``(B, U, 3)``, ``q`` shape ``(U, 3, k)``;
    ``n_valid`` ``(U, 3)`` is the number of finite values per column (default
    all). The result has the shape of ``q``.
    """
    b = sorted_stats.shape[0]
    valid = np.full(q.shape[:-1], b) if n_valid is None else np.maximum(n_valid, 1)
    pos = np.moveaxis(np.clip(q, 0.0, 1.0) * (valid[..., None] - 1), -1, 0)  # (k, U, 3)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, valid[None] - 1)
    frac = pos - lo
    vals = (np.take_along_axis(sorted_stats, lo, axis=0) * (1 - frac)
            + np.take_along_axis(sorted_stats, hi, axis=0) * frac)
    return np.moveaxis(vals, 0, -1)


def bootstrap_intervals(counts: FloatArray, *, n_resamples: int = 1000, seed: int = 0,
                        level: float = 0.95, method: str = "bca") -> tuple[FloatArray, str]:
    """Intervals of P/R/F1 for each unit, from per-document counts ``(n_docs, n_units, 3)``.

    Returns ``(bounds, method)`` with ``bounds`` of shape ``(n_units, 3, 2)``
    (unit, metric, lo/hi). ``method`` is ``"bca"`` or ``"percentile"``.
    Resamples in which a metric is undefined (0/0: e.g. no document with a
    prediction of that field was drawn) are left out of that metric's
    interval rather than counted as 0; a metric undefined in every resample
    gets the point interval at its observed value.
    """
    from scipy.special import ndtr, ndtri

    if method not in ("bca", "percentile"):
        raise ValueError(f"method must be 'bca' or 'percentile', got {method!r}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    counts = np.asarray(counts, dtype=np.float64)
    n_docs, n_units, _ = counts.shape
    if n_docs == 0 or n_resamples < 1:
        return np.zeros((n_units, 3, 2)), method
    total = counts.sum(axis=0)
    observed = _stats(total)  # (U, 3)
    sums = resampled_sums(counts.reshape(n_docs, -1), n_resamples, seed)
    boot = _stats(sums.reshape(n_resamples, n_units, 3), undefined=np.nan)  # (B, U, 3)
    finite = np.isfinite(boot)
    n_valid = finite.sum(axis=0)
    boot_sorted = np.sort(boot, axis=0)  # NaN sort last
    lowest = boot_sorted[0]
    highest = np.take_along_axis(boot_sorted, np.maximum(n_valid - 1, 0)[None], axis=0)[0]
    alpha = (1.0 - level) / 2.0
    q = np.broadcast_to(np.array([alpha, 1.0 - alpha]), (n_units, 3, 2)).copy()
    if method == "bca" and n_docs > 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            below = (((boot < observed) & finite).sum(axis=0)
                     + 0.5 * ((boot == observed) & finite).sum(axis=0)) / n_valid
            z0 = ndtri(below)
            jack = _stats(total[None] - counts, undefined=np.nan)  # leave one document out
            n_jack = np.isfinite(jack).sum(axis=0)
            dev = np.nansum(jack, axis=0) / np.maximum(n_jack, 1) - jack
            num = np.nansum(dev**3, axis=0)
            den = 6.0 * np.nansum(dev**2, axis=0) ** 1.5
            accel = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
            z = ndtri(np.array([alpha, 1.0 - alpha]))
            zz = z0[..., None] + z
            adj = ndtr(z0[..., None] + zz / (1.0 - accel[..., None] * zz))
        ok = np.isfinite(adj).all(axis=-1) & (lowest != highest)
        q = np.where(ok[..., None], adj, q)
    bounds = _quantiles(boot_sorted, q, n_valid)
    none = n_valid == 0
    bounds[none] = observed[none][..., None]
    return bounds, method


@dataclass(frozen=True, slots=True)
class Difference:
    """System B minus system A on one unit: deltas, paired-bootstrap CI, p and q values."""

    delta: tuple[float, float, float]  # precision, recall, f1
    ci: tuple[tuple[float, float], tuple[float, float], tuple[float, float]]
    p_value: float  # approximate randomization, two-sided, on F1
    q_value: float = float("nan")  # Benjamini-Hochberg over the compared units

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for i, m in enumerate(METRICS):
            out[m] = {"delta": self.delta[i], "ci": list(self.ci[i])}
        out["p_value"] = self.p_value
        out["q_value"] = self.q_value
        return out


def paired_differences(counts_a: FloatArray, counts_b: FloatArray, *, n_resamples: int = 1000,
                       seed: int = 0, level: float = 0.95,
                       family: npt.NDArray[np.bool_] | None = None) -> list[Difference]:
    """Compare two systems unit by unit on the same documents (``(n_docs, n_units, 3)`` each).

    The CI of each delta is the percentile interval of the paired bootstrap;
    the p-value is approximate randomization on the F1 delta, with the
    ``(1 + hits) / (1 + R)`` correction so it is never 0. q-values are
    Benjamini-Hochberg adjusted p-values over the units in ``family`` (all
    units when ``None``); units outside the family keep ``q = p``.
    """
    from scipy.stats import false_discovery_control

    a = np.asarray(counts_a, dtype=np.float64)
    b = np.asarray(counts_b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"count arrays differ in shape: {a.shape} vs {b.shape}")
    n_docs, n_units, _ = a.shape
    ta, tb = a.sum(axis=0), b.sum(axis=0)
    observed = _stats(tb) - _stats(ta)  # (U, 3)
    if n_docs == 0:
        return [Difference((0.0, 0.0, 0.0), ((0.0, 0.0),) * 3, 1.0, 1.0)] * n_units
    flat_a = a.reshape(n_docs, -1).astype(np.float32)
    flat_b = b.reshape(n_docs, -1).astype(np.float32)
    # Paired bootstrap: the same resampled documents for both systems.
    both = resampled_sums(np.concatenate([flat_a, flat_b], axis=1), n_resamples, seed)
    sa = both[:, : n_units * 3].reshape(n_resamples, n_units, 3)
    sb = both[:, n_units * 3:].reshape(n_resamples, n_units, 3)
    deltas = _stats(sb, undefined=np.nan) - _stats(sa, undefined=np.nan)
    n_valid = np.isfinite(deltas).sum(axis=0)
    alpha = (1.0 - level) / 2.0
    q = np.broadcast_to(np.array([alpha, 1.0 - alpha]), (n_units, 3, 2)).copy()
    ci = _quantiles(np.sort(deltas, axis=0), q, n_valid)
    none = n_valid == 0
    ci[none] = observed[none][..., None]
    # Approximate randomization: swap each document's counts with probability 1/2.
    rng = np.random.default_rng(seed + 1)
    swap = rng.integers(0, 2, size=(n_resamples, n_docs)).astype(np.float32)
    moved = (swap @ (flat_b - flat_a)).astype(np.float64).reshape(n_resamples, n_units, 3)
    perm = _stats(tb[None] - moved)[..., 2] - _stats(ta[None] + moved)[..., 2]
    hits = (np.abs(perm) >= np.abs(observed[:, 2])[None] - 1e-12).sum(axis=0)
    p_values = np.minimum((1.0 + hits) / (1.0 + n_resamples), 1.0)
    in_family = np.ones(n_units, dtype=bool) if family is None else np.asarray(family, bool)
    q_values = p_values.copy()
    if in_family.any():
        q_values[in_family] = false_discovery_control(p_values[in_family], method="bh")
    return [
        Difference(
            (float(observed[u, 0]), float(observed[u, 1]), float(observed[u, 2])),
            tuple((float(ci[u, m, 0]), float(ci[u, m, 1])) for m in range(3)),  # type: ignore[arg-type]
            float(p_values[u]),
            float(q_values[u]),
        )
        for u in range(n_units)
    ]
