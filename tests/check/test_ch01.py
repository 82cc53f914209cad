"""Chapter 1's checkers catch the chapter's own mistakes and accept other correct answers.

For every exercise: the reference solution passes every case; wrong implementations written
as a reader would write them (the traps the chapter names: a logarithm at p = 0, the flips read
the wrong way round, ``math.factorial`` on float counts, ``y!`` beyond float64, no real square
root above sigma = 1/sqrt(2 pi), the colleague's ``sqrt(2 pi sigma)``) fail with the expected
diagnosis; a trivially wrong one fails; and a correct implementation written differently
(vectorised, SciPy's ``stats``/``special`` functions, a loop that sums float32 counts in float32)
passes.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import scipy.special
import scipy.stats

from mlecourse.check import check
from mlecourse.check._ch01 import _coin_grid_cases
from mlecourse.solutions import ch01 as sol

REFERENCES = [
    ("ex-ch01-coin-grid", sol.bernoulli_likelihood_grid),
    ("ex-ch01-poisson", sol.poisson_log_likelihood_loop),
    ("ex-ch01-density-above-one", sol.gaussian_mass_above_one),
    ("ex-ch01-debug-density", sol.gaussian_density),
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


# -- ex-ch01-coin-grid -----------------------------------------------------------------------
def grid_by_logs(y, num=1001):  # sum of y log p + (1 - y) log(1 - p): NaN at p = 0 and 1
    y = np.asarray(y)
    p = np.linspace(0, 1, num)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_lik = (y * np.log(p[:, None]) + (1 - y) * np.log(1 - p[:, None])).sum(axis=1)
    likelihood = np.exp(log_lik)
    return p, likelihood, p[np.nanargmax(likelihood)]


def grid_math_log(y, num=1001):  # a loop of math.log: a domain error at p = 0
    p = np.linspace(0, 1, num)
    values = []
    for theta in p:
        log_lik = sum(math.log(theta) if f == 1 else math.log(1 - theta) for f in y)
        values.append(math.exp(log_lik))
    return p, np.array(values), p[int(np.argmax(values))]


def grid_swapped(y, num=1001):  # p for each 0, 1 - p for each 1
    p = np.linspace(0, 1, num)
    likelihood = np.array([np.prod([t if f == 0 else 1 - t for f in y]) for t in p])
    return p, likelihood, p[np.argmax(likelihood)]


def grid_index(y, num=1001):  # returns np.argmax itself
    p = np.linspace(0, 1, num)
    likelihood = np.array([sol.bernoulli_sequence_likelihood(t, y) for t in p])
    return p, likelihood, int(np.argmax(likelihood))


def grid_fixed_num(y, num=1001):  # the grid of the chapter's figure, whatever num says
    p = np.linspace(0, 1, 1001)
    likelihood = np.array([sol.bernoulli_sequence_likelihood(t, y) for t in p])
    return p, likelihood, p[np.argmax(likelihood)]


def grid_log_likelihood(y, num=1001):  # returns the log-likelihood
    p = np.linspace(0, 1, num)
    likelihood = np.array([sol.bernoulli_sequence_likelihood(t, y) for t in p])
    with np.errstate(divide="ignore"):
        return p, np.log(likelihood), p[np.argmax(likelihood)]


def grid_open(y, num=1001):  # the grid misses p = 1
    p = np.linspace(0, 1, num, endpoint=False)
    likelihood = np.array([sol.bernoulli_sequence_likelihood(t, y) for t in p])
    return p, likelihood, p[np.argmax(likelihood)]


def grid_vectorised(y, num=1001):  # correct: p**n1 (1 - p)**n0 on the whole grid at once
    y = np.asarray(y).ravel()
    n1, n0 = int(y.sum()), int(y.size - y.sum())
    p = np.linspace(0.0, 1.0, num)
    likelihood = p**n1 * (1 - p) ** n0
    return p, likelihood, float(p[np.argmax(likelihood)])


def grid_scipy(y, num=1001):  # correct: SciPy's Bernoulli pmf, a product over the flips
    y = np.asarray(y).ravel()
    p = np.linspace(0.0, 1.0, num)
    likelihood = scipy.stats.bernoulli.pmf(y[None, :], p[:, None]).prod(axis=1)
    return p, likelihood, p[np.argmax(likelihood)]


# -- ex-ch01-poisson -------------------------------------------------------------------------
def poisson_factorial(rate, counts):  # math.factorial: rejects float counts
    return sum(y * math.log(rate) - rate - math.log(math.factorial(y)) for y in counts)


def poisson_through_pmf(rate, counts):  # the pmf itself, then its log: y! overflows
    y = np.asarray(counts, dtype=float)
    pmf = rate**y * np.exp(-rate) / scipy.special.factorial(y)
    return float(np.sum(np.log(pmf)))


def poisson_no_factorial(rate, counts):  # drops -log y! ("it does not depend on the rate")
    return sum(y * math.log(rate) - rate for y in counts)


def poisson_nll(rate, counts):  # the NLL instead of the log-likelihood
    return sum(-(y * math.log(rate) - rate - math.lgamma(y + 1)) for y in counts)


def poisson_pow(rate, counts):  # log(rate**y): rate**y overflows a Python float
    return sum(math.log(rate**y) - rate - math.lgamma(y + 1) for y in counts)


def poisson_mean(rate, counts):  # the mean of the log-pmfs, not their sum
    return float(np.mean([y * math.log(rate) - rate - math.lgamma(y + 1) for y in counts]))


def poisson_loop_over_counts(rate, counts):  # correct: the loop over the counts themselves
    # float32 counts stay NumPy float32 scalars, so the sum is accumulated in float32
    total = 0.0
    for y in counts:
        total += y * math.log(rate) - rate - math.lgamma(y + 1)
    return total


def poisson_scipy(rate, counts):  # correct: SciPy's log-pmf
    return float(scipy.stats.poisson(rate).logpmf(np.asarray(counts)).sum())


def poisson_xlogy(rate, counts):  # correct: vectorised, xlogy and gammaln
    y = np.asarray(counts, dtype=np.float64)
    return float(np.sum(scipy.special.xlogy(y, rate) - rate - scipy.special.gammaln(y + 1)))


# -- ex-ch01-density-above-one ---------------------------------------------------------------
def mass_no_clamp(sigma):  # the square root of a negative number: NaN above 0.399
    sigma = np.asarray(sigma, dtype=float)
    with np.errstate(invalid="ignore"):
        return scipy.special.erf(np.sqrt(-np.log(2 * np.pi * sigma**2)) / np.sqrt(2))


def mass_half_width(sigma):  # returns h, not its probability
    sigma = np.asarray(sigma, dtype=float)
    return np.sqrt(np.maximum(-np.log(2 * np.pi * sigma**2), 0.0))


def mass_one_sided(sigma):  # Phi(h) - 1/2: one side of the interval
    h = mass_half_width(sigma)
    return scipy.stats.norm.cdf(h) - 0.5


def mass_forgot_two(sigma):  # -log(2 pi sigma^2)/2 - u^2 > 0: the 1/2 of u^2/2 forgotten
    sigma = np.asarray(sigma, dtype=float)
    h = np.sqrt(np.maximum(-0.5 * np.log(2 * np.pi * sigma**2), 0.0))
    return 2 * scipy.stats.norm.cdf(h) - 1


def mass_math(sigma):  # math's functions, which take one number, on an array of sigmas
    return 2 * scipy.stats.norm.cdf(math.sqrt(-math.log(2 * math.pi * sigma**2))) - 1


def mass_chi2(sigma):  # correct: (y - mu)^2 / sigma^2 is chi-squared with 1 degree of freedom
    sigma = np.asarray(sigma, dtype=float)
    with np.errstate(divide="ignore"):
        h2 = np.maximum(-np.log(2 * np.pi) - 2 * np.log(sigma), 0.0)
    return scipy.stats.chi2(1).cdf(h2)


def mass_cdf(sigma):  # correct: Phi(h) - Phi(-h), with the empty interval by np.where
    sigma = np.asarray(sigma, dtype=float)
    inside = 2 * np.pi * sigma**2 < 1
    with np.errstate(divide="ignore"):
        h = np.sqrt(np.where(inside, -(np.log(2 * np.pi) + 2 * np.log(sigma)), 0.0))
    return np.where(inside, scipy.stats.norm.cdf(h) - scipy.stats.norm.cdf(-h), 0.0)


def mass_loop(sigma):  # correct: one sigma at a time, with math.erf
    out = []
    for s in np.asarray(sigma, dtype=float):
        log_peak = -0.5 * math.log(2 * math.pi) - math.log(s)  # log of the peak density
        out.append(math.erf(math.sqrt(2 * log_peak) / math.sqrt(2)) if log_peak > 0 else 0.0)
    return np.array(out)


# -- ex-ch01-debug-density -------------------------------------------------------------------
def density_colleague(mu, sigma, y):  # the bug: sigma, not sigma**2, under the square root
    z2 = (y - mu) ** 2 / (2 * sigma**2)
    return np.exp(-z2) / np.sqrt(2 * np.pi * sigma)


def density_precedence(mu, sigma, y):  # '/ np.sqrt(2 * np.pi) * sigma' multiplies by sigma
    return np.exp(-((y - mu) ** 2) / (2 * sigma**2)) / np.sqrt(2 * np.pi) * sigma


def density_no_two(mu, sigma, y):  # the exponent without its 2
    return np.exp(-((y - mu) ** 2) / sigma**2) / np.sqrt(2 * np.pi * sigma**2)


def density_log(mu, sigma, y):  # the log-density
    return -0.5 * np.log(2 * np.pi * sigma**2) - (y - mu) ** 2 / (2 * sigma**2)


def density_math(mu, sigma, y):  # math.exp and math.sqrt, which take one number
    return math.exp(-((y - mu) ** 2) / (2 * sigma**2)) / math.sqrt(2 * math.pi * sigma**2)


def density_scipy(mu, sigma, y):  # correct: SciPy
    return scipy.stats.norm(mu, sigma).pdf(y)


def density_standardised(mu, sigma, y):  # correct: through z = (y - mu) / sigma
    z = (np.asarray(y, dtype=float) - mu) / sigma
    return np.exp(-0.5 * z**2) / (sigma * math.sqrt(2 * math.pi))


MUTANTS = [
    ("ex-ch01-coin-grid", grid_by_logs, "nonfinite"),
    ("ex-ch01-coin-grid", grid_math_log, "raised"),
    ("ex-ch01-coin-grid", grid_swapped, "swapped"),
    ("ex-ch01-coin-grid", grid_index, "index"),
    ("ex-ch01-coin-grid", grid_fixed_num, "option_ignored"),
    ("ex-ch01-coin-grid", grid_log_likelihood, "log"),
    ("ex-ch01-coin-grid", grid_open, "grid"),
    ("ex-ch01-poisson", poisson_factorial, "raised"),
    ("ex-ch01-poisson", poisson_through_pmf, "nonfinite"),
    ("ex-ch01-poisson", poisson_no_factorial, "factorial_dropped"),
    ("ex-ch01-poisson", poisson_nll, "sign"),
    ("ex-ch01-poisson", poisson_pow, "raised"),
    ("ex-ch01-poisson", poisson_mean, "factor"),
    ("ex-ch01-density-above-one", mass_no_clamp, "nonfinite"),
    ("ex-ch01-density-above-one", mass_half_width, "half_width"),
    ("ex-ch01-density-above-one", mass_one_sided, "one_sided"),
    ("ex-ch01-density-above-one", mass_forgot_two, "threshold"),
    ("ex-ch01-density-above-one", mass_math, "raised"),
    ("ex-ch01-debug-density", density_colleague, "sqrt_sigma"),
    ("ex-ch01-debug-density", density_precedence, "factor"),
    ("ex-ch01-debug-density", density_no_two, "exponent"),
    ("ex-ch01-debug-density", density_log, "log"),
    ("ex-ch01-debug-density", density_math, "raised"),
]


@pytest.mark.parametrize(("label", "wrong", "code"), MUTANTS, ids=[m[1].__name__ for m in MUTANTS])
def test_each_realistic_mistake_fails_with_its_diagnosis(label, wrong, code):
    report = _timed_check(label, wrong)
    assert not report.passed
    failure = report.first_failure
    assert failure.diagnosis == code, str(report)
    assert failure.hint is not None and failure.hint.ref, "a chapter-specific hint"
    assert failure.hint.text in str(report)


def test_the_poisson_factorial_trap_is_the_float_counts():
    report = check("ex-ch01-poisson", poisson_factorial)
    assert report.first_failure.case.note == "counts written as Python floats"
    assert "TypeError" in report.first_failure.error
    # with integer counts only, math.factorial is right (Python's integers do not overflow)
    assert report.groups["extremes"] == (4, 4)


def test_a_loop_over_float32_counts_passes_in_float32():
    # y * math.log(rate) with y a NumPy float32 is float32 (NEP 50): the float32 case allows
    # float32 precision, and this correct loop really does compute in float32 there
    report = check("ex-ch01-poisson", poisson_loop_over_counts)
    float32_case = next(r for r in report.results if r.case.group == "float32")
    assert float32_case.ok and np.asarray(float32_case.got).dtype == np.float32
    assert float32_case.got != float32_case.expected  # not equal to the float64 reference


def test_the_colleagues_density_passes_only_at_sigma_1():
    report = check("ex-ch01-debug-density", density_colleague)
    first = report.results[0]
    assert first.ok and first.case.args[1] == 1.0  # the colleague's own test point
    assert not report.results[1].ok


@pytest.mark.parametrize(
    ("label", "trivial"),
    [
        ("ex-ch01-coin-grid", lambda y, num=1001: (np.zeros(num), np.zeros(num), 0.0)),
        ("ex-ch01-poisson", lambda rate, counts: 0.0),
        ("ex-ch01-density-above-one", lambda sigma: np.zeros_like(sigma)),
        ("ex-ch01-density-above-one", lambda sigma: sigma),  # returns its input
        ("ex-ch01-debug-density", lambda mu, sigma, y: np.zeros_like(y)),
        ("ex-ch01-debug-density", lambda mu, sigma, y: y),  # returns its input
    ],
)
def test_a_trivial_answer_fails(label, trivial):
    report = _timed_check(label, trivial)
    assert not report.passed
    assert report.n_passed < report.n_cases


@pytest.mark.parametrize(
    ("label", "correct"),
    [
        ("ex-ch01-coin-grid", grid_vectorised),
        ("ex-ch01-coin-grid", grid_scipy),
        ("ex-ch01-poisson", poisson_scipy),
        ("ex-ch01-poisson", poisson_xlogy),
        ("ex-ch01-poisson", poisson_loop_over_counts),
        ("ex-ch01-density-above-one", mass_cdf),
        ("ex-ch01-density-above-one", mass_loop),
        ("ex-ch01-density-above-one", mass_chi2),
        ("ex-ch01-debug-density", density_scipy),
        ("ex-ch01-debug-density", density_standardised),
    ],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_a_correct_implementation_written_differently_passes(label, correct):
    report = _timed_check(label, correct)
    assert report.passed, str(report)


def test_the_grid_battery_has_no_near_tie_at_its_maximum():
    # A grid maximiser is exact only if the largest likelihood stands clear of the next one:
    # then a loop, a vectorised product and a sum of logs all pick the same grid point.
    for case in _coin_grid_cases():
        _, likelihood, _ = sol.bernoulli_likelihood_grid(*case.args, **case.kwargs)
        top, second = np.sort(likelihood)[-2:][::-1]
        assert top - second > 1e-9 * top, case.note
