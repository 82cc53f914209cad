"""Tests of the Chapter 6 exercise solutions against independent computations.

The references are numerical minimisations of scipy.stats log-densities, scipy's own
maximum-likelihood ``fit``, the weighted normal equations written out here and
scikit-learn's ``LinearRegression(sample_weight=...)`` -- never the solution's own formula.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats
from sklearn.linear_model import LinearRegression

from mlecourse.solutions import ch06


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_profile_gaussian_nll_is_the_minimum_over_sigma(seed):
    rng = np.random.default_rng(seed)
    y_true = rng.normal(size=50)
    y_pred = y_true + rng.normal(scale=0.3 + seed, size=50)
    numeric = optimize.minimize_scalar(
        lambda log_s: -np.sum(stats.norm.logpdf(y_true, y_pred, np.exp(log_s))),
        bounds=(-8.0, 5.0),
        method="bounded",
        options={"xatol": 1e-11},
    )
    assert ch06.profile_gaussian_nll(y_true, y_pred) == pytest.approx(numeric.fun, rel=1e-10)


def test_profile_gaussian_nll_orders_models_like_the_mse():
    rng = np.random.default_rng(3)
    y_true = rng.normal(size=40)
    good, bad = y_true + 0.1 * rng.normal(size=40), y_true + 0.5 * rng.normal(size=40)
    assert np.mean((y_true - good) ** 2) < np.mean((y_true - bad) ** 2)
    assert ch06.profile_gaussian_nll(y_true, good) < ch06.profile_gaussian_nll(y_true, bad)


def test_profile_gaussian_nll_rejects_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        ch06.profile_gaussian_nll(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="no minimum"):
        ch06.profile_gaussian_nll([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="empty"):
        ch06.profile_gaussian_nll([], [])


@pytest.mark.parametrize("n", [1, 2, 7, 50, 51])
def test_laplace_mle_matches_scipy_fit(n):
    y = np.random.default_rng(n).laplace(loc=1.5, scale=0.7, size=n)
    loc, scale = ch06.laplace_mle(y)
    # scipy.stats.laplace.fit is scipy's closed-form Laplace MLE (median, mean |y - median|)
    ref_loc, ref_scale = stats.laplace.fit(y)
    assert loc == pytest.approx(ref_loc, rel=1e-12, abs=1e-12)
    assert scale == pytest.approx(ref_scale, rel=1e-12, abs=1e-12)


def test_laplace_mle_maximises_the_likelihood_numerically():
    y = np.random.default_rng(11).standard_t(df=3, size=41)  # odd n: unique median
    loc, scale = ch06.laplace_mle(y)
    numeric = optimize.minimize(
        lambda p: -np.sum(stats.laplace.logpdf(y, p[0], np.exp(p[1]))),
        x0=[0.3, 0.3],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 10_000},
    )
    np.testing.assert_allclose([loc, scale], [numeric.x[0], np.exp(numeric.x[1])], atol=1e-6)


def test_laplace_mle_scale_is_the_same_for_every_median_of_an_even_sample():
    y = np.array([0.0, 1.0, 3.0, 10.0])
    _, scale = ch06.laplace_mle(y)
    for median in np.linspace(1.0, 3.0, 5):
        assert np.mean(np.abs(y - median)) == pytest.approx(scale, rel=1e-14)


def test_laplace_mle_rejects_bad_input():
    with pytest.raises(ValueError, match="empty"):
        ch06.laplace_mle([])
    with pytest.raises(ValueError, match="finite"):
        ch06.laplace_mle([1.0, np.nan])


def _heteroscedastic_problem(seed):
    rng = np.random.default_rng(seed)
    n = 80
    X = np.column_stack([rng.uniform(-2, 2, n), rng.normal(size=n), np.ones(n)])
    sigma = rng.uniform(0.1, 2.0, n)
    y = X @ np.array([1.0, -2.0, 0.5]) + sigma * rng.normal(size=n)
    return X, y, sigma


@pytest.mark.parametrize("seed", [0, 1])
def test_weighted_least_squares_solves_the_weighted_normal_equations(seed):
    X, y, sigma = _heteroscedastic_problem(seed)
    W = np.diag(1.0 / sigma**2)
    expected = np.linalg.solve(X.T @ W @ X, X.T @ W @ y)
    np.testing.assert_allclose(ch06.weighted_least_squares(X, y, sigma), expected, rtol=1e-9)


def test_weighted_least_squares_matches_sklearn_sample_weight():
    X, y, sigma = _heteroscedastic_problem(5)
    reference = LinearRegression(fit_intercept=False).fit(X, y, sample_weight=1.0 / sigma**2)
    np.testing.assert_allclose(ch06.weighted_least_squares(X, y, sigma), reference.coef_, rtol=1e-8)


def test_weighted_least_squares_with_equal_sigma_is_ordinary_least_squares():
    X, y, _ = _heteroscedastic_problem(7)
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(ch06.weighted_least_squares(X, y, np.full(y.size, 3.0)), ols)


def test_weighted_least_squares_rejects_bad_input():
    X, y, sigma = _heteroscedastic_problem(0)
    with pytest.raises(ValueError, match="positive"):
        ch06.weighted_least_squares(X, y, np.where(np.arange(y.size) == 3, 0.0, sigma))
    with pytest.raises(ValueError, match="must be"):
        ch06.weighted_least_squares(X, y[:, None], sigma)


@pytest.mark.parametrize("seed", [0, 1])
def test_gaussian_nll_gradients_match_finite_differences_of_scipy(seed):
    # reference: central differences of -scipy.stats.norm.logpdf, in (mean, log-variance)
    rng = np.random.default_rng(seed)
    y, mu, log_var = rng.normal(size=5), rng.normal(size=5), rng.normal(size=5)

    def nll(m, lv):
        return -stats.norm.logpdf(y, m, np.exp(lv / 2))

    h = 1e-6
    d_mu_fd = (nll(mu + h, log_var) - nll(mu - h, log_var)) / (2 * h)
    d_lv_fd = (nll(mu, log_var + h) - nll(mu, log_var - h)) / (2 * h)
    d_mu, d_lv = ch06.gaussian_nll_gradients(y, mu, log_var)
    np.testing.assert_allclose(d_mu, d_mu_fd, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(d_lv, d_lv_fd, rtol=1e-6, atol=1e-8)


def test_gaussian_nll_gradients_vanish_at_the_optimum_and_reject_bad_input():
    # at mean = y and variance = r**2 = 1 (log-variance 0, residual 1) the log-variance
    # gradient is 0.5 * (1 - 1) = 0, by the formula's definition of the optimum
    d_mu, d_lv = ch06.gaussian_nll_gradients([2.0, 1.0], [2.0, 0.0], [0.0, 0.0])
    assert d_mu.tolist() == [0.0, -1.0] and d_lv.tolist() == [0.5, 0.0]
    # large log-variance: finite, no overflow of exp(log_variance)
    d_mu, d_lv = ch06.gaussian_nll_gradients([1.0], [0.0], [800.0])
    assert d_mu[0] == 0.0 and d_lv[0] == 0.5
    with pytest.raises(ValueError, match="log_variance"):
        ch06.gaussian_nll_gradients([1.0], [0.0], [[0.0]])
    with pytest.raises(ValueError, match="same shape"):
        ch06.gaussian_nll_gradients([1.0], [0.0, 1.0], [0.0])
