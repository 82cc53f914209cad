"""Chapter 1's batteries: a coin's likelihood on a grid, Poisson counts, a density above 1.

Each battery compares the reader's function with the tested solution in
:mod:`mlecourse.solutions.ch01` on typical inputs and on the traps the chapter names: the grid
ends p = 0 and p = 1 (where a logarithm fails), the flips read the wrong way round, counts too
large for ``y!`` or ``rate**y`` in a float, float counts (which ``math.factorial`` rejects), a
standard deviation at which the density never exceeds 1 (no real square root), and the
colleague's normaliser ``sqrt(2 pi sigma)``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from mlecourse.check._core import Case, Exercise, Hint
from mlecourse.solutions import ch01 as sol


def _close(got: object, value: object, rtol: float = 1e-9) -> bool:
    """Whether ``got`` equals ``value`` to ``rtol`` (same shape, finite)."""
    try:
        g, v = np.asarray(got, dtype=np.float64), np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if g.shape != v.shape or not np.all(np.isfinite(g)) or not np.all(np.isfinite(v)):
        return False
    return bool(np.allclose(g, v, rtol=rtol, atol=1e-12))


def _shape(x: object) -> tuple[int, ...] | None:
    """The shape of ``x`` as an array, or ``None`` when it is not one."""
    try:
        return np.asarray(x).shape
    except (TypeError, ValueError):
        return None


def _nonfinite(got: object) -> bool:
    """Whether ``got`` is numeric and holds an inf or a NaN."""
    try:
        return not bool(np.all(np.isfinite(np.asarray(got, dtype=np.float64))))
    except (TypeError, ValueError):
        return False


def _is_log_of(got: object, value: object) -> bool:
    """Whether ``got`` is ``log(value)``, with -inf where ``value`` is 0."""
    try:
        g, v = np.asarray(got, dtype=np.float64), np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if g.shape != v.shape or np.any(v < 0):
        return False
    positive = v > 0
    return bool(np.all(g[~positive] == -np.inf)) and _close(g[positive], np.log(v[positive]))


# -- ex-ch01-coin-grid -----------------------------------------------------------------------
def _coin_grid_cases() -> list[Case]:
    rng = np.random.default_rng(101)
    flips = (rng.random(30) < 0.3).astype(int)  # 30 flips of a coin with p = 0.3
    return [
        Case("typical", ([0, 0, 0, 1, 0],), note="the chapter's flips: the peak at p = 1/5"),
        Case("typical", ([1, 1, 0, 1],), note="the exercise's flips 1, 1, 0, 1"),
        Case("typical", (flips,), {"num": 101}, option="num", note="30 flips, 101 grid points"),
        Case("extremes", ([0, 0, 0, 0],), {"num": 11}, option="num", note="all zeros: peak at 0"),
        Case("extremes", ([1, 1, 1],), {"num": 11}, option="num", note="all ones: peak at 1"),
        Case("extremes", ([1, 0],), {"num": 5}, option="num", note="p = 0 and p = 1 on the grid"),
        Case(
            "options",
            ([1, 0, 1, 1, 0, 0, 1, 1, 1, 0],),
            {"num": 21},
            option="num",
            note="num = 21: grid step 0.05",
        ),
    ]


def _coin_grid_diagnose(case: Case, expected: object, got: object) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 3 or not isinstance(expected, tuple):
        return None
    grid_e, lik_e, p_hat_e = expected
    grid_g, lik_g, p_hat_g = got
    num = case.kwargs.get("num", 1001)
    if _shape(grid_g) == (1001,) != _shape(grid_e):
        return "option_ignored"
    if not _close(grid_g, grid_e, rtol=1e-12):
        return "grid"
    if _is_log_of(lik_g, lik_e):
        return "log"
    if _nonfinite(lik_g):
        return "nonfinite"
    if not _close(lik_g, lik_e):
        # p for each 0 and 1 - p for each 1: the likelihood of the flipped data
        y = np.asarray(case.args[0]).ravel()
        if _close(lik_g, sol.bernoulli_likelihood_grid(1 - y, num)[1]):
            return "swapped"
        return "wrong"
    if _close(p_hat_g, float(np.argmax(lik_e))) and not _close(p_hat_g, p_hat_e):
        return "index"
    return "maximiser"


COIN_GRID = Exercise(
    label="ex-ch01-coin-grid",
    title="A coin's likelihood on a grid",
    signature="bernoulli_likelihood_grid(y, num=1001) -> (grid, likelihoods, p_hat)",
    chapter=1,
    reference=sol.bernoulli_likelihood_grid,
    cases=_coin_grid_cases,
    diagnose=_coin_grid_diagnose,
    hints={
        "nonfinite": Hint(
            "NaN or inf in your likelihoods: a logarithm met p = 0 or p = 1, which are on the "
            "grid (0 * log 0 is NaN in floating point). Multiply the factors p and 1 - p "
            "directly, one per flip.",
            "eq-ch01-iid",
        ),
        "raised": Hint(
            "Your function raised. A 'math domain error' means math.log met p = 0 or p = 1, "
            "which are on the grid: multiply the factors p and 1 - p instead of adding "
            "logarithms.",
            "eq-ch01-iid",
        ),
        "swapped": Hint(
            "Your likelihood is that of the flipped data: each 1 contributes a factor p, the "
            "probability of a 1, and each 0 a factor 1 - p.",
            "eq-ch01-bernoulli",
        ),
        "log": Hint(
            "You returned the log-likelihood; the exercise asks for the likelihood itself, the "
            "product of one factor per flip.",
            "eq-ch01-likelihood",
        ),
        "index": Hint(
            "Your maximiser is the index of the largest likelihood; return the grid value at "
            "that index, grid[np.argmax(likelihoods)].",
            "thm-ch01-coin-max",
        ),
        "maximiser": Hint(
            "The grid and the likelihoods are right, but the maximiser is not the grid value "
            "where the likelihood is largest.",
            "thm-ch01-coin-max",
        ),
        "grid": Hint(
            "The grid is num equally spaced values of p from 0 to 1, both ends included, as "
            "np.linspace(0, 1, num) gives them.",
            "ex-ch01-coin-grid",
        ),
        "option_ignored": Hint(
            "Your grid has 1001 points whatever num says: build it with num points.",
            "ex-ch01-coin-grid",
        ),
        "wrong": Hint(
            "Your likelihoods differ from the product of one Bernoulli factor per flip, "
            "p for a 1 and 1 - p for a 0.",
            "eq-ch01-iid",
        ),
    },
)


# -- ex-ch01-poisson -------------------------------------------------------------------------
def _poisson_cases() -> list[Case]:
    rng = np.random.default_rng(102)
    calls = [2, 4, 3, 0, 5, 3]  # the exercise's six minutes
    return [
        Case("typical", (2.0, calls), note="the exercise's counts at rate 2"),
        Case("typical", (2.8, calls), note="the exercise's counts at rate 2.8"),
        Case("typical", (4.0, np.array(calls)), note="a NumPy array of counts"),
        Case("typical", (7.5, rng.poisson(7.5, 12)), note="12 counts drawn at rate 7.5"),
        Case("typical", (1.5, [2.0, 0.0, 1.0]), note="counts written as Python floats"),
        Case("extremes", (3.0, [200, 180]), note="counts too large for y! in a float"),
        Case("extremes", (1000.0, [950, 1010, 1003]), note="rate**y beyond the float range"),
        Case("extremes", (1e-3, [0, 0, 1, 0]), note="a tiny rate, zero counts"),
        Case("extremes", (0.5, [0, 0, 0]), note="zero counts only"),
        Case(
            "float32",
            (2.8, np.array(calls, dtype=np.float32)),
            rtol=1e-5,
            atol=1e-6,
            note="float32 counts, as TFP stores them (any precision)",
        ),
    ]


def _poisson_diagnose(case: Case, expected: object, got: object) -> str | None:
    if _nonfinite(got) or _shape(got) != ():
        return None
    counts = np.asarray(case.args[1], dtype=np.float64).ravel()
    log_factorials = float(special.gammaln(counts + 1).sum())
    if log_factorials > 0 and _close(got, float(np.asarray(expected)) + log_factorials):
        return "factorial_dropped"
    return None


POISSON = Exercise(
    label="ex-ch01-poisson",
    title="Poisson counts, one at a time",
    signature="poisson_log_likelihood_loop(rate, counts) -> float",
    chapter=1,
    reference=sol.poisson_log_likelihood_loop,
    cases=_poisson_cases,
    diagnose=_poisson_diagnose,
    hints={
        "nonfinite": Hint(
            "inf or NaN: y! or rate**y left the float range for a large count (171! is already "
            "beyond float64), or a product of pmfs became 0. Add the logarithms instead: "
            "y * log(rate) - rate - lgamma(y + 1).",
            "eq-ch01-poisson",
        ),
        "raised": Hint(
            "Your function raised on these counts. math.factorial accepts only integers (not "
            "the float counts TFP uses), and rate**y overflows for large counts: use "
            "y * math.log(rate) and math.lgamma(y + 1).",
            "ex-ch01-poisson",
        ),
        "factorial_dropped": Hint(
            "You left out -log y!: the pmf divides by y!, and its logarithm, lgamma(y + 1), is "
            "part of every log p(y | rate), even though it does not depend on the rate.",
            "eq-ch01-poisson",
        ),
        "sign": Hint(
            "You returned the negative log-likelihood; the exercise asks for the sum of the "
            "log-pmfs, log p(y_i | rate).",
            "def-ch01-likelihood",
        ),
        "factor": Hint(
            "Off by a constant factor: the log-likelihood is the sum of log p(y_i | rate) over "
            "the counts. A factor 1/n means you took their mean.",
            "def-ch01-likelihood",
        ),
        "wrong": Hint(
            "Your log-likelihood differs from the sum over the counts of "
            "y * log(rate) - rate - log(y!).",
            "eq-ch01-poisson",
        ),
    },
)


# -- ex-ch01-density-above-one ---------------------------------------------------------------
def _mass_cases() -> list[Case]:
    return [
        Case("typical", (np.array([0.1, 0.2, 0.3]),), note="three sigmas below 1/sqrt(2 pi)"),
        Case(
            "typical",
            (np.array([1.0, 0.4, 0.3989, 0.1, 0.01]),),
            note="the chapter's sigmas, on both sides of 0.399",
        ),
        Case("typical", (np.array([0.25]),), note="one sigma"),
        Case(
            "extremes",
            (np.array([0.399, 0.5, 1.0, 10.0]),),
            note="the density never exceeds 1: probability 0",
        ),
        Case("extremes", (np.array([1e-3, 1e-10]),), note="tiny sigmas: probability near 1"),
        Case("extremes", (np.array([1e-200]),), note="2 pi sigma^2 is 0 in float64"),
    ]


def _mass_diagnose(case: Case, expected: object, got: object) -> str | None:
    sigma = np.asarray(case.args[0], dtype=np.float64)
    with np.errstate(all="ignore"):
        half_width = np.sqrt(np.maximum(-np.log(2.0 * np.pi * sigma**2), 0.0))
    if _nonfinite(got):
        return None
    if np.all(np.isfinite(half_width)) and _close(got, half_width):
        return "half_width"
    phi = special.ndtr(half_width)
    if _close(got, phi - 0.5) or _close(got, phi):
        return "one_sided"
    if _close(got, special.erf(half_width / 2.0)):  # half-width h / sqrt(2)
        return "threshold"
    return None


DENSITY_ABOVE_ONE = Exercise(
    label="ex-ch01-density-above-one",
    title="Where is a density above 1?",
    signature="gaussian_mass_above_one(sigma) -> array",
    chapter=1,
    reference=sol.gaussian_mass_above_one,
    cases=_mass_cases,
    diagnose=_mass_diagnose,
    hints={
        "nonfinite": Hint(
            "NaN where the density never exceeds 1: for sigma > 1/sqrt(2 pi) the number "
            "-log(2 pi sigma^2) is negative and has no real square root. The interval is "
            "empty there, and its probability is 0.",
            "thm-ch01-nll-sign",
        ),
        "raised": Hint(
            "Your function raised on an array of standard deviations. If the error is about "
            "converting an array to a Python scalar, you used math.log, math.sqrt or math.erf, "
            "which take one number: use np.log, np.sqrt and scipy.stats.norm.cdf (or "
            "scipy.special.erf), with np.maximum or np.where for the sigmas whose interval is "
            "empty.",
            "ex-ch01-density-above-one",
        ),
        "half_width": Hint(
            "You returned the half-width h of the interval, in units of sigma; the exercise "
            "asks for its probability under the model, 2 Phi(h) - 1.",
            "ex-ch01-density-above-one",
        ),
        "one_sided": Hint(
            "Your probability counts one side only: the interval |y - mu| < h sigma has "
            "probability Phi(h) - Phi(-h) = 2 Phi(h) - 1 = erf(h / sqrt(2)).",
            "ex-ch01-density-above-one",
        ),
        "threshold": Hint(
            "Your interval is too narrow by sqrt(2): the density exceeds 1 where "
            "-log(2 pi sigma^2) / 2 - (y - mu)^2 / (2 sigma^2) > 0, that is where "
            "((y - mu) / sigma)^2 < -log(2 pi sigma^2).",
            "eq-ch01-gaussian",
        ),
        "wrong": Hint(
            "Your probabilities differ from 2 Phi(h) - 1 with h = sqrt(-log(2 pi sigma^2)) "
            "(and 0 where the density never exceeds 1).",
            "thm-ch01-nll-sign",
        ),
    },
)


# -- ex-ch01-debug-density -------------------------------------------------------------------
def _density_cases() -> list[Case]:
    return [
        Case("typical", (0.0, 1.0, np.linspace(-2.0, 2.0, 5)), note="sigma = 1, the colleague's"),
        Case("typical", (0.2, 0.3, np.linspace(-1.0, 1.0, 9)), note="sigma = 0.3"),
        Case("typical", (1.5, 4.0, np.array([-3.0, 0.0, 1.5, 10.0])), note="sigma = 4"),
        Case("extremes", (0.0, 1e-3, np.array([0.0, 5e-4, 1e-3])), note="a tiny sigma"),
        Case("extremes", (0.0, 1e4, np.array([0.0, 1e4])), note="a huge sigma"),
        Case("extremes", (0.0, 1.0, np.array([-30.0, 30.0])), note="far in the tails"),
        Case("shapes", (0.0, 0.1, 0.0), note="one point y, as in the colleague's test"),
        Case("shapes", (0.5, 2.0, np.array([[0.0], [1.0], [3.0]])), note="y as a (3, 1) column"),
    ]


def _density_diagnose(case: Case, expected: object, got: object) -> str | None:
    mu, sigma, y = case.args
    if _nonfinite(got) or _shape(got) != _shape(expected):
        return None
    e = np.asarray(expected, dtype=np.float64)
    if sigma != 1.0 and _close(got, e * math.sqrt(sigma)):
        return "sqrt_sigma"
    with np.errstate(divide="ignore"):
        log_e = np.log(e)
    if np.all(np.isfinite(log_e)) and _close(got, log_e):
        return "log"
    u2 = (np.asarray(y, dtype=np.float64) - mu) ** 2
    norm = math.sqrt(2 * math.pi * sigma**2)
    for exponent in (u2 / sigma**2, u2 / (2 * sigma), u2 / sigma):
        if np.any(u2 > 0) and _close(got, np.exp(-exponent) / norm):
            return "exponent"
    return None


DEBUG_DENSITY = Exercise(
    label="ex-ch01-debug-density",
    title="Debug a density",
    signature="gaussian_density(mu, sigma, y) -> array",
    chapter=1,
    reference=sol.gaussian_density,
    cases=_density_cases,
    diagnose=_density_diagnose,
    hints={
        "sqrt_sigma": Hint(
            "This is the colleague's bug: dividing by sqrt(2 pi sigma) makes the area "
            "sqrt(sigma), which is 1 only at sigma = 1. Under the square root goes 2 pi times "
            "the variance sigma^2.",
            "eq-ch01-gaussian",
        ),
        "factor": Hint(
            "Your density is a constant multiple of the right one: the normaliser is wrong. It "
            "is 1 / sqrt(2 pi sigma^2) = 1 / (sigma sqrt(2 pi)); mind the operator precedence "
            "in '/ np.sqrt(2 * np.pi) * sigma', which multiplies by sigma.",
            "eq-ch01-gaussian",
        ),
        "exponent": Hint(
            "The exponent is wrong: it is -(y - mu)^2 / (2 sigma^2), with the 2 and the "
            "square of sigma.",
            "eq-ch01-gaussian",
        ),
        "log": Hint(
            "You returned the log-density; the exercise asks for the density itself.",
            "eq-ch01-gaussian",
        ),
        "raised": Hint(
            "Your function raised. If the error is about converting an array to a Python "
            "scalar, you used math.exp or math.sqrt, which take one number, where y is an "
            "array: keep np.exp and np.sqrt, as the colleague did, and fix only the "
            "normaliser.",
            "ex-ch01-debug-density",
        ),
        "wrong": Hint(
            "Your values differ from the Gaussian density exp(-(y - mu)^2 / (2 sigma^2)) / "
            "sqrt(2 pi sigma^2); integrate it at several sigmas to see where.",
            "eq-ch01-pdf",
        ),
    },
)


EXERCISES = (COIN_GRID, POISSON, DENSITY_ABOVE_ONE, DEBUG_DENSITY)
