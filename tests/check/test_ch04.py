"""Chapter 4's checkers catch the chapter's own mistakes and accept other correct answers.

For every exercise: the reference solution passes every case; wrong implementations written
as a reader would write them (the traps the chapter names: the naive log of a saturated
sigmoid, an exp that overflows, Keras's clip, sum against mean, PyTorch's pos_weight
convention, the product rule, the two exercises' opposite argument orders) fail with the
expected diagnosis; a trivially wrong one fails; and correct implementations written
differently (SciPy's ``expit``/``log_expit``, TensorFlow's documented formula, a SymPy-derived
expression, the package's own loss, a loop) pass.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import sympy as sp
from scipy import special

from mlecourse import losses
from mlecourse.check import check
from mlecourse.solutions import ch04 as sol

REFERENCES = [
    ("ex-ch04-squared-error", sol.squared_error_logit_curvature),
    ("ex-ch04-stable-weighted", sol.weighted_bce_with_logits),
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
    assert report.n_passed == report.n_cases >= 7


# -- ex-ch04-squared-error -------------------------------------------------------------------
def _s(z):
    return special.expit(np.asarray(z, dtype=float))


def curvature_gauss_newton(z, y):  # only 2 s'^2: the product rule's second term forgotten
    s = _s(z)
    return 2 * (s * (1 - s)) ** 2


def curvature_sign_second(z, y):  # s'' = s (1 - s)(2 s - 1)
    s = _s(z)
    ds = s * (1 - s)
    return 2 * ds**2 + 2 * (s - y) * ds * (2 * s - 1)


def curvature_half(z, y):  # the second derivative of (s - y)^2 / 2
    s = _s(z)
    ds = s * (1 - s)
    return ds**2 + (s - y) * ds * (1 - 2 * s)


def curvature_bce(z, y):  # the BCE's curvature instead
    s = _s(z)
    return s * (1 - s)


def curvature_exp_ratio(z, y):  # sigmoid as e^z / (1 + e^z): inf / inf at z = 1e4
    z = np.asarray(z, dtype=float)
    s = np.exp(z) / (1 + np.exp(z))
    ds = s * (1 - s)
    return 2 * ds**2 + 2 * (s - y) * ds * (1 - 2 * s)


def curvature_labels_first(y, z):  # the arguments in the weighted BCE's order (y, z)
    s = _s(z)
    ds = s * (1 - s)
    return 2 * ds**2 + 2 * (s - y) * ds * (1 - 2 * s)


def curvature_arrays_only(z, y):  # z.shape: fails on the plain floats z = -5.0, y = 1.0
    out = np.empty(z.shape)
    s = _s(z)
    out[...] = 2 * (s * (1 - s)) ** 2 + 2 * (s - y) * s * (1 - s) * (1 - 2 * s)
    return out


def curvature_trivial(z, y):
    return np.zeros_like(np.asarray(z, dtype=float))


def curvature_expanded(z, y):  # correct: s'' expanded as s - 3 s^2 + 2 s^3, naive sigmoid
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        s = 1 / (1 + np.exp(-z))
    return 2 * (s - s**2) ** 2 + 2 * (s - y) * (s - 3 * s**2 + 2 * s**3)


_z, _y = sp.symbols("z y", real=True)
_sigma = 1 / (1 + sp.exp(-_z))
_SYMPY_CURVATURE = sp.lambdify(
    (_z, _y), sp.diff((_sigma - _y) ** 2, _z, 2).rewrite(sp.exp), modules="numpy"
)


def curvature_sympy(z, y):  # correct where e^-z is finite; a stable sigmoid for |z| > 30
    z = np.asarray(z, dtype=float)
    y = np.broadcast_to(np.asarray(y, dtype=float), np.broadcast_shapes(z.shape, np.shape(y)))
    z = np.broadcast_to(z, y.shape)
    out = np.zeros(y.shape)
    moderate = np.abs(z) <= 30
    out[moderate] = _SYMPY_CURVATURE(z[moderate], y[moderate])
    s = special.expit(z[~moderate])
    ds = special.expit(z[~moderate]) * special.expit(-z[~moderate])
    out[~moderate] = 2 * ds**2 + 2 * (s - y[~moderate]) * ds * (1 - 2 * s)
    return out


def curvature_in_dtype(z, y):  # correct: computes in the input's dtype (float32 stays float32)
    z = np.asarray(z)
    y = np.asarray(y, dtype=z.dtype if z.dtype.kind == "f" else float)
    s = special.expit(z)
    ds = s * (1 - s)
    return 2 * ds**2 + 2 * (s - y) * ds * (1 - 2 * s)


def curvature_loop(z, y):  # correct: one logit at a time with math, float results
    z_arr = np.asarray(z, dtype=float)
    y_arr = np.broadcast_to(np.asarray(y, dtype=float), z_arr.shape)
    out = np.empty(z_arr.shape)
    for index in np.ndindex(z_arr.shape):
        t = float(z_arr[index])
        s = 1 / (1 + math.exp(-t)) if t >= 0 else math.exp(t) / (1 + math.exp(t))
        ds = s * (1 - s)
        out[index] = 2 * ds * ds + 2 * (s - y_arr[index]) * ds * (1 - 2 * s)
    return out


@pytest.mark.parametrize(
    ("mutant", "diagnosis"),
    [
        (curvature_gauss_newton, "gauss_newton"),
        (curvature_sign_second, "sign_second"),
        (curvature_half, "factor"),
        (curvature_bce, "bce"),
        (curvature_exp_ratio, "nonfinite"),
        (curvature_labels_first, "order"),
        (curvature_arrays_only, "raised"),
        (curvature_trivial, "wrong"),
    ],
)
def test_curvature_mutants_fail_with_their_diagnosis(mutant, diagnosis):
    report = _timed_check("ex-ch04-squared-error", mutant)
    assert not report.passed
    assert report.first_failure.diagnosis == diagnosis, str(report)


@pytest.mark.parametrize(
    "correct", [curvature_expanded, curvature_sympy, curvature_loop, curvature_in_dtype]
)
def test_curvature_other_correct_implementations_pass(correct):
    report = _timed_check("ex-ch04-squared-error", correct)
    assert report.passed, str(report)


# -- ex-ch04-stable-weighted -----------------------------------------------------------------
def _softplus(t):
    return np.logaddexp(0.0, t)


def weighted_naive(y, z, pos_weight=1.0):  # log of the sigmoid: inf and NaN at +-1e4
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    p = 1 / (1 + np.exp(-z))
    return float(-np.mean(pos_weight * y * np.log(p) + (1 - y) * np.log(1 - p)))


def weighted_clipped(y, z, pos_weight=1.0):  # Keras's clip at 1e-7: finite, but capped
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    p = np.clip(special.expit(z), 1e-7, 1 - 1e-7)
    return float(-np.mean(pos_weight * y * np.log(p) + (1 - y) * np.log(1 - p)))


def weighted_sum(y, z, pos_weight=1.0):  # the sum, not the mean
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.sum(pos_weight * y * _softplus(-z) + (1 - y) * _softplus(z)))


def weighted_by_total_weight(y, z, pos_weight=1.0):  # a weighted mean, over sum of weights
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    weights = np.where(y == 1, pos_weight, 1.0)
    terms = y * _softplus(-z) + (1 - y) * _softplus(z)
    return float(np.sum(weights * terms) / np.sum(weights))


def weighted_on_negatives(y, z, pos_weight=1.0):  # the weight on the wrong term
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(y * _softplus(-z) + pos_weight * (1 - y) * _softplus(z)))


def weighted_ignores_option(y, z, pos_weight=1.0):  # accepts pos_weight, never uses it
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def weighted_softplus_overflow(y, z, pos_weight=1.0):  # softplus(t) as log1p(exp(t))
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(pos_weight * y * np.log1p(np.exp(-z)) + (1 - y) * np.log1p(np.exp(z))))


def weighted_logits_first(z, y, pos_weight=1.0):  # PyTorch's order (input, target)
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(pos_weight * y * _softplus(-z) + (1 - y) * _softplus(z)))


def weighted_bits(y, z, pos_weight=1.0):  # log base 2: bits, not nats
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    terms = pos_weight * y * _softplus(-z) + (1 - y) * _softplus(z)
    return float(np.mean(terms) / np.log(2))


def weighted_trivial(y, z, pos_weight=1.0):
    return 0.0


def weighted_tf_formula(y, z, pos_weight=1.0):  # correct: TensorFlow's documented form
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    log_weight = 1 + (pos_weight - 1) * y
    terms = (1 - y) * z + log_weight * (
        np.log1p(np.exp(-np.abs(z))) + np.maximum(-z, 0.0)
    )  # (1 - y) z + (1 + (c - 1) y) softplus(-z)
    return terms.mean()


def weighted_log_expit(y, z, pos_weight=1.0):  # correct: SciPy's log_expit, float32 kept
    y, z = np.asarray(y), np.asarray(z)
    return np.mean(-pos_weight * y * special.log_expit(z) - (1 - y) * special.log_expit(-z))


def weighted_package(y, z, pos_weight=1.0):  # correct: the chapter's own loss
    return losses.binary_cross_entropy(y, z, from_logits=True, pos_weight=pos_weight)


def weighted_loop(y, z, pos_weight=1.0):  # correct: plain Python, one example at a time
    total, count = 0.0, 0
    for y_i, z_i in zip(np.ravel(y).tolist(), np.ravel(z).tolist(), strict=True):
        softplus_neg = max(-z_i, 0.0) + math.log1p(math.exp(-abs(z_i)))  # -log sigma(z)
        softplus_pos = softplus_neg + z_i  # -log(1 - sigma(z)) = softplus(-z) + z
        total += pos_weight * y_i * softplus_neg + (1 - y_i) * softplus_pos
        count += 1
    return total / count


@pytest.mark.parametrize(
    ("mutant", "diagnosis"),
    [
        (weighted_naive, "nonfinite"),
        (weighted_clipped, "clipped"),
        (weighted_sum, "factor"),
        (weighted_by_total_weight, "weight_denominator"),
        (weighted_on_negatives, "weight_on_negative"),
        (weighted_ignores_option, "option_ignored"),
        (weighted_softplus_overflow, "nonfinite"),
        (weighted_logits_first, "order"),
        (weighted_bits, "factor"),
        (weighted_trivial, "wrong"),
    ],
)
def test_weighted_mutants_fail_with_their_diagnosis(mutant, diagnosis):
    report = _timed_check("ex-ch04-stable-weighted", mutant)
    assert not report.passed
    assert report.first_failure.diagnosis == diagnosis, str(report)


@pytest.mark.parametrize(
    "correct", [weighted_tf_formula, weighted_log_expit, weighted_loop, weighted_package]
)
def test_weighted_other_correct_implementations_pass(correct):
    report = _timed_check("ex-ch04-stable-weighted", correct)
    assert report.passed, str(report)


def test_the_weighted_battery_holds_pytorchs_recorded_value():
    # torch 2.13.0 nn.BCEWithLogitsLoss(pos_weight=3.0) on these inputs (chapter 4's
    # TORCH_POS_WEIGHT), so the options case pins PyTorch's convention, not only the reference's
    value = sol.weighted_bce_with_logits(
        [1.0, 0.0, 0.0, 1.0], [2.0, -1.0, 0.5, -3.0], pos_weight=3.0
    )
    np.testing.assert_allclose(value, 2.7034711898871184, rtol=1e-12)


def test_hint_texts_name_the_mistake():
    # the report's words for the mistakes a second reader made (not only the diagnosis code)
    overflow = _timed_check("ex-ch04-stable-weighted", weighted_softplus_overflow)
    assert "exp overflowed" in overflow.first_failure.hint.text
    naive = _timed_check("ex-ch04-stable-weighted", weighted_naive).first_failure.hint.text
    assert "rounded to 0 or 1" in naive
    bits = _timed_check("ex-ch04-stable-weighted", weighted_bits).first_failure
    assert "nats" in bits.hint.text and "1/log 2" in bits.detail
    order = _timed_check("ex-ch04-squared-error", curvature_labels_first).first_failure
    assert "(z, y)" in order.hint.text
    raised = _timed_check("ex-ch04-squared-error", curvature_arrays_only).first_failure
    assert "np.asarray" in raised.hint.text and raised.case.note.startswith("one number")


def test_the_extremes_note_holds():
    # "the curvature is below 1e-34" at logits of +-40 and +-1e4, as the case's note says
    value = sol.squared_error_logit_curvature(
        np.array([-1e4, -40.0, 40.0, 1e4]), np.array([1.0, 0.0, 1.0, 0.0])
    )
    assert np.all(np.abs(value) < 1e-34) and np.any(value != 0)
