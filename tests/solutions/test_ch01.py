"""Tests of the Chapter 1 exercise solutions against independent computations.

The references are closed forms written out here, scipy.stats and scipy.integrate.quad,
never the solution's own formula.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from mlecourse.solutions import ch01


@pytest.mark.parametrize("theta", [0.0, 0.2, 0.5, 0.93, 1.0])
def test_bernoulli_sequence_likelihood_matches_scipy_product(theta):
    y = [0, 0, 0, 1, 0]
    expected = np.prod(stats.bernoulli(theta).pmf(y))
    assert ch01.bernoulli_sequence_likelihood(theta, y) == pytest.approx(expected, rel=1e-14)


def test_bernoulli_sequence_likelihood_rejects_bad_input():
    with pytest.raises(ValueError, match="theta must be a probability"):
        ch01.bernoulli_sequence_likelihood(1.5, [0, 1])
    with pytest.raises(ValueError, match="0/1 flips"):
        ch01.bernoulli_sequence_likelihood(0.5, [0, 3])


@pytest.mark.parametrize(
    "y", [[0, 0, 0, 1, 0], [1, 1, 0, 1], [0, 0, 0], [1], [0, 1, 1, 0, 1, 1, 1, 0, 1, 1]]
)
def test_bernoulli_likelihood_grid_matches_closed_form(y):
    theta, likelihood, theta_hat = ch01.bernoulli_likelihood_grid(y)
    n, k = len(y), sum(y)
    assert theta.shape == likelihood.shape == (1001,)
    np.testing.assert_allclose(likelihood, theta**k * (1 - theta) ** (n - k), rtol=1e-12)
    # the maximiser of p^k (1 - p)^(n - k) is k / n (Chapter 2); the grid step is 0.001
    assert theta_hat == pytest.approx(k / n, abs=5e-4)


def test_bernoulli_likelihood_grid_the_chapter_example():
    _, likelihood, theta_hat = ch01.bernoulli_likelihood_grid([0, 0, 0, 1, 0])
    assert theta_hat == pytest.approx(0.2)
    assert likelihood.max() == pytest.approx(256 / 3125, rel=1e-12)  # (1/5)(4/5)^4


def test_bernoulli_likelihood_grid_rejects_non_binary():
    with pytest.raises(ValueError, match="0/1 flips"):
        ch01.bernoulli_likelihood_grid([0, 2])


@pytest.mark.parametrize("y", [[0, 0, 0, 1, 0], [1, 1, 1], [0, 1], [1, 0, 1, 1, 0, 0, 1]])
def test_bernoulli_likelihood_integral_matches_quadrature(y):
    n, k = len(y), sum(y)
    area, _ = integrate.quad(lambda t: t**k * (1 - t) ** (n - k), 0.0, 1.0)
    assert ch01.bernoulli_likelihood_integral(y) == pytest.approx(area, rel=1e-10)


def test_bernoulli_likelihood_integral_is_one_thirtieth_for_the_chapter_example():
    assert ch01.bernoulli_likelihood_integral([0, 0, 0, 1, 0]) == pytest.approx(1 / 30)


def test_poisson_log_likelihood_loop_matches_scipy():
    counts = np.random.default_rng(7).poisson(4.0, size=50)
    for rate in (0.5, 4.0, 30.0):
        expected = stats.poisson(rate).logpmf(counts).sum()
        assert ch01.poisson_log_likelihood_loop(rate, counts) == pytest.approx(expected, rel=1e-12)


def test_poisson_log_likelihood_loop_large_counts_do_not_overflow():
    expected = stats.poisson(1000.0).logpmf([1000, 1200]).sum()
    assert ch01.poisson_log_likelihood_loop(1000.0, [1000, 1200]) == pytest.approx(
        expected, rel=1e-12
    )


def test_poisson_log_likelihood_loop_rejects_bad_input():
    with pytest.raises(ValueError, match="rate must be > 0"):
        ch01.poisson_log_likelihood_loop(0.0, [1])
    with pytest.raises(ValueError, match="whole numbers"):
        ch01.poisson_log_likelihood_loop(1.0, [1.5])


def test_gaussian_peak_density_matches_scipy_and_exceeds_one_below_threshold():
    sigma = np.array([0.05, 0.2, 0.39, 0.4, 1.0, 3.0])
    np.testing.assert_allclose(
        ch01.gaussian_peak_density(sigma), stats.norm(0.0, sigma).pdf(0.0), rtol=1e-14
    )
    threshold = 1 / np.sqrt(2 * np.pi)
    assert ((ch01.gaussian_peak_density(sigma) > 1) == (sigma < threshold)).all()
    with pytest.raises(ValueError, match="sigma must be > 0"):
        ch01.gaussian_peak_density([1.0, 0.0])


@pytest.mark.parametrize("sigma", [0.001, 0.01, 0.1, 0.3, 0.39])
def test_gaussian_mass_above_one_matches_the_interval_found_numerically(sigma):
    # reference: the point where scipy's density falls to 1 (a root, not the closed form),
    # then the probability scipy's normal gives the interval between it and its mirror image
    edge = optimize.brentq(lambda y: stats.norm(0.0, sigma).pdf(y) - 1.0, 0.0, 12 * sigma)
    expected = stats.norm(0.0, sigma).cdf(edge) - stats.norm(0.0, sigma).cdf(-edge)
    assert float(ch01.gaussian_mass_above_one(sigma)) == pytest.approx(expected, rel=1e-9)


def test_gaussian_mass_above_one_is_zero_where_the_peak_is_below_one():
    sigma = np.array([1 / np.sqrt(2 * np.pi) + 1e-9, 0.4, 1.0, 3.0])
    assert np.all(stats.norm(0.0, sigma).pdf(0.0) <= 1.0)
    np.testing.assert_array_equal(ch01.gaussian_mass_above_one(sigma), 0.0)
    with pytest.raises(ValueError, match="sigma must be > 0"):
        ch01.gaussian_mass_above_one([0.1, -1.0])


@pytest.mark.parametrize("sigma", [0.05, 0.1, 1.0, 4.0])
def test_gaussian_density_matches_scipy(sigma):
    y = np.linspace(-3.0, 5.0, 41)
    np.testing.assert_allclose(
        ch01.gaussian_density(1.0, sigma, y), stats.norm(1.0, sigma).pdf(y), rtol=1e-9
    )


def test_gaussian_density_rejects_bad_sigma():
    with pytest.raises(ValueError, match="sigma must be > 0"):
        ch01.gaussian_density(0.0, 0.0, 1.0)


@pytest.mark.parametrize("sigma", [0.1, 1.0, 4.0])
def test_density_area_is_one_for_the_fixed_density(sigma):
    area = ch01.density_area(
        lambda y: ch01.gaussian_density(0.0, sigma, y), -12 * sigma, 12 * sigma
    )
    # reference: every density integrates to 1; scipy.stats.norm's cdf over the same interval
    expected = stats.norm(0.0, sigma).cdf(12 * sigma) - stats.norm(0.0, sigma).cdf(-12 * sigma)
    assert area == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("sigma", [0.1, 1.0, 4.0])
def test_density_area_exposes_the_buggy_normaliser(sigma):
    def buggy(y):
        return np.exp(-(y**2) / (2 * sigma**2)) / np.sqrt(2 * np.pi * sigma)

    area = ch01.density_area(buggy, -12 * sigma, 12 * sigma)
    # closed form: buggy = correct density * sqrt(sigma), so its area is sqrt(sigma)
    assert area == pytest.approx(np.sqrt(sigma), rel=1e-9)


def test_density_area_rejects_an_empty_interval():
    with pytest.raises(ValueError, match="upper must be > lower"):
        ch01.density_area(np.exp, 1.0, 1.0)
