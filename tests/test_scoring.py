"""Tests of mlecourse.scoring: scikit-learn equalities, hand-computed values, direct loops,
a calibrated simulation, the temperature MLE's score equation, and bad input.

Where expected values come from is said at each test: scikit-learn 1.9 (``brier_score_loss``,
``calibration_curve``), a hand computation written out in the comment, a direct Python loop
over the bins written from the definition, statsmodels' ``Logit`` (an independent maximum
likelihood fit), or SciPy's ``minimize_scalar`` on an NLL built from ``scipy.special``.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import scipy.optimize
import scipy.special
import statsmodels.api as sm
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from mlecourse import losses
from mlecourse.scoring import (
    brier_score,
    expected_calibration_error,
    fit_temperature,
    reliability_curve,
)


def _binary_sample(rng: np.random.Generator, n: int, dtype: type = np.float64):
    """Uniform probabilities with the edge cases 0, 1 and inner bin edges mixed in."""
    p = rng.uniform(size=n)
    p[:8] = [0.0, 1.0, 0.5, 0.1, 0.2, 0.25, 0.75, 0.9]
    y = (rng.uniform(size=n) < p).astype(np.int64)
    return y, p.astype(dtype)


def _categorical_sample(rng: np.random.Generator, n: int, k: int, scale: float = 2.0):
    """Logits z ~ N(0, scale^2) and labels drawn from softmax(z): calibrated by construction."""
    z = rng.normal(0.0, scale, size=(n, k))
    probs = scipy.special.softmax(z, axis=-1)
    labels = (probs.cumsum(axis=-1) > rng.uniform(size=(n, 1))).argmax(axis=-1)
    return z, labels


# ------------------------------------------------------------------------ Brier score


@pytest.mark.parametrize("weighted", [False, True])
def test_brier_equals_sklearn(weighted: bool) -> None:
    rng = np.random.default_rng(101)
    y, p = _binary_sample(rng, 500)
    w = rng.uniform(0, 3, size=500) if weighted else None
    ours = brier_score(y, p, sample_weight=w)
    # scikit-learn 1.9: brier_score_loss(..., scale_by_half="auto") = mean (p - y)^2 for binary
    theirs = brier_score_loss(y, p, sample_weight=w)
    assert ours == pytest.approx(theirs, rel=1e-12)
    assert ours.dtype == np.float64


def test_brier_equals_sklearn_with_one_class_only_and_boolean_labels() -> None:
    p = np.array([0.2, 0.9, 0.6])
    assert brier_score(np.ones(3, dtype=bool), p) == pytest.approx(
        brier_score_loss([1, 1, 1], p), rel=1e-12
    )
    assert brier_score([0.0, 0.0, 0.0], p) == pytest.approx(
        brier_score_loss([0, 0, 0], p, pos_label=1), rel=1e-12
    )


def test_brier_hand_values() -> None:
    # (0.1^2 + 0.1^2 + 0.2^2 + 0.3^2) / 4 = 0.15 / 4 = 0.0375 (by hand)
    assert brier_score([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]) == pytest.approx(0.0375, rel=1e-14)
    # confidently wrong costs 1 per example, the bound; confidently right costs 0
    assert brier_score([1, 0], [0.0, 1.0]) == 1.0
    assert brier_score([1, 0], [1.0, 0.0]) == 0.0
    # weights: (3 * 0.25 + 1 * 0.25) / 4 = 0.25; (2 * 0.01 + 0 * 0.81) / 2 = 0.01
    assert brier_score([1, 0], [0.5, 0.5], sample_weight=[3.0, 1.0]) == 0.25
    assert brier_score([1, 0], [0.9, 0.9], sample_weight=[2.0, 0.0]) == pytest.approx(0.01)
    # a scalar weight changes nothing
    assert brier_score([1, 0], [0.9, 0.2], sample_weight=5.0) == pytest.approx(
        brier_score([1, 0], [0.9, 0.2]), rel=1e-15
    )


def test_brier_is_strictly_proper() -> None:
    # expected score under y ~ Bernoulli(p_star): weights p_star and 1 - p_star on y = 1, 0.
    # Formula: (p - p_star)^2 + p_star (1 - p_star), minimised only at p = p_star.
    grid = np.linspace(0.0, 1.0, 101)
    for p_star in (0.0, 0.13, 0.5, 0.87, 1.0):
        expected = np.array(
            [brier_score([1, 0], [p, p], sample_weight=[p_star, 1 - p_star]) for p in grid]
        )
        np.testing.assert_allclose(
            expected, (grid - p_star) ** 2 + p_star * (1 - p_star), rtol=1e-12, atol=1e-15
        )
        assert grid[np.argmin(expected)] == pytest.approx(p_star, abs=1e-12)


def test_brier_float32_in_float32_out() -> None:
    rng = np.random.default_rng(102)
    y, p = _binary_sample(rng, 300, np.float32)
    ours = brier_score(y, p)
    assert ours.dtype == np.float32
    # the sum runs in float64, then is rounded once: within one float32 ulp of sklearn's
    assert ours == pytest.approx(brier_score_loss(y, p.astype(np.float64)), rel=1.2e-7)


# ------------------------------------------------------------------------ reliability curve


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("n_bins", [1, 2, 5, 10, 23])
def test_reliability_curve_equals_sklearn(strategy: str, n_bins: int) -> None:
    rng = np.random.default_rng(103 + n_bins)
    y, p = _binary_sample(rng, 400)
    ours = reliability_curve(y, p, n_bins=n_bins, strategy=strategy)
    theirs = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)  # scikit-learn 1.9
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, b)  # the same bins, the same sums: bit for bit


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_reliability_curve_edge_cases_equal_sklearn(strategy: str) -> None:
    cases = {
        # only p = 0 and p = 1 (first and last bins; quantile edges all 0 or 1)
        "zeros and ones": ([0, 1, 0, 1, 1], [0.0, 1.0, 0.0, 1.0, 1.0]),
        # every probability on an inner edge of the 10 uniform bins: each goes to the bin below
        "on the edges": ([0, 0, 1, 1, 1, 0], [0.1, 0.2, 0.5, 0.7, 0.9, 0.3]),
        # all in [0, 0.3): 7 of 10 uniform bins empty and dropped; quantile edges with ties
        "empty bins": ([0, 0, 1, 0, 1, 0, 0, 0], [0.01, 0.02, 0.02, 0.02, 0.02, 0.15, 0.29, 0.29]),
        "one example": ([1], [0.42]),
        "one class": ([0, 0, 0], [0.3, 0.6, 0.9]),
    }
    for name, (y, p) in cases.items():
        ours = reliability_curve(y, p, n_bins=10, strategy=strategy)
        theirs = calibration_curve(y, p, n_bins=10, strategy=strategy)
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_array_equal(a, b, err_msg=name)


def test_reliability_curve_bins_by_hand() -> None:
    # n_bins = 2: 0.5 lies on the inner edge and belongs to the lower bin (0, 0.5] (sklearn's
    # rule); bin 1 holds 0.2 and 0.5 (1 positive of 2), bin 2 holds 0.8 and 1.0 (2 of 2)
    prob_true, prob_pred = reliability_curve([0, 1, 1, 1], [0.2, 0.5, 0.8, 1.0], n_bins=2)
    np.testing.assert_allclose(prob_true, [0.5, 1.0], rtol=1e-15)
    np.testing.assert_allclose(prob_pred, [0.35, 0.9], rtol=1e-15)
    # empty bins are left out: 10 bins, data in two of them
    prob_true, prob_pred = reliability_curve([0, 1, 1], [0.05, 0.07, 0.95])
    np.testing.assert_allclose(prob_true, [0.5, 1.0], rtol=1e-15)
    np.testing.assert_allclose(prob_pred, [0.06, 0.95], rtol=1e-15)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_reliability_curve_float32(strategy: str) -> None:
    rng = np.random.default_rng(104)
    y, p = _binary_sample(rng, 400, np.float32)
    ours = reliability_curve(y, p, n_bins=8, strategy=strategy)
    # sklearn bins the float32 values as we do and returns float64: ours is that, rounded once
    theirs = calibration_curve(y, p, n_bins=8, strategy=strategy)
    for a, b in zip(ours, theirs, strict=True):
        assert a.dtype == np.float32
        np.testing.assert_array_equal(a, b.astype(np.float32))


# ------------------------------------------------------------------------ ECE


def _ece_loop(y: np.ndarray, p: np.ndarray, n_bins: int) -> float:
    """The binary ECE written from its definition, one bin at a time (no searchsorted)."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    total = 0.0
    for m in range(n_bins):
        last = m == n_bins - 1
        in_bin = (p >= edges[m]) & ((p < edges[m + 1]) | (last & (p <= 1.0)))
        if in_bin.any():
            total += in_bin.mean() * abs(y[in_bin].mean() - p[in_bin].mean())
    return total


def test_ece_hand_values() -> None:
    # 2 bins [0, 0.5), [0.5, 1]: {0.1, 0.2} with y 0, 1: 2/4 * |1/2 - 0.15| = 0.175;
    # {0.6, 0.9} with y 1, 1: 2/4 * |1 - 0.75| = 0.125; total 0.3
    assert expected_calibration_error([0, 1, 1, 1], [0.1, 0.2, 0.6, 0.9], n_bins=2) == (
        pytest.approx(0.3, rel=1e-14)
    )
    # 4 bins, every probability on an edge: [a, b) puts 0.25 in [0.25, 0.5), and 1 with 0.75
    # in [0.75, 1]. Per bin |sum y - sum p|: |0 - 0| + |0 - 0.25| + |1 - 0.5| + |1 - 1.75|
    # = 1.5, over n = 5: 0.3. (The (a, b] rule of calibration_curve would give 0.4.)
    p, y = [0.0, 0.25, 0.5, 0.75, 1.0], [0, 0, 1, 1, 0]
    assert expected_calibration_error(y, p, n_bins=4) == pytest.approx(0.3, rel=1e-14)
    # one bin: |mean y - mean p| = |3/5 - 2.5/5| = 0.1
    assert expected_calibration_error(y, p, n_bins=1) == pytest.approx(0.1, rel=1e-13)
    # perfectly right and certain: 0; certain and always wrong: 1
    assert expected_calibration_error([0, 1], [0.0, 1.0]) == 0.0
    assert expected_calibration_error([1, 0], [0.0, 1.0]) == 1.0


def test_top_label_ece_hand_values() -> None:
    probs = [[0.7, 0.2, 0.1], [0.4, 0.5, 0.1], [0.3, 0.3, 0.4], [0.9, 0.05, 0.05]]
    # confidences 0.7, 0.5, 0.4, 0.9; predicted 0, 1, 2, 0; labels 0, 0, 2, 1 -> correct 1, 0, 1, 0
    # 2 bins: [0, 0.5) = {0.4}: 1/4 * |1 - 0.4| = 0.15; [0.5, 1] = {0.7, 0.5, 0.9}:
    # 3/4 * |1/3 - 0.7| = 0.275; total 0.425
    assert expected_calibration_error([0, 0, 2, 1], probs, n_bins=2) == pytest.approx(
        0.425, rel=1e-14
    )
    # a tie in the maximum: np.argmax picks the first class. Row [0.5, 0.5] with label 0 is
    # correct (|1 - 0.5| = 0.5), with label 1 wrong (|0 - 0.5| = 0.5): one bin, n = 1
    assert expected_calibration_error([0], [[0.5, 0.5]], n_bins=1) == 0.5
    assert expected_calibration_error([0, 1], [[0.5, 0.5], [0.5, 0.5]], n_bins=1) == 0.0


def test_ece_equals_a_direct_loop() -> None:
    rng = np.random.default_rng(105)
    for n_bins in (1, 3, 10, 15, 40):
        y, p = _binary_sample(rng, 777)
        p = np.where(rng.uniform(size=p.size) < 0.2, np.round(p, 1), p)  # many on the edges
        ours = expected_calibration_error(y, p, n_bins=n_bins)
        assert ours == pytest.approx(_ece_loop(y.astype(float), p, n_bins), rel=1e-12, abs=1e-15)


def test_top_label_ece_equals_a_direct_loop() -> None:
    rng = np.random.default_rng(106)
    z, labels = _categorical_sample(rng, 600, 5)
    probs = scipy.special.softmax(1.7 * z, axis=-1)  # over-confident
    confidence = probs.max(axis=-1)
    correct = (probs.argmax(axis=-1) == labels).astype(float)
    assert expected_calibration_error(labels, probs, n_bins=12) == pytest.approx(
        _ece_loop(correct, confidence, 12), rel=1e-12
    )


def test_two_class_top_label_ece_is_binary_ece_when_every_p_exceeds_half() -> None:
    # with p > 1/2 the top label is class 1, its confidence p, and "correct" is y = 1
    rng = np.random.default_rng(107)
    p = rng.uniform(0.5, 1.0, size=300)
    p[p == 0.5] = 0.75
    y = (rng.uniform(size=300) < p).astype(int)
    two_columns = np.stack([1 - p, p], axis=-1)
    assert expected_calibration_error(y, two_columns) == pytest.approx(
        expected_calibration_error(y, p), rel=1e-12
    )
    # and in general the two differ: the top-label version folds p < 1/2 onto 1 - p
    q = rng.uniform(size=300)
    yq = (rng.uniform(size=300) < q).astype(int)
    folded = expected_calibration_error(yq, np.stack([1 - q, q], axis=-1))
    assert abs(folded - expected_calibration_error(yq, q)) > 1e-3


def test_ece_invariances() -> None:
    rng = np.random.default_rng(108)
    y, p = _binary_sample(rng, 500)
    ece = expected_calibration_error(y, p)
    order = rng.permutation(500)
    # the order of the examples does not matter
    assert expected_calibration_error(y[order], p[order]) == pytest.approx(ece, rel=1e-12)
    # every example twice: the same frequencies, the same bin weights
    twice = expected_calibration_error(np.tile(y, 2), np.tile(p, 2))
    assert twice == pytest.approx(ece, rel=1e-12)
    # mirroring (p, y) -> (1 - p, 1 - y) mirrors the bins (away from the edges)
    inner = (p > 0) & (p < 1) & (np.abs(p * 15 - np.round(p * 15)) > 1e-9)
    assert expected_calibration_error(1 - y[inner], 1 - p[inner]) == pytest.approx(
        expected_calibration_error(y[inner], p[inner]), rel=1e-10
    )
    # top-label: relabelling the classes (columns and labels together) changes nothing
    z, labels = _categorical_sample(rng, 400, 4)
    probs = scipy.special.softmax(z, axis=-1)
    perm = np.array([2, 0, 3, 1])
    inverse = np.argsort(perm)
    assert expected_calibration_error(inverse[labels], probs[:, perm]) == pytest.approx(
        expected_calibration_error(labels, probs), rel=1e-12
    )


def test_ece_of_a_calibrated_model_shrinks_like_one_over_sqrt_n() -> None:
    # y ~ Bernoulli(p): calibrated by construction. In each bin the gap sum(y) - sum(p) is
    # approximately Normal(0, sum p(1 - p)), so E|gap| = sqrt(2/pi) * sqrt(sum p(1 - p)) and
    # E[ECE] ~ sum_m sqrt(2/pi) * sqrt(V_m) / n, which is proportional to 1/sqrt(n).
    rng = np.random.default_rng(109)
    n_bins, reps = 15, 100
    scaled = []
    for n in (1_000, 16_000):
        p = rng.uniform(size=(reps, n))
        y = (rng.uniform(size=(reps, n)) < p).astype(float)
        eces = np.array(
            [expected_calibration_error(y[r], p[r], n_bins=n_bins) for r in range(reps)]
        )
        bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
        predicted = np.mean(
            [
                np.sqrt(2 / np.pi)
                * np.sqrt(np.bincount(bins[r], weights=p[r] * (1 - p[r]), minlength=n_bins)).sum()
                / n
                for r in range(reps)
            ]
        )
        # the normal approximation is good to ~2% here; 5 standard errors of the mean on top
        tolerance = 0.03 * predicted + 5 * eces.std(ddof=1) / np.sqrt(reps)
        assert abs(eces.mean() - predicted) < tolerance
        scaled.append(eces.mean() * np.sqrt(n))
    # 16x the data, a quarter of the ECE: sqrt(n) * ECE about constant (~1.22 for U(0, 1))
    assert scaled[1] == pytest.approx(scaled[0], rel=0.08)
    # a miscalibrated model (true probability p^2) keeps a gap that does not shrink
    p = rng.uniform(size=16_000)
    y = (rng.uniform(size=p.size) < p**2).astype(float)
    # E|p - p^2| over U(0, 1) = 1/6, up to the binning of 15 bins
    assert expected_calibration_error(y, p) == pytest.approx(1 / 6, rel=0.05)


def test_ece_of_a_calibrated_model_grows_like_sqrt_of_the_number_of_bins() -> None:
    # the docstring's "of order sqrt(M / n)": each of the M bins holds about n / M examples,
    # whose frequency misses their mean probability by about sqrt(M / n); the sum over bins,
    # weighted by |B_m| / n, keeps that size. With p ~ U(0, 1) the constant is
    # sqrt(2/pi) * E[sqrt(p(1 - p))] = sqrt(2/pi) * pi/8 = 0.313
    rng = np.random.default_rng(110)
    n, reps = 4_000, 100
    p = rng.uniform(size=(reps, n))
    y = (rng.uniform(size=(reps, n)) < p).astype(float)
    scaled = {}
    for n_bins in (5, 60):
        eces = [expected_calibration_error(y[r], p[r], n_bins=n_bins) for r in range(reps)]
        scaled[n_bins] = np.mean(eces) / np.sqrt(n_bins / n)
        assert scaled[n_bins] == pytest.approx(np.sqrt(2 / np.pi) * np.pi / 8, rel=0.06)
    # 12x the bins, sqrt(12) = 3.5x the ECE, at the same calibration and the same data
    assert scaled[60] == pytest.approx(scaled[5], rel=0.06)


def test_ece_float32_in_float32_out() -> None:
    rng = np.random.default_rng(110)
    y, p = _binary_sample(rng, 300, np.float32)
    ece = expected_calibration_error(y, p)
    assert ece.dtype == np.float32
    assert ece == pytest.approx(_ece_loop(y.astype(float), p.astype(np.float64), 15), rel=1e-6)
    z, labels = _categorical_sample(rng, 200, 3)
    probs = scipy.special.softmax(z, axis=-1).astype(np.float32)
    assert expected_calibration_error(labels, probs).dtype == np.float32


# ------------------------------------------------------------------------ temperature scaling


def _mean_nll(logits: np.ndarray, labels: np.ndarray, t: float) -> float:
    """The NLL of softmax(z / T) with the package's own sparse cross-entropy (from logits)."""
    return float(losses.sparse_categorical_cross_entropy(labels, logits / t, from_logits=True))


def test_temperature_closed_form() -> None:
    # every logit margin is 2 and 3 of 4 examples are right: the MLE makes sigmoid(2 / T) = 3/4,
    # T = 2 / log 3 = 1.8204784532536746 (by hand)
    z = np.array([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0], [2.0, 0.0]])
    y = np.array([0, 1, 1, 0])
    assert fit_temperature(z, y) == pytest.approx(2 / np.log(3), rel=1e-12)
    # the same data as binary logits (z_1 - z_0) and 0/1 labels
    assert fit_temperature(z[:, 1] - z[:, 0], y) == pytest.approx(2 / np.log(3), rel=1e-12)


def test_temperature_solves_the_score_equation() -> None:
    rng = np.random.default_rng(111)
    z, labels = _categorical_sample(rng, 3_000, 6)
    logits = 3.0 * z  # over-confident
    t = float(fit_temperature(logits, labels))

    def slope(at: float) -> float:  # central difference of the NLL in T
        h = 1e-5 * at
        return (_mean_nll(logits, labels, at + h) - _mean_nll(logits, labels, at - h)) / (2 * h)

    # at the MLE the derivative vanishes (up to the difference's rounding, ~1e-10 here) ...
    assert abs(slope(t)) < 1e-7
    # ... and 0.1% away it is clearly not zero, with the sign of a minimum on each side
    assert slope(t * 0.999) < -1e-5 and slope(t * 1.001) > 1e-5


def test_temperature_equals_scipy_minimize_scalar() -> None:
    rng = np.random.default_rng(112)
    z, labels = _categorical_sample(rng, 2_000, 3)
    logits = 0.5 * z + rng.normal(0, 0.5, size=z.shape)  # under-confident and noisy

    def nll_of_log_t(log_t: float) -> float:  # scipy.special.log_softmax: independent of ours
        log_p = scipy.special.log_softmax(logits / np.exp(log_t), axis=-1)
        return -np.mean(log_p[np.arange(labels.size), labels])

    ref = scipy.optimize.minimize_scalar(
        nll_of_log_t, bounds=(-5, 5), method="bounded", options={"xatol": 1e-10}
    )
    assert fit_temperature(logits, labels) == pytest.approx(np.exp(ref.x), rel=1e-6)


@pytest.mark.parametrize("t_true", [1.0, 2.5, 0.4])
def test_temperature_recovers_the_true_temperature(t_true: float) -> None:
    # labels drawn from softmax(z), logits shown to the fit: t_true * z. The MLE of T is
    # t_true up to sampling error; its standard error comes from the observed information
    # in beta = 1/T (sum over examples of the variance of z under softmax(beta z)), by the
    # delta method se(T) = T^2 se(beta). t_true = 1 is the calibrated case: T = 1 is the answer.
    rng = np.random.default_rng(113)
    z, labels = _categorical_sample(rng, 20_000, 4)
    logits = t_true * z
    t = float(fit_temperature(logits, labels))
    q = scipy.special.softmax(logits / t, axis=-1)
    variance = (q * logits**2).sum(-1) - (q * logits).sum(-1) ** 2
    se_t = t**2 / np.sqrt(variance.sum())
    assert abs(t - t_true) < 4 * se_t
    assert se_t < 0.012 * t_true  # the check is sharp: a 5% error in T would fail it


def test_binary_temperature_equals_statsmodels_logit() -> None:
    # sigmoid(z / T) is a logistic regression on the single feature z without intercept,
    # coefficient 1 / T: statsmodels' Newton fit is an independent MLE
    rng = np.random.default_rng(114)
    z = rng.normal(0, 3, size=1_500)
    y = (rng.uniform(size=z.size) < scipy.special.expit(z / 2.2)).astype(int)
    fit = sm.Logit(y, z[:, None]).fit(disp=0, tol=1e-12)
    assert fit_temperature(z, y) == pytest.approx(1 / fit.params[0], rel=1e-6)
    # the two-class softmax with logits (-z/2, z/2): softmax is shift-invariant per row
    assert fit_temperature(np.stack([-z / 2, z / 2], axis=-1), y) == pytest.approx(
        fit_temperature(z, y), rel=1e-10
    )


def test_temperature_equivariance_and_huge_logits() -> None:
    rng = np.random.default_rng(115)
    z, labels = _categorical_sample(rng, 1_000, 5)
    t = float(fit_temperature(z, labels))
    # adding a constant to a row changes no probability, so not T
    shifted = z + rng.normal(0, 100, size=(z.shape[0], 1))
    assert fit_temperature(shifted, labels) == pytest.approx(t, rel=1e-9)
    # scaling every logit by c scales T by c: logits of order 1e4 stay exact (log-softmax)
    for c in (1e-3, 1e4 / np.abs(z).max(), 1e6):
        assert fit_temperature(c * z, labels) == pytest.approx(c * t, rel=1e-9)


def test_temperature_float32_in_float32_out() -> None:
    rng = np.random.default_rng(116)
    z, labels = _categorical_sample(rng, 500, 3)
    t32 = fit_temperature(z.astype(np.float32), labels)
    assert t32.dtype == np.float32
    assert t32 == pytest.approx(
        fit_temperature(z.astype(np.float32).astype(float), labels), rel=1e-7
    )
    assert fit_temperature(z, labels).dtype == np.float64


def test_temperature_without_a_finite_maximum_is_an_error() -> None:
    z = np.array([[3.0, 0.0], [0.0, 1.0], [2.0, -1.0]])
    # every label's logit the largest: the likelihood grows as T -> 0
    with pytest.raises(ValueError, match=re.escape("T -> 0")):
        fit_temperature(z, [0, 1, 0])
    # labels no better than chance (all wrong): the likelihood grows as T -> infinity
    with pytest.raises(ValueError, match=re.escape("T -> infinity")):
        fit_temperature(z, [1, 0, 1])
    with pytest.raises(ValueError, match=re.escape("T -> infinity")):
        fit_temperature(np.zeros((4, 3)), [0, 1, 2, 0])  # all logits equal: T is not identified
    # a tie at the top with the label among the tied: no finite T either (T -> 0)
    with pytest.raises(ValueError, match=re.escape("T -> 0")):
        fit_temperature(np.array([[1.0, 1.0, 0.0], [2.0, 0.0, 0.0]]), [1, 0])


# ------------------------------------------------------------------------ bad input


P4 = [0.1, 0.4, 0.6, 0.9]
Y4 = [0, 1, 0, 1]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        # probabilities outside [0, 1], NaN, infinity
        (
            lambda: brier_score(Y4, [0.1, 1.2, 0.5, 0.5]),
            ValueError,
            "y_prob must be probabilities in [0, 1]",
        ),
        (
            lambda: reliability_curve(Y4, [-0.1, 0.2, 0.5, 0.5]),
            ValueError,
            "y_prob must be probabilities in [0, 1]",
        ),
        (
            lambda: expected_calibration_error(Y4, [0.1, np.nan, 0.5, 0.5]),
            ValueError,
            "y_prob must be finite",
        ),
        (lambda: brier_score(Y4, [0.1, np.inf, 0.5, 0.5]), ValueError, "y_prob must be finite"),
        (
            lambda: fit_temperature([[0.0, np.nan], [1.0, 0.0]], [0, 1]),
            ValueError,
            "logits must be finite",
        ),
        (lambda: brier_score([0, np.nan, 1, 1], P4), ValueError, "y_true must be finite"),
        # labels not 0/1, or out of range
        (lambda: brier_score([0, 2, 1, 1], P4), ValueError, "y_true must be binary labels 0 or 1"),
        (
            lambda: reliability_curve([0, 0.5, 1, 1], P4),
            ValueError,
            "y_true must be binary labels 0 or 1",
        ),
        (
            lambda: expected_calibration_error([0, -1, 1, 1], P4),
            ValueError,
            "y_true must be binary labels",
        ),
        (
            lambda: fit_temperature([1.0, -1.0], [0, 3]),
            ValueError,
            "labels must be binary labels 0 or 1",
        ),
        (
            lambda: expected_calibration_error([0, 3], [[0.5, 0.5], [0.2, 0.8]]),
            ValueError,
            "y_true must be class indices in [0, 1]",
        ),
        (
            lambda: expected_calibration_error([0, 0.5], [[0.5, 0.5], [0.2, 0.8]]),
            ValueError,
            "y_true must contain whole numbers",
        ),
        (
            lambda: fit_temperature([[1.0, 0.0], [0.0, 1.0]], [0, 2]),
            ValueError,
            "labels must be class indices in [0, 1]",
        ),
        # mismatched shapes: never broadcast
        (lambda: brier_score(Y4, P4[:3]), ValueError, "y_true and y_prob must have the same shape"),
        (
            lambda: brier_score(np.array(Y4)[:, None], P4),
            ValueError,
            "y_true and y_prob must have the same shape",
        ),
        (lambda: brier_score(Y4, np.array(P4)[:, None]), ValueError, "y_prob must be a 1-D array"),
        (
            lambda: reliability_curve(Y4, np.array(P4)[:, None]),
            ValueError,
            "y_prob must be a 1-D array",
        ),
        (
            lambda: expected_calibration_error([[0], [1]], [[0.5, 0.5], [0.2, 0.8]]),
            ValueError,
            "one class index per example, shape (2,)",
        ),
        (
            lambda: expected_calibration_error([0, 1], np.full((2, 2, 2), 0.5)),
            ValueError,
            "y_prob must have shape (N,)",
        ),
        (
            lambda: fit_temperature(np.zeros((2, 3)), [0, 1, 2]),
            ValueError,
            "labels must hold one class index per example",
        ),
        (
            lambda: fit_temperature(np.zeros((2, 3, 1)), [0, 1]),
            ValueError,
            "logits must have shape (N, K)",
        ),
        (
            lambda: fit_temperature([1.0, -1.0, 2.0], [0, 1]),
            ValueError,
            "labels and logits must have the same shape",
        ),
        # fewer than 2 classes
        (
            lambda: expected_calibration_error([0, 0], [[1.0], [1.0]]),
            ValueError,
            "at least 2 classes",
        ),
        (lambda: fit_temperature([[1.0], [2.0]], [0, 0]), ValueError, "at least 2 classes"),
        # n_bins
        (lambda: reliability_curve(Y4, P4, n_bins=0), ValueError, "n_bins must be an integer >= 1"),
        (
            lambda: expected_calibration_error(Y4, P4, n_bins=-3),
            ValueError,
            "n_bins must be an integer >= 1",
        ),
        (lambda: reliability_curve(Y4, P4, n_bins=2.5), TypeError, "n_bins must be an integer"),
        (
            lambda: expected_calibration_error(Y4, P4, n_bins=True),
            TypeError,
            "n_bins must be an integer",
        ),
        # strategy
        (
            lambda: reliability_curve(Y4, P4, strategy="kmeans"),
            ValueError,
            "strategy must be one of ('uniform', 'quantile')",
        ),
        # empty input
        (lambda: brier_score([], []), ValueError, "y_prob must not be empty"),
        (lambda: reliability_curve([], []), ValueError, "y_prob must not be empty"),
        (
            lambda: expected_calibration_error(np.zeros(0), np.zeros((0, 3))),
            ValueError,
            "y_prob must not be empty",
        ),
        (lambda: fit_temperature(np.zeros((0, 3)), []), ValueError, "logits must not be empty"),
        # weights
        (
            lambda: brier_score(Y4, P4, sample_weight=[1, 1, -1, 1]),
            ValueError,
            "sample_weight must be >= 0",
        ),
        (lambda: brier_score(Y4, P4, sample_weight=[0, 0, 0, 0]), ValueError, "sum to 0"),
        (
            lambda: brier_score(Y4, P4, sample_weight=[1, 1]),
            ValueError,
            "sample_weight must be a scalar or have the shape",
        ),
        # not numbers
        (
            lambda: brier_score(Y4, ["a", "b", "c", "d"]),
            TypeError,
            "y_prob must contain real numbers",
        ),
        (
            lambda: fit_temperature([[1.0, 0.0]], ["a"]),
            TypeError,
            "labels must contain real numbers",
        ),
    ],
)
def test_bad_input_gets_a_named_error(call, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_unnormalised_rows_warn() -> None:
    with pytest.warns(UserWarning, match="y_prob should sum to 1"):
        expected_calibration_error([0, 1], [[0.5, 0.2], [0.3, 0.7]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected_calibration_error([0, 1], [[0.5, 0.5], [0.3, 0.7]])
