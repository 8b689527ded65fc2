"""Statistics: interval coverage on simulated data, reproducibility, paired tests, FDR."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from filingkit.eval.metrics import Counts, macro, prf, ratio
from filingkit.eval.stats import (
    FloatArray,
    bootstrap_intervals,
    paired_differences,
    resample_weights,
)

RECALL, PRECISION = 0.7, 0.8


def simulate(rng: np.random.Generator, n_docs: int) -> FloatArray:
    """Per-document counts with known population recall 0.7 and precision 0.8."""
    gold = rng.poisson(5, n_docs) + 1
    tp = rng.binomial(gold, RECALL)
    fn = gold - tp
    # E[fp] chosen so E[tp] / (E[tp] + E[fp]) = PRECISION.
    fp = rng.poisson(RECALL * 6 * (1 - PRECISION) / PRECISION, n_docs)
    return np.stack([tp, fp, fn], axis=-1)[:, None, :].astype(float)


@pytest.mark.parametrize("method", [pytest.param("bca", id="bca"),
                                    pytest.param("percentile", id="percentile")])
def test_interval_coverage_on_simulated_data(method: str) -> None:
    true_f1 = 2 * PRECISION * RECALL / (PRECISION + RECALL)
    truth = np.array([PRECISION, RECALL, true_f1])
    rng = np.random.default_rng(1234)
    n_sims = 300
    hits = np.zeros(3)
    for sim in range(n_sims):
        counts = simulate(rng, 80)
        bounds, used = bootstrap_intervals(counts, n_resamples=400, seed=sim, method=method)
        assert used == method
        hits += (bounds[0, :, 0] <= truth) & (truth <= bounds[0, :, 1])
    coverage = hits / n_sims
    # Nominal 0.95; with 300 simulations the standard error is about 0.013.
    assert np.all(coverage >= 0.90), coverage
    assert np.all(coverage <= 0.99), coverage


def test_intervals_are_reproducible_and_seeded() -> None:
    counts = simulate(np.random.default_rng(0), 50)
    a, _ = bootstrap_intervals(counts, n_resamples=300, seed=7)
    b, _ = bootstrap_intervals(counts, n_resamples=300, seed=7)
    c, _ = bootstrap_intervals(counts, n_resamples=300, seed=8)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_interval_contains_point_estimate() -> None:
    counts = simulate(np.random.default_rng(3), 40)
    bounds, _ = bootstrap_intervals(counts, n_resamples=500, seed=0)
    point = prf(*counts.sum(axis=0)[0])
    for m in range(3):
        assert bounds[0, m, 0] <= point[m] <= bounds[0, m, 1]


def test_documents_are_resampled_whole() -> None:
    w = resample_weights(10, 50, seed=0)
    assert w.shape == (50, 10)
    assert np.all(w.sum(axis=1) == 10)


def test_constant_statistic_has_a_point_interval() -> None:
    counts = np.tile(np.array([[[2.0, 0.0, 0.0]]]), (5, 1, 1))
    bounds, _ = bootstrap_intervals(counts, n_resamples=100, seed=0)
    assert np.allclose(bounds[0], [[1.0, 1.0]] * 3)


def _scipy_pvalue(a: FloatArray, b: FloatArray) -> float:
    table = np.concatenate([a, b])
    n = len(a)

    def f1(rows: FloatArray) -> float:
        tp, fp, fn = table[rows.astype(int)].sum(axis=0)
        return prf(tp, fp, fn)[2]

    res = sps.permutation_test(
        (np.arange(n, dtype=float), np.arange(n, 2 * n, dtype=float)),
        lambda x, y: f1(y) - f1(x),
        permutation_type="samples", vectorized=False, n_resamples=np.inf,
        alternative="two-sided",
    )
    return float(res.pvalue)


def test_approximate_randomization_agrees_with_scipy_permutation_test() -> None:
    rng = np.random.default_rng(5)
    a = np.stack([rng.integers(0, 6, 9), rng.integers(0, 4, 9), rng.integers(0, 4, 9)], -1)
    b = a + np.stack([rng.integers(0, 3, 9), np.zeros(9, int), np.zeros(9, int)], -1)
    b[:, 2] = np.maximum(a[:, 2] - (b[:, 0] - a[:, 0]), 0)
    expected = _scipy_pvalue(a.astype(float), b.astype(float))
    (d,) = paired_differences(a[:, None].astype(float), b[:, None].astype(float),
                              n_resamples=20000, seed=0)
    assert d.p_value == pytest.approx(expected, abs=0.02)


def test_identical_systems_do_not_differ() -> None:
    counts = simulate(np.random.default_rng(1), 30)
    (d,) = paired_differences(counts, counts, n_resamples=500, seed=0)
    assert d.delta == (0.0, 0.0, 0.0)
    assert d.p_value == 1.0
    assert d.ci[2] == (0.0, 0.0)


def test_clear_improvement_is_significant_and_ci_excludes_zero() -> None:
    rng = np.random.default_rng(2)
    a = simulate(rng, 60)
    b = a.copy()
    b[:, 0, 0] += b[:, 0, 2]  # B finds everything A missed
    b[:, 0, 2] = 0
    (d,) = paired_differences(a, b, n_resamples=1000, seed=0)
    assert d.delta[1] > 0 and d.ci[1][0] > 0
    assert d.p_value < 0.01


def test_false_discovery_control_over_fields() -> None:
    rng = np.random.default_rng(4)
    a = np.concatenate([simulate(rng, 50) for _ in range(4)], axis=1)
    b = a.copy()
    b[:, 0, 0] += b[:, 0, 2]
    b[:, 0, 2] = 0
    diffs = paired_differences(a, b, n_resamples=500, seed=0)
    p = np.array([d.p_value for d in diffs])
    q = np.array([d.q_value for d in diffs])
    assert np.allclose(q, sps.false_discovery_control(p, method="bh"))
    assert np.all(q >= p - 1e-12)
    family = np.array([True, True, False, False])
    diffs = paired_differences(a, b, n_resamples=500, seed=0, family=family)
    assert diffs[2].q_value == diffs[2].p_value


# ------------------------------------------------------------------ metrics


@pytest.mark.parametrize(
    "tp, fp, fn, expected",
    [
        pytest.param(0, 0, 0, (0.0, 0.0, 0.0), id="nothing"),
        pytest.param(3, 0, 0, (1.0, 1.0, 1.0), id="perfect"),
        pytest.param(0, 2, 0, (0.0, 0.0, 0.0), id="only-fp"),
        pytest.param(1, 1, 2, (0.5, 1 / 3, 0.4), id="mixed"),
        pytest.param(0.5, 0.5, 0.5, (0.5, 0.5, 0.5), id="half-credit"),
    ],
)
def test_prf(tp: float, fp: float, fn: float, expected: tuple[float, ...]) -> None:
    assert prf(tp, fp, fn) == pytest.approx(expected)


def test_zero_division_policy_is_one_helper() -> None:
    assert ratio(1, 0) == 0.0
    assert ratio(1, 4) == 0.25


def test_counts_are_additive_and_macro_skips_empty_units() -> None:
    a, b = Counts(1, 1, 0), Counts(1, 0, 1)
    assert a + b == Counts(2, 1, 1)
    m = macro([Counts(1, 0, 0), Counts(0, 0, 0), Counts(0, 1, 1)])
    assert m.n == 2 and m.f1 == pytest.approx(0.5)
