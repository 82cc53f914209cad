"""Chapter 9's checkers catch the chapter's own mistakes and accept other correct answers.

For every exercise: the reference solution passes every case; wrong implementations written
as a reader would write them (the traps the chapter names) fail with the expected diagnosis;
a trivially wrong one fails; and a correct implementation written differently (another form
of the formula, a hand-written bisection, the cut-off typed as 3.841) passes.
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np
import pytest
import scipy.optimize
import scipy.special
import scipy.stats

from mlecourse.check import check
from mlecourse.check._registry import all_exercises
from mlecourse.solutions import ch09 as sol

all_exercises()  # import every battery once, so that the timings below measure checks only

REFERENCES = [
    ("ex-ch09-exponential", sol.exponential_fisher_information),
    ("ex-ch09-lr-interval", sol.bernoulli_lr_interval),
    ("ex-ch09-keras-prior", sol.keras_l2_prior_variance),
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


# -- ex-ch09-exponential ---------------------------------------------------------------------
def info_poisson(rate):  # the Poisson's 1/lambda, the formula next to it in the chapter
    return 1 / rate


def info_inverse(rate):  # the variance bound of one observation, 1/I
    return rate**2


def info_second_derivative(rate):  # forgot the minus: E[d^2/d lambda^2 log p] = -1/lambda^2
    return -1 / rate**2


def info_simulated(rate):  # the variance of the score, estimated from 10 000 waiting times
    waits = np.random.default_rng(0).exponential(1 / rate, size=10_000)
    return float(np.var(1 / rate - waits))


def info_of_twenty(rate):  # the information of the exercise's n = 20 waiting times
    return 20 / rate**2


def info_about_the_mean(rate):  # the density written with the mean wait mu = 1/rate
    mu = 1 / rate
    return 1 / mu**2


def info_score_variance(
    rate,
):  # correct: E[s^2] = E[(1/rate - y)^2], E y = 1/rate, E y^2 = 2/rate^2
    mean_y, second_y = 1 / rate, 2 / rate**2
    return second_y - 2 * mean_y / rate + 1 / rate**2


def info_through_logs(rate):  # correct: exp(-2 log lambda)
    return math.exp(-2 * math.log(rate))


def info_squared_inverse(rate):  # correct: (1/lambda)^2, in NumPy
    return np.float64(1.0) / np.float64(rate) / np.float64(rate)


@pytest.mark.parametrize(
    ("wrong", "code"),
    [
        (info_poisson, "poisson"),
        (info_inverse, "inverse"),
        (info_second_derivative, "sign"),
        (info_simulated, "wrong"),
        (info_of_twenty, "sample"),
        (info_about_the_mean, "inverse"),
    ],
)
def test_exponential_mutants_fail_with_their_diagnosis(wrong, code):
    report = _timed_check("ex-ch09-exponential", wrong)
    assert not report.passed
    assert report.first_failure.diagnosis == code, str(report)


def test_exponential_trivial_answer_fails():
    assert not _timed_check("ex-ch09-exponential", lambda rate: 0.0)
    assert not _timed_check("ex-ch09-exponential", lambda rate: rate)


@pytest.mark.parametrize("right", [info_through_logs, info_squared_inverse, info_score_variance])
def test_exponential_other_correct_forms_pass(right):
    report = _timed_check("ex-ch09-exponential", right)
    assert report.passed, str(report)


# -- ex-ch09-lr-interval ---------------------------------------------------------------------
CUT = scipy.stats.chi2.ppf(0.95, df=1)


def _log_lik(p, k, n):
    return scipy.special.xlogy(k, p) + scipy.special.xlogy(n - k, 1 - p)


def _interval_at(k, n, cut):
    """The interval {p : 2 [l(p_hat) - l(p)] <= cut}, ends by brentq."""
    p_hat = k / n

    def excess(p):
        return 2 * (_log_lik(p_hat, k, n) - _log_lik(p, k, n)) - cut

    lower = 0.0 if k == 0 else scipy.optimize.brentq(excess, 1e-15, p_hat)
    upper = 1.0 if k == n else scipy.optimize.brentq(excess, p_hat, 1 - 1e-15)
    return lower, upper


def lr_wald(k, n):  # the parabola's interval
    p_hat = k / n
    half = 1.96 * math.sqrt(p_hat * (1 - p_hat) / n)
    return p_hat - half, p_hat + half


def lr_cut_at_z(k, n):  # 1.96, the normal quantile, not its square
    return _interval_at(k, n, 1.96)


def lr_without_factor_two(k, n):  # l(p_hat) - l(p) <= 3.841: the fall, not twice the fall
    return _interval_at(k, n, 2 * CUT)


def lr_naive_logs(k, n):  # k log p + (n - k) log(1 - p), a root-finder on both sides always
    p_hat = k / n

    def excess(p):
        log_lik = k * np.log(p) + (n - k) * np.log(1 - p)
        top = k * np.log(p_hat) + (n - k) * np.log(1 - p_hat)
        return 2 * (top - log_lik) - CUT

    lower = scipy.optimize.brentq(excess, 1e-12, p_hat)
    upper = scipy.optimize.brentq(excess, p_hat, 1 - 1e-12)
    return lower, upper


def lr_one_bracket(k, n):  # one root-finder over (0, 1): no sign change, brentq raises
    def excess(p):
        return 2 * (_log_lik(k / n, k, n) - _log_lik(p, k, n)) - CUT

    return (
        scipy.optimize.brentq(excess, 1e-9, 1 - 1e-9),
        scipy.optimize.brentq(excess, 1e-9, 1 - 1e-9),
    )


def lr_point_at_zero(k, n):  # k = 0 treated like Wald's degenerate case
    if k in (0, n):
        return k / n, k / n
    return _interval_at(k, n, CUT)


def lr_literal_cut(k, n):  # correct: the exercise's 3.841, typed in
    return _interval_at(k, n, 3.841)


def lr_bisection(k, n):  # correct: hand-written bisection, the k = 0 end in closed form
    p_hat = k / n

    def fall(p):
        return 2 * (_log_lik(p_hat, k, n) - _log_lik(p, k, n))

    def solve(inside, outside):
        for _ in range(200):
            middle = 0.5 * (inside + outside)
            inside, outside = (middle, outside) if fall(middle) <= CUT else (inside, middle)
        return 0.5 * (inside + outside)

    lower = 0.0 if k == 0 else solve(p_hat, 0.0)
    upper = 1 - math.exp(-CUT / (2 * n)) if k == 0 else (1.0 if k == n else solve(p_hat, 1.0))
    return np.array([lower, upper])


@pytest.mark.parametrize(
    ("wrong", "code"),
    [
        (lr_wald, "wald"),
        (lr_cut_at_z, "cutoff"),
        (lr_without_factor_two, "cutoff"),
        (lr_naive_logs, "raised"),
        (lr_point_at_zero, "degenerate"),
        (lr_one_bracket, "raised"),
    ],
)
def test_lr_interval_mutants_fail_with_their_diagnosis(wrong, code):
    report = _timed_check("ex-ch09-lr-interval", wrong)
    assert not report.passed
    assert report.first_failure.diagnosis == code, str(report)


def test_lr_interval_naive_logs_fail_only_at_the_edges():
    report = _timed_check("ex-ch09-lr-interval", lr_naive_logs)
    assert report.groups["typical"] == (4, 4) and report.first_failure.case.args == (0, 10)


def test_lr_interval_trivial_answer_fails():
    assert not _timed_check("ex-ch09-lr-interval", lambda k, n: (0.0, 1.0))


def test_lr_interval_tolerance_separates_typed_cutoffs_from_the_traps():
    # the comment above _LR_RTOL in mlecourse/check/_ch09.py: < 3e-4 against > 1%
    from mlecourse.check._ch09 import _LR_RTOL, _lr_cases

    def largest_relative_shift(fn, case):
        expected = np.array(sol.bernoulli_lr_interval(*case.args))
        got = np.array(fn(*case.args), dtype=float)
        return np.max(np.abs(got - expected) / np.maximum(expected, 1e-300))

    cases = _lr_cases()
    for cut in (3.841, 1.96**2):
        shifts = [
            largest_relative_shift(lambda k, n, cut=cut: _interval_at(k, n, cut), c) for c in cases
        ]
        assert max(shifts) < 3e-4 < _LR_RTOL
    for trap in (lr_wald, lr_cut_at_z, lr_without_factor_two):
        assert min(largest_relative_shift(trap, c) for c in cases) > 0.01


@pytest.mark.parametrize("right", [lr_literal_cut, lr_bisection])
def test_lr_interval_other_correct_forms_pass(right):
    report = _timed_check("ex-ch09-lr-interval", right)
    assert report.passed, str(report)


# -- ex-ch09-keras-prior ---------------------------------------------------------------------
def prior_without_n(l2, n):  # the penalty read as if Keras summed the loss
    return 1 / (2 * l2)


def prior_without_half(l2, n):  # matched n l2 with 1 / sigma0^2
    return 1 / (n * l2)


def prior_precision(l2, n):  # the precision 2 n l2
    return 2 * n * l2


def prior_sd(l2, n):  # sigma0, not sigma0^2
    return math.sqrt(1 / (2 * n * l2))


def prior_divided(l2, n):  # divided by n where the objective is multiplied by n
    return n / (2 * l2)


def prior_halved(l2, n):  # correct: 0.5 / (n l2)
    return 0.5 / (n * l2)


def prior_exact(l2, n):  # correct: exact arithmetic, then a float
    return float(1 / (2 * n * Fraction(l2)))


@pytest.mark.parametrize(
    ("wrong", "code"),
    [
        (prior_without_n, "no_n"),
        (prior_without_half, "half"),
        (prior_precision, "precision"),
        (prior_sd, "sd"),
        (prior_divided, "divided"),
    ],
)
def test_keras_prior_mutants_fail_with_their_diagnosis(wrong, code):
    report = _timed_check("ex-ch09-keras-prior", wrong)
    assert not report.passed
    assert report.first_failure.diagnosis == code, str(report)


def test_keras_prior_trivial_answer_fails():
    assert not _timed_check("ex-ch09-keras-prior", lambda l2, n: l2)


@pytest.mark.parametrize("right", [prior_halved, prior_exact])
def test_keras_prior_other_correct_forms_pass(right):
    report = _timed_check("ex-ch09-keras-prior", right)
    assert report.passed, str(report)


def test_every_hint_of_the_first_failure_is_chapter_specific():
    for label, fn in (
        ("ex-ch09-exponential", info_poisson),
        ("ex-ch09-lr-interval", lr_wald),
        ("ex-ch09-keras-prior", prior_without_n),
    ):
        hint = _timed_check(label, fn).first_failure.hint
        assert hint.ref.startswith(("eq-ch09-", "sec-ch09-", "thm-ch09-")), (label, hint)
