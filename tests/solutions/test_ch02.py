"""Tests of the Chapter 2 solutions against independent computations (SciPy, brute force)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from mlecourse.solutions import ch02


def test_exponential_rate_matches_scipy_fit() -> None:
    y = np.random.default_rng(0).exponential(scale=0.5, size=400)
    # scipy.stats.expon.fit with floc=0 returns the MLE of the scale, 1 / rate
    _, scale = stats.expon.fit(y, floc=0)
    np.testing.assert_allclose(ch02.exponential_rate_mle(y), 1.0 / scale, rtol=1e-12)


def test_exponential_rate_maximises_the_log_likelihood() -> None:
    y = np.array([0.3, 2.0, 0.7, 1.1])
    lam_hat = ch02.exponential_rate_mle(y)
    grid = np.linspace(0.05, 5.0, 20_001)
    log_lik = y.size * np.log(grid) - grid * y.sum()  # brute force over a grid
    assert abs(grid[np.argmax(log_lik)] - lam_hat) < 5e-4


@pytest.mark.parametrize("bad", [[], [1.0, -0.1], [0.0, 0.0], [np.nan]])
def test_exponential_rate_rejects_bad_input(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        ch02.exponential_rate_mle(bad)


def test_uniform_upper_matches_scipy_fit() -> None:
    y = np.random.default_rng(1).uniform(0.0, 3.0, size=50)
    _, scale = stats.uniform.fit(y, floc=0)  # SciPy's MLE of the width
    np.testing.assert_allclose(ch02.uniform_upper_mle(y), scale, rtol=1e-12)


def test_uniform_upper_is_the_bounded_maximiser() -> None:
    y = np.array([0.4, 2.5, 1.0])
    a_hat = ch02.uniform_upper_mle(y)
    # log L(a) = -n log a where a >= max(y), -inf below: maximise numerically on [max, 10]
    res = optimize.minimize_scalar(
        lambda a: y.size * np.log(a), bounds=(y.max(), 10.0), method="bounded"
    )
    assert abs(res.x - a_hat) < 1e-4
    assert a_hat == 2.5


@pytest.mark.parametrize("bad", [[], [-1.0, 2.0], [0.0], [np.inf]])
def test_uniform_upper_rejects_bad_input(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        ch02.uniform_upper_mle(bad)


@pytest.mark.tf
def test_poisson_gradient_descent_reaches_the_sample_mean() -> None:
    y = np.random.default_rng(2).poisson(4.0, size=60)
    rate = ch02.poisson_rate_by_gradient_descent(y, learning_rate=0.2, steps=80)
    # independent: the minimiser of the Poisson NLL found by SciPy on the log-rate
    res = optimize.minimize_scalar(lambda eta: np.exp(eta) - eta * y.mean())
    np.testing.assert_allclose(rate, np.exp(res.x), rtol=1e-6)
    np.testing.assert_allclose(rate, y.mean(), rtol=1e-10)


@pytest.mark.tf
@pytest.mark.parametrize("bad", [[0, 0, 0], [1.5, 2.0], [-1, 3]])
def test_poisson_gradient_descent_rejects_bad_input(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        ch02.poisson_rate_by_gradient_descent(bad, steps=1)


@pytest.mark.tf
def test_poisson_gradient_descent_handles_rare_events_where_the_raw_rate_overshoots() -> None:
    # counts of rare events, mean 0.2: a step of 1.5 on the rate itself goes from 1 to -0.2
    y = [0, 0, 1, 0, 0, 0, 0, 1, 0, 0]
    rate = ch02.poisson_rate_by_gradient_descent(y, learning_rate=1.5, steps=100)
    # reference: the Poisson MLE is the sample mean (thm-ch02-poisson), 2 / 10
    np.testing.assert_allclose(rate, 0.2, rtol=1e-10)


def test_poisson_standard_error_is_one_over_root_curvature() -> None:
    y = np.random.default_rng(5).poisson(3.0, size=50)
    rate_hat = y.mean()

    # independent: the curvature of SciPy's log-likelihood by a central second difference
    def log_lik(rate: float) -> float:
        return float(stats.poisson(rate).logpmf(y).sum())

    h = 1e-4
    curvature = (log_lik(rate_hat + h) - 2 * log_lik(rate_hat) + log_lik(rate_hat - h)) / h**2
    np.testing.assert_allclose(
        ch02.poisson_rate_standard_error(y), 1 / np.sqrt(-curvature), rtol=1e-5
    )


@pytest.mark.parametrize("bad", [[], [0, 0], [1.5, 2.0], [-1, 3]])
def test_poisson_standard_error_rejects_bad_input(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        ch02.poisson_rate_standard_error(bad)
