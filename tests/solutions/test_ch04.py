"""Tests of the Chapter 4 exercise solutions against independent computations.

The references are central finite differences of ``np.logaddexp``-based losses, exact limits
of the loss for huge logits, copying rows of a dataset, and ``scipy.optimize``: never the
solution's own formula.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize

from mlecourse.solutions import ch04


def _bce_logit(z, y):
    # softplus(z) - y z, with softplus from np.logaddexp (an independent primitive)
    return np.logaddexp(0.0, z) - y * z


def _second_difference(f, z, h=1e-4):
    return (f(z + h) - 2.0 * f(z) + f(z - h)) / h**2


@pytest.mark.parametrize("z", [-8.0, -2.0, -0.3, 0.0, 0.7, 3.0, 9.0])
@pytest.mark.parametrize("y", [0.0, 1.0, 0.25])
def test_bce_curvature_matches_finite_differences(z, y):
    expected = _second_difference(lambda t: _bce_logit(t, y), z, h=1e-3)
    assert ch04.bce_logit_curvature(z) == pytest.approx(expected, rel=1e-4, abs=1e-9)


def test_bce_curvature_extremes():
    assert ch04.bce_logit_curvature(0.0) == 0.25
    values = ch04.bce_logit_curvature(np.array([-800.0, 800.0]))
    assert np.all(np.isfinite(values)) and np.all(values >= 0)


@pytest.mark.parametrize("z", [-5.0, -1.0, 0.0, 0.5, 4.0])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_squared_error_curvature_matches_finite_differences(z, y):
    def f(t):
        return (1.0 / (1.0 + np.exp(-t)) - y) ** 2

    expected = _second_difference(f, z, h=1e-3)
    assert ch04.squared_error_logit_curvature(z, y) == pytest.approx(expected, rel=1e-4, abs=1e-9)


def test_squared_error_is_not_convex_for_a_confident_mistake():
    assert ch04.squared_error_logit_curvature(-5.0, 1.0) < 0
    assert ch04.squared_error_logit_curvature(5.0, 0.0) < 0


@pytest.mark.parametrize("pos_weight", [0.0, 1.0, 2.5, 10.0])
def test_weighted_bce_matches_logaddexp_reference(pos_weight):
    rng = np.random.default_rng(0)
    y = (rng.random(50) < 0.3).astype(float)
    z = rng.normal(scale=4.0, size=50)
    # -log sigma(z) = logaddexp(0, -z), -log(1 - sigma(z)) = logaddexp(0, z)
    expected = np.mean(pos_weight * y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z))
    assert ch04.weighted_bce_with_logits(y, z, pos_weight) == pytest.approx(expected, rel=1e-12)


def test_weighted_bce_is_exact_for_huge_logits():
    # wrong by 1e4 nats each (weighted 2 for the positive), right ones cost exp(-1e4) = 0
    y = np.array([1.0, 0.0, 1.0, 0.0])
    z = np.array([-1e4, 1e4, 1e4, -1e4])
    assert ch04.weighted_bce_with_logits(y, z, pos_weight=2.0) == pytest.approx(
        (2e4 + 1e4) / 4, rel=1e-15
    )


def test_integer_pos_weight_equals_copying_positives():
    rng = np.random.default_rng(1)
    y = (rng.random(40) < 0.2).astype(float)
    z = rng.normal(size=40)
    pos = y == 1
    y_rep = np.concatenate([y, y[pos], y[pos]])
    z_rep = np.concatenate([z, z[pos], z[pos]])
    summed_weighted = ch04.weighted_bce_with_logits(y, z, pos_weight=3.0) * y.size
    summed_copies = ch04.weighted_bce_with_logits(y_rep, z_rep) * y_rep.size
    assert summed_weighted == pytest.approx(summed_copies, rel=1e-12)


def test_weighted_bce_rejects_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        ch04.weighted_bce_with_logits([1.0, 0.0], [[0.0], [1.0]])
    with pytest.raises(ValueError, match="pos_weight"):
        ch04.weighted_bce_with_logits([1.0], [0.0], pos_weight=-1.0)


@pytest.mark.parametrize(("k", "n", "c"), [(30, 1000, 970 / 30), (3, 10, 1.0), (7, 20, 0.4)])
def test_weighted_intercept_matches_numeric_minimisation(k, n, c):
    y = np.r_[np.ones(k), np.zeros(n - k)]

    def loss(b):
        return c * k * np.logaddexp(0.0, -b) + (n - k) * np.logaddexp(0.0, b)

    numeric = optimize.minimize_scalar(
        loss, bounds=(-20, 20), method="bounded", options={"xatol": 1e-10}
    ).x
    assert ch04.weighted_intercept_mle(y, pos_weight=c) == pytest.approx(numeric, abs=1e-6)


def test_weighted_intercept_rejects_one_class():
    with pytest.raises(ValueError, match="both classes"):
        ch04.weighted_intercept_mle([1, 1, 1])
    with pytest.raises(ValueError, match="0/1"):
        ch04.weighted_intercept_mle([0, 2])
    with pytest.raises(ValueError, match="pos_weight"):
        ch04.weighted_intercept_mle([0, 1], pos_weight=0.0)
