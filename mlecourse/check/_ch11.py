"""Chapter 11's batteries: the Weibull head, the negative binomial's information, its SciPy form.

Each battery compares the reader's answer with the tested solution in
:mod:`mlecourse.solutions.ch11`. That module defines ``WeibullHead`` on
:mod:`mlecourse.tfp.heads`, so it imports TensorFlow: the references import it inside their
functions, and listing the exercises never does. The first check of a chapter-11 exercise in a
fresh interpreter pays TensorFlow's import (several seconds); later checks take well under 1 s.

The traps are the chapter's: a Weibull head whose raw outputs skip the softplus, lose the floor
or feed the wrong parameter, and that accepts durations of 0; a negative binomial's information
confused with the Poisson's 1/mu, with the count's variance, or with r upside down; and
PyTorch's ``probs = mu / (mu + r)`` handed to SciPy, whose ``nbinom(n, p)`` takes the
complement.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from mlecourse.check._core import Case, Exercise, Hint


def _close(got: object, value: object, rtol: float = 1e-9) -> bool:
    """Whether ``got`` equals ``value`` to ``rtol`` (same shape, finite)."""
    try:
        g, v = np.asarray(got, dtype=np.float64), np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if g.shape != v.shape or not np.all(np.isfinite(g)) or not np.all(np.isfinite(v)):
        return False
    return bool(np.allclose(g, v, rtol=rtol, atol=0.0))


def _quiet(
    diagnose: Callable[[Case, object, object], str | None],
) -> Callable[[Case, object, object], str | None]:
    """A diagnosis that recomputes wrong answers on extreme inputs without warnings."""

    @functools.wraps(diagnose)
    def wrapped(case: Case, expected: object, got: object) -> str | None:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return diagnose(case, expected, got)

    return wrapped


# -- ex-ch11-nb-fisher -----------------------------------------------------------------------
def _fisher_reference(mean: npt.ArrayLike, total_count: npt.ArrayLike) -> np.ndarray:
    from mlecourse.solutions.ch11 import negative_binomial_fisher_information

    return negative_binomial_fisher_information(mean, total_count)


def _fisher_cases() -> list[Case]:
    mu = np.array([0.5, 3.0, 10.0, 40.0])
    r = np.array([2.0, 2.0, 0.5, 5.0])
    return [
        Case("typical", (3.0, 2.0), note="mu = 3, r = 2 (the chapter's counts)"),
        Case("typical", (mu, r), note="four means and total counts"),
        Case(
            "extremes",
            (np.array([3.0, 0.2, 1e6]), np.array([1e12, 50.0, 1e6])),
            note="r = 1e12 (Poisson limit), r >> mu, mu = r = 1e6",
        ),
        Case(
            "extremes",
            (np.array([1e-6, 5.0, 100.0]), np.array([1e-3, 1e-6, 0.05])),
            note="tiny means, tiny r (huge overdispersion)",
        ),
        Case(
            "float32",
            (mu.astype(np.float32), r.astype(np.float32)),
            rtol=1e-5,
            atol=0.0,
            check_dtype=True,
            note="float32 in, float32 out",
        ),
        Case("shapes", (mu, 2.0), note="an array of means, one scalar r"),
        Case("shapes", (mu[:, None], 2.0), note="(N, 1) means: an (N, 1) result"),
    ]


@_quiet
def _fisher_diagnose(case: Case, expected: object, got: object) -> str | None:
    mu = np.asarray(case.args[0], dtype=np.float64)
    r = np.asarray(case.args[1], dtype=np.float64)
    candidates = {
        "poisson": 1.0 / mu + 0 * r,
        "variance": mu + mu**2 / r,
        "r_inverted": 1.0 / (mu + mu**2 * r),
        "square_root": np.sqrt(r / (mu * (mu + r))),
        "r_dropped": 1.0 / (mu * (mu + r)),
    }
    for code, value in candidates.items():
        if _close(got, value, rtol=1e-4) and not _close(value, expected, rtol=1e-4):
            return code
    return None


_NB_FISHER = Exercise(
    label="ex-ch11-nb-fisher",
    title="How much information a count carries",
    signature="negative_binomial_fisher_information(mean, total_count)",
    chapter=11,
    reference=_fisher_reference,
    cases=_fisher_cases,
    diagnose=_fisher_diagnose,
    hints={
        "poisson": Hint(
            "That is the Poisson's information 1/mu. The negative binomial's count has the "
            "larger variance mu + mu^2/r, and the information about mu is its reciprocal, "
            "r / (mu (mu + r)): smaller, the more overdispersed the counts.",
            "sec-ch11-counts",
        ),
        "variance": Hint(
            "That is the count's variance mu + mu^2/r. The Fisher information is the variance "
            "of the score r (y - mu) / (mu (mu + r)), which is the reciprocal of it.",
            "ex-ch11-nb-fisher",
        ),
        "r_inverted": Hint(
            "The overdispersion term is mu^2 / r, not mu^2 r: a large r (little extra "
            "variance) must bring the information back to the Poisson's 1/mu.",
            "eq-ch11-negative-binomial-nll",
        ),
        "square_root": Hint(
            "You returned the square root of the information (a standard error's reciprocal). "
            "The exercise asks for I(mu) itself, r / (mu (mu + r)).",
            "ex-ch11-nb-fisher",
        ),
        "r_dropped": Hint(
            "The factor r is missing from the numerator: squaring the score's coefficient "
            "r / (mu (mu + r)) and multiplying by Var(y) = mu (mu + r) / r leaves "
            "r / (mu (mu + r)), not 1 / (mu (mu + r)).",
            "ex-ch11-nb-fisher",
        ),
        "dtype": Hint(
            "float32 means and total counts should give a float32 information; a float64 "
            "constant or conversion promoted them.",
            "ex-ch11-nb-fisher",
        ),
    },
)


# -- ex-ch11-nb-parameterisation -------------------------------------------------------------
#: The counts at which a distribution's log-pmf is compared (a column: it broadcasts against
#: an array of parameters).
_COUNTS = np.array([0.0, 1.0, 2.0, 5.0, 20.0])[:, None]


def _nb_reference(mean: npt.ArrayLike, total_count: npt.ArrayLike) -> object:
    from mlecourse.solutions.ch11 import scipy_negative_binomial

    return scipy_negative_binomial(mean, total_count)


def _summary(obj: Callable[..., Any], case: Case) -> dict[str, np.ndarray]:
    """What the returned distribution says: its mean, its variance, its log-pmf at a few counts."""
    dist = obj(*case.args, **case.kwargs)
    return {
        "mean": np.asarray(dist.mean(), dtype=np.float64),
        "variance": np.asarray(dist.var(), dtype=np.float64),
        "logpmf": np.asarray(dist.logpmf(_COUNTS), dtype=np.float64),
    }


def _nb_cases() -> list[Case]:
    return [
        Case("typical", (6.0, 2.0), note="mu = 6, r = 2: mean 6, variance 24"),
        Case(
            "typical",
            (np.array([0.5, 3.0, 12.0]), np.array([1.0, 2.0, 50.0])),
            note="three means and total counts",
        ),
        Case(
            "extremes",
            (np.array([3.0, 40.0]), np.array([1e6, 0.05])),
            rtol=1e-8,
            note="r = 1e6 (nearly Poisson) and r = 0.05 (huge overdispersion)",
        ),
        Case("extremes", (1e-3, 2.0), note="a tiny mean: almost every count is 0"),
        Case("shapes", (np.array([1.0, 4.0, 9.0]), 3.0), note="an array of means, one r"),
    ]


@_quiet
def _nb_diagnose(case: Case, expected: object, got: object) -> str | None:
    if not isinstance(got, dict) or "mean" not in got or not isinstance(expected, dict):
        return None
    mu = np.asarray(case.args[0], dtype=np.float64)
    r = np.asarray(case.args[1], dtype=np.float64)
    mean, variance = got["mean"], got["variance"]
    if _close(mean, np.broadcast_to(r**2 / mu, np.shape(mean))):
        return "torch_probs"
    if _close(mean, np.broadcast_to(mu**2 / r, np.shape(mean))):
        return "swapped"
    if _close(mean, expected["mean"]) and _close(variance, expected["mean"]):
        return "poisson"
    if _close(mean, expected["mean"]) and not _close(variance, expected["variance"]):
        return "variance"
    return None


_NB_PARAMETERISATION = Exercise(
    label="ex-ch11-nb-parameterisation",
    title="The negative binomial that predicts the wrong mean",
    signature="scipy_negative_binomial(mean, total_count)",
    chapter=11,
    reference=_nb_reference,
    cases=_nb_cases,
    call=_summary,
    diagnose=_nb_diagnose,
    hints={
        "torch_probs": Hint(
            "The distribution's mean is r^2 / mu: you passed PyTorch's and TFP's probs = "
            "mu / (mu + r) to SciPy. scipy.stats.nbinom(n, p) has mean n (1 - p) / p, so it "
            "needs the complement, p = r / (mu + r).",
            "ex-ch11-nb-parameterisation",
        ),
        "swapped": Hint(
            "The distribution's mean is mu^2 / r: the mean and the total count changed places. "
            "SciPy's first parameter n is the total count r.",
            "ex-ch11-nb-parameterisation",
        ),
        "poisson": Hint(
            "The mean is right but the variance equals the mean: that is a Poisson. The "
            "negative binomial's variance is mu + mu^2 / r.",
            "sec-ch11-counts",
        ),
        "variance": Hint(
            "The mean is right but the variance is not mu + mu^2 / r: check that n is the total "
            "count r and p = r / (mu + r), both from the arguments.",
            "sec-ch11-counts",
        ),
        "raised": Hint(
            "The function must return a frozen SciPy distribution (scipy.stats.nbinom(n, p)): "
            "the check calls its mean(), var() and logpmf().",
            "ex-ch11-nb-parameterisation",
        ),
    },
)


# -- ex-ch11-weibull-head --------------------------------------------------------------------
def _weibull_reference(**floors: float) -> object:
    from mlecourse.solutions.ch11 import WeibullHead

    return WeibullHead(**floors)


def _weibull_nll(cls: Callable[..., Any], case: Case) -> np.ndarray:
    """The head built with the case's floors, its NLL per example as a NumPy array."""
    y, raw = case.args
    head = cls(**case.kwargs)
    return np.asarray(head.nll(y, raw, reduction="none"))


def _weibull_cases() -> list[Case]:
    rng = np.random.default_rng(1118)
    raw = rng.normal(0.0, 1.0, size=(6, 2))
    y = np.array([0.3, 1.0, 2.5, 0.05, 4.0, 1.7])
    return [
        Case("typical", (y, raw), note="head.nll(y, raw): 6 durations, raw outputs ~ N(0, 1)"),
        Case(
            "extremes",
            (
                np.array([0.5, 2.0, 1.0, 3.0]),
                np.array([[-30.0, 0.0], [0.0, -30.0], [20.0, 0.5], [0.5, 20.0]]),
            ),
            rtol=1e-8,
            note="head.nll(y, raw): raw outputs of -30 (only the floor is left) and 20",
        ),
        Case(
            "extremes",
            (np.array([1e-6, 1e3]), np.array([[0.5, 0.5], [0.5, 0.5]])),
            rtol=1e-8,
            note="head.nll(y, raw): durations of 1e-6 and 1e3",
        ),
        Case(
            "float32",
            (y.astype(np.float32), raw.astype(np.float32)),
            rtol=1e-5,
            atol=1e-5,
            check_dtype=True,
            note="head.nll(y, raw): float32 raw outputs, a float32 NLL",
        ),
        Case(
            "shapes",
            (y.reshape(2, 3), raw.reshape(2, 3, 2)),
            note="head.nll(y, raw): a (2, 3) batch of durations, raw outputs (2, 3, 2)",
        ),
        Case(
            "options",
            (np.array([0.5, 2.0]), np.array([[-30.0, 0.0], [0.0, -30.0]])),
            {"min_concentration": 0.5},
            option="min_concentration",
            note="WeibullHead(min_concentration=0.5).nll(y, raw): raw outputs of -30",
        ),
        Case(
            "options",
            (np.array([0.5, 2.0]), np.array([[0.0, -30.0], [1.0, -30.0]])),
            {"min_scale": 0.7},
            option="min_scale",
            note="WeibullHead(min_scale=0.7).nll(y, raw): raw scale output -30",
        ),
        Case(
            "errors",
            (np.array([1.0, 0.0]), raw[:2]),
            raises=ValueError,
            note="head.nll(y, raw), a duration of 0: ValueError naming y_true",
        ),
        Case(
            "errors",
            (np.array([2.0, -1.5]), raw[:2]),
            raises=ValueError,
            note="head.nll(y, raw), a negative duration: ValueError",
        ),
    ]


def _weibull_call(cls: Callable[..., Any], case: Case) -> np.ndarray:
    """The NLL per example; on an ``errors`` case, a ValueError must name ``y_true``."""
    try:
        return _weibull_nll(cls, case)
    except ValueError as error:
        if case.group == "errors" and "y_true" not in str(error):
            raise RuntimeError(
                f"a ValueError whose message does not name y_true: {error}"
            ) from None
        raise


def _softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z)


@_quiet
def _weibull_diagnose(case: Case, expected: object, got: object) -> str | None:
    y, raw = (np.asarray(a, dtype=np.float64) for a in case.args)
    floor_a = case.kwargs.get("min_concentration", 1e-3)
    floor_b = case.kwargs.get("min_scale", 1e-3)
    z0, z1 = raw[..., 0], raw[..., 1]

    def nll(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.asarray(-stats.weibull_min.logpdf(y, a, scale=b))

    candidates = {
        "swapped": nll(_softplus(z1) + floor_b, _softplus(z0) + floor_a),
        "activation": nll(np.exp(z0) + floor_a, np.exp(z1) + floor_b),
        "no_floor": nll(_softplus(z0), _softplus(z1)),
    }
    for code, value in candidates.items():
        if _close(got, value, rtol=1e-5) and not _close(value, expected, rtol=1e-5):
            return code
    return None


_WEIBULL_HEAD = Exercise(
    label="ex-ch11-weibull-head",
    title="A Weibull head for durations",
    signature="WeibullHead(min_concentration=1e-3, min_scale=1e-3)",
    chapter=11,
    reference=_weibull_reference,
    cases=_weibull_cases,
    call=_weibull_call,
    diagnose=_weibull_diagnose,
    hints={
        "swapped": Hint(
            "The shape and the scale changed places: the first raw output z0 gives the shape "
            "a (tfd.Weibull's concentration), the second z1 the scale b.",
            "ex-ch11-weibull-head",
        ),
        "activation": Hint(
            "exp(z) is positive too, but the exercise asks for softplus(z) + floor, as the "
            "package's heads build a scale, a shape or a total count: use tf.math.softplus.",
            "sec-ch11-positive",
        ),
        "no_floor": Hint(
            "The floors are missing: a = softplus(z0) + min_concentration and b = softplus(z1) "
            "+ min_scale, so a raw output of -30 still leaves a usable shape and scale.",
            "ex-ch11-weibull-head",
        ),
        "option_ignored": Hint(
            "A floor passed to the constructor had no effect: add self.min_concentration and "
            "self.min_scale, not the default values.",
            "ex-ch11-weibull-head",
        ),
        "wrong_error": Hint(
            "A duration <= 0 must raise a ValueError whose message names y_true (as the "
            "package's heads do), so that a reader of the traceback knows which argument to fix.",
            "ex-ch11-weibull-head",
        ),
        "no_error": Hint(
            "Durations must be > 0: override check_targets to raise a ValueError that names "
            "y_true when a target is <= 0 (the base class only checks that they are finite).",
            "ex-ch11-weibull-head",
        ),
        "dtype": Hint(
            "float32 raw outputs should give a float32 NLL: build the parameters with "
            "TensorFlow operations on raw_params, without a float64 constant.",
            "ex-ch11-weibull-head",
        ),
    },
)


EXERCISES = (_WEIBULL_HEAD, _NB_FISHER, _NB_PARAMETERISATION)
