"""The regression losses of mlecourse.losses: mean squared and absolute error, and the
Gaussian, Poisson and Laplace NLLs: values, clamps, scalars and their MLEs.

Expected values come from SciPy's log-densities (``scipy.stats.norm``, ``poisson``,
``laplace``), the formulas written out here, or torch 2.13.0 where a test says so. The
contract over every loss x both twins is test_loss_contract.py; the Student-t,
negative-binomial, Gamma, log-normal, Huber and pinball losses are in
test_losses_families.py; hard-coded framework values are test_losses_reference_values.py and
bad inputs test_losses_bad_input.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.optimize as so
import scipy.special as sc
import scipy.stats as ss
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mlecourse import losses as L

LOG_EPS64 = float(-np.log(np.finfo(np.float64).eps))  # 36.04365338911715
RNG = np.random.default_rng(20261122)
SETTINGS = settings(max_examples=40, deadline=None)


def test_mse_and_mae():
    y, yhat = RNG.normal(size=20), RNG.normal(size=20)
    assert L.mean_squared_error(y, yhat) == pytest.approx(np.mean((y - yhat) ** 2), rel=1e-14)
    assert L.mean_absolute_error(y, yhat) == pytest.approx(np.mean(np.abs(y - yhat)), rel=1e-14)
    # MSE = 2 x Gaussian NLL (unit variance, no constant); MAE = Laplace NLL (scale 1, no log 2)
    assert L.mean_squared_error(y, yhat) == pytest.approx(2 * L.gaussian_nll(y, yhat, full=False))
    assert L.mean_absolute_error(y, yhat) == pytest.approx(L.laplace_nll(y, yhat, full=False))


def test_gaussian_nll_matches_scipy_for_each_parameterisation():
    y, mu = RNG.normal(size=15), RNG.normal(size=15)
    sd = RNG.uniform(0.1, 3.0, 15)
    expected = -ss.norm.logpdf(y, mu, sd)
    for kwargs in ({"variance": sd**2}, {"std": sd}, {"log_variance": np.log(sd**2)}):
        out = L.gaussian_nll(y, mu, reduction="none", **kwargs)
        np.testing.assert_allclose(out, expected, rtol=1e-13)
        dropped = L.gaussian_nll(y, mu, reduction="none", full=False, **kwargs)
        np.testing.assert_allclose(out - dropped, 0.5 * np.log(2 * np.pi), rtol=1e-13)
    np.testing.assert_allclose(
        L.gaussian_nll(y, mu, reduction="none"), -ss.norm.logpdf(y, mu, 1.0), rtol=1e-13
    )


def test_gaussian_variance_is_clamped_at_eps():
    for kwargs in ({"variance": 0.0}, {"std": 0.0}, {"log_variance": -1e4}):
        out = L.gaussian_nll([0.0], [0.001], eps=1e-6, full=False, **kwargs)
        assert out == pytest.approx(0.5 * (np.log(1e-6) + 1e-6 / 1e-6), rel=1e-12)


def test_poisson_nll_matches_scipy_and_handles_rate_zero():
    y = RNG.poisson(3.0, 30)
    rate = RNG.uniform(0.5, 6.0, 30)
    expected = -ss.poisson.logpmf(y, rate)
    np.testing.assert_allclose(
        L.poisson_nll(y, np.log(rate), reduction="none"), expected, rtol=1e-12
    )
    np.testing.assert_allclose(
        L.poisson_nll(y, rate, log_input=False, reduction="none"), expected, rtol=1e-12
    )
    np.testing.assert_allclose(
        L.poisson_nll(y, rate, log_input=False, full=False, reduction="none"),
        expected - sc.gammaln(y + 1),
        rtol=1e-12,
        atol=1e-12,
    )
    # rate 0: exact 0 for a zero count, y * (-log eps) + log y! for a positive count
    out = L.poisson_nll([0, 2], [0.0, 0.0], log_input=False, reduction="none")
    np.testing.assert_allclose(out, [0.0, 2 * LOG_EPS64 + np.log(2.0)])


def test_laplace_nll_matches_scipy():
    y, mu = RNG.normal(size=15), RNG.normal(size=15)
    b = RNG.uniform(0.1, 3.0, 15)
    np.testing.assert_allclose(
        L.laplace_nll(y, mu, scale=b, reduction="none"), -ss.laplace.logpdf(y, mu, b), rtol=1e-13
    )
    np.testing.assert_allclose(
        L.laplace_nll(y, mu, scale=b, full=False, reduction="none"),
        -ss.laplace.logpdf(y, mu, b) - np.log(2.0),
        rtol=1e-13,
    )


def test_results_are_numpy_scalars_and_arrays():
    out = L.mean_squared_error([1.0, 2.0], [1.5, 2.5])
    assert isinstance(out, np.float64)
    assert isinstance(L.mean_squared_error([1.0], [2.0], reduction="none"), np.ndarray)


# ----------------------------------------------------------------------------- dtypes


def test_scalar_inputs():
    assert L.mean_squared_error(1.0, 3.0) == 4.0
    assert L.mean_absolute_error(1.0, 3.0, reduction="none") == 2.0
    assert L.gaussian_nll(1.0, 0.0, variance=2.0) == pytest.approx(
        -ss.norm.logpdf(1.0, 0.0, np.sqrt(2))
    )
    assert L.poisson_nll(2, 0.5) == pytest.approx(-ss.poisson.logpmf(2, np.exp(0.5)))
    assert L.poisson_nll(2, 1.5, log_input=False) == pytest.approx(-ss.poisson.logpmf(2, 1.5))
    assert L.laplace_nll(1.0, 0.0, scale=2.0) == pytest.approx(-ss.laplace.logpdf(1.0, 0.0, 2.0))


# ----------------------------------------------------------------------------- the MLEs


def argmin(f, lo, hi):
    return so.minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10}).x


sample = hnp.arrays(np.float64, st.integers(3, 25), elements=st.floats(-10, 10))


@SETTINGS
@given(sample)
def test_gaussian_argmins_are_the_mean_and_the_biased_variance(y):
    mu_hat = y.mean()
    var_hat = np.mean((y - mu_hat) ** 2)
    assume(var_hat > 1e-3)
    found_mu = argmin(lambda m: L.gaussian_nll(y, np.full(y.shape, m), variance=2.0), -11, 11)
    assert found_mu == pytest.approx(mu_hat, abs=1e-5)
    found_log_var = argmin(
        lambda lv: L.gaussian_nll(y, np.full(y.shape, mu_hat), log_variance=lv), -10, 6
    )
    assert np.exp(found_log_var) == pytest.approx(var_hat, rel=1e-4)
    found_mse = argmin(lambda m: L.mean_squared_error(y, np.full(y.shape, m)), -11, 11)
    assert found_mse == pytest.approx(mu_hat, abs=1e-5)


@SETTINGS
@given(hnp.arrays(np.int64, st.integers(2, 30), elements=st.integers(0, 40)))
def test_poisson_argmin_is_the_sample_mean(y):
    lam_hat = y.mean()
    assume(lam_hat > 0)
    found = argmin(lambda lr: L.poisson_nll(y, np.full(y.shape, lr)), -8, 5)
    assert np.exp(found) == pytest.approx(lam_hat, rel=1e-5)
    found_rate = argmin(lambda r: L.poisson_nll(y, np.full(y.shape, r), log_input=False), 1e-3, 45)
    assert found_rate == pytest.approx(lam_hat, rel=1e-5)


@SETTINGS
@given(hnp.arrays(np.float64, st.sampled_from([3, 5, 9, 15]), elements=st.floats(-10, 10)))
def test_laplace_argmins_are_the_median_and_the_mean_absolute_deviation(y):
    # an odd sample size makes the median the unique minimiser
    med = np.median(y)
    b_hat = np.mean(np.abs(y - med))
    assume(b_hat > 1e-3 and np.unique(y).size == y.size)
    found_loc = argmin(lambda m: L.laplace_nll(y, np.full(y.shape, m), scale=1.5), -11, 11)
    assert found_loc == pytest.approx(med, abs=1e-5)
    found_scale = argmin(lambda b: L.laplace_nll(y, np.full(y.shape, med), scale=b), 1e-4, 30)
    assert found_scale == pytest.approx(b_hat, rel=1e-4)
    found_mae = argmin(lambda m: L.mean_absolute_error(y, np.full(y.shape, m)), -11, 11)
    assert found_mae == pytest.approx(med, abs=1e-5)


# ----------------------------------------------------------------------------- fuzzing regressions
# A defect found by fuzzing against PyTorch (issue 10). Expected values say where they come
# from: torch 2.13.0 CPU, or the exact formula.


@pytest.mark.parametrize(
    ("dtype", "kwargs"),
    [
        # y = mean = 0, log_variance = -710, eps = 4.476e-309 (subnormal in float64): gave NaN;
        # torch 2.13.0 F.gaussian_nll_loss(..., eps=4.476e-309) gives -355.0
        (np.float64, {"log_variance": -710.0, "eps": 4.476e-309}),
        # variance = 0, eps = 6.8e-46 (0 in float32): gave NaN; torch 2.13.0 gives nan too
        (np.float32, {"variance": 0.0, "eps": 6.8e-46}),
    ],
)
def test_gaussian_nll_rejects_an_eps_the_dtype_cannot_hold(dtype, kwargs):
    zero = np.zeros(1, dtype)
    name = np.dtype(dtype).name
    with pytest.raises(ValueError, match=rf"eps must be at least the smallest normal {name} "):
        L.gaussian_nll(zero, zero, **kwargs)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gaussian_nll_at_the_smallest_eps_is_exact(dtype):
    # eps = np.finfo(dtype).tiny, variance 0: the loss is ½ log(tiny) (full=False). Expected:
    # torch 2.13.0 F.gaussian_nll_loss(zeros, zeros, zeros, eps=tiny) = -354.1982 (float64),
    # -43.6683 (float32), which is 0.5 * math.log(tiny).
    tiny = float(np.finfo(dtype).tiny)
    zero = np.zeros(1, dtype)
    out = L.gaussian_nll(zero, zero, variance=0.0, eps=tiny, full=False)
    assert out.dtype == dtype
    assert float(out) == pytest.approx(0.5 * math.log(tiny), rel=1e-6)
    out = L.gaussian_nll(zero, zero, log_variance=-800.0, eps=tiny, full=False)
    assert float(out) == pytest.approx(0.5 * math.log(tiny), rel=1e-6)
