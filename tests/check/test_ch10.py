"""Chapter 10's checkers catch the chapter's own mistakes and accept other correct answers.

For every exercise: the reference solution passes every case; wrong implementations written
as a reader would write them (the traps the chapter names) fail with the expected diagnosis;
a trivially wrong one fails; and a correct implementation written differently (NumPy's
``digitize`` or ``bincount``, the package's own functions with the exercise's checks, SciPy's
``minimize_scalar`` or ``brentq``, a hand-written bisection) passes.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import scipy.optimize
import scipy.special

from mlecourse import losses, scoring
from mlecourse.check import check
from mlecourse.check._ch10 import _ece_cases
from mlecourse.check._registry import all_exercises
from mlecourse.solutions import ch10 as sol

all_exercises()  # import every battery once, so that the timings below measure checks only

REFERENCES = [
    ("ex-ch10-top-label-ece", sol.top_label_ece),
    ("ex-ch10-negative-temperature", sol.fit_temperature_newton),
    ("ex-ch10-focal-minimiser", sol.expected_focal_minimizer),
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
    assert report.n_passed == report.n_cases >= 10


# -- ex-ch10-top-label-ece -------------------------------------------------------------------
def _pairs(probs, labels):
    probs, labels = np.asarray(probs, dtype=float), np.asarray(labels)
    return probs.max(axis=1), (probs.argmax(axis=1) == labels).astype(float)


def _weighted_gaps(confidence, correct, bin_of, n_bins):
    total = 0.0
    for m in range(n_bins):
        in_bin = bin_of == m
        if in_bin.any():
            total += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return total


def ece_label_probability(probs, labels, n_bins=15):  # bins the probability of the label
    probs, labels = np.asarray(probs, dtype=float), np.asarray(labels)
    _, correct = _pairs(probs, labels)
    confidence = probs[np.arange(len(labels)), labels]
    bin_of = np.minimum(np.floor(confidence * n_bins).astype(int), n_bins - 1)
    return _weighted_gaps(confidence, correct, bin_of, n_bins)


def ece_no_cap(probs, labels, n_bins=15):  # a confidence of 1 lands in bin M, never visited
    confidence, correct = _pairs(probs, labels)
    return _weighted_gaps(confidence, correct, np.floor(confidence * n_bins), n_bins)


def ece_right_closed(probs, labels, n_bins=15):  # np.digitize(..., right=True): bins (a, b]
    confidence, correct = _pairs(probs, labels)
    edges = np.linspace(0, 1, n_bins + 1)
    bin_of = np.clip(np.digitize(confidence, edges, right=True) - 1, 0, n_bins - 1)
    return _weighted_gaps(confidence, correct, bin_of, n_bins)


def ece_unweighted(probs, labels, n_bins=15):  # the mean of the non-empty bins' gaps
    confidence, correct = _pairs(probs, labels)
    bin_of = np.minimum(np.floor(confidence * n_bins).astype(int), n_bins - 1)
    gaps = [
        abs(correct[bin_of == m].mean() - confidence[bin_of == m].mean())
        for m in range(n_bins)
        if np.any(bin_of == m)
    ]
    return float(np.mean(gaps))


def ece_signed(probs, labels, n_bins=15):  # over- and under-confident bins cancel
    confidence, correct = _pairs(probs, labels)
    bin_of = np.minimum(np.floor(confidence * n_bins).astype(int), n_bins - 1)
    total = 0.0
    for m in range(n_bins):
        in_bin = bin_of == m
        if in_bin.any():
            total += in_bin.mean() * (correct[in_bin].mean() - confidence[in_bin].mean())
    return abs(total)


def ece_fixed_bins(probs, labels, n_bins=15):  # n_bins accepted, 15 used
    return sol.top_label_ece(probs, labels)


def ece_empty_bins(probs, labels, n_bins=15):  # every bin, empty ones too: 0 * NaN
    confidence, correct = _pairs(probs, labels)
    bin_of = np.minimum(np.floor(confidence * n_bins).astype(int), n_bins - 1)
    with np.errstate(invalid="ignore"):
        return sum(
            np.mean(bin_of == m)
            * abs(np.mean(correct[bin_of == m]) - np.mean(confidence[bin_of == m]))
            for m in range(n_bins)
        )


def ece_bincount(probs, labels, n_bins=15):  # correct: vectorised with np.bincount
    confidence, correct = _pairs(probs, labels)
    bin_of = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    gap = np.bincount(bin_of, correct - confidence, minlength=n_bins)
    return float(np.sum(np.abs(gap)) / len(confidence))  # |sum of gaps| / n per bin


def ece_digitize(probs, labels, n_bins=15):  # correct: np.digitize on the inner edges
    confidence, correct = _pairs(probs, labels)
    bin_of = np.digitize(confidence, np.linspace(0, 1, n_bins + 1)[1:-1])
    return _weighted_gaps(confidence, correct, bin_of, n_bins)


def ece_package(probs, labels, n_bins=15):  # correct: the package's top-label ECE
    return scoring.expected_calibration_error(
        np.asarray(labels), np.asarray(probs, dtype=float), n_bins=n_bins
    )


def test_ece_cases_keep_confidences_off_the_bin_edges():
    # the comment above _PROBS_A: only the case of the edges (M = 4) and the confidences of
    # exactly 1 lie on an edge m/M, for every M the battery uses
    for case in _ece_cases():
        if case.kwargs.get("n_bins") == 4 or "exactly 1" in case.note:
            continue
        confidence = np.asarray(case.args[0], dtype=float).max(axis=1)
        for n_bins in (15, 5, 1, case.kwargs.get("n_bins", 15)):
            scaled = confidence * n_bins
            assert np.all(np.abs(scaled - np.round(scaled)) > 1e-6), (case.note, n_bins)


@pytest.mark.parametrize(
    ("wrong", "code"),
    [
        (ece_label_probability, "label_probability"),
        (ece_no_cap, "last_bin"),
        (ece_right_closed, "right_closed"),
        (ece_unweighted, "unweighted"),
        (ece_signed, "signed"),
        (ece_fixed_bins, "option_ignored"),
        (ece_empty_bins, "nonfinite"),
    ],
)
def test_ece_mutants_fail_with_their_diagnosis(wrong, code):
    report = _timed_check("ex-ch10-top-label-ece", wrong)
    assert not report.passed
    assert report.first_failure.diagnosis == code, str(report)


def test_ece_trivial_answer_fails():
    assert not _timed_check("ex-ch10-top-label-ece", lambda probs, labels, n_bins=15: 0.0)


@pytest.mark.parametrize("right", [ece_bincount, ece_digitize, ece_package])
def test_ece_other_correct_forms_pass(right):
    report = _timed_check("ex-ch10-top-label-ece", right)
    assert report.passed, str(report)


# -- ex-ch10-negative-temperature ------------------------------------------------------------
def _check_exists(z, y):
    """The exercise's ValueError: no positive temperature maximises the likelihood."""
    if np.mean((0.5 - y) * z) >= 0 or not np.any((z > 0) != (y == 1)):
        raise ValueError("no positive maximum-likelihood temperature")


def temperature_as_given(logits, labels):  # the exercise's gradient descent on T
    return sol.buggy_fit_temperature(logits, labels)


def temperature_smaller_step(logits, labels):  # the step 0.5 that worked on one dataset
    return sol.buggy_fit_temperature(logits, labels, learning_rate=0.5, steps=200)


def temperature_newton_on_t(logits, labels):  # Newton on T itself, no safeguard
    z, y = np.asarray(logits, dtype=float), np.asarray(labels, dtype=float)
    t = 1.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-z / t))
        grad = np.mean((p - y) * (-z / t**2))  # d NLL / dT
        curvature = np.mean(p * (1 - p) * z**2 / t**4 + (p - y) * 2 * z / t**3)
        t -= grad / curvature
    return t


def temperature_pure_newton(logits, labels):  # Newton on w = 1/T, no step halving
    z, y = np.asarray(logits, dtype=float), np.asarray(labels, dtype=float)
    _check_exists(z, y)
    w = 1.0
    for _ in range(100):
        s = np.exp(-np.logaddexp(0.0, -w * z))
        w -= np.mean((s - y) * z) / np.mean(s * (1 - s) * z**2)
    return 1 / w


def temperature_returns_w(logits, labels):  # the fitted weight, not its inverse
    return 1 / sol.fit_temperature_newton(logits, labels)


def temperature_without_checks(logits, labels):  # Newton with halving, no ValueError
    z, y = np.asarray(logits, dtype=float), np.asarray(labels, dtype=float)

    def nll(w):
        return np.mean(np.logaddexp(0.0, w * z) - y * w * z)

    w = 1.0
    for _ in range(100):
        s = np.exp(-np.logaddexp(0.0, -w * z))
        step = np.mean((s - y) * z) / max(np.mean(s * (1 - s) * z**2), 1e-300)
        while w - step <= 0 or nll(w - step) > nll(w):
            step /= 2
        w -= step
    return 1 / w


def temperature_newton_as_hinted(logits, labels):  # correct: Hint 2 to the letter
    z, y = np.asarray(logits, dtype=float), np.asarray(labels, dtype=float)
    if np.mean((0.5 - y) * z) >= 0 or not np.any((z > 0) != (y == 1)):
        raise ValueError("no positive temperature maximises the likelihood")

    def nll(w):
        return np.mean(np.logaddexp(0.0, w * z) - y * w * z)

    w = 1.0
    for _ in range(100):
        s = 1 / (1 + np.exp(-w * z))
        step = np.mean((s - y) * z) / np.mean(s * (1 - s) * z**2)  # no guard against 0
        while w - step <= 0 or nll(w - step) > nll(w):
            step /= 2
        w -= step
        if abs(step) < 1e-12 * w:
            break
    return 1 / w


def temperature_brentq(logits, labels):  # correct: the root of the derivative in w
    z, y = np.asarray(logits, dtype=float), np.asarray(labels, dtype=float)
    _check_exists(z, y)

    def derivative(w):
        return np.mean((np.exp(-np.logaddexp(0.0, -w * z)) - y) * z)

    high = 1.0
    while derivative(high) < 0:  # the derivative rises from negative (at 0) to positive
        high *= 2
    return 1 / scipy.optimize.brentq(derivative, 0.0, high, xtol=1e-14, rtol=1e-14)


def temperature_log_t(logits, labels):  # correct: bounded search on log T, tight tolerance
    z, y = np.asarray(logits, dtype=float), np.asarray(labels, dtype=float)
    _check_exists(z, y)

    def nll(log_t):
        return losses.binary_cross_entropy(y, z / np.exp(log_t), from_logits=True)

    found = scipy.optimize.minimize_scalar(
        nll, bounds=(-12, 12), method="bounded", options={"xatol": 1e-10}
    )
    return float(np.exp(found.x))


def temperature_package(logits, labels):  # correct: the package's fit, with the checks
    z, y = np.asarray(logits, dtype=float), np.asarray(labels, dtype=float)
    _check_exists(z, y)
    return scoring.fit_temperature(z, y)


@pytest.mark.parametrize(
    ("wrong", "code"),
    [
        (temperature_as_given, "negative"),
        (temperature_smaller_step, "wrong"),
        (temperature_newton_on_t, "diverged"),
        (temperature_pure_newton, "nonfinite"),
        (temperature_returns_w, "inverse"),
        (temperature_without_checks, "no_error"),
    ],
)
def test_temperature_mutants_fail_with_their_diagnosis(wrong, code):
    report = _timed_check("ex-ch10-negative-temperature", wrong)
    assert not report.passed
    assert report.first_failure.diagnosis == code, str(report)


def test_the_exercises_gradient_descent_goes_negative_on_the_under_confident_logits():
    report = _timed_check("ex-ch10-negative-temperature", temperature_as_given)
    negative = [r.case.note for r in report.results if r.diagnosis == "negative"]
    assert negative == [
        "under-confident: logits times 0.3, as in the text",
        "very under-confident: times 0.01",
    ]


def test_temperature_trivial_answer_fails():
    assert not _timed_check("ex-ch10-negative-temperature", lambda logits, labels: 1.0)


@pytest.mark.parametrize(
    "right",
    [temperature_brentq, temperature_log_t, temperature_package, temperature_newton_as_hinted],
)
def test_temperature_other_correct_forms_pass(right):
    report = _timed_check("ex-ch10-negative-temperature", right)
    assert report.passed, str(report)


# -- ex-ch10-focal-minimiser -----------------------------------------------------------------
def _derivative(p, p_star, gamma):
    d_one = gamma * (1 - p) ** (gamma - 1) * math.log(p) - (1 - p) ** gamma / p
    d_zero = p**gamma / (1 - p) - gamma * p ** (gamma - 1) * math.log1p(-p)
    return p_star * d_one + (1 - p_star) * d_zero


def focal_swapped(p_star, gamma):  # (1 - p*) L(p, 1) + p* L(p, 0)
    return scipy.optimize.brentq(lambda p: _derivative(p, 1 - p_star, gamma), 1e-12, 1 - 1e-12)


def focal_log_only(p_star, gamma):  # the weights (1 - p)^gamma, p^gamma held constant
    def derivative(p):
        return p_star * -((1 - p) ** gamma) / p + (1 - p_star) * p**gamma / (1 - p)

    return scipy.optimize.brentq(derivative, 1e-12, 1 - 1e-12)


def focal_bracket_01(p_star, gamma):  # brentq on [0, 1]: the derivative at 0 is -inf
    return scipy.optimize.brentq(lambda p: _derivative(p, p_star, gamma), 0.0, 1.0)


def focal_grid(p_star, gamma):  # the grid minimiser of the figure, step 1e-3
    p = np.linspace(0.001, 0.999, 999)
    expected = p_star * -((1 - p) ** gamma) * np.log(p) - (1 - p_star) * p**gamma * np.log1p(-p)
    return float(p[np.argmin(expected)])


def focal_log_score(p_star, gamma):  # the log score's answer, gamma forgotten
    return p_star


def focal_gamma_two(p_star, gamma):  # the exercise's gamma = 2 written into the derivative
    return scipy.optimize.brentq(lambda p: _derivative(p, p_star, 2.0), 1e-12, 1 - 1e-12)


def focal_in_the_logit(p_star, gamma):  # correct: the root in z of the expected dL/dz
    def gradient(z):  # eq-ch10-focal-gradient for y = 1, and its mirror image for y = 0
        p, q = scipy.special.expit(z), scipy.special.expit(-z)
        at_one = q**gamma * (gamma * p * math.log(p) - q)
        at_zero = -(p**gamma) * (gamma * q * math.log(q) - p)
        return p_star * at_one + (1 - p_star) * at_zero

    return float(scipy.special.expit(scipy.optimize.brentq(gradient, -30, 30, xtol=1e-14)))


def focal_minimize_loss(p_star, gamma):  # correct: minimise the package's expected focal loss
    def expected(p):
        at = [losses.binary_focal_loss([t], [p], gamma=gamma, reduction="sum") for t in (1.0, 0.0)]
        return p_star * at[0] + (1 - p_star) * at[1]

    found = scipy.optimize.minimize_scalar(
        expected, bounds=(1e-9, 1 - 1e-9), method="bounded", options={"xatol": 1e-10}
    )
    return found.x


def focal_bisection(p_star, gamma):  # correct: bisection on the derivative by hand
    low, high = 1e-12, 1 - 1e-12
    for _ in range(100):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if _derivative(middle, p_star, gamma) < 0 else (low, middle)
    return 0.5 * (low + high)


@pytest.mark.parametrize(
    ("wrong", "code"),
    [
        (focal_swapped, "swapped"),
        (focal_log_only, "product_rule"),
        (focal_bracket_01, "raised"),
        (focal_grid, "wrong"),
        (focal_log_score, "proper"),
        (focal_gamma_two, "fixed_gamma"),
    ],
)
def test_focal_mutants_fail_with_their_diagnosis(wrong, code):
    report = _timed_check("ex-ch10-focal-minimiser", wrong)
    assert not report.passed
    assert report.first_failure.diagnosis == code, str(report)


def test_focal_trivial_answer_fails():
    assert not _timed_check("ex-ch10-focal-minimiser", lambda p_star, gamma: 0.5)


@pytest.mark.parametrize("right", [focal_minimize_loss, focal_bisection, focal_in_the_logit])
def test_focal_other_correct_forms_pass(right):
    report = _timed_check("ex-ch10-focal-minimiser", right)
    assert report.passed, str(report)


def test_every_first_failure_links_this_chapter():
    for label, fn in (
        ("ex-ch10-top-label-ece", ece_unweighted),
        ("ex-ch10-negative-temperature", temperature_newton_on_t),
        ("ex-ch10-focal-minimiser", focal_swapped),
    ):
        hint = _timed_check(label, fn).first_failure.hint
        assert hint.ref.startswith(("eq-ch10-", "sec-ch10-", "thm-ch10-")), (label, hint)


def ece_arrays_only(probs, labels, n_bins=15):  # right on arrays; probs.max fails on a list
    confidence = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == labels).astype(float)
    bin_of = np.minimum(np.floor(confidence * n_bins).astype(int), n_bins - 1)
    return sum(
        np.mean(bin_of == m) * abs(correct[bin_of == m].mean() - confidence[bin_of == m].mean())
        for m in range(n_bins)
        if np.any(bin_of == m)
    )


def temperature_arrays_only(logits, labels):  # right on arrays; 1.0 * list fails
    return sol.fit_temperature_newton(1.0 * logits, labels)


@pytest.mark.parametrize(
    ("label", "fn"),
    [
        ("ex-ch10-top-label-ece", ece_arrays_only),
        ("ex-ch10-negative-temperature", temperature_arrays_only),
    ],
)
def test_a_function_that_fails_only_on_lists_is_told_so(label, fn):
    report = _timed_check(label, fn)
    failure = report.first_failure
    assert report.n_passed == report.n_cases - 1 and failure.case.group == "shapes"
    assert failure.diagnosis == "raised" and "np.asarray" in failure.hint.text


def temperature_wrong_exception(logits, labels):  # right, but RuntimeError for ValueError
    try:
        return sol.fit_temperature_newton(logits, labels)
    except ValueError as err:
        raise RuntimeError(str(err)) from err


def test_temperature_wrong_exception_is_told_which_one():
    report = _timed_check("ex-ch10-negative-temperature", temperature_wrong_exception)
    failure = report.first_failure
    assert report.groups["errors"] == (0, 2) and failure.diagnosis == "wrong_error"
    assert "raise a ValueError, not another exception" in failure.hint.text
