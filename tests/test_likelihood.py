"""Tests of mlecourse.likelihood.

Expected values come from scipy.stats (``logpmf``/``logpdf`` summed over the sample) or
from closed forms written out in the test (e.g. (1/5)(4/5)^4 = 0.08192 exactly).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mlecourse import likelihood as lik

RNG = np.random.default_rng(20260101)

COIN = np.array([0, 0, 0, 1, 0])
GAUSS3 = np.array([-1.0, 0.0, 1.0])


# ----------------------------------------------------------------------- pointwise vs scipy


def test_bernoulli_log_pmf_matches_scipy():
    theta = np.linspace(0.01, 0.99, 7)[:, None]
    y = np.array([0, 1, 1, 0])
    expected = stats.bernoulli(theta).logpmf(y)
    np.testing.assert_allclose(lik.bernoulli_log_pmf(theta, y), expected, rtol=1e-12)


def test_categorical_log_pmf_matches_scipy_multinomial():
    probs = RNG.dirichlet(np.ones(4), size=6)
    y = RNG.integers(0, 4, size=6)
    expected = [stats.multinomial(1, p).logpmf(np.eye(4)[k]) for p, k in zip(probs, y, strict=True)]
    np.testing.assert_allclose(lik.categorical_log_pmf(probs, y), expected, rtol=1e-12)


def test_gaussian_log_pdf_matches_scipy():
    mu, sigma = np.array([-1.0, 0.5])[:, None], np.array([0.1, 2.0])[:, None]
    y = RNG.normal(size=5)
    expected = stats.norm(mu, sigma).logpdf(y)
    np.testing.assert_allclose(lik.gaussian_log_pdf(mu, sigma, y), expected, rtol=1e-12)


def test_poisson_log_pmf_matches_scipy():
    rate = np.array([0.3, 2.0, 40.0])[:, None]
    y = np.array([0, 1, 5, 40, 170])
    np.testing.assert_allclose(
        lik.poisson_log_pmf(rate, y), stats.poisson(rate).logpmf(y), rtol=1e-12
    )


def test_laplace_log_pdf_matches_scipy():
    loc, scale = np.array([0.0, 1.5])[:, None], np.array([0.5, 3.0])[:, None]
    y = RNG.normal(size=5)
    np.testing.assert_allclose(
        lik.laplace_log_pdf(loc, scale, y), stats.laplace(loc, scale).logpdf(y), rtol=1e-12
    )


def test_pointwise_broadcasting_shapes():
    assert lik.bernoulli_log_pmf(np.full((3, 1), 0.5), [0, 1]).shape == (3, 2)
    assert lik.gaussian_log_pdf(np.zeros((2, 1, 1)), np.ones(3)[:, None], np.zeros(4)).shape == (
        2,
        3,
        4,
    )
    assert lik.categorical_log_pmf(np.full((5, 3), 1 / 3), [[0], [2]]).shape == (2, 5)
    assert lik.categorical_log_pmf([0.2, 0.8], 1).shape == ()


def test_scalar_inputs_give_numpy_scalars():
    out = lik.gaussian_log_likelihood(0.0, 1.0, GAUSS3)
    assert isinstance(out, np.floating)
    assert isinstance(lik.bernoulli_log_pmf(0.3, 1), np.floating)


# ----------------------------------------------------------------------- likelihoods vs scipy


def test_bernoulli_log_likelihood_matches_scipy_sum():
    theta = np.linspace(0.0, 1.0, 11)
    y = RNG.integers(0, 2, size=(4, 5))  # any shape: every element is one observation
    expected = stats.bernoulli(theta[:, None]).logpmf(y.ravel()).sum(axis=-1)
    np.testing.assert_allclose(lik.bernoulli_log_likelihood(theta, y), expected, rtol=1e-12)


def test_categorical_log_likelihood_matches_scipy_sum():
    probs = RNG.dirichlet(np.ones(3), size=(4, 2))
    y = RNG.integers(0, 3, size=10)
    one_hot = np.eye(3)[y]
    expected = np.array(
        [[stats.multinomial(1, p).logpmf(one_hot).sum() for p in row] for row in probs]
    )
    out = lik.categorical_log_likelihood(probs, y)
    assert out.shape == (4, 2)
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_gaussian_log_likelihood_matches_scipy_sum():
    mu = np.linspace(-2, 2, 9)
    sigma = np.linspace(0.2, 3, 5)
    y = RNG.normal(1.0, 2.0, size=30)
    expected = stats.norm(mu[:, None, None], sigma[None, :, None]).logpdf(y).sum(axis=-1)
    out = lik.gaussian_log_likelihood(mu[:, None], sigma[None, :], y)
    assert out.shape == (9, 5)
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_gaussian_log_likelihood_large_offset_no_cancellation():
    # Data far from 0 with a tiny spread: sum((y - mu)^2) expanded naively would cancel.
    y = 1e8 + np.array([-1.0, 0.0, 1.0])
    expected = stats.norm(1e8, 1.0).logpdf(y).sum()
    np.testing.assert_allclose(lik.gaussian_log_likelihood(1e8, 1.0, y), expected, rtol=1e-12)


def test_poisson_log_likelihood_matches_scipy_sum():
    rate = np.array([0.5, 3.0, 12.0])
    y = RNG.poisson(3.0, size=25)
    expected = stats.poisson(rate[:, None]).logpmf(y).sum(axis=-1)
    np.testing.assert_allclose(lik.poisson_log_likelihood(rate, y), expected, rtol=1e-12)


def test_laplace_log_likelihood_matches_scipy_sum():
    loc = np.linspace(-1, 1, 5)
    scale = np.array([0.5, 1.0, 4.0])
    y = RNG.laplace(0.2, 1.3, size=40)
    expected = stats.laplace(loc[:, None, None], scale[None, :, None]).logpdf(y).sum(axis=-1)
    out = lik.laplace_log_likelihood(loc[:, None], scale[None, :], y)
    assert out.shape == (5, 3)
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_laplace_log_likelihood_chunked_sample(monkeypatch):
    # Force many chunks: the result must not depend on the chunking.
    loc = np.linspace(-1, 1, 7)
    y = RNG.normal(size=101)
    whole = lik.laplace_log_likelihood(loc, 1.0, y)
    monkeypatch.setattr(lik, "_CHUNK_ELEMENTS", 10)
    np.testing.assert_allclose(lik.laplace_log_likelihood(loc, 1.0, y), whole, rtol=1e-13)


@pytest.mark.parametrize(
    ("log_fn", "fn", "args"),
    [
        (lik.bernoulli_log_likelihood, lik.bernoulli_likelihood, ([0.1, 0.7], COIN)),
        (lik.categorical_log_likelihood, lik.categorical_likelihood, ([0.2, 0.8], [1, 1, 0])),
        (lik.gaussian_log_likelihood, lik.gaussian_likelihood, ([0.0, 1.0], 0.8, GAUSS3)),
        (lik.poisson_log_likelihood, lik.poisson_likelihood, ([0.5, 2.0], [0, 2, 1])),
        (lik.laplace_log_likelihood, lik.laplace_likelihood, ([0.0, 1.0], 2.0, GAUSS3)),
    ],
)
def test_likelihood_is_exp_of_log_likelihood(log_fn, fn, args):
    np.testing.assert_allclose(fn(*args), np.exp(log_fn(*args)), rtol=1e-15)


def test_log_likelihood_is_sum_of_pointwise():
    y = RNG.normal(size=8)
    np.testing.assert_allclose(
        lik.gaussian_log_likelihood(0.3, 1.7, y), lik.gaussian_log_pdf(0.3, 1.7, y).sum()
    )
    counts = RNG.poisson(2.0, size=8)
    np.testing.assert_allclose(
        lik.poisson_log_likelihood(2.5, counts), lik.poisson_log_pmf(2.5, counts).sum()
    )
    labels = RNG.integers(0, 3, size=8)
    p = [0.2, 0.5, 0.3]
    np.testing.assert_allclose(
        lik.categorical_log_likelihood(p, labels), lik.categorical_log_pmf(p, labels).sum()
    )


# ----------------------------------------------------------------------- the chapter-1 examples


def test_bernoulli_curve_for_00010_peaks_at_one_fifth():
    theta = np.linspace(0.0, 1.0, 1001)  # contains 0.2 exactly at index 200
    curve = lik.bernoulli_likelihood(theta, COIN)
    assert curve.shape == theta.shape
    assert np.argmax(curve) == 200
    assert theta[np.argmax(curve)] == pytest.approx(0.2)
    # L(1/5) = (1/5)(4/5)^4 = 256/3125 = 0.08192 exactly (closed form).
    assert 256 / 3125 == 0.08192
    assert lik.bernoulli_likelihood(0.2, COIN) == pytest.approx(0.08192, rel=1e-14)
    # and the curve is theta (1 - theta)^4 everywhere
    np.testing.assert_allclose(curve, theta * (1 - theta) ** 4, rtol=1e-12, atol=1e-300)


def test_gaussian_surface_for_minus1_0_1_peaks_at_0_sqrt_two_thirds():
    mu = np.linspace(-1.0, 1.0, 201)  # contains 0 at index 100
    sigma_hat = np.sqrt(2 / 3)
    sigma = np.concatenate([np.linspace(0.3, 2.0, 200), [sigma_hat]])
    surface = lik.gaussian_likelihood(mu[:, None], sigma[None, :], GAUSS3)
    assert surface.shape == (201, 201)
    i, j = np.unravel_index(np.argmax(surface), surface.shape)
    assert mu[i] == pytest.approx(0.0, abs=1e-12)
    assert sigma[j] == sigma_hat
    # closed form at the maximum: (2 pi sigma^2)^(-3/2) exp(-3/2) with sigma^2 = 2/3
    expected = (2 * np.pi * 2 / 3) ** -1.5 * np.exp(-1.5)
    assert surface[i, j] == pytest.approx(expected, rel=1e-13)


# ----------------------------------------------------------------------- boundaries and dtypes


def test_boundary_parameters_give_minus_inf_not_nan():
    assert lik.bernoulli_log_likelihood(0.0, [0, 0]) == 0.0
    assert lik.bernoulli_log_likelihood(0.0, [0, 1]) == -np.inf
    assert lik.bernoulli_log_likelihood(1.0, [1, 1]) == 0.0
    assert lik.categorical_log_likelihood([0.0, 1.0], [1, 1]) == 0.0
    assert lik.categorical_log_likelihood([0.0, 1.0], [0, 1]) == -np.inf
    assert lik.categorical_log_pmf([0.0, 1.0], 0) == -np.inf
    assert lik.poisson_log_likelihood(0.0, [0, 0]) == 0.0
    assert lik.poisson_log_likelihood(0.0, [0, 1]) == -np.inf


def test_empty_sample_has_likelihood_one():
    assert lik.bernoulli_likelihood(0.3, []) == 1.0
    assert lik.gaussian_log_likelihood(0.0, 1.0, []) == 0.0
    assert lik.laplace_log_likelihood(0.0, 1.0, []) == 0.0


def test_float32_parameters_give_float32():
    theta = np.array([0.2, 0.5], dtype=np.float32)
    assert lik.bernoulli_log_likelihood(theta, COIN).dtype == np.float32
    assert lik.gaussian_log_pdf(np.float32(0), np.float32(1), GAUSS3).dtype == np.float32
    assert lik.gaussian_log_likelihood(np.float32(0), 1.0, GAUSS3).dtype == np.float64
    assert lik.poisson_log_likelihood(3, [1, 2]).dtype == np.float64  # integer -> float64


def test_boolean_bernoulli_outcomes_accepted():
    np.testing.assert_allclose(
        lik.bernoulli_log_likelihood(0.3, COIN.astype(bool)),
        lik.bernoulli_log_likelihood(0.3, COIN),
    )


# ----------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: lik.bernoulli_log_likelihood(1.2, COIN),
            r"theta must be a probability in \[0, 1\].*1\.2",
        ),
        (lambda: lik.bernoulli_log_likelihood(-0.1, COIN), r"theta .*-0\.1"),
        (lambda: lik.bernoulli_log_likelihood(0.5, [0, 2]), r"y must be Bernoulli outcomes.*2"),
        (
            lambda: lik.bernoulli_log_likelihood(0.5, [0, 0.5]),
            r"y must contain whole numbers.*0\.5",
        ),
        (lambda: lik.bernoulli_log_pmf(np.nan, 1), r"theta must be finite"),
        (lambda: lik.gaussian_log_likelihood(0.0, 0.0, GAUSS3), r"sigma must be > 0"),
        (lambda: lik.gaussian_log_likelihood(0.0, [1.0, -2.0], GAUSS3), r"sigma must be > 0.*-2"),
        (lambda: lik.gaussian_log_likelihood(0.0, 1.0, [0.0, np.inf]), r"y must be finite"),
        (
            lambda: lik.gaussian_log_likelihood(np.zeros(3), np.ones(2), GAUSS3),
            r"mu, sigma must broadcast.*\(3,\), \(2,\)",
        ),
        (
            lambda: lik.gaussian_log_pdf(np.zeros(3), 1.0, np.zeros(2)),
            r"mu, sigma, y must broadcast",
        ),
        (lambda: lik.categorical_log_likelihood([0.5, 0.6], [0]), r"probs must sum to 1.*1\.1"),
        (lambda: lik.categorical_log_likelihood([1.5, -0.5], [0]), r"probs must be probabilities"),
        (
            lambda: lik.categorical_log_likelihood([0.5, 0.5], [2]),
            r"y must be class indices in \[0, 1\].*2",
        ),
        (lambda: lik.categorical_log_likelihood([0.5, 0.5], [-1]), r"y must be class indices"),
        (lambda: lik.categorical_log_likelihood(0.5, [0]), r"probs must have a class axis"),
        (lambda: lik.poisson_log_likelihood(-1.0, [1]), r"rate must be >= 0.*-1"),
        (lambda: lik.poisson_log_likelihood(1.0, [1, -2]), r"y must be >= 0.*-2"),
        (lambda: lik.poisson_log_likelihood(1.0, [1.5]), r"y must contain whole numbers.*1\.5"),
        (lambda: lik.laplace_log_likelihood(0.0, 0.0, GAUSS3), r"scale must be > 0"),
    ],
)
def test_bad_input_raises_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: lik.bernoulli_log_likelihood("0.5", COIN),
        lambda: lik.gaussian_log_likelihood(0.0, 1.0, ["a", "b"]),
        lambda: lik.poisson_log_pmf(1.0, [[1, 2], [3]]),
    ],
)
def test_non_numeric_input_raises_type_error(call):
    with pytest.raises(TypeError):
        call()


def test_float32_probs_rows_tolerate_rounding():
    probs = np.full(3, 1 / 3, dtype=np.float32)  # sums to 1 only up to float32 rounding
    out = lik.categorical_log_likelihood(probs, [0, 1, 2])
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, 3 * np.log(1 / 3), rtol=1e-6)
