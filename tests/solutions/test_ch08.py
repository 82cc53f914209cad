"""Tests of the Chapter 8 exercise solutions against independent computations.

The references are central finite differences of ``scipy.stats.poisson.logpmf`` (for the
gradients), ``scipy.stats.norm.pdf`` summed directly in float64 and, far in the tails,
``scipy.special.logsumexp`` of ``scipy.stats.norm.logpdf`` (for the mixture NLL), and the
bound derived in the exercise -- never the solution's own formula.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special, stats

from mlecourse.solutions import ch08


def _softplus(u):
    return np.logaddexp(0.0, u)


@pytest.mark.parametrize(
    ("activation", "rate_of"), [("exp", np.exp), ("softplus", _softplus)], ids=["exp", "softplus"]
)
def test_poisson_nll_gradient_matches_finite_differences(activation, rate_of):
    rng = np.random.default_rng(8)
    u = rng.uniform(-3.0, 3.0, size=25)
    y = rng.poisson(3.0, size=25).astype(float)
    h = 1e-6

    def nll(raw):
        return -stats.poisson.logpmf(y, rate_of(raw))

    numeric = (nll(u + h) - nll(u - h)) / (2 * h)
    np.testing.assert_allclose(
        ch08.poisson_nll_gradient(y, u, activation=activation), numeric, rtol=1e-6, atol=1e-7
    )


def test_poisson_log_link_gradient_is_rate_minus_count():
    y = np.array([0.0, 1.0, 4.0, 10.0])
    u = np.log(np.array([0.5, 1.0, 4.0, 2.0]))
    np.testing.assert_allclose(ch08.poisson_nll_gradient(y, u), [0.5, 0.0, 0.0, -8.0], atol=1e-12)


def test_poisson_softplus_gradient_stays_bounded_where_the_log_link_explodes():
    u = np.array([30.0])
    assert ch08.poisson_nll_gradient([0.0], u, activation="exp")[0] > 1e12
    assert 0.0 < ch08.poisson_nll_gradient([0.0], u, activation="softplus")[0] <= 1.0


def test_poisson_nll_gradient_rejects_bad_input():
    with pytest.raises(ValueError, match="activation"):
        ch08.poisson_nll_gradient([1.0], [0.0], activation="identity")
    with pytest.raises(ValueError, match="counts"):
        ch08.poisson_nll_gradient([1.5], [0.0])
    with pytest.raises(ValueError, match="finite"):
        ch08.poisson_nll_gradient([1.0], [np.nan])


@pytest.mark.parametrize("num_components", [1, 2, 5])
def test_gaussian_mixture_nll_matches_the_direct_sum(num_components):
    rng = np.random.default_rng(num_components)
    n = 40
    logits = rng.normal(size=(n, num_components))
    means = rng.normal(size=(n, num_components))
    scales = rng.uniform(0.2, 2.0, size=(n, num_components))
    y = rng.normal(size=n)
    weights = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    direct = -np.log(np.sum(weights * stats.norm.pdf(y[:, None], means, scales), axis=1))
    np.testing.assert_allclose(
        ch08.gaussian_mixture_nll(y, logits, means, scales), direct, rtol=1e-12
    )


def test_gaussian_mixture_nll_one_component_is_the_gaussian_nll():
    y = np.array([0.3, -2.0, 5.0])
    means, scales = np.array([[0.0], [1.0], [4.0]]), np.array([[1.0], [0.5], [2.0]])
    expected = -stats.norm.logpdf(y, means[:, 0], scales[:, 0])
    got = ch08.gaussian_mixture_nll(y, np.zeros((3, 1)), means, scales)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_gaussian_mixture_nll_is_finite_far_in_the_tails():
    # 100 scales away: each density underflows to 0.0 in float64, its log does not
    y = np.array([100.0])
    logits, means, scales = np.array([[0.0, 1.0]]), np.array([[0.0, -1.0]]), np.array([[1.0, 1.0]])
    assert np.all(stats.norm.pdf(y[:, None], means, scales) == 0.0)
    log_w = logits - special.logsumexp(logits, axis=1, keepdims=True)
    reference = -special.logsumexp(log_w + stats.norm.logpdf(y[:, None], means, scales), axis=1)
    got = ch08.gaussian_mixture_nll(y, logits, means, scales)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, reference, rtol=1e-12)


def test_gaussian_mixture_nll_ignores_a_common_shift_of_the_logits():
    rng = np.random.default_rng(4)
    logits, means, scales = rng.normal(size=(5, 3)), rng.normal(size=(5, 3)), np.ones((5, 3))
    y = rng.normal(size=5)
    np.testing.assert_allclose(
        ch08.gaussian_mixture_nll(y, logits + 1e4, means, scales),
        ch08.gaussian_mixture_nll(y, logits, means, scales),
        rtol=1e-9,
    )


def test_gaussian_mixture_nll_rejects_bad_input():
    ok = np.ones((2, 2))
    with pytest.raises(ValueError, match="same shape"):
        ch08.gaussian_mixture_nll([0.0, 1.0], ok, np.ones((2, 3)), ok)
    with pytest.raises(ValueError, match="positive"):
        ch08.gaussian_mixture_nll([0.0, 1.0], ok, ok, -ok)
    with pytest.raises(ValueError, match=r"\(n,\)"):
        ch08.gaussian_mixture_nll([0.0, 1.0, 2.0], ok, ok, ok)


def test_collapsed_mixture_nll_matches_a_direct_computation_and_the_bound():
    y = np.random.default_rng(5).normal(size=30)
    n = y.size
    for s in [1.0, 1e-2, 1e-5, 1e-9]:
        density = 0.5 * stats.norm.pdf(y, y[0], s) + 0.5 * stats.norm.pdf(y, y.mean(), 1.0)
        direct = -np.mean(np.log(density))
        assert ch08.collapsed_mixture_nll(y, s) == pytest.approx(direct, rel=1e-10)
        bound = (
            np.log(2 * np.sqrt(2 * np.pi) * s)
            - np.sum(np.log(0.5 * stats.norm.pdf(y[1:], y.mean(), 1.0)))
        ) / n
        assert ch08.collapsed_mixture_nll(y, s) <= bound + 1e-12


def test_collapsed_mixture_nll_falls_by_log_of_the_shrink_factor_over_n():
    y = np.random.default_rng(6).normal(size=20)
    drop = ch08.collapsed_mixture_nll(y, 1e-6) - ch08.collapsed_mixture_nll(y, 1e-9)
    assert drop == pytest.approx(np.log(1e3) / y.size, rel=1e-6)


def test_collapsed_mixture_nll_rejects_bad_input():
    with pytest.raises(ValueError, match="scale"):
        ch08.collapsed_mixture_nll([0.0, 1.0], 0.0)
    with pytest.raises(ValueError, match="non-empty"):
        ch08.collapsed_mixture_nll([], 1.0)


def test_poisson_softplus_gradient_tends_to_minus_y_for_very_negative_raw_outputs():
    # for u -> -inf, sigmoid(u) ~ softplus(u) ~ e^u, so sigmoid(u) * (1 - y / softplus(u))
    # -> -y: the same limit as the log link's e^u - y (not 0)
    y = np.array([1.0, 5.0, 40.0])
    got = ch08.poisson_nll_gradient(y, np.full(3, -40.0), activation="softplus")
    np.testing.assert_allclose(got, -y, rtol=1e-12)
    np.testing.assert_allclose(got, ch08.poisson_nll_gradient(y, np.full(3, -40.0)), rtol=1e-12)
