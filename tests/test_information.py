"""Tests of mlecourse.information against SciPy, the identity H(p,q) = H(p) + KL, and bad input."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mlecourse.information import cross_entropy, entropy, kl_divergence


@st.composite
def distributions(draw: st.DrawFn, k: int | None = None, rows: int | None = None) -> np.ndarray:
    """A (rows, k) array of probability vectors, some with exact zeros."""
    k = k if k is not None else draw(st.integers(1, 6))
    rows = rows if rows is not None else draw(st.integers(1, 4))
    raw = draw(
        hnp.arrays(
            np.float64,
            (rows, k),
            elements=st.sampled_from([0.0]) | st.floats(1e-6, 1.0),
        )
    )
    raw[:, 0] += 1e-3  # no all-zero row
    return raw / raw.sum(axis=1, keepdims=True)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    k, rows = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    return draw(distributions(k, rows)), draw(distributions(k, rows))


# ------------------------------------------------------------- known values


def test_coding_view_in_bits() -> None:
    # an outcome of probability 1/2 costs 1 bit, one of probability 1/4 costs 2 bits
    assert entropy([0.5, 0.5], base=2) == 1.0
    assert entropy([0.25] * 4, base=2) == 2.0
    assert cross_entropy([0.0, 1.0, 0.0, 0.0], [0.25] * 4, base=2) == 2.0
    assert cross_entropy([1.0, 0.0], [0.5, 0.5], base=2) == 1.0
    # the mixed code: 1/2 · 1 bit + 1/4 · 2 bits + 1/4 · 2 bits = 1.5 bits
    assert entropy([0.5, 0.25, 0.25], base=2) == pytest.approx(1.5, rel=1e-15)


def test_nats_by_default() -> None:
    assert entropy([0.5, 0.5]) == pytest.approx(np.log(2), rel=1e-15)
    # one nat is 1/ln 2 bits
    p = [0.1, 0.3, 0.5, 0.1]
    assert entropy(p, base=2) == pytest.approx(entropy(p) / np.log(2), rel=1e-14)
    assert entropy(p, base=10) == pytest.approx(entropy(p) / np.log(10), rel=1e-14)


def test_worked_cross_entropy_example() -> None:
    # y = [0, 1, 0], p = [0.23, 0.63, 0.14]: -ln 0.63 = 0.46203546... (formula)
    assert cross_entropy([0, 1, 0], [0.23, 0.63, 0.14]) == pytest.approx(-np.log(0.63), rel=1e-15)
    assert cross_entropy([0, 1, 0], [0.23, 0.63, 0.14]) == pytest.approx(0.462, abs=5e-4)


def test_certain_outcome_has_zero_entropy_not_minus_zero() -> None:
    h = entropy([0.0, 1.0, 0.0])
    assert h == 0.0 and not np.signbit(h)
    kl = kl_divergence([0.0, 1.0], [0.0, 1.0])
    assert kl == 0.0 and not np.signbit(kl)


def test_zeros_follow_xlogy_convention_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # p_k = 0 contributes nothing, whatever q_k (q_k = 0 included)
        assert cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0
        assert kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0
        # q_k = 0 < p_k: +inf, the mathematically true value
        assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
        assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf


def test_axis_and_batches() -> None:
    p = np.array([[0.5, 0.5], [1.0, 0.0], [0.25, 0.75]])
    np.testing.assert_allclose(entropy(p), [np.log(2), 0.0, scipy.stats.entropy([0.25, 0.75])])
    np.testing.assert_allclose(entropy(p.T, axis=0), entropy(p))
    q = np.full((3, 2), 0.5)
    np.testing.assert_allclose(cross_entropy(p.T, q.T, axis=0), cross_entropy(p, q))
    np.testing.assert_allclose(kl_divergence(p.T, q.T, axis=0), kl_divergence(p, q))
    assert entropy(np.full((2, 3, 4), 0.25)).shape == (2, 3)
    assert entropy(np.full((2, 3, 4), 0.5), axis=0).shape == (3, 4)


def test_float32_stays_float32() -> None:
    p32 = np.array([0.2, 0.8], dtype=np.float32)
    assert entropy(p32).dtype == np.float32
    assert entropy(p32, base=2).dtype == np.float32
    assert cross_entropy([0.0, 1.0], p32).dtype == np.float32
    assert kl_divergence([0.5, 0.5], p32).dtype == np.float32
    assert entropy([0.5, 0.5]).dtype == np.float64


def test_integer_and_boolean_inputs() -> None:
    assert entropy([0, 1]) == 0.0
    assert cross_entropy(np.array([False, True]), [0.5, 0.5]) == pytest.approx(np.log(2))


# ------------------------------------------------------- against SciPy, identities


@settings(max_examples=100, deadline=None)
@given(p=distributions(), base=st.sampled_from([None, 2.0, 10.0, np.e]))
def test_entropy_matches_scipy(p: np.ndarray, base: float | None) -> None:
    expected = scipy.stats.entropy(p, base=base, axis=-1)
    np.testing.assert_allclose(entropy(p, base=base), expected, rtol=1e-12, atol=1e-15)


@settings(max_examples=100, deadline=None)
@given(pq=pairs(), base=st.sampled_from([None, 2.0]))
def test_kl_matches_scipy(pq: tuple[np.ndarray, np.ndarray], base: float | None) -> None:
    p, q = pq
    expected = scipy.stats.entropy(p, q, base=base, axis=-1)  # scipy's KL(p‖q)
    np.testing.assert_allclose(kl_divergence(p, q, base=base), expected, rtol=1e-10, atol=1e-14)


@settings(max_examples=150, deadline=None)
@given(pq=pairs(), base=st.sampled_from([None, 2.0]))
def test_cross_entropy_is_entropy_plus_kl(
    pq: tuple[np.ndarray, np.ndarray], base: float | None
) -> None:
    p, q = pq
    h, ce, kl = (
        entropy(p, base=base),
        cross_entropy(p, q, base=base),
        kl_divergence(p, q, base=base),
    )
    finite = np.isfinite(ce)
    # where q rules out an outcome p allows, both sides are +inf together
    np.testing.assert_array_equal(np.isinf(ce), np.isinf(kl))
    np.testing.assert_allclose(ce[finite], (h + kl)[finite], rtol=1e-10, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(pq=pairs())
def test_kl_is_nonnegative_and_zero_on_the_diagonal(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    assert np.all(kl_divergence(p, q) >= -1e-12)
    np.testing.assert_array_equal(kl_divergence(p, p), 0.0)
    # Gibbs: the cross-entropy is never below the entropy
    assert np.all(cross_entropy(p, q) >= entropy(p) - 1e-12)


@settings(max_examples=100, deadline=None)
@given(p=distributions())
def test_entropy_bounds(p: np.ndarray) -> None:
    h = entropy(p)
    assert np.all(h >= 0)
    assert np.all(h <= np.log(p.shape[-1]) + 1e-12)  # the uniform distribution is the maximum


# --------------------------------------------------------------- warnings, errors


def test_rows_that_do_not_sum_to_one_warn_and_are_not_renormalised() -> None:
    with pytest.warns(UserWarning, match=r"p should sum to 1 along axis 0.*\[0\.8, 0\.8\]"):
        h = entropy([0.4, 0.4])
    assert h == pytest.approx(-2 * 0.4 * np.log(0.4))
    with pytest.warns(UserWarning, match="q should sum to 1"):
        cross_entropy([0.5, 0.5], [0.5, 0.6])
    with pytest.warns(UserWarning, match="1 of 2 slice"):
        kl_divergence([[0.5, 0.5], [0.5, 0.4]], [[0.5, 0.5], [0.5, 0.5]])


def test_rounding_in_a_softmax_does_not_warn() -> None:
    logits = np.random.default_rng(0).normal(size=(100, 10))
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        entropy(probs)
        entropy(probs.astype(np.float32))


BAD_INPUTS: list[tuple[Callable[[], Any], type, list[str]]] = [
    (lambda: entropy([0.5, 1.5]), ValueError, ["p", "probabilities", "[0.5, 1.5]"]),
    (lambda: entropy([-0.1, 1.1]), ValueError, ["p", "[0, 1]", "-0.1"]),
    (lambda: entropy([np.nan, 1.0]), ValueError, ["p", "finite"]),
    (lambda: entropy([]), ValueError, ["p", "empty"]),
    (lambda: entropy(0.5), ValueError, ["p", "scalar", "0.5"]),
    (lambda: entropy(["a"]), TypeError, ["p"]),
    (lambda: entropy([0.5, 0.5], axis=1), ValueError, ["axis", "1 dimension", "got 1"]),
    (lambda: entropy([0.5, 0.5], axis=0.0), TypeError, ["axis", "integer"]),
    (lambda: entropy([0.5, 0.5], base=1), ValueError, ["base", "!= 1"]),
    (lambda: entropy([0.5, 0.5], base=-2.0), ValueError, ["base", "> 0", "-2"]),
    (lambda: entropy([0.5, 0.5], base="2"), TypeError, ["base", "'2'"]),
    (lambda: cross_entropy([0.5, 0.5], [0.5, 0.3, 0.2]), ValueError, ["p and q", "(2,)", "(3,)"]),
    (
        lambda: cross_entropy(np.full((3, 1), 0.5), np.full(3, 0.5)),
        ValueError,
        ["p and q", "same shape", "reshape"],
    ),
    (lambda: cross_entropy([0.5, 0.5], [1.2, -0.2]), ValueError, ["q", "probabilities"]),
    (lambda: kl_divergence([2.0, -1.0], [0.5, 0.5]), ValueError, ["p", "probabilities"]),
    (lambda: kl_divergence([0.5, 0.5], [np.inf, 0.5]), ValueError, ["q", "finite"]),
]


@pytest.mark.parametrize(("call", "exc", "words"), BAD_INPUTS)
def test_bad_input_names_the_argument(call: Callable[[], Any], exc: type, words: list[str]) -> None:
    with pytest.raises(exc) as info:
        call()
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_warning_points_at_the_callers_line() -> None:
    with pytest.warns(UserWarning) as record:
        entropy([0.4, 0.4])
        cross_entropy([0.5, 0.5], [0.4, 0.4])
    assert [r.filename for r in record] == [__file__, __file__]
