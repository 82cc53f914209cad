"""Tests of the Chapter 9 exercise solutions against independent computations.

References: numerical integration of the squared score against SciPy's exponential density,
the defining equation of the likelihood-ratio interval (checked with SciPy's binomial
log-pmf and chi-squared quantile), a Monte Carlo coverage, and the MAP objective that Keras
minimises, fitted with ``scipy.optimize`` and compared with scikit-learn.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from mlecourse.solutions import ch09

sklearn_lm = pytest.importorskip("sklearn.linear_model")


@pytest.mark.parametrize("rate", [0.1, 1.0, 2.0, 25.0])
def test_exponential_fisher_is_variance_of_score(rate):
    # score d/dlambda log(lambda e^{-lambda y}) = 1/lambda - y; E[score^2] by quadrature
    def integrand(y):
        return (1 / rate - y) ** 2 * stats.expon.pdf(y, scale=1 / rate)

    expected, _ = integrate.quad(integrand, 0, np.inf)
    assert ch09.exponential_fisher_information(rate) == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize("rate", [0.0, -1.0, np.inf, np.nan])
def test_exponential_fisher_bad_rate(rate):
    with pytest.raises(ValueError, match="rate must be a finite number > 0"):
        ch09.exponential_fisher_information(rate)


@pytest.mark.parametrize(("k", "n"), [(0, 10), (1, 10), (5, 10), (9, 10), (10, 10), (3, 200)])
def test_lr_interval_ends_solve_the_defining_equation(k, n):
    lower, upper = ch09.bernoulli_lr_interval(k, n)
    cutoff = stats.chi2.ppf(0.95, df=1)
    p_hat = k / n

    def statistic(p):
        return 2 * (stats.binom.logpmf(k, n, p_hat) - stats.binom.logpmf(k, n, p))

    assert 0 <= lower <= p_hat <= upper <= 1
    for end, boundary in ((lower, 0.0), (upper, 1.0)):
        if end == boundary:  # k = 0 or k = n: the end is the edge of [0, 1]
            assert k in (0, n)
        else:
            assert statistic(end) == pytest.approx(cutoff, abs=1e-8)
    # just inside the interval the statistic is below the cut-off
    assert statistic(0.5 * (lower + upper)) < cutoff


def test_lr_interval_k0_closed_form():
    # n log(1 - p) = -cutoff / 2  =>  p = 1 - exp(-cutoff / (2 n))
    _, upper = ch09.bernoulli_lr_interval(0, 10)
    assert upper == pytest.approx(1 - np.exp(-stats.chi2.ppf(0.95, 1) / 20), rel=1e-10)


def test_lr_interval_coverage_by_monte_carlo():
    rng = np.random.default_rng(0)
    n, p = 10, 0.05
    ends = np.array([ch09.bernoulli_lr_interval(k, n) for k in range(n + 1)])
    k = rng.binomial(n, p, size=50_000)
    coverage = np.mean((ends[k, 0] <= p) & (p <= ends[k, 1]))
    assert coverage > 0.97  # the Wald interval's is about 0.40 here


@pytest.mark.parametrize(
    ("k", "n", "level", "match"),
    [
        (11, 10, 0.95, "k must be"),
        (-1, 10, 0.95, "k must be"),
        (0, 0, 0.95, "n must be"),
        (1, 10, 1.0, "level must be"),
        (1.5, 10, 0.95, "k must be"),
    ],
)
def test_lr_interval_bad_input(k, n, level, match):
    with pytest.raises(ValueError, match=match):
        ch09.bernoulli_lr_interval(k, n, level)


def test_keras_prior_variance_gives_the_keras_minimiser():
    # Keras minimises mean BCE + l2 ||w||^2; scikit-learn with C = sigma0^2 must agree
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2))
    y = (rng.random(40) < 1 / (1 + np.exp(-(X @ [1.0, -1.0] + 0.2)))).astype(float)
    l2 = 0.02

    def keras_objective(theta):
        z = theta[0] + X @ theta[1:]
        return np.mean(np.logaddexp(0, z) - y * z) + l2 * np.sum(theta[1:] ** 2)

    theta = optimize.minimize(
        keras_objective, np.zeros(3), method="BFGS", options={"gtol": 1e-10}
    ).x
    c = ch09.keras_l2_prior_variance(l2, 40)
    clf = sklearn_lm.LogisticRegression(C=c, tol=1e-12, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(theta, np.r_[clf.intercept_, clf.coef_[0]], rtol=1e-5, atol=1e-7)
    assert c == pytest.approx(1 / (2 * 40 * 0.02))


@pytest.mark.parametrize(("l2", "n"), [(0.0, 10), (-1e-4, 10), (np.nan, 10), (1e-4, 0)])
def test_keras_prior_variance_bad_input(l2, n):
    with pytest.raises(ValueError, match="must be"):
        ch09.keras_l2_prior_variance(l2, n)
