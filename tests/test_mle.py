"""Tests of mlecourse.mle: worked examples, maximality of the log-likelihood, bad input.

Log-likelihoods in the property tests come from scipy.stats (independent of this package).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from mlecourse import mle

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
samples = hnp.arrays(np.float64, st.integers(2, 40), elements=finite)
deltas = st.floats(min_value=1e-3, max_value=1.0) | st.floats(min_value=-1.0, max_value=-1e-3)


# ---------------------------------------------------------------- worked examples


def test_bernoulli_chapter_one_coin() -> None:
    # data 0,0,0,1,0: L(θ) = θ(1−θ)⁴, maximal at θ = 1/5 (Chapter 1)
    theta_hat = mle.bernoulli([0, 0, 0, 1, 0])
    assert theta_hat == pytest.approx(0.2)
    assert theta_hat * (1 - theta_hat) ** 4 == pytest.approx(0.08192)


def test_bernoulli_accepts_bool_and_float_and_any_shape() -> None:
    assert mle.bernoulli(np.array([[True, False], [True, True]])) == 0.75
    assert mle.bernoulli(np.array([0.0, 1.0, 1.0, 1.0], dtype=np.float32)) == np.float32(0.75)
    assert mle.bernoulli(np.array([0.0, 1.0], dtype=np.float32)).dtype == np.float32
    assert mle.bernoulli([0, 0, 0]) == 0.0  # boundary estimate, not an error
    assert mle.bernoulli([1]) == 1.0


def test_categorical_frequencies() -> None:
    # counts 1, 1, 3, 0 out of 5
    np.testing.assert_array_equal(mle.categorical([0, 2, 2, 1, 2], 4), [0.2, 0.2, 0.6, 0.0])
    np.testing.assert_array_equal(mle.categorical(np.array([[1.0], [1.0]]), 2), [0.0, 1.0])
    assert mle.categorical([0], 1).tolist() == [1.0]


def test_gaussian_chapter_one_surface_data() -> None:
    # data −1, 0, 1: μ̂ = 0, σ̂² = (1 + 0 + 1)/3 = 2/3 (Chapter 1)
    mu_hat, sigma_hat = mle.gaussian([-1.0, 0.0, 1.0])
    assert mu_hat == 0.0
    assert sigma_hat**2 == pytest.approx(2 / 3, rel=1e-15)
    result = mle.gaussian([-1.0, 0.0, 1.0])
    assert result.mu == mu_hat and result.sigma == sigma_hat


def test_gaussian_is_biased_ddof0_and_matches_numpy() -> None:
    y = np.random.default_rng(0).normal(3.0, 2.0, 101)
    mu_hat, sigma_hat = mle.gaussian(y)
    assert mu_hat == pytest.approx(np.mean(y), rel=1e-14)
    assert sigma_hat == pytest.approx(np.std(y, ddof=0), rel=1e-14)
    assert sigma_hat < np.std(y, ddof=1)


def test_gaussian_no_cancellation_for_large_offset() -> None:
    # E[y²] − E[y]² would lose every digit here; the two-pass formula keeps them
    y = 1e9 + np.array([-1.0, 0.0, 1.0])
    assert mle.gaussian(y).sigma == pytest.approx(np.sqrt(2 / 3), rel=1e-9)


def test_gaussian_constant_sample_has_zero_sigma() -> None:
    assert mle.gaussian([4.0, 4.0]).sigma == 0.0
    assert mle.gaussian([4.0]) == (4.0, 0.0)


def test_poisson_mean_count() -> None:
    assert mle.poisson([2, 0, 3, 1]) == 1.5
    assert mle.poisson(np.array([2.0, 4.0])) == 3.0
    assert mle.poisson([0, 0]) == 0.0


def test_laplace_median_and_mean_absolute_deviation() -> None:
    # median 2.5; |deviations| = 1.5, 0.5, 0.5, 7.5, mean 2.5
    assert mle.laplace([1.0, 2.0, 3.0, 10.0]) == (2.5, 2.5)
    # odd n: the median is the middle value 5; deviations 3, 0, 6 -> mean 3
    loc, scale = mle.laplace([2.0, 5.0, 11.0])
    assert (loc, scale) == (5.0, 3.0)
    # against scipy.stats.laplace.fit, which implements the same closed form
    y = np.random.default_rng(1).laplace(1.0, 2.0, 51)
    np.testing.assert_allclose(mle.laplace(y), stats.laplace.fit(y), rtol=1e-12)


def test_results_are_numpy_scalars() -> None:
    assert isinstance(mle.bernoulli([0, 1]), np.float64)
    assert isinstance(mle.poisson([0, 1]), np.float64)
    assert all(isinstance(x, np.float64) for x in mle.gaussian([0.0, 1.0]))
    assert all(isinstance(x, np.float64) for x in mle.laplace([0.0, 1.0]))


# ---------------------------------------------- the MLE maximises the log-likelihood


@settings(max_examples=60, deadline=None)
@given(y=hnp.arrays(np.int64, st.integers(1, 40), elements=st.integers(0, 1)), data=st.data())
def test_bernoulli_perturbing_lowers_log_likelihood(y: np.ndarray, data: st.DataObject) -> None:
    theta_hat = mle.bernoulli(y)
    other = data.draw(st.floats(min_value=1e-6, max_value=1 - 1e-6))
    assume(abs(other - theta_hat) > 1e-9)

    def loglik(t: float) -> float:
        return float(np.sum(stats.bernoulli.logpmf(y, t)))

    # strict even on the boundary: all zeros gives θ̂ = 0 and log-likelihood 0, its supremum
    assert loglik(other) < loglik(theta_hat)


@settings(max_examples=60, deadline=None)
@given(
    y=hnp.arrays(np.int64, st.integers(1, 60), elements=st.integers(0, 3)),
    data=st.data(),
)
def test_categorical_beats_any_other_probability_vector(y: np.ndarray, data: st.DataObject) -> None:
    pi_hat = mle.categorical(y, 4)
    assert pi_hat.sum() == pytest.approx(1.0)
    raw = np.array(data.draw(st.lists(st.floats(0.01, 1.0), min_size=4, max_size=4)))
    other = raw / raw.sum()
    assume(np.max(np.abs(other - pi_hat)) > 1e-6)

    def loglik(pi: np.ndarray) -> float:
        # Σ_i log π_{y_i}, with 0·log 0 = 0 for classes that never occur
        counts = np.bincount(y, minlength=4)
        return float(np.sum(counts[counts > 0] * np.log(pi[counts > 0])))

    assert loglik(other) < loglik(pi_hat)


@settings(max_examples=80, deadline=None)
@given(y=samples, d_mu=deltas, d_sigma=deltas)
def test_gaussian_perturbing_lowers_log_likelihood(
    y: np.ndarray, d_mu: float, d_sigma: float
) -> None:
    mu_hat, sigma_hat = mle.gaussian(y)
    assume(sigma_hat > 1e-3)

    def loglik(mu: float, sigma: float) -> float:
        return float(np.sum(stats.norm.logpdf(y, mu, sigma)))

    best = loglik(mu_hat, sigma_hat)
    # relative steps of 0.1% to 100% of σ̂, in both directions
    assert loglik(mu_hat + d_mu * sigma_hat, sigma_hat) < best
    assert loglik(mu_hat, sigma_hat * (1 + abs(d_sigma))) < best
    assert loglik(mu_hat, sigma_hat / (1 + abs(d_sigma))) < best


@settings(max_examples=60, deadline=None)
@given(
    y=hnp.arrays(np.int64, st.integers(1, 40), elements=st.integers(0, 50)),
    d=deltas,
)
def test_poisson_perturbing_lowers_log_likelihood(y: np.ndarray, d: float) -> None:
    lam_hat = mle.poisson(y)
    assume(lam_hat > 0)
    other = lam_hat * np.exp(d)  # a relative perturbation that stays positive

    def loglik(lam: float) -> float:
        return float(np.sum(stats.poisson.logpmf(y, lam)))

    assert loglik(other) < loglik(lam_hat)


@settings(max_examples=80, deadline=None)
@given(y=samples, d_loc=deltas, d_scale=deltas)
def test_laplace_perturbing_does_not_raise_log_likelihood(
    y: np.ndarray, d_loc: float, d_scale: float
) -> None:
    loc, scale = mle.laplace(y)
    assume(scale > 1e-3)

    def loglik(m: float, b: float) -> float:
        return float(np.sum(stats.laplace.logpdf(y, m, b)))

    best = loglik(loc, scale)
    tol = 1e-9 * abs(best)
    # moving the location: strictly lower, unless it stays inside the median interval
    # (even n), where the likelihood is flat -- hence "not higher"
    assert loglik(loc + d_loc * scale, scale) <= best + tol
    assert loglik(loc, scale * np.exp(d_scale)) < best


# ------------------------------------------------------------------------ bad input

BAD_INPUTS: list[tuple[Callable[[], Any], type, list[str]]] = [
    (lambda: mle.bernoulli([]), ValueError, ["y", "empty"]),
    (lambda: mle.bernoulli([0, 1, np.nan]), ValueError, ["y", "finite", "nan"]),
    (lambda: mle.bernoulli([0, 1, 2]), ValueError, ["y", "0 and 1", "2"]),
    (lambda: mle.bernoulli([0.0, 0.5]), ValueError, ["y", "0.5", "index 1"]),
    (lambda: mle.bernoulli(["a"]), TypeError, ["y", "real numbers"]),
    (lambda: mle.categorical([0, 3], 3), ValueError, ["y", "[0, 2]", "3"]),
    (lambda: mle.categorical([0, -1], 3), ValueError, ["y", "-1"]),
    (lambda: mle.categorical([0, 1.5], 3), ValueError, ["y", "whole numbers", "1.5"]),
    (lambda: mle.categorical([], 3), ValueError, ["y", "empty"]),
    (lambda: mle.categorical([0], 0), ValueError, ["num_classes", ">= 1", "0"]),
    (lambda: mle.categorical([0], 2.0), TypeError, ["num_classes", "integer", "2.0"]),
    (lambda: mle.gaussian([]), ValueError, ["y", "empty"]),
    (lambda: mle.gaussian([1.0, np.inf]), ValueError, ["y", "finite", "inf"]),
    (lambda: mle.poisson([1, -2]), ValueError, ["y", "Poisson counts", ">= 0", "-2"]),
    (lambda: mle.poisson([1.0, 2.5]), ValueError, ["y", "Poisson counts", "whole", "2.5"]),
    (lambda: mle.poisson([np.nan]), ValueError, ["y", "finite"]),
    (lambda: mle.laplace([]), ValueError, ["y", "empty"]),
    (lambda: mle.laplace([np.nan, 1.0]), ValueError, ["y", "finite"]),
]


@pytest.mark.parametrize(("call", "exc", "words"), BAD_INPUTS)
def test_bad_input_names_the_argument_and_value(
    call: Callable[[], Any], exc: type, words: list[str]
) -> None:
    with pytest.raises(exc) as info:
        call()
    for word in words:
        assert word in str(info.value), (word, str(info.value))
