"""Chapter 2's batteries: an exponential rate, a Poisson fit by gradient descent, its error.

Each battery compares the reader's function with the tested solution in
:mod:`mlecourse.solutions.ch02` on typical inputs and on the traps the chapter names: the scale
1/lambda where the rate is asked (SciPy's ``expon.fit``), the unbiased (n - 1)/sum(y), a
gradient step on the rate itself that leaves (0, inf), the summed NLL where the mean is used,
log(lambda) returned for lambda, the gradient with respect to lambda applied to log(lambda),
and a standard error that is a variance, an information or a sample standard deviation.

The gradient-descent battery compares whole trajectories (a few steps from lambda = 1), so any
implementation of the same descent passes, with TensorFlow or without; its reference imports
TensorFlow, on the first check only.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from mlecourse.check._core import Case, Exercise, Hint
from mlecourse.solutions import ch02 as sol


def _close(got: object, value: object, rtol: float = 1e-9) -> bool:
    """Whether ``got`` equals ``value`` to ``rtol`` (same shape, finite)."""
    try:
        g, v = np.asarray(got, dtype=np.float64), np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if g.shape != v.shape or not np.all(np.isfinite(g)) or not np.all(np.isfinite(v)):
        return False
    return bool(np.allclose(g, v, rtol=rtol, atol=1e-300))


def _scalar(x: object) -> float | None:
    """``x`` as a finite float when it is one number, else ``None``."""
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if a.shape != () or not np.isfinite(a):
        return None
    return float(a)


def _shape(x: object) -> tuple[int, ...] | None:
    """The shape of ``x`` as an array, or ``None`` when it is not one."""
    try:
        return np.asarray(x).shape
    except (TypeError, ValueError):
        return None


def _values(case: Case) -> np.ndarray:
    return np.asarray(case.args[0], dtype=np.float64).ravel()


# -- ex-ch02-exponential ---------------------------------------------------------------------
def _exponential_cases() -> list[Case]:
    waits = np.random.default_rng(201).exponential(scale=0.5, size=20)  # rate 2
    return [
        Case("typical", ([0.5, 1.5, 1.0],), note="mean 1: rate 1"),
        Case("typical", (waits,), note="20 waiting times drawn at rate 2"),
        Case("typical", (np.array([2.0, 6.0]),), note="two waiting times"),
        Case("typical", (np.array([4.0]),), note="a single waiting time"),
        Case("extremes", (np.array([0.0, 0.0, 2.0]),), note="waiting times of exactly 0"),
        Case("extremes", (np.array([1e-300, 3e-300]),), note="tiny waiting times"),
        Case("extremes", (np.array([1e300, 3e300]),), note="huge waiting times"),
        Case(
            "float32",
            (waits.astype(np.float32),),
            rtol=1e-6,
            note="float32 waiting times (any precision)",
        ),
        Case("shapes", (waits[:5, None],), note="a (5, 1) column of waiting times"),
    ]


def _exponential_diagnose(case: Case, expected: object, got: object) -> str | None:
    g, e = _scalar(got), _scalar(expected)
    if g is None or e is None:
        return None
    y = _values(case)
    n = y.size
    if _close(g, 1.0 / e):
        return "scale"
    spread = float(y.mean() - y.min())  # SciPy's scale when the location min(y) is fitted
    if n > 1 and spread > 0 and _close(g, 1.0 / spread):
        return "location"
    if n > 1 and _close(g, e * (n - 1) / n):
        return "unbiased"
    return None


EXPONENTIAL = Exercise(
    label="ex-ch02-exponential",
    title="Exponential waiting times",
    signature="exponential_rate_mle(y) -> float",
    chapter=2,
    reference=sol.exponential_rate_mle,
    cases=_exponential_cases,
    diagnose=_exponential_diagnose,
    hints={
        "scale": Hint(
            "You returned the mean waiting time, the scale 1/lambda (what SciPy's expon.fit "
            "gives); the rate is its reciprocal, n / sum(y).",
            "ex-ch02-exponential",
        ),
        "location": Hint(
            "Your rate is 1 / (mean(y) - min(y)): SciPy's expon.fit(y) also fits a location, "
            "the start of the distribution, and puts it at min(y). The exercise's exponential "
            "starts at 0: fix the location with expon.fit(y, floc=0), or use n / sum(y).",
            "ex-ch02-exponential",
        ),
        "unbiased": Hint(
            "(n - 1) / sum(y) is the unbiased estimator of the rate, not the maximiser: the "
            "derivative of log_lik(lambda) = n log(lambda) - lambda sum(y) vanishes at "
            "n / sum(y).",
            "ex-ch02-exponential",
        ),
        "factor": Hint(
            "Off by a constant factor: the MLE is n / sum(y) = 1 / mean(y); check that the "
            "number n of waiting times appears once.",
            "ex-ch02-exponential",
        ),
        "wrong": Hint(
            "Your rate differs from n / sum(y): set the derivative of the log-likelihood "
            "n log(lambda) - lambda sum(y) to zero.",
            "eq-ch02-log-likelihood",
        ),
    },
)


# -- ex-ch02-poisson-tape --------------------------------------------------------------------
RARE = [0, 0, 1, 0, 0, 0, 0, 1, 0, 0]  # the colleague's counts
CALLS = [2, 4, 3, 0, 5, 3]  # chapter 1's calls per minute


def _tape_cases() -> list[Case]:
    counts = np.random.default_rng(202).poisson(6.0, 12)
    cases = [
        Case(
            "typical",
            (RARE,),
            {"learning_rate": 1.5, "steps": 8},
            note="the colleague's counts and learning rate",
        ),
        Case("typical", (CALLS,), {"learning_rate": 0.3, "steps": 8}, note="calls per minute"),
        Case(
            "typical",
            (counts,),
            {"learning_rate": 0.15, "steps": 6},
            note="12 counts drawn at rate 6",
        ),
        Case(
            "extremes",
            ([0] * 19 + [1],),
            {"learning_rate": 1.5, "steps": 8},
            note="19 zero counts and a 1: mean 0.05",
        ),
        Case(
            "extremes",
            ([120, 95, 101],),
            {"learning_rate": 0.005, "steps": 8},
            note="large counts, far from the start lambda = 1",
        ),
        Case(
            "options",
            (RARE,),
            {"learning_rate": 0.5, "steps": 3},
            option="learning_rate",
            note="three steps at learning_rate 0.5",
        ),
        Case(
            "options",
            (CALLS,),
            {"learning_rate": 0.2, "steps": 5},
            option="steps",
            note="five steps at the default learning rate",
        ),
        Case(
            "shapes",
            (np.array(CALLS)[:, None],),
            {"learning_rate": 0.3, "steps": 5},
            note="the counts as a (6, 1) column",
        ),
    ]
    # rtol 1e-6: a correct descent through Keras's SGD, which keeps its learning rate in
    # float32 (0.15 becomes 0.15000000596...), ends up to 1e-7 away after 8 steps
    return [replace(case, rtol=1e-6) for case in cases]


def _descend(y: np.ndarray, learning_rate: float, steps: int, *, on_rate: bool = False) -> float:
    """The descent in NumPy, from log(lambda) = 0: the reference's, or a reader's variant.

    Each step subtracts learning_rate times the gradient of the mean NLL with respect to
    log(lambda), lambda - mean(y); with ``on_rate``, the gradient with respect to lambda,
    1 - mean(y) / lambda (a chain rule forgotten). Used only to recognise a wrong answer.
    """
    log_rate, mean = 0.0, float(y.mean())
    with np.errstate(all="ignore"):
        for _ in range(steps):
            rate = math.exp(min(log_rate, 700.0))
            log_rate -= learning_rate * ((1.0 - mean / rate) if on_rate else (rate - mean))
    return math.exp(min(log_rate, 700.0))


def _tape_diagnose(case: Case, expected: object, got: object) -> str | None:
    # Every code is decided here, from NumPy replays of the descent: the generic diagnosis
    # would run the TensorFlow reference again for each failing case.
    g, e = _scalar(got), _scalar(expected)
    if e is None or _shape(got) != ():
        return None  # the generic shape diagnosis, which runs nothing
    if g is None:
        return "nonfinite"
    if _close(g, math.log(e)):
        return "log_rate"
    if g <= 0:
        return "negative_rate"
    y = _values(case)
    lr, steps = case.kwargs["learning_rate"], case.kwargs["steps"]
    if _close(g, _descend(y, lr, steps, on_rate=True), rtol=1e-6):
        return "chain_rule"
    if _close(g, _descend(y, lr * y.size, steps), rtol=1e-6):
        return "sum_not_mean"  # the summed NLL's steps are n times larger
    if _close(g, float(y.mean())):
        return "converged"  # the MLE itself: mean(y), or a descent run to convergence
    # the default learning rate or the colleague's 1.5 whatever learning_rate says, or the
    # default 100 steps whatever steps says
    if any(lr != other and _close(g, _descend(y, other, steps)) for other in (0.2, 1.5)):
        return "option_ignored"
    if steps != 100 and _close(g, _descend(y, lr, 100)):
        return "option_ignored"
    return "wrong"


POISSON_TAPE = Exercise(
    label="ex-ch02-poisson-tape",
    title="Debug a Poisson fit that returns nan",
    signature="poisson_rate_by_gradient_descent(y, *, learning_rate=0.2, steps=100) -> float",
    chapter=2,
    reference=sol.poisson_rate_by_gradient_descent,
    cases=_tape_cases,
    diagnose=_tape_diagnose,
    hints={
        "negative_rate": Hint(
            "Your rate left (0, inf): a gradient step on lambda itself overshot below 0, where "
            "log(lambda) is nan. Make log(lambda) the variable and lambda = exp(log(lambda)), "
            "so that no step can leave the parameter space.",
            "sec-ch02-numerical-mle",
        ),
        "nonfinite": Hint(
            "nan or inf: the rate left (0, inf), where log(lambda) is nan, or a step overflowed. "
            "Descend on log(lambda), so that lambda = exp(log(lambda)) stays positive.",
            "sec-ch02-numerical-mle",
        ),
        "log_rate": Hint(
            "You returned log(lambda), the variable you optimised; return lambda = "
            "exp(log(lambda)).",
            "thm-ch02-invariance",
        ),
        "chain_rule": Hint(
            "You update log(lambda) with the gradient with respect to lambda, 1 - mean(y) / "
            "lambda. With respect to log(lambda) it is lambda - mean(y): let the tape "
            "differentiate with respect to log_rate, with rate = tf.exp(log_rate) computed "
            "inside the tape.",
            "sec-ch02-numerical-mle",
        ),
        "sum_not_mean": Hint(
            "Your steps are n times too large: you descend on the summed NLL, where the "
            "exercise (like the colleague's loop, tf.reduce_mean) uses the mean.",
            "sec-ch02-numerical-mle",
        ),
        "converged": Hint(
            "Your result is mean(y), the MLE where the descent ends, but the battery stops "
            "after 3 to 8 steps, before it gets there: return lambda after exactly `steps` "
            "steps at `learning_rate`, started at lambda = 1, not mean(y) itself nor a loop "
            "that ignores `steps`.",
            "ex-ch02-poisson-tape",
        ),
        "option_ignored": Hint(
            "learning_rate or steps had no effect on your result: use the arguments, not the "
            "constants of the colleague's loop.",
            "ex-ch02-poisson-tape",
        ),
        "wrong": Hint(
            "Your rate differs from gradient descent on the mean NLL over log(lambda), started "
            "at lambda = 1: each step is log(lambda) -= learning_rate * (lambda - mean(y)), "
            "and the result is lambda after `steps` steps.",
            "sec-ch02-numerical-mle",
        ),
    },
)


# -- ex-ch02-poisson-se ----------------------------------------------------------------------
def _se_cases() -> list[Case]:
    counts = np.random.default_rng(203).poisson(3.5, 40)
    # rtol 1e-6: the curvature may also be taken numerically, by a central difference of the
    # log-likelihood with a step near 1e-4 lambda_hat, which is right to about 1e-8
    return [
        Case("typical", (CALLS,), rtol=1e-6, note="chapter 1's calls per minute"),
        Case("typical", (counts,), rtol=1e-6, note="40 counts drawn at rate 3.5"),
        Case("typical", (np.array([1]),), rtol=1e-6, note="a single count of 1"),
        Case("extremes", (np.array([0, 0, 0, 0, 1]),), rtol=1e-6, note="mostly zero counts"),
        Case("extremes", (np.array([1000, 1200, 900]),), rtol=1e-6, note="large counts"),
        Case(
            "float32",
            (counts.astype(np.float32),),
            rtol=1e-6,
            note="float32 counts, as TFP stores them",
        ),
        Case("shapes", (counts[:8, None],), rtol=1e-6, note="an (8, 1) column of counts"),
    ]


def _se_diagnose(case: Case, expected: object, got: object) -> str | None:
    g, e = _scalar(got), _scalar(expected)
    if g is None or e is None:
        return None
    y = _values(case)
    n = y.size
    if _close(g, e**2):
        return "variance"
    if _close(g, 1 / e**2) or _close(g, 1 / e):
        return "information"
    if n > 1 and any(_close(g, y.std(ddof=d) / math.sqrt(n)) for d in (0, 1)):
        return "sample_sd"
    if n > 1 and (_close(g, e / math.sqrt(n)) or _close(g, e * math.sqrt(n))):
        return "sqrt_n"
    return None


POISSON_SE = Exercise(
    label="ex-ch02-poisson-se",
    title="How precise is a Poisson rate?",
    signature="poisson_rate_standard_error(y) -> float",
    chapter=2,
    reference=sol.poisson_rate_standard_error,
    cases=_se_cases,
    diagnose=_se_diagnose,
    hints={
        "variance": Hint(
            "You returned the variance mean(y) / n of the estimate; the standard error is its "
            "square root.",
            "sec-ch02-consistency",
        ),
        "information": Hint(
            "You returned the observed information n / mean(y) (or its root); the standard "
            "error is one over its square root, 1 / sqrt(-log_lik''(lambda_hat)).",
            "sec-ch02-consistency",
        ),
        "sample_sd": Hint(
            "You used the sample standard deviation of the counts. The exercise asks for the "
            "standard error from the curvature of the log-likelihood, sqrt(mean(y) / n) (a "
            "Poisson's variance is its mean); the two estimate the same number but differ "
            "from sample to sample.",
            "thm-ch02-poisson",
        ),
        "sqrt_n": Hint(
            "Off by sqrt(n): both mean(y) and n go under the square root, sqrt(mean(y) / n).",
            "sec-ch02-consistency",
        ),
        "wrong": Hint(
            "Your value differs from 1 / sqrt(-log_lik''(lambda_hat)) with "
            "log_lik''(lambda) = -sum(y) / lambda^2 at lambda_hat = mean(y).",
            "thm-ch02-poisson",
        ),
    },
)


EXERCISES = (EXPONENTIAL, POISSON_TAPE, POISSON_SE)
