"""Tests of the Chapter 10 exercise solutions against independent computations.

The references are :mod:`mlecourse.scoring` (bincount and Brent's method, written
independently of the solutions), scikit-learn's temperature scaling, ``scipy.optimize``,
hand-computed values, and a dense grid of the package's own focal loss: never the
solution's own formula.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator

from mlecourse import datasets, losses, scoring
from mlecourse.solutions import ch10

# ----------------------------------------------------------------- top-label ECE


def _dirichlet_probs(n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.full(k, 0.7), size=n)
    sharper = probs**2 / np.sum(probs**2, axis=1, keepdims=True)  # the labels' truth
    labels = np.array([rng.choice(k, p=row) for row in sharper])
    return probs, labels


@pytest.mark.parametrize(("k", "n_bins"), [(2, 1), (3, 15), (5, 10), (10, 7)])
def test_top_label_ece_equals_mlecourse_scoring(k, n_bins):
    probs, labels = _dirichlet_probs(400, k, seed=k)
    expected = scoring.expected_calibration_error(labels, probs, n_bins=n_bins)
    assert ch10.top_label_ece(probs, labels, n_bins=n_bins) == pytest.approx(
        float(expected), rel=1e-12, abs=1e-15
    )


def test_top_label_ece_by_hand():
    # confidences 0.7, 0.5, 0.4, 0.9; correct 1, 0, 1, 0; bins [0, 0.5) and [0.5, 1]:
    # 1/4 * |1 - 0.4| + 3/4 * |1/3 - 0.7| = 0.15 + 0.275 = 0.425
    probs = [[0.7, 0.2, 0.1], [0.4, 0.5, 0.1], [0.3, 0.3, 0.4], [0.9, 0.05, 0.05]]
    assert ch10.top_label_ece(probs, [0, 0, 2, 1], n_bins=2) == pytest.approx(0.425)


def test_top_label_ece_edges():
    # a confidence of exactly 1 is in the last bin; 0.5 starts the upper of two bins
    assert ch10.top_label_ece([[1.0, 0.0]], [0], n_bins=4) == 0.0
    assert ch10.top_label_ece([[1.0, 0.0]], [1], n_bins=4) == 1.0
    assert ch10.top_label_ece([[0.5, 0.5], [0.5, 0.5]], [0, 1], n_bins=2) == 0.0
    # float32 input is accepted and computed in float64
    probs, labels = _dirichlet_probs(200, 3, seed=1)
    value32 = ch10.top_label_ece(probs.astype(np.float32), labels)
    assert value32 == pytest.approx(ch10.top_label_ece(probs, labels), abs=1e-6)


@pytest.mark.parametrize(
    ("probs", "labels", "n_bins", "match"),
    [
        ([0.2, 0.8], [1, 0], 15, "shape"),
        ([[1.0], [1.0]], [0, 0], 15, "K >= 2"),
        ([[0.2, 0.8]], [2], 15, "class indices"),
        ([[0.2, 0.8]], [0, 1], 15, "class indices"),
        ([[0.2, 0.8]], [1], 0, "n_bins"),
    ],
)
def test_top_label_ece_bad_input(probs, labels, n_bins, match):
    with pytest.raises(ValueError, match=match):
        ch10.top_label_ece(probs, labels, n_bins=n_bins)


# ----------------------------------------------------------------- temperature


def _underconfident(seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    data = datasets.logistic_regression(500, weights=(1.5, -1.0), bias=-1.0, seed=seed)
    return 0.3 * data.logits, data.y  # logits shrunk 0.3x: the MLE of T is near 0.3


def test_buggy_fit_returns_a_negative_temperature():
    z, y = _underconfident()
    assert ch10.buggy_fit_temperature(z, y) < 0  # the bug the exercise asks to fix


@pytest.mark.parametrize("seed", [3, 4, 6, 7])
def test_buggy_fit_with_a_small_enough_step_reaches_the_mle(seed):
    # the step size, not gradient descent on T, is what fails: 0.5 is small enough here
    z, y = _underconfident(seed)
    small_step = ch10.buggy_fit_temperature(z, y, learning_rate=0.5, steps=400)
    np.testing.assert_allclose(small_step, ch10.fit_temperature_newton(z, y), rtol=1e-6)


def test_the_safe_step_depends_on_the_data():
    z, y = _underconfident(5)  # here 0.5 does not converge, 0.2 does
    t_hat = ch10.fit_temperature_newton(z, y)
    assert abs(ch10.buggy_fit_temperature(z, y, learning_rate=0.5, steps=400) - t_hat) > 0.01
    smaller = ch10.buggy_fit_temperature(z, y, learning_rate=0.2, steps=1000)
    np.testing.assert_allclose(smaller, t_hat, rtol=1e-6)


class _ScoreAsClassifier(ClassifierMixin, BaseEstimator):
    """A trained classifier whose score is its input (scikit-learn's duck typing)."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def decision_function(self, X):
        return np.asarray(X)[:, 0]

    def predict(self, X):
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


@pytest.mark.parametrize("scale", [0.3, 1.0, 4.0])
def test_newton_temperature_equals_brent_scipy_and_sklearn(scale):
    data = datasets.logistic_regression(400, weights=(1.5, -1.0), bias=-1.0, seed=5)
    z, y = scale * data.logits, data.y
    t_newton = ch10.fit_temperature_newton(z, y)
    # Brent's method on log T (mlecourse.scoring), to 1e-12 relative
    assert t_newton == pytest.approx(float(scoring.fit_temperature(z, y)), rel=1e-9)

    def nll(log_t):
        return losses.binary_cross_entropy(y, z / np.exp(log_t), from_logits=True)

    found = minimize_scalar(nll, bounds=(-6, 6), method="bounded", options={"xatol": 1e-10})
    assert t_newton == pytest.approx(np.exp(found.x), rel=1e-6)
    # scikit-learn 1.9 turns a 1-D score s into the logits (-s, s): softmax = sigmoid(2 s)
    frozen = FrozenEstimator(_ScoreAsClassifier().fit(z[:, None], y))
    calibrated = CalibratedClassifierCV(frozen, method="temperature").fit(z[:, None], y)
    beta = calibrated.calibrated_classifiers_[0].calibrators[0].beta_
    assert t_newton == pytest.approx(1.0 / (2.0 * beta), rel=1e-6)
    # scaling the logits by s scales the temperature by s
    t_unscaled = float(scoring.fit_temperature(data.logits, y))
    assert t_newton / scale == pytest.approx(t_unscaled, rel=1e-9)


def test_newton_temperature_solves_the_score_equation():
    z, y = _underconfident(seed=8)
    beta = 1.0 / ch10.fit_temperature_newton(z, y)
    # the derivative of the NLL in beta: mean((sigmoid(beta z) - y) z) = 0
    score = np.mean((1.0 / (1.0 + np.exp(-beta * z)) - y) * z)
    assert abs(score) < 1e-12


def test_newton_temperature_extreme_logits_and_float32():
    z = np.array([1e4, -1e4, 3.0, -2.0, 0.5])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    assert ch10.fit_temperature_newton(z, y) == pytest.approx(
        float(scoring.fit_temperature(z, y)), rel=1e-9
    )
    z32, y32 = (a.astype(np.float32) for a in _underconfident())
    assert ch10.fit_temperature_newton(z32, y32) == pytest.approx(
        float(scoring.fit_temperature(z32.astype(np.float64), y32)), rel=1e-6
    )


def test_newton_temperature_when_every_logit_saturates():
    # |w z| >= 340 for every example at the start w = 1: sigmoid(w z) is exactly 0 or 1, the
    # curvature exactly 0; the fit must not loop on an infinite Newton step
    z = 1000.0 * np.array([-1.2, -4.69, -0.83, -1.52, -1.12, 0.34, -2.65, -3.14])
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0])
    s = np.exp(-np.logaddexp(0.0, -z))  # sigmoid(z), without overflow
    assert np.all(s * (1 - s) == 0)
    t_newton = ch10.fit_temperature_newton(z, y)
    assert t_newton == pytest.approx(float(scoring.fit_temperature(z, y)), rel=1e-9)
    assert t_newton == pytest.approx(1000.0 * ch10.fit_temperature_newton(z / 1000.0, y), rel=1e-9)


def test_newton_temperature_when_the_curvature_underflows():
    # at w = 1 only -740 is not saturated: sigmoid(-740) ~ 4e-322 is subnormal, the curvature
    # ~ 1e-317 > 0 but grad / curvature overflows to inf, which halving never makes finite
    z = np.array([-740.0, 1e5, 2e5, -3e5])
    y = np.array([0.0, 0.0, 1.0, 0.0])
    s = np.exp(-np.logaddexp(0.0, -z))
    curvature, grad = np.mean(s * (1 - s) * z**2), np.mean((s - y) * z)
    assert 0 < curvature < 1e-300 and grad > 1e4
    t_newton = ch10.fit_temperature_newton(z, y)
    assert t_newton == pytest.approx(float(scoring.fit_temperature(z, y)), rel=1e-9)


@pytest.mark.parametrize(
    ("logits", "labels", "match"),
    [
        ([2.0, -1.0], [0, 1], "beat chance"),  # anti-informative: T -> infinity
        ([2.0, -1.0, 3.0], [1, 0, 1], "misclassified"),  # separable: T -> 0
        ([0.0, 0.0], [0, 1], "beat chance"),  # no information at all
        ([1.0, 2.0], [1], "shape"),
        ([[1.0, 2.0]], [[1, 0]], "shape"),
        ([1.0, -2.0], [1, 2], "0 or 1"),
    ],
)
def test_newton_temperature_bad_input(logits, labels, match):
    with pytest.raises(ValueError, match=match):
        ch10.fit_temperature_newton(logits, labels)


# ----------------------------------------------------------------- focal minimiser


def _grid_minimiser(p_star: float, gamma: float) -> float:
    p = np.linspace(1e-5, 1 - 1e-5, 200_001)
    at_one = losses.binary_focal_loss(np.ones_like(p), p, gamma=gamma, reduction="none")
    at_zero = losses.binary_focal_loss(np.zeros_like(p), p, gamma=gamma, reduction="none")
    return float(p[np.argmin(p_star * at_one + (1 - p_star) * at_zero)])


@pytest.mark.parametrize("gamma", [0.5, 1.0, 2.0, 5.0])
@pytest.mark.parametrize("p_star", [0.05, 0.3, 0.5, 0.9, 0.99])
def test_focal_minimiser_equals_a_grid_search_of_the_package_loss(p_star, gamma):
    found = ch10.expected_focal_minimizer(p_star, gamma)
    assert found == pytest.approx(_grid_minimiser(p_star, gamma), abs=2e-5)


def test_focal_minimiser_known_values_and_symmetry():
    # gamma = 0 is the log score: strictly proper, the minimiser is p_star
    for p_star in (0.01, 0.3, 0.77):
        assert ch10.expected_focal_minimizer(p_star, 0.0) == pytest.approx(p_star, rel=1e-10)
    assert ch10.expected_focal_minimizer(0.5, 2.0) == pytest.approx(0.5, abs=1e-12)
    # swapping the labels mirrors the loss: m(1 - p*) = 1 - m(p*)
    for p_star in (0.1, 0.35):
        assert ch10.expected_focal_minimizer(1 - p_star, 2.0) == pytest.approx(
            1 - ch10.expected_focal_minimizer(p_star, 2.0), abs=1e-12
        )
    # not proper, but on the same side of 1/2 and closer to it (gamma = 2)
    m = ch10.expected_focal_minimizer(0.9, 2.0)
    assert 0.5 < m < 0.9 and m == pytest.approx(0.6942, abs=1e-4)


@pytest.mark.parametrize(("p_star", "gamma"), [(0.0, 2.0), (1.0, 2.0), (0.3, -1.0)])
def test_focal_minimiser_bad_input(p_star, gamma):
    with pytest.raises(ValueError, match=r"p_star|gamma"):
        ch10.expected_focal_minimizer(p_star, gamma)
