"""Chapter 9's batteries: Fisher information, the likelihood-ratio interval, Keras's prior.

Each battery compares the reader's function with the tested solution in
:mod:`mlecourse.solutions.ch09` on typical inputs and on the traps the chapter names: the
Poisson's information 1/lambda in place of the exponential's, the variance bound returned in
place of the information, k = 0 and k = n (where one end of the likelihood-ratio interval is the
estimate itself and log 0 appears), the Wald interval or a cut-off without its square or its
factor 2, and a Keras factor read without its n, divided by n, or without its 1/2.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from mlecourse.check._core import Case, Exercise, Hint
from mlecourse.solutions import ch09 as sol


def _scalar(got: object) -> float | None:
    """``got`` as a finite Python float, or ``None`` when it is not one number."""
    try:
        value = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if value.shape != () or not np.isfinite(value):
        return None
    return float(value)


def _close(a: float, b: float, rtol: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rtol, abs_tol=1e-300)


# -- ex-ch09-exponential ---------------------------------------------------------------------
def _exponential_cases() -> list[Case]:
    rng = np.random.default_rng(901)
    rate = float(rng.uniform(0.1, 10.0))
    return [
        Case("typical", (2.0,), note="the exercise's rate lambda = 2: I = 1/4"),
        Case("typical", (0.5,), note="lambda = 0.5"),
        Case("typical", (rate,), note="a random rate in (0.1, 10)"),
        Case("typical", (3,), note="an integer rate"),
        Case("extremes", (1e-6,), note="a tiny rate: long waits, I = 1e12"),
        Case("extremes", (1e6,), note="a huge rate: short waits, I = 1e-12"),
        Case("extremes", (1e-150,), note="lambda = 1e-150: I = 1e300, still finite"),
        Case("extremes", (1e150,), note="lambda = 1e150: I = 1e-300"),
    ]


def _exponential_diagnose(case: Case, expected: object, got: object) -> str | None:
    g, rate = _scalar(got), float(case.args[0])
    if g is None:
        return None
    if _close(g, 1.0 / rate):
        return "poisson"
    if _close(g, rate**2):
        return "inverse"
    times = g * rate**2  # n / lambda^2 is the information of n waiting times
    if times > 1.5 and _close(times, round(times)):
        return "sample"
    return None


_EXPONENTIAL = Exercise(
    label="ex-ch09-exponential",
    title="The information in a waiting time",
    signature="exponential_fisher_information(rate) -> float",
    chapter=9,
    reference=sol.exponential_fisher_information,
    cases=_exponential_cases,
    diagnose=_exponential_diagnose,
    hints={
        "poisson": Hint(
            "You returned 1/lambda, the Fisher information of a Poisson count with mean lambda. "
            "The exponential's log-density log(lambda) - lambda y has second derivative "
            "-1/lambda^2 in lambda, whatever y is.",
            "eq-ch09-fisher",
        ),
        "inverse": Hint(
            "You returned lambda^2. That is the inverse of the information, the variance bound "
            "1/I(lambda) of one observation, and also the information about the mean waiting "
            "time mu = 1/lambda (1/mu^2); the exercise asks for the information about the rate "
            "lambda itself.",
            "sec-ch09-cramer-rao",
        ),
        "sample": Hint(
            "You returned a whole number of times 1/lambda^2: the information of n waiting "
            "times, n I(lambda) (the exercise's n = 20?). The function asks for one waiting "
            "time; n of them carry n times as much.",
            "eq-ch09-fisher",
        ),
        "sign": Hint(
            "The information is minus the expected second derivative of the log-density; the "
            "second derivative -1/lambda^2 is negative, the information positive.",
            "eq-ch09-fisher",
        ),
        "wrong": Hint(
            "Differentiate log p(y | lambda) = log(lambda) - lambda y twice in lambda and take "
            "minus its expectation over y; the result is a formula in lambda, not an estimate "
            "from simulated data.",
            "eq-ch09-fisher",
        ),
    },
)


# -- ex-ch09-lr-interval ---------------------------------------------------------------------
# The exercise quotes the cut-off as 3.841 (and 1.92 for the log-likelihood): an interval cut
# there, or at 1.96^2, moves its ends by less than a relative 3e-4 on these cases, so the
# comparison allows a relative 1e-3; the traps below move an end of every case by more than 1%
# (both measured in tests/check/test_ch09.py).
_LR_RTOL, _LR_ATOL = 1e-3, 1e-9


def _lr_case(group: str, k: int, n: int, note: str) -> Case:
    return Case(group, (k, n), note=note, rtol=_LR_RTOL, atol=_LR_ATOL)


def _lr_cases() -> list[Case]:
    return [
        _lr_case("typical", 3, 10, "3 ones in 10 flips"),
        _lr_case("typical", 1, 10, "1 one in 10 flips"),
        _lr_case("typical", 60, 200, "60 ones in 200 flips"),
        _lr_case("typical", 7, 12, "7 ones in 12 flips"),
        _lr_case("extremes", 0, 10, "k = 0: the lower end is p_hat = 0"),
        _lr_case("extremes", 10, 10, "k = n: the upper end is p_hat = 1"),
        _lr_case("extremes", 0, 1, "one flip, a zero"),
        _lr_case("extremes", 1, 1, "one flip, a one"),
        _lr_case("extremes", 1, 10_000, "one one in 10 000 flips"),
        _lr_case("extremes", 0, 1000, "no ones in 1000 flips"),
    ]


def _pair(got: object) -> tuple[float, float] | None:
    try:
        ends = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if ends.shape != (2,) or not np.all(np.isfinite(ends)):
        return None
    return float(ends[0]), float(ends[1])


def _same_pair(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return bool(np.allclose(a, b, rtol=_LR_RTOL, atol=_LR_ATOL))


def _lr_diagnose(case: Case, expected: object, got: object) -> str | None:
    ends = _pair(got)
    if ends is None:
        return None
    k, n = case.args
    p_hat = k / n
    if (k == 0 and ends[1] <= 1e-9) or (k == n and ends[0] >= 1 - 1e-9):
        return "degenerate"  # Wald's single point too: this hint says more
    half = stats.norm.ppf(0.975) * math.sqrt(p_hat * (1 - p_hat) / n)
    if _same_pair(ends, (p_hat - half, p_hat + half)):
        return "wald"
    for cut in (stats.norm.ppf(0.975), 2 * stats.chi2.ppf(0.95, 1), stats.chi2.ppf(0.95, 1) / 2):
        if _same_pair(ends, sol.bernoulli_lr_interval(k, n, level=stats.chi2.cdf(cut, 1))):
            return "cutoff"
    return None


_LR_INTERVAL = Exercise(
    label="ex-ch09-lr-interval",
    title="Build a likelihood-ratio interval",
    signature="bernoulli_lr_interval(k, n) -> (lower, upper)",
    chapter=9,
    reference=sol.bernoulli_lr_interval,
    cases=_lr_cases,
    diagnose=_lr_diagnose,
    hints={
        "wald": Hint(
            "That is the Wald interval p_hat +- 1.96 sqrt(p_hat (1 - p_hat) / n), the parabola's "
            "cut. The likelihood-ratio interval cuts the log-likelihood itself: keep every p "
            "with 2 [l(p_hat) - l(p)] <= 3.841, and find each end with a root-finder.",
            "eq-ch09-lr-interval",
        ),
        "cutoff": Hint(
            "Your interval is cut at the wrong height. The statistic is twice the fall of the "
            "log-likelihood, 2 [l(p_hat) - l(p)], and its cut-off is chi2_1(0.95) = 1.96^2 = "
            "3.841: a fall of 1.92 in l itself, not 1.96 or 3.841.",
            "thm-ch09-wilks",
        ),
        "degenerate": Hint(
            "With k = 0 (or k = n) the interval is not a single point: the lower end is "
            "p_hat = 0 (the upper end p_hat = 1), and the other end is where n log(1 - p) (or "
            "n log p) has fallen by 1.92.",
            "eq-ch09-lr-interval",
        ),
        "raised": Hint(
            "Your function raised. If k = 0 or k = n, one side of p_hat is empty: do not call a "
            "root-finder there (that end is p_hat itself), and write the log-likelihood with "
            "scipy.special.xlogy so that 0 log 0 = 0 instead of NaN. Otherwise, a root-finder "
            "needs a sign change in its bracket: search (0, p_hat) and (p_hat, 1) separately.",
            "eq-ch09-lr-interval",
        ),
        "nonfinite": Hint(
            "NaN or inf in an end: 0 * log(0) is NaN in floating point. Use scipy.special.xlogy "
            "(0 log 0 = 0), and bracket each root strictly inside (0, 1).",
            "eq-ch09-lr-interval",
        ),
        "wrong": Hint(
            "Each end solves 2 [l(p_hat) - l(p)] = 3.841 on one side of p_hat, with "
            "l(p) = k log p + (n - k) log(1 - p); return (lower, upper), lower first.",
            "eq-ch09-lr-interval",
        ),
    },
)


# -- ex-ch09-keras-prior ---------------------------------------------------------------------
def _keras_cases() -> list[Case]:
    return [
        Case("typical", (1e-4, 50_000), note="the exercise: L2(1e-4) on 50 000 examples"),
        Case("typical", (1e-4, 500_000), note="the same factor on 500 000 examples"),
        Case("typical", (0.05, 12), note="the chapter's L2(0.05) on 12 examples"),
        Case("typical", (0.01, 200), note="L2(0.01) on 200 examples"),
        Case("extremes", (1e-12, 1), note="a tiny factor, one example"),
        Case("extremes", (10.0, 10**9), note="a large factor on 1e9 examples"),
        Case("extremes", (0.5, 1), note="rho = 1/2, n = 1: sigma0^2 = 1"),
    ]


def _keras_diagnose(case: Case, expected: object, got: object) -> str | None:
    g, e = _scalar(got), _scalar(expected)
    if g is None or e is None:
        return None
    l2, n = case.args
    if _close(g, 1.0 / (2.0 * l2)) and n != 1:
        return "no_n"
    if _close(g, n / (2.0 * l2)) and n != 1:
        return "divided"
    if _close(g, 2.0 * e):
        return "half"
    if _close(g, 1.0 / e):
        return "precision"
    if _close(g, math.sqrt(e)):
        return "sd"
    return None


_KERAS_PRIOR = Exercise(
    label="ex-ch09-keras-prior",
    title="What prior did you train with?",
    signature="keras_l2_prior_variance(l2, n) -> float",
    chapter=9,
    reference=sol.keras_l2_prior_variance,
    cases=_keras_cases,
    diagnose=_keras_diagnose,
    hints={
        "no_n": Hint(
            "Your prior does not depend on n. Keras adds l2 ||w||^2 to the MEAN loss, "
            "(1/n) NLL; multiplied by n, the penalty is n l2 ||w||^2, so sigma0^2 = 1/(2 n l2).",
            "sec-ch09-keras-l2",
        ),
        "divided": Hint(
            "Your prior grows looser with n, as n / (2 l2): you divided by n where the "
            "objective is multiplied by n. Keras's (1/n) NLL + l2 ||w||^2, times n, is "
            "NLL + n l2 ||w||^2, so 1/(2 sigma0^2) = n l2: more data, a tighter prior.",
            "sec-ch09-keras-l2",
        ),
        "half": Hint(
            "Off by a factor 2: a Gaussian prior N(0, sigma0^2) has -log p(w) = ||w||^2 / "
            "(2 sigma0^2), with the 1/2, while Keras's L2 factor multiplies the plain sum of "
            "squares. Match n l2 with 1/(2 sigma0^2).",
            "eq-ch09-map",
        ),
        "precision": Hint(
            "You returned the prior's precision 1/sigma0^2 = 2 n l2; the exercise asks for its "
            "variance sigma0^2.",
            "sec-ch09-keras-l2",
        ),
        "sd": Hint(
            "You returned the standard deviation sigma0; the exercise asks for the variance "
            "sigma0^2 (scikit-learn's C).",
            "sec-ch09-keras-l2",
        ),
        "wrong": Hint(
            "Multiply Keras's objective (1/n) NLL + l2 ||w||^2 by n and match its penalty with the "
            "Gaussian prior's ||w||^2 / (2 sigma0^2).",
            "eq-ch09-map",
        ),
    },
)

EXERCISES = (_EXPONENTIAL, _LR_INTERVAL, _KERAS_PRIOR)
