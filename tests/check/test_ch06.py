"""Chapter 6's checkers catch the chapter's own mistakes and accept other correct answers.

For every exercise: the reference solution passes every case; wrong implementations written
as a reader would write them (the traps the chapter names) fail with the expected diagnosis;
a trivially wrong one fails; and correct implementations written differently (SciPy's
``norm.logpdf``/``laplace.fit``, a numerical minimisation over sigma, the normal equations,
scikit-learn's ``sample_weight``, a lower median, SymPy's derivative) pass.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import scipy.optimize
import scipy.stats
import sklearn.linear_model
import sympy as sp

from mlecourse.check import check
from mlecourse.solutions import ch06 as sol

REFERENCES = [
    ("ex-ch06-profile", sol.profile_gaussian_nll),
    ("ex-ch06-laplace-scale", sol.laplace_mle),
    ("ex-ch06-wls", sol.weighted_least_squares),
    ("ex-ch06-debug-gradient", sol.gaussian_nll_gradients),
]


def _timed_check(label, fn):
    start = time.perf_counter()
    report = check(label, fn)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"check({label!r}) took {elapsed:.2f} s"
    return report


@pytest.mark.parametrize(("label", "reference"), REFERENCES)
def test_the_reference_passes_every_case(label, reference):
    report = _timed_check(label, reference)
    assert report.passed, str(report)
    assert report.n_passed == report.n_cases >= 6


# -- ex-ch06-profile -------------------------------------------------------------------------
def _checked(y_true, y_pred):
    a, b = np.asarray(y_true, float), np.asarray(y_pred, float)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
    return a, b


def profile_residual_variance(y_true, y_pred):  # sigma^2 = np.var(residuals)
    a, b = _checked(y_true, y_pred)
    return a.size / 2 * (1 + np.log(2 * np.pi * np.var(a - b)))


def profile_ddof(y_true, y_pred):  # SSE / (n - 1)
    a, b = _checked(y_true, y_pred)
    return a.size / 2 * (1 + np.log(2 * np.pi * np.sum((a - b) ** 2) / (a.size - 1)))


def profile_no_constant(y_true, y_pred):  # n/2 log(2 pi MSE): the 1 forgotten
    a, b = _checked(y_true, y_pred)
    return a.size / 2 * np.log(2 * np.pi * np.mean((a - b) ** 2))


def profile_mean(y_true, y_pred):  # the mean NLL, not the total
    a, b = _checked(y_true, y_pred)
    return 0.5 * (1 + np.log(2 * np.pi * np.mean((a - b) ** 2)))


def profile_broadcasts(y_true, y_pred):  # no shape check: (N,) - (N, 1) -> (N, N)
    a, b = np.asarray(y_true, float), np.asarray(y_pred, float)
    return a.shape[0] / 2 * (1 + np.log(2 * np.pi * np.mean((a - b) ** 2)))


def profile_asserts_shapes(y_true, y_pred):  # an assert where a ValueError is asked
    assert np.shape(y_true) == np.shape(y_pred), "shapes differ"
    return sol.profile_gaussian_nll(y_true, y_pred)


def profile_zero(y_true, y_pred):
    return 0.0


def profile_scipy(y_true, y_pred):  # correct: the Gaussian log-density at sigma = RMS residual
    a, b = _checked(y_true, y_pred)
    rms = math.sqrt(np.mean((a - b) ** 2))
    return float(-np.sum(scipy.stats.norm.logpdf(a, loc=b, scale=rms)))


def profile_minimise(y_true, y_pred):  # correct: minimise the NLL numerically over log sigma
    a, b = _checked(y_true, y_pred)
    sse, n = float(np.sum((a - b) ** 2)), a.size

    def nll(log_sigma):
        return n * log_sigma + n / 2 * math.log(2 * math.pi) + sse / 2 * math.exp(-2 * log_sigma)

    result = scipy.optimize.minimize_scalar(
        nll, bounds=(-60.0, 60.0), method="bounded", options={"xatol": 1e-12}
    )
    return float(result.fun)


# -- ex-ch06-laplace-scale -------------------------------------------------------------------
def laplace_mean(y):  # the mean and the mean absolute deviation from it
    s = np.ravel(np.asarray(y, float))
    return float(s.mean()), float(np.mean(np.abs(s - s.mean())))


def laplace_scale_around_mean(y):  # median, but the deviations from the mean
    s = np.ravel(np.asarray(y, float))
    return float(np.median(s)), float(np.mean(np.abs(s - s.mean())))


def laplace_std(y):  # a standard deviation as the scale
    s = np.ravel(np.asarray(y, float))
    return float(np.median(s)), float(np.std(s))


def laplace_median_abs_dev(y):  # the median absolute deviation
    s = np.ravel(np.asarray(y, float))
    med = np.median(s)
    return float(med), float(np.median(np.abs(s - med)))


def laplace_n_minus_1(y):
    s = np.ravel(np.asarray(y, float))
    med = np.median(s)
    return float(med), float(np.sum(np.abs(s - med)) / (s.size - 1))


def laplace_swapped(y):  # (scale, loc): the pair reversed
    loc, scale = sol.laplace_mle(y)
    return scale, loc


def laplace_zeros(y):
    return 0.0, 0.0


def laplace_upper_median(y):  # correct: the upper middle value, sorted by hand
    values = sorted(np.ravel(y).tolist())
    loc = values[len(values) // 2]
    return loc, sum(abs(v - loc) for v in values) / len(values)


def laplace_lower_median(y):  # correct: the lower middle value, another median
    s = sorted(np.ravel(np.asarray(y, float)).tolist())
    loc = s[(len(s) - 1) // 2]
    return loc, sum(abs(v - loc) for v in s) / len(s)


def laplace_scipy(y):  # correct: SciPy's maximum-likelihood fit
    loc, scale = scipy.stats.laplace.fit(np.ravel(np.asarray(y, float)))
    return float(loc), float(scale)


# -- ex-ch06-wls -----------------------------------------------------------------------------
def _arrays(X, y, sigma):
    return (np.asarray(a, float) for a in (X, y, sigma))


def wls_squared(X, y, sigma):  # rows divided by sigma^2
    X, y, sigma = _arrays(X, y, sigma)
    return np.linalg.lstsq(X / sigma[:, None] ** 2, y / sigma**2, rcond=None)[0]


def wls_sample_weight_one_over_sigma(X, y, sigma):  # sklearn with sample_weight = 1 / sigma
    X, y, sigma = _arrays(X, y, sigma)
    model = sklearn.linear_model.LinearRegression(fit_intercept=False)
    return model.fit(X, y, sample_weight=1 / sigma).coef_


def wls_unweighted(X, y, sigma):  # ordinary least squares
    X, y, _ = _arrays(X, y, sigma)
    return np.linalg.lstsq(X, y, rcond=None)[0]


def wls_y_only(X, y, sigma):  # y divided, X not
    X, y, sigma = _arrays(X, y, sigma)
    return np.linalg.lstsq(X, y / sigma, rcond=None)[0]


def wls_multiplied(X, y, sigma):  # rows multiplied by sigma
    X, y, sigma = _arrays(X, y, sigma)
    return np.linalg.lstsq(X * sigma[:, None], y * sigma, rcond=None)[0]


def wls_no_axis(X, y, sigma):  # X / sigma: an (n, d) matrix by an (n,) vector
    X, y, sigma = _arrays(X, y, sigma)
    return np.linalg.lstsq(X / sigma, y / sigma, rcond=None)[0]


def wls_zeros(X, y, sigma):
    return np.zeros(np.shape(X)[1])


def wls_normal_equations(X, y, sigma):  # correct: (X^T W X) w = X^T W y, W = diag(1/sigma^2)
    X, y, sigma = _arrays(X, y, sigma)
    w = 1 / sigma**2
    return np.linalg.solve(X.T @ (w[:, None] * X), X.T @ (w * y))


def wls_sklearn(X, y, sigma):  # correct: scikit-learn with sample_weight = 1 / sigma^2
    X, y, sigma = _arrays(X, y, sigma)
    model = sklearn.linear_model.LinearRegression(fit_intercept=False)
    return model.fit(X, y, sample_weight=1 / sigma**2).coef_


# -- ex-ch06-debug-gradient ------------------------------------------------------------------
def buggy_gradients(y, mean, log_var):  # the exercise's code, both bugs
    v = np.exp(log_var)
    d_mean = (y - mean) / v
    d_log_var = 0.5 * (1 - (y - mean) ** 2 * v)
    return d_mean, d_log_var


def gradients_sign_only_fixed(y, mean, log_var):
    v = np.exp(log_var)
    return (mean - y) / v, 0.5 * (1 - (y - mean) ** 2 * v)


def gradients_variance_only_fixed(y, mean, log_var):
    v = np.exp(log_var)
    return (y - mean) / v, 0.5 * (1 - (y - mean) ** 2 / v)


def gradients_in_variance(y, mean, log_var):  # dL/dv instead of dL/dlog v
    v = np.exp(log_var)
    return (mean - y) / v, (v - (y - mean) ** 2) / (2 * v**2)


def gradients_in_std(y, mean, log_var):  # dL/dsigma instead of dL/dlog v
    v = np.exp(log_var)
    return (mean - y) / v, (v - (y - mean) ** 2) / v**1.5


def gradients_swapped(y, mean, log_var):  # (d_log_var, d_mean): the pair reversed
    d_mean, d_log_var = sol.gaussian_nll_gradients(y, mean, log_var)
    return d_log_var, d_mean


def gradients_zeros(y, mean, log_var):
    return np.zeros(np.shape(y)), np.zeros(np.shape(y))


def gradients_through_sigma(y, mean, log_var):  # correct: via sigma = exp(log_var / 2)
    sigma = np.exp(np.asarray(log_var) / 2)
    z = (np.asarray(y) - np.asarray(mean)) / sigma
    return -z / sigma, 0.5 - 0.5 * z**2


_Y, _MU, _LV = sp.symbols("y mu log_var", real=True)
_LOSS = sp.log(2 * sp.pi) / 2 + _LV / 2 + (_Y - _MU) ** 2 / (2 * sp.exp(_LV))
_D_MEAN = sp.lambdify((_Y, _MU, _LV), sp.diff(_LOSS, _MU), "numpy")
_D_LOG_VAR = sp.lambdify((_Y, _MU, _LV), sp.diff(_LOSS, _LV), "numpy")


def gradients_by_chain_rule(y, mean, log_var):  # correct: dL/dsigma times dsigma/dlog v
    sigma = np.exp(np.asarray(log_var) / 2)
    u = np.asarray(y) - np.asarray(mean)
    return -u / sigma**2, (sigma**2 - u**2) / sigma**3 * (sigma / 2)


def gradients_sympy(y, mean, log_var):  # correct: SymPy's derivatives of the per-example loss
    y, mean, log_var = (np.asarray(a, float) for a in (y, mean, log_var))
    return _D_MEAN(y, mean, log_var) + 0 * y, _D_LOG_VAR(y, mean, log_var) + 0 * y


MUTANTS = [
    ("ex-ch06-profile", profile_residual_variance, "variance"),
    ("ex-ch06-profile", profile_ddof, "ddof"),
    ("ex-ch06-profile", profile_no_constant, "constant"),
    ("ex-ch06-profile", profile_mean, "factor"),
    ("ex-ch06-profile", profile_broadcasts, "no_error"),
    ("ex-ch06-profile", profile_asserts_shapes, "wrong_error"),
    ("ex-ch06-laplace-scale", laplace_swapped, "order"),
    ("ex-ch06-debug-gradient", gradients_swapped, "order"),
    ("ex-ch06-laplace-scale", laplace_mean, "mean"),
    ("ex-ch06-laplace-scale", laplace_scale_around_mean, "scale_around_mean"),
    ("ex-ch06-laplace-scale", laplace_std, "std"),
    ("ex-ch06-laplace-scale", laplace_median_abs_dev, "mad"),
    ("ex-ch06-laplace-scale", laplace_n_minus_1, "n_minus_1"),
    ("ex-ch06-wls", wls_squared, "squared"),
    ("ex-ch06-wls", wls_sample_weight_one_over_sigma, "weights_one_over_sigma"),
    ("ex-ch06-wls", wls_unweighted, "unweighted"),
    ("ex-ch06-wls", wls_y_only, "y_only"),
    ("ex-ch06-wls", wls_multiplied, "multiplied"),
    ("ex-ch06-wls", wls_no_axis, "raised"),
    ("ex-ch06-debug-gradient", buggy_gradients, "both"),
    ("ex-ch06-debug-gradient", gradients_sign_only_fixed, "times_variance"),
    ("ex-ch06-debug-gradient", gradients_variance_only_fixed, "mean_sign"),
    ("ex-ch06-debug-gradient", gradients_in_variance, "variance_coordinate"),
    ("ex-ch06-debug-gradient", gradients_in_std, "std_coordinate"),
]


@pytest.mark.parametrize(("label", "wrong", "code"), MUTANTS, ids=[m[1].__name__ for m in MUTANTS])
def test_each_realistic_mistake_fails_with_its_diagnosis(label, wrong, code):
    report = _timed_check(label, wrong)
    assert not report.passed
    failure = report.first_failure
    assert failure.diagnosis == code, str(report)
    assert failure.hint is not None and failure.hint.ref, "a chapter-specific hint"
    assert failure.hint.text in str(report)


@pytest.mark.parametrize(
    ("label", "trivial"),
    [
        ("ex-ch06-profile", profile_zero),
        ("ex-ch06-laplace-scale", laplace_zeros),
        ("ex-ch06-wls", wls_zeros),
        ("ex-ch06-debug-gradient", gradients_zeros),
        ("ex-ch06-debug-gradient", lambda y, mean, log_var: (y, log_var)),  # returns its input
    ],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_a_trivial_answer_fails(label, trivial):
    report = _timed_check(label, trivial)
    assert not report.passed
    assert report.n_passed < report.n_cases


@pytest.mark.parametrize(
    ("label", "correct"),
    [
        ("ex-ch06-profile", profile_scipy),
        ("ex-ch06-profile", profile_minimise),
        ("ex-ch06-laplace-scale", laplace_lower_median),
        ("ex-ch06-laplace-scale", laplace_scipy),
        ("ex-ch06-laplace-scale", laplace_upper_median),
        ("ex-ch06-wls", wls_normal_equations),
        ("ex-ch06-wls", wls_sklearn),
        ("ex-ch06-debug-gradient", gradients_through_sigma),
        ("ex-ch06-debug-gradient", gradients_sympy),
        ("ex-ch06-debug-gradient", gradients_by_chain_rule),
    ],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_a_correct_implementation_written_differently_passes(label, correct):
    report = _timed_check(label, correct)
    assert report.passed, str(report)


def test_the_batteries_cover_the_chapters_traps():
    from mlecourse.check._ch06 import _gradient_cases, _laplace_cases, _profile_cases

    profile = _profile_cases()
    assert any(c.raises is ValueError for c in profile)  # the (N,) against (N, 1) pair
    assert any(np.shape(c.args[0]) == (1,) for c in profile)  # a single example
    laplace = _laplace_cases()
    assert any(np.size(c.args[0]) % 2 == 0 for c in laplace)  # an even sample: many medians
    log_vars = np.concatenate([np.ravel(c.args[2]) for c in _gradient_cases()])
    assert log_vars.min() <= -300 and log_vars.max() >= 300  # tiny and huge variances


def test_a_wrong_exception_is_not_called_a_result():
    # the report of an assert where the exercise asks for a ValueError says so
    hint = _timed_check("ex-ch06-profile", profile_asserts_shapes).first_failure.hint.text
    assert "asks for a ValueError" in hint and "AssertionError" in hint, hint
