"""Tests of mlecourse.special: stability at the extremes, dtypes, and agreement with SciPy."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sc
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mlecourse import special

EXTREME = np.array([-1e300, -1e4, -745.0, -50.0, -1.0, 0.0, 1e-300, 1.0, 50.0, 745.0, 1e4, 1e300])
finite_floats = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def exact_softplus(x: np.ndarray) -> np.ndarray:
    """softplus in long double, as a reference (max(x,0) + log1p(exp(-|x|)))."""
    xl = x.astype(np.longdouble)
    return np.maximum(xl, 0) + np.log1p(np.exp(-np.abs(xl)))


def test_softplus_matches_exact_and_asymptotes():
    out = special.softplus(EXTREME)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, exact_softplus(EXTREME).astype(np.float64), rtol=4e-16)
    # softplus(x) -> x for x >> 0 and -> e^x for x << 0
    assert out[-2] == 1e4 and out[1] == 0.0
    assert special.softplus(50.0) == 50.0 + np.exp(-50.0)  # 50 + 1.9e-22 rounds to 50 exactly
    assert special.softplus(-50.0) == pytest.approx(np.exp(-50.0), rel=1e-15)


def test_log_sigmoid_is_minus_softplus_of_minus_x():
    np.testing.assert_array_equal(special.log_sigmoid(EXTREME), -special.softplus(-EXTREME))
    np.testing.assert_allclose(special.log_sigmoid(EXTREME), sc.log_expit(EXTREME), rtol=1e-15)
    assert special.log_sigmoid(-1e4) == -1e4
    assert special.log_sigmoid(40.0) == pytest.approx(-np.exp(-40.0), rel=1e-15)


def test_sigmoid_matches_expit():
    np.testing.assert_allclose(special.sigmoid(EXTREME), sc.expit(EXTREME), rtol=1e-15, atol=1e-320)
    np.testing.assert_array_equal(special.sigmoid([-1e4, 0.0, 1e4]), [0.0, 0.5, 1.0])


def test_logsumexp_special_values():
    assert special.logsumexp([1000.0, 1000.0]) == 1000.0 + np.log(2.0)
    assert special.logsumexp([-1e4, -1e4]) == -1e4 + np.log(2.0)
    assert special.logsumexp([1e4, 0.0]) == 1e4
    assert special.logsumexp([-np.inf, -np.inf]) == -np.inf
    x = np.random.default_rng(0).normal(0, 30, (4, 5, 6))
    for axis in (None, 0, 1, -1, (0, 2)):
        np.testing.assert_allclose(
            special.logsumexp(x, axis=axis), sc.logsumexp(x, axis=axis), rtol=1e-14
        )
        np.testing.assert_allclose(
            special.logsumexp(x, axis=axis, keepdims=True),
            sc.logsumexp(x, axis=axis, keepdims=True),
            rtol=1e-14,
        )


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_and_log_softmax_match_scipy(axis):
    x = np.random.default_rng(1).normal(0, 1e3, (5, 7))
    np.testing.assert_allclose(
        special.softmax(x, axis), sc.softmax(x, axis), rtol=1e-13, atol=1e-300
    )
    np.testing.assert_allclose(special.log_softmax(x, axis), sc.log_softmax(x, axis), rtol=1e-13)
    np.testing.assert_allclose(special.softmax(x, axis).sum(axis), 1.0, rtol=1e-15)


def test_log_softmax_at_extremes_is_exact():
    np.testing.assert_array_equal(special.log_softmax([1e4, 0.0, -1e4]), [0.0, -1e4, -2e4])
    np.testing.assert_array_equal(special.softmax([1e4, 1e4, -1e4]), [0.5, 0.5, 0.0])


@pytest.mark.parametrize(
    "fn",
    [special.sigmoid, special.log_sigmoid, special.softplus, special.softmax, special.log_softmax],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved(fn, dtype):
    x = np.array([-1e4, -3.0, 0.0, 3.0, 1e4], dtype=dtype)
    out = fn(x)
    assert out.dtype == dtype
    assert np.all(np.isfinite(out))


def test_logsumexp_float32_and_integers():
    assert special.logsumexp(np.array([1e4, 1e4], np.float32)).dtype == np.float32
    assert special.softplus(np.array([0, 1, 2])).dtype == np.float64
    assert isinstance(special.softplus(1.0), np.floating)


def test_float32_accuracy_of_the_log1p_rewrite():
    x = np.linspace(-80, 80, 20001).astype(np.float32)
    ref = exact_softplus(x.astype(np.float64))
    rel = np.abs(special.softplus(x) - ref) / ref
    tiny = ref < np.finfo(np.float32).tiny
    assert rel[~tiny].max() < 4 * np.finfo(np.float32).eps


def test_bad_inputs():
    with pytest.raises(TypeError, match=r"x must contain real numbers.*got dtype <U1"):
        special.softplus(["a"])
    with pytest.raises(ValueError, match=r"axis 2 is out of bounds for x of shape \(2, 2\)"):
        special.softmax(np.zeros((2, 2)), axis=2)
    with pytest.raises(ValueError, match=r"x must not be empty; got an array of shape \(0,\)"):
        special.logsumexp([])


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=finite_floats), finite_floats)
def test_logsumexp_shift_property(x, c):
    # logsumexp(x + c) = logsumexp(x) + c, softmax(x + c) = softmax(x)
    assert special.logsumexp(x + c) == pytest.approx(special.logsumexp(x) + c, rel=1e-12, abs=1e-9)
    np.testing.assert_allclose(special.softmax(x + c), special.softmax(x), atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 20), elements=finite_floats))
def test_sigmoid_identities(x):
    # σ(x) + σ(-x) = 1 and log σ(x) - log σ(-x) = x
    np.testing.assert_allclose(special.sigmoid(x) + special.sigmoid(-x), 1.0, rtol=1e-15)
    np.testing.assert_allclose(
        special.log_sigmoid(x) - special.log_sigmoid(-x), x, rtol=1e-12, atol=1e-12
    )
