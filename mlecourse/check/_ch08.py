"""Chapter 8's batteries: the Poisson head's gradient, the mixture NLL, the collapsing mixture.

Each battery compares the reader's function with the tested solution in
:mod:`mlecourse.solutions.ch08` (NumPy only: no TensorFlow) on typical inputs and on the traps
the chapter names: a softplus written as log(1 + e^z), which rounds to 0 below z = -37 and
overflows above z = 709; the chain rule's d rate / dz; "mean minus target" where the link is
not canonical; densities that underflow 100 scales from every component; mixing logits of
+-1e4; standard deviations against variances; the mixing weights' normalisation; and the
training NLL as a mean over the examples.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable

import numpy as np

from mlecourse.check._core import Case, Exercise, Hint
from mlecourse.solutions import ch08 as sol


def _close(got: object, value: object) -> bool:
    """Whether ``got`` equals ``value`` to a relative 1e-9 (same shape, finite)."""
    try:
        g, v = np.asarray(got, dtype=np.float64), np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if g.shape != v.shape or not np.all(np.isfinite(g)) or not np.all(np.isfinite(v)):
        return False
    return bool(np.allclose(g, v, rtol=1e-9, atol=1e-12))


def _nonfinite(got: object) -> bool:
    """Whether ``got`` is numeric and holds an inf or a NaN."""
    try:
        return not bool(np.all(np.isfinite(np.asarray(got, dtype=np.float64))))
    except (TypeError, ValueError):
        return False


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


_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


def _softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


def _logsumexp(a: np.ndarray, axis: int | None = -1) -> np.ndarray:
    top = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(top, axis=axis) + np.log(np.sum(np.exp(a - top), axis=axis))


# -- ex-ch08-poisson-link --------------------------------------------------------------------
def _poisson_cases() -> list[Case]:
    y = np.array([0.0, 1.0, 2.0, 0.0, 3.0, 1.0, 7.0])
    z = np.linspace(-3.0, 3.0, 7)
    return [
        Case("typical", (y, z), note="counts 0-7, raw outputs -3 to 3, activation 'exp'"),
        Case("typical", (np.zeros(4), np.array([-2.0, 0.0, 1.0, 2.5])), note="zero counts"),
        Case(
            "extremes",
            (np.array([0.0, 5.0, 40.0]), np.array([-30.0, 20.0, 30.0])),
            note="'exp' at z = -30, 20, 30",
        ),
        Case(
            "extremes",
            (np.array([5.0, 0.0, 2.0, 3.0, 0.0]), np.array([-40.0, -40.0, -700.0, 40.0, 750.0])),
            {"activation": "softplus"},
            note="'softplus' at z = -40, -700 (rate ~ e^z) and 40, 750",
        ),
        Case(
            "float32",
            (y.astype(np.float32), z.astype(np.float32)),
            {"activation": "softplus"},
            rtol=1e-5,
            atol=1e-6,
            note="float32 inputs (a float32 or float64 result)",
        ),
        Case("shapes", (2.0, 0.0), note="scalars in, a scalar out"),
        Case("shapes", (y[:, None], z[:, None]), note="(N, 1) counts and raw outputs"),
        Case(
            "options",
            (y, z),
            {"activation": "softplus"},
            option="activation",
            note="activation 'softplus'",
        ),
        Case("options", (y, z), {"activation": "exp"}, note="activation 'exp', by name"),
    ]


@_quiet
def _poisson_diagnose(case: Case, expected: object, got: object) -> str | None:
    y = np.asarray(case.args[0], dtype=np.float64)
    z = np.asarray(case.args[1], dtype=np.float64)
    softplus = case.kwargs.get("activation", "exp") == "softplus"
    if softplus:
        as_exp = sol.poisson_nll_gradient(y, z, activation="exp")  # inf where e^z overflows
        try:
            g = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            g = None
        if g is not None and g.shape == as_exp.shape and np.allclose(g, as_exp, equal_nan=True):
            return "option_ignored"
    if _nonfinite(got) and not _nonfinite(expected):
        return "naive_softplus" if softplus else None
    rate = _softplus(z) if softplus else np.exp(z)
    if _close(got, 1.0 - y / rate):
        return "chain_rule"
    if softplus and (_close(got, rate - y) or _close(got, _sigmoid(z) - y)):
        return "canonical"  # the exp head's rate - y, or the Bernoulli head's sigmoid(z) - y
    return None


_POISSON_LINK = Exercise(
    label="ex-ch08-poisson-link",
    title="The Poisson head with a softplus activation",
    signature='poisson_nll_gradient(y, raw, activation="exp")',
    chapter=8,
    reference=sol.poisson_nll_gradient,
    cases=_poisson_cases,
    diagnose=_poisson_diagnose,
    hints={
        "naive_softplus": Hint(
            "inf or NaN with the softplus: log(1 + exp(z)) rounds to 0 below z = -37 (so y / "
            "rate divides by 0) and overflows above z = 709. np.logaddexp(0, z) computes the "
            "softplus without either; its derivative is the sigmoid, scipy.special.expit(z).",
            "ex-ch08-poisson-link",
        ),
        "chain_rule": Hint(
            "You have dL/d rate = 1 - y / rate, the derivative with respect to the rate. The "
            "exercise asks for the derivative with respect to the raw output z: multiply by "
            "d rate / dz (the chain rule).",
            "ex-ch08-poisson-link",
        ),
        "canonical": Hint(
            "'Mean minus target' holds only when the raw output is the natural parameter, "
            "log(rate), and the mean is the rate (not sigmoid(z), the Bernoulli's mean): with "
            "rate = softplus(z) the chain rule gives sigmoid(z) (1 - y / rate).",
            "thm-ch08-canonical",
        ),
        "option_ignored": Hint(
            "The activation had no effect: with activation='softplus' the rate is softplus(z), "
            "not exp(z), and its derivative with respect to z changes with it.",
            "ex-ch08-poisson-link",
        ),
        "sign": Hint(
            "The opposite sign: the loss is rate - y log(rate) + log(y!), so a rate above the "
            "count gives a positive derivative (the gradient of the NLL, not of the "
            "log-likelihood).",
            "eq-ch08-poisson-nll",
        ),
        "shape": Hint(
            "One derivative per example, with the shape of the inputs: do not sum or average "
            "over the examples, and keep (N, 1) as (N, 1).",
            "ex-ch08-poisson-link",
        ),
    },
)


# -- ex-ch08-mixture-nll ---------------------------------------------------------------------
def _mixture_cases() -> list[Case]:
    rng = np.random.default_rng(801)
    y = rng.normal(0.0, 2.0, 5)
    logits = rng.normal(0.0, 1.0, (5, 2))
    means = rng.normal(0.0, 2.0, (5, 2))
    scales = rng.uniform(0.5, 2.0, (5, 2))
    y3 = rng.normal(0.0, 2.0, 4)
    logits3, means3 = rng.normal(0.0, 1.0, (4, 3)), rng.normal(0.0, 2.0, (4, 3))
    scales3 = rng.uniform(0.3, 3.0, (4, 3))
    far_means = np.array([[0.0, 1.0], [0.0, 1.0]])
    ones = np.ones((2, 2))
    return [
        Case("typical", (y, logits, means, scales), note="5 examples, J = 2 components"),
        Case("typical", (y3, logits3, means3, scales3), note="4 examples, J = 3 components"),
        Case(
            "extremes",
            (np.array([100.0, -80.0]), np.zeros((2, 2)), far_means, ones),
            note="targets 80-100 scales from every component",
        ),
        Case(
            "extremes",
            (np.array([0.5, -0.5]), np.array([[1e4, -1e4], [-1e4, 1e4]]), far_means, ones),
            note="mixing logits of +-1e4",
        ),
        Case(
            "extremes",
            (
                np.array([0.0, 3.0]),
                np.zeros((2, 2)),
                np.array([[0.0, 3.0], [0.0, 3.0]]),
                np.array([[1e-3, 1e3], [1e-3, 1e3]]),
            ),
            note="scales 1e-3 and 1e3",
        ),
        Case(
            "float32",
            tuple(a.astype(np.float32) for a in (y, logits, means, scales)),
            rtol=1e-5,
            atol=1e-5,
            note="float32 inputs (a float32 or float64 result)",
        ),
        Case("shapes", (y, logits[:, :1], means[:, :1], scales[:, :1]), note="J = 1: (n, 1)"),
        Case("shapes", (y[:1], logits[:1], means[:1], scales[:1]), note="one example, n = 1"),
    ]


@_quiet
def _mixture_diagnose(case: Case, expected: object, got: object) -> str | None:
    y, logits, means, scales = (np.asarray(a, dtype=np.float64) for a in case.args)
    if _nonfinite(got) and not _nonfinite(expected):
        return "softmax_overflow" if np.max(np.abs(logits)) > 700 else "underflow"
    if np.asarray(got).shape == () and np.asarray(expected).shape != ():
        return "reduced"
    if _close(got, sol.gaussian_mixture_nll(y, logits, means, np.sqrt(scales))):
        return "variances"
    if _close(got, np.asarray(expected) - _logsumexp(logits)):
        return "unnormalised"
    over_examples = logits - _logsumexp(logits, axis=0)[None, :]
    over_everything = logits - _logsumexp(logits.ravel())
    for log_weights in (over_examples, over_everything) if y.size > 1 else ():
        # the NLL with weights exp(log_weights): the reference renormalises each row, undo it
        with_them = sol.gaussian_mixture_nll(y, log_weights, means, scales)
        if _close(got, with_them - _logsumexp(log_weights)):
            return "softmax_axis"
    if _close(got, np.asarray(expected) - _LOG_SQRT_2PI):
        return "constant"
    return None


_MIXTURE_NLL = Exercise(
    label="ex-ch08-mixture-nll",
    title="The mixture NLL in log space",
    signature="gaussian_mixture_nll(y, logits, means, scales) -> nll",
    chapter=8,
    reference=sol.gaussian_mixture_nll,
    cases=_mixture_cases,
    diagnose=_mixture_diagnose,
    hints={
        "underflow": Hint(
            "inf far from every component: each Gaussian density underflows to 0 (e^-5000), "
            "and log 0 = -inf. Add log-densities to the log-weights and take a stable "
            "log-sum-exp, max + log sum exp(t - max), as in the chapter's MDN equation.",
            "eq-ch08-mdn",
        ),
        "softmax_overflow": Hint(
            "NaN with large mixing logits: exp(1e4) overflows, and log(softmax) of it is "
            "inf / inf. Compute log-softmax as logits - logsumexp(logits), shifting by the "
            "largest logit first.",
            "eq-ch08-mdn",
        ),
        "variances": Hint(
            "scales are standard deviations: the component is N(y; mean, scale^2), whose log "
            "density is -log(scale) - log(2 pi)/2 - (y - mean)^2 / (2 scale^2).",
            "eq-ch08-mdn",
        ),
        "unnormalised": Hint(
            "The mixing weights are softmax(logits), not exp(logits): use the log-softmax, "
            "logits - logsumexp(logits), so that the weights sum to 1.",
            "eq-ch08-mdn",
        ),
        "softmax_axis": Hint(
            "The mixing weights of each example sum to 1 over its J components: normalise the "
            "logits along the last axis (scipy.special.log_softmax(logits, axis=-1)). Without "
            "axis, SciPy's softmax and log_softmax normalise over the whole array.",
            "eq-ch08-mdn",
        ),
        "constant": Hint(
            "Off by log(2 pi) / 2 = 0.919 per example: the Gaussian log-density keeps its "
            "constant, -log(scale) - log(2 pi)/2 - (y - mean)^2 / (2 scale^2). Dropping it does "
            "not change the minimiser, but the exercise asks for the NLL itself.",
            "eq-ch08-mdn",
        ),
        "reduced": Hint(
            "The exercise asks for the NLL of each example, shape (n,), not their mean or sum.",
            "ex-ch08-mixture-nll",
        ),
        "sign": Hint(
            "The opposite sign: that is the log-likelihood; the NLL is its negative.",
            "eq-ch08-mdn",
        ),
    },
)


# -- ex-ch08-collapse ------------------------------------------------------------------------
def _collapse_cases() -> list[Case]:
    rng = np.random.default_rng(802)
    y = rng.normal(0.0, 1.0, 6)
    outlier = np.array([0.0, 0.2, -0.4, 0.1, 200.0])
    return [
        Case("typical", (y, 1.0), note="6 targets, sigma = 1"),
        Case("typical", (y, 0.1), note="sigma = 0.1"),
        Case("typical", (y, 3.0), note="sigma = 3"),
        Case("extremes", (y, 1e-30), note="sigma = 1e-30: the collapse"),
        Case("extremes", (y, 1e-200), note="sigma = 1e-200"),
        Case(
            "extremes",
            (outlier, 1e-3),
            note="a target 160 from the mean: both densities underflow",
        ),
        Case("shapes", (np.array([0.7]), 0.1), note="one target, n = 1"),
    ]


@_quiet
def _collapse_diagnose(case: Case, expected: object, got: object) -> str | None:
    y = np.asarray(case.args[0], dtype=np.float64)
    scale = float(case.args[1])
    if _nonfinite(got) and not _nonfinite(expected):
        return "underflow"
    e = float(np.asarray(expected, dtype=np.float64))
    if _close(got, e - math.log(2.0)):
        return "weights"
    if _close(got, sol.collapsed_mixture_nll(y, math.sqrt(scale))):
        return "variances"
    n = y.size
    zero_mean = sol.gaussian_mixture_nll(
        y, np.zeros((n, 2)), np.tile([y[0], 0.0], (n, 1)), np.tile([scale, 1.0], (n, 1))
    )
    if _close(got, np.mean(zero_mean)):
        return "broad_mean"
    broad = -0.5 * ((y[1:] - y.mean()) ** 2) - _LOG_SQRT_2PI + math.log(0.5)
    bound = (math.log(2.0 * math.sqrt(2.0 * math.pi) * scale) - float(np.sum(broad))) / n
    if n > 1 and _close(got, bound):
        return "bound"
    return None


_COLLAPSE = Exercise(
    label="ex-ch08-collapse",
    title="The MDN likelihood is unbounded",
    signature="collapsed_mixture_nll(y, scale) -> float",
    chapter=8,
    reference=sol.collapsed_mixture_nll,
    cases=_collapse_cases,
    diagnose=_collapse_diagnose,
    hints={
        "underflow": Hint(
            "inf where a target is far from both components: both densities underflow to 0 "
            "and log 0 = -inf. Work in log space: log(1/2) + the two Gaussian log-densities, "
            "then a stable log-sum-exp.",
            "eq-ch08-mdn",
        ),
        "factor": Hint(
            "Off by a constant factor: the exercise asks for the mean NLL over the n targets, "
            "not the sum.",
            "sec-ch08-collapse",
        ),
        "weights": Hint(
            "Off by log 2: each component has weight 1/2, so each density enters the sum as "
            "N(y; ...) / 2.",
            "sec-ch08-collapse",
        ),
        "variances": Hint(
            "scale is the standard deviation sigma of the collapsing component: "
            "N(y; y_1, sigma^2), not N(y; y_1, sigma).",
            "sec-ch08-collapse",
        ),
        "broad_mean": Hint(
            "The broad component is N(mean(y), 1), centred on the mean of the targets, not on 0.",
            "sec-ch08-collapse",
        ),
        "bound": Hint(
            "That is the exercise's upper bound divided by n: it keeps one component in each "
            "term. The NLL keeps both: -log(N(y_i; y_1, sigma^2) / 2 + N(y_i; mean(y), 1) / 2) "
            "for every i, then the mean.",
            "ex-ch08-collapse",
        ),
        "sign": Hint(
            "The opposite sign: that is the mean log-likelihood; the NLL is its negative.",
            "sec-ch08-collapse",
        ),
    },
)


EXERCISES = (_POISSON_LINK, _MIXTURE_NLL, _COLLAPSE)
